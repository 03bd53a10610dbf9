//! A reference HTTP decision service around [`voucher_policy`]: the library decides, the service
//! owns the history.
//!
//! - `POST /decisions` takes the wire contract's request without `history` (and without `now`:
//!   the service's clock decides, unless started with `--accept-request-now`), loads the
//!   customer's history from the database, decides, and records a granted voucher in the same
//!   transaction, under the customer's lock. An `Idempotency-Key` header makes a retry replay the
//!   stored decision instead of deciding again. Requests wait in a bounded queue for a writer
//!   that records many in one transaction (one commit); past the queue, 503 with `Retry-After`.
//! - `POST /decisions/{id}/approval` approves a pending decision (an escalation, or a refusal
//!   overridden with a reason) as the API key's holder: decided again on the history as it is
//!   then, recorded once however many try.
//! - `GET /decisions/{id}` answers a stored decision; `GET /decisions?since&until` streams the
//!   audit log as JSON lines the simulator replays.
//! - `GET /customers/{id}/vouchers` lists the history; `GET /health` names the database and the
//!   policy in force, and is the one route open without an API key.
//! - `GET /metrics` writes the service's counters in the Prometheus text format (open without a
//!   key only with `--open-metrics`); every request is logged as one line, text or JSON.
//! - `--shadow-policy FILE` decides every request again under a candidate policy, without effect
//!   on the answer; `GET /shadow` summarises the disagreements, stored with both decisions.
//! - `GET /openapi.json` is the OpenAPI document of every route, generated from the handlers.
//! - SQLite by default (a file, created and migrated on start); PostgreSQL by URL, through the
//!   same code and the same SQL, for any number of instances sharing it.
//! - SIGHUP reloads the policy file and the API-keys file; requests in flight finish on the
//!   policy they started with.
//!
//! See the README beside this crate for the API, the configuration and the design.
#![forbid(unsafe_code)]

mod approval;
mod audit;
mod auth;
mod batch;
mod body;
mod decisions;
mod error;
mod health;
mod history;
mod logging;
mod metrics;
mod openapi;
mod policy;
mod service;
mod shadow;
mod store;
mod writer;

pub use audit::NDJSON;
pub use auth::{Access, ApiKeys, Caller, KeyHolder, token_sha256};
pub use body::{Clock, MAX_BODY_BYTES};
pub use decisions::{IDEMPOTENCY_KEY, REPLAYED};
pub use error::ApiError;
pub use logging::{JsonLines, LogFormat};
pub use metrics::{METRICS_PATH, Metrics};
pub use openapi::{OPENAPI_PATH, document};
pub use policy::{PolicyInForce, Reloaded};
pub use service::{AppState, Options, StartError, router, run};
pub use shadow::Shadow;
pub use store::{Backend, Store, StoreError};
pub use writer::{Writer, WriterSettings};
