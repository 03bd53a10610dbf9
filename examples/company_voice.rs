//! A company's own voice: the shipped Indonesian catalog with a company's file loaded over it.
//!
//! ```text
//! cargo run --example company_voice [-- FILE]
//! ```
//!
//! `examples/catalogs/company_voice.toml` (or FILE) makes the Indonesian scripts formal by
//! default and rewords four messages in the company's name; every other message still comes
//! from the shipped catalog. The example prints a refusal and a grant, first as the shipped
//! catalog writes them, then in the company's voice. A file that does not load is reported
//! with its problems, and the example exits with status 1.

use std::process::ExitCode;

use voucher_policy::{Case, Engine, Policy, Scripts};

const COMPANY_VOICE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/catalogs/company_voice.toml"
);

/// A gold customer's late delivery, granted; the refusal below changes one fact.
const LATE_DELIVERY: &str = r#"{
  "now": "2026-11-24T10:00:00+07:00",
  "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "gold"},
  "order": {"id": "3449", "customer_id": "C-1001", "total": "85000", "currency": "IDR",
            "placed_at": "2026-11-24T08:10:00+07:00", "delivered_at": "2026-11-24T08:55:00+07:00"},
  "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:30:00+07:00",
                "company_at_fault": true}
}"#;

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| COMPANY_VOICE.to_owned());
    let scripts = match Scripts::builtin().with_file(&path) {
        Ok(scripts) => scripts,
        Err(error) => {
            eprintln!("company_voice: {error}");
            return ExitCode::FAILURE;
        }
    };
    match show(scripts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("company_voice: {error}");
            ExitCode::FAILURE
        }
    }
}

fn show(scripts: Scripts) -> Result<(), Box<dyn std::error::Error>> {
    let shipped = Engine::default();
    let company = Engine::with_scripts(Policy::default(), scripts);

    let grant = Case::from_json(LATE_DELIVERY)?;
    let refusal = Case::from_json(&LATE_DELIVERY.replace(
        r#""company_at_fault": true"#,
        r#""company_at_fault": false"#,
    ))?;

    for (title, case) in [("A refusal", &refusal), ("A grant", &grant)] {
        for (voice, engine) in [
            ("the shipped catalog", &shipped),
            ("the company's voice", &company),
        ] {
            let script = engine.decide_case(case)?.into_parts().1;
            println!(
                "== {title}, in {voice} ({}, {})",
                script.locale(),
                script.address()
            );
            println!();
            println!("{}", script.text());
            println!();
        }
    }
    Ok(())
}
