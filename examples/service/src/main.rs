//! `voucher-service`: the decision service. `cargo run --release` starts it on
//! `http://127.0.0.1:8080` with a SQLite file `voucher-service.db` and the embedded default
//! policy; `--help` lists the options.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use voucher_service::{JsonLines, LogFormat, Options, run};

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr);
    match options.log_format {
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => logs.with_ansi(false).event_format(JsonLines).init(),
    }
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("voucher-service: {error}");
            ExitCode::FAILURE
        }
    }
}
