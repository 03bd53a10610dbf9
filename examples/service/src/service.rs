//! The service: its options, its routes, and its life from start to a graceful stop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Access, authenticate};
use crate::body::{Clock, MAX_BODY_BYTES};
use crate::error::ApiError;
use crate::logging::LogFormat;
use crate::metrics::Metrics;
use crate::policy::{PolicyInForce, Reloaded};
use crate::shadow::Shadow;
use crate::store::Store;
use crate::writer::{Writer, WriterSettings};
use crate::{approval, audit, decisions, health, history, metrics, openapi, shadow};

/// How to run the service. Every option has a default that works with no setup.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "voucher-service",
    version,
    about = "An HTTP decision service around voucher-policy: POST /decisions, POST \
             /decisions/{id}/approval, GET /decisions/{id}, GET /decisions?since&until, \
             GET /customers/{id}/vouchers, GET /metrics, GET /shadow, GET /openapi.json"
)]
pub struct Options {
    /// The database: `sqlite://FILE` (created when missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://voucher-service.db"
    )]
    pub database_url: String,

    /// A policy file (TOML, or JSON when it ends in .json); the embedded default policy when
    /// absent. SIGHUP reads it again.
    #[arg(long, env = "VOUCHER_POLICY")]
    pub policy: Option<PathBuf>,

    /// A candidate policy file (TOML, or JSON when it ends in .json) that decides every
    /// request again, on the same history at the same moment, without any effect on the
    /// answer: disagreements are counted and stored, and GET /shadow summarises them. SIGHUP
    /// reads it again.
    #[arg(long, env = "VOUCHER_SHADOW_POLICY")]
    pub shadow_policy: Option<PathBuf>,

    /// The address to listen on; port 0 picks a free port. The address is printed on stdout.
    #[arg(long, env = "VOUCHER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database connections in the pool [default: 1 for SQLite, 16 for PostgreSQL].
    #[arg(long, env = "VOUCHER_MAX_CONNECTIONS")]
    pub max_connections: Option<u32>,

    /// Decision requests that may wait to be recorded; past it, POST /decisions answers 503
    /// with Retry-After at once. At most this many requests wait behind one commit.
    #[arg(long, env = "VOUCHER_QUEUE_DEPTH", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub queue_depth: u32,

    /// The most decision requests recorded in one transaction (one commit, one flush).
    #[arg(long, env = "VOUCHER_BATCH_MAX", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub batch_max: u32,

    /// Batches recorded at once, each in its own transaction. One suits SQLite (a single
    /// writer) and a PostgreSQL server on few cores, where fewer, larger batches cost less; more
    /// lets a bigger server commit several batches at once.
    #[arg(long, env = "VOUCHER_WRITERS", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub writers: u32,

    /// Let a request give its own `now` (replaying past requests, tests). Off by default: the
    /// service decides at the moment of the request.
    #[arg(long, env = "VOUCHER_ACCEPT_REQUEST_NOW")]
    pub accept_request_now: bool,

    /// The API keys: a TOML file of `[[key]]` entries with `id`, `role` and `sha256` (the hex
    /// SHA-256 of the bearer token). Every endpoint but /health needs one. SIGHUP reads it
    /// again. Required unless --no-auth.
    #[arg(long, env = "VOUCHER_API_KEYS", conflicts_with = "no_auth")]
    pub api_keys: Option<PathBuf>,

    /// Serve without authentication, for local experiments only: decisions are made as the
    /// body's agent, and approvals are refused (an approver must be known).
    #[arg(long, env = "VOUCHER_NO_AUTH")]
    pub no_auth: bool,

    /// Serve GET /metrics without an API key, for a scraper on a trusted network. Without it,
    /// /metrics needs any valid key (the counters and the policy's fingerprint are not public).
    #[arg(long, env = "VOUCHER_OPEN_METRICS")]
    pub open_metrics: bool,

    /// How the log on stderr is written: `text` for people, `json` for one JSON object per
    /// line. Either way every request is logged once (at `info`).
    #[arg(long, env = "VOUCHER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// What every request shares.
#[derive(Debug)]
pub struct AppState {
    /// The decision store.
    pub store: Store,
    /// The queue of decisions and the writers recording them in batches.
    pub writer: Writer<ApiError>,
    /// The policy in force.
    pub policy: PolicyInForce,
    /// Where `now` comes from.
    pub clock: Clock,
    /// Who may call.
    pub access: Access,
    /// The counters `GET /metrics` writes.
    pub metrics: Arc<Metrics>,
    /// Whether `GET /metrics` is open without an API key.
    pub open_metrics: bool,
    /// The shadow policy and what it found ([`Shadow::off`] for none).
    pub shadow: Arc<Shadow>,
}

/// The service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The policy file does not load.
    #[error("policy: {0}")]
    Policy(String),
    /// The shadow policy file does not load.
    #[error("shadow policy: {0}")]
    ShadowPolicy(String),
    /// The API-keys file does not load, or there is none and --no-auth was not given.
    #[error("API keys: {0}")]
    Keys(String),
    /// The database cannot be opened or migrated.
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    /// The address cannot be listened on, or the signals cannot be watched.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The routes, over shared state. Mount it in a bigger application, or serve it as it is.
/// Every route but `GET /health` (and `GET /metrics` when `open_metrics`) needs an API key
/// (unless the state's access is open).
pub fn router(state: Arc<AppState>) -> Router {
    let (routes, _document) = documented_routes().split_for_parts();
    routes
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this resource does not answer that method",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Outermost, so that nothing but /health answers, not even a 404, without a key.
        .layer(from_fn_with_state(Arc::clone(&state), authenticate))
        // Outside authentication, so that a 401 is counted and logged like any answer.
        .layer(from_fn_with_state(Arc::clone(&state), metrics::observe))
        .with_state(state)
}

/// Every route, each registered with its OpenAPI description: what the router serves and what
/// `GET /openapi.json` describes come from this one list.
pub(crate) fn documented_routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(decisions::post, audit::log))
        .routes(routes!(audit::get_one))
        .routes(routes!(approval::post))
        .routes(routes!(history::get))
        .routes(routes!(health::get))
        .routes(routes!(metrics::get))
        .routes(routes!(shadow::get))
        .routes(routes!(openapi::get))
}

/// Runs the service until SIGTERM or SIGINT: opens the store, loads the policy, listens, prints
/// `listening on http://ADDR` on stdout, reloads the policy on SIGHUP, and on a stop lets
/// requests in flight finish before closing the store.
pub async fn run(options: Options) -> Result<(), StartError> {
    let access = match (&options.api_keys, options.no_auth) {
        (Some(file), _) => Access::load(file).map_err(StartError::Keys)?,
        (None, true) => {
            tracing::warn!(
                "--no-auth: anyone who can reach the service may decide; approvals are refused"
            );
            Access::Open
        }
        (None, false) => {
            return Err(StartError::Keys(
                "give --api-keys FILE (or VOUCHER_API_KEYS); to run without authentication \
                 for a local experiment, pass --no-auth"
                    .to_owned(),
            ));
        }
    };
    let policy = PolicyInForce::load(options.policy.as_deref()).map_err(StartError::Policy)?;
    check_roles(&access, &policy);
    let shadow =
        Shadow::load(options.shadow_policy.as_deref()).map_err(StartError::ShadowPolicy)?;
    let store = Store::open(&options.database_url, options.max_connections).await?;
    let clock = if options.accept_request_now {
        Clock::RequestMayGiveNow
    } else {
        Clock::System
    };
    let metrics = Arc::new(Metrics::new());
    let settings = WriterSettings {
        queue_depth: options.queue_depth as usize,
        batch_max: options.batch_max as usize,
        writers: options.writers as usize,
    };
    let state = Arc::new(AppState {
        store: store.clone(),
        writer: Writer::start(store.clone(), settings, Arc::clone(&metrics)),
        policy,
        clock,
        access,
        metrics,
        open_metrics: options.open_metrics,
        shadow: Arc::new(shadow),
    });
    // Watch the signals before anyone can know the address: a signal is never missed.
    let mut hangups = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let listener = TcpListener::bind(options.listen).await?;
    let address = listener.local_addr()?;
    let engine = state.policy.engine();
    tracing::info!(
        database = store.backend().as_str(),
        queue_depth = settings.queue_depth,
        batch_max = settings.batch_max,
        writers = settings.writers,
        policy = engine.policy().name(),
        version = engine.policy().version(),
        "listening on http://{address}"
    );
    println!("listening on http://{address}");

    let reload_state = Arc::clone(&state);
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            // Reading and validating the file is blocking work: off the request threads.
            let state = Arc::clone(&reload_state);
            if let Err(error) = tokio::task::spawn_blocking(move || reload(&state)).await {
                tracing::error!(%error, "SIGHUP: the reload failed, the policy in force stays");
            }
        }
    });

    axum::serve(listener, router(Arc::clone(&state)))
        .with_graceful_shutdown(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            tracing::info!("stopping: finishing the requests in flight");
        })
        .await?;
    // Every request is answered by now; whatever is still queued is committed before the end.
    state.writer.stop().await;
    store.close().await;
    Ok(())
}

/// Reads the policy file and the API-keys file again, logging what happened; a file that does
/// not load leaves what it would have replaced in force.
fn reload(state: &AppState) {
    reload_policy(&state.policy);
    match state.shadow.reload() {
        Ok(Some(Reloaded::Loaded { name, version })) => {
            tracing::info!(policy = %name, %version, "shadow policy reloaded");
        }
        Ok(_) => {}
        Err(error) => tracing::error!(
            "SIGHUP: the shadow policy file does not load, the shadow in force stays: {error}"
        ),
    }
    match state.access.reload() {
        Ok(Some(count)) => tracing::info!(keys = count, "API keys reloaded"),
        Ok(None) => {}
        Err(error) => tracing::error!(
            "SIGHUP: the API-keys file does not load, the keys in force stay: {error}"
        ),
    }
    check_roles(&state.access, &state.policy);
}

/// Notes the keys whose role the policy does not know: they may read, not decide (an
/// auditor's key, or a typo in the file).
fn check_roles(access: &Access, policy: &PolicyInForce) {
    let Some(keys) = access.keys() else {
        return;
    };
    let engine = policy.engine();
    for holder in keys.holders() {
        if engine.policy().role(&holder.role).is_none() {
            tracing::info!(
                key = %holder.id,
                role = %holder.role,
                "the key's role is not one of the policy's: it may read decisions, not make them"
            );
        }
    }
}

/// Reads the policy file again, logging what happened; a file that does not load leaves the
/// policy in force.
fn reload_policy(policy: &PolicyInForce) {
    match policy.reload() {
        Ok(Reloaded::Loaded { name, version }) => {
            tracing::info!(policy = %name, %version, "policy reloaded");
        }
        Ok(Reloaded::NoFile) => {
            tracing::warn!("SIGHUP: no --policy file to reload; the embedded default stays");
        }
        Err(error) => {
            tracing::error!(
                "SIGHUP: the policy file does not load, the policy in force stays: {error}"
            );
        }
    }
}
