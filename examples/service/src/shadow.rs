//! The shadow policy (`--shadow-policy FILE`): a candidate policy that decides every request
//! again, on the same history at the same moment, without any effect on the answer or on the
//! decision recorded. Disagreements are counted by kind, stored with both decisions, and
//! summarised by `GET /shadow`.
//!
//! The shadow decides after the live decision has committed, and its disagreement is written in
//! a transaction of its own, off the request's path: the live answer waits for nothing the
//! shadow does, and a failed shadow write (counted as a shadow error) never fails a decision.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone, Utc};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;
use voucher_policy::{Decision, Engine, Outcome, PastVoucher, Request};

use crate::error::{ApiError, ErrorBody};
use crate::policy::{PolicyInForce, Reloaded};
use crate::service::AppState;
use crate::store::{Store, StoreError};

/// The disagreements `GET /shadow` lists unless `limit` says otherwise.
const DEFAULT_LATEST: u32 = 10;

/// The most disagreements `GET /shadow` lists at once.
const MAX_LATEST: u32 = 100;

/// Every kind of disagreement, always written (at 0 before the first) in the summary and the
/// metrics, so that a sum over them is defined from the start.
pub const KINDS: [&str; 11] = [
    "granted_to_refused",
    "granted_to_escalated",
    "refused_to_granted",
    "refused_to_escalated",
    "escalated_to_granted",
    "escalated_to_refused",
    "amount_higher",
    "amount_lower",
    "reasons_differ",
    "escalation_target_differs",
    "shadow_undecidable",
];

const RECORD: &str = "\
    INSERT INTO shadow_disagreements \
    (decision_id, shadow_fingerprint, kind, live_decision, shadow_decision, decided_at_us) \
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

const LATEST: &str = "\
    SELECT decision_id, shadow_fingerprint, kind, live_decision, shadow_decision, decided_at_us \
    FROM shadow_disagreements ORDER BY decided_at_us DESC, decision_id DESC LIMIT $1";

/// The shadow policy, when there is one, and what it found.
#[derive(Debug)]
pub struct Shadow {
    /// The candidate policy, reloaded on SIGHUP like the live one.
    policy: Option<PolicyInForce>,
    /// What `GET /shadow` summarises: since the candidate in force was loaded.
    summary: Mutex<Counts>,
    /// What `GET /metrics` writes: since the service started, never reset.
    total: Mutex<Counts>,
    /// Disagreements that could not be stored.
    errors: AtomicU64,
}

/// Decisions compared and disagreements by kind.
#[derive(Debug, Clone)]
struct Counts {
    since: DateTime<Utc>,
    compared: u64,
    disagreements: BTreeMap<&'static str, u64>,
}

impl Counts {
    fn new() -> Counts {
        Counts {
            since: Utc::now(),
            compared: 0,
            disagreements: KINDS.iter().map(|kind| (*kind, 0)).collect(),
        }
    }

    fn count(&mut self, kind: Option<&'static str>) {
        self.compared += 1;
        if let Some(kind) = kind {
            *self.disagreements.entry(kind).or_default() += 1;
        }
    }
}

/// Locks a counter; a panic elsewhere while holding it leaves counts that are still counts.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the live decision was made on, kept for the shadow to decide the same case.
#[derive(Debug, Clone)]
pub struct SameCase {
    /// The customer's history as the live decision read it, under the customer's lock.
    pub history: Vec<PastVoucher>,
    /// The moment the live decision was made at.
    pub now: DateTime<FixedOffset>,
}

impl Shadow {
    /// No shadow policy: nothing is compared.
    pub fn off() -> Shadow {
        Shadow::with(None)
    }

    /// The candidate policy in `file` (TOML, or JSON when it ends in .json), or none.
    pub fn load(file: Option<&Path>) -> Result<Shadow, String> {
        match file {
            Some(file) => Ok(Shadow::with(Some(PolicyInForce::load(Some(file))?))),
            None => Ok(Shadow::off()),
        }
    }

    fn with(policy: Option<PolicyInForce>) -> Shadow {
        Shadow {
            policy,
            summary: Mutex::new(Counts::new()),
            total: Mutex::new(Counts::new()),
            errors: AtomicU64::new(0),
        }
    }

    /// The candidate's engine in force now, or `None` without a shadow policy.
    pub fn engine(&self) -> Option<Arc<Engine>> {
        self.policy.as_ref().map(PolicyInForce::engine)
    }

    /// Reads the candidate's file again; the summary starts again when its rules changed.
    /// `Ok(None)` without a shadow policy.
    pub fn reload(&self) -> Result<Option<Reloaded>, String> {
        let Some(policy) = &self.policy else {
            return Ok(None);
        };
        let before = policy.engine().policy().fingerprint();
        let reloaded = policy.reload()?;
        if policy.engine().policy().fingerprint() != before {
            *lock(&self.summary) = Counts::new();
        }
        Ok(Some(reloaded))
    }

    /// Decides the live decision's case under `engine` (the candidate taken when the request
    /// came), counts the comparison, and stores a disagreement in the background.
    pub fn compare(
        self: &Arc<Self>,
        engine: &Engine,
        request: &Request,
        case: &SameCase,
        live: &str,
        store: &Store,
    ) {
        let Ok(live_decision) = Decision::from_json(live) else {
            // The service wrote the live decision itself: it always reads back.
            tracing::error!("shadow: the live decision does not read back; not compared");
            self.errors.fetch_add(1, Ordering::Relaxed);
            return;
        };
        let (kind, shadow_json) = match engine.decide(request, &case.history, case.now) {
            Ok(decision) => (disagreement(&live_decision, &decision), decision.to_json()),
            Err(error) => (
                Some("shadow_undecidable"),
                serde_json::json!({"error": {"field": error.field(), "message": error.to_string()}})
                    .to_string(),
            ),
        };
        lock(&self.summary).count(kind);
        lock(&self.total).count(kind);
        let Some(kind) = kind else {
            return;
        };
        let row = Disagreement {
            decision_id: live_decision.id().to_string(),
            shadow_fingerprint: engine.policy().fingerprint().to_string(),
            kind,
            live: live.to_owned(),
            shadow: shadow_json,
            decided_at_us: case.now.timestamp_micros(),
        };
        let store = store.clone();
        let shadow = Arc::clone(self);
        // Off the request's path: the live answer never waits for the shadow's write.
        tokio::spawn(async move {
            if let Err(error) = row.record(&store).await {
                tracing::warn!(%error, decision_id = %row.decision_id, "shadow: disagreement not stored");
                shadow.errors.fetch_add(1, Ordering::Relaxed);
            }
        });
    }

    /// The shadow's series for `GET /metrics`, in the text exposition format.
    pub fn render_metrics(&self, out: &mut String) {
        let total = lock(&self.total).clone();
        crate::metrics::family(
            out,
            "voucher_shadow_decisions_compared_total",
            "counter",
            "Decisions also decided under the shadow policy.",
        );
        crate::metrics::sample(
            out,
            "voucher_shadow_decisions_compared_total",
            &[],
            total.compared,
        );
        crate::metrics::family(
            out,
            "voucher_shadow_disagreements_total",
            "counter",
            "Decisions the shadow policy decided otherwise, by kind.",
        );
        for (kind, count) in &total.disagreements {
            crate::metrics::sample(
                out,
                "voucher_shadow_disagreements_total",
                &[("kind", kind)],
                *count,
            );
        }
        crate::metrics::family(
            out,
            "voucher_shadow_errors_total",
            "counter",
            "Shadow comparisons or disagreements that could not be made or stored.",
        );
        crate::metrics::sample(
            out,
            "voucher_shadow_errors_total",
            &[],
            self.errors.load(Ordering::Relaxed),
        );
        if let Some(engine) = self.engine() {
            let policy = engine.policy();
            let fingerprint = policy.fingerprint().to_string();
            crate::metrics::family(
                out,
                "voucher_shadow_policy_info",
                "gauge",
                "The shadow policy in force: always 1, its name, version and fingerprint in the labels.",
            );
            crate::metrics::sample(
                out,
                "voucher_shadow_policy_info",
                &[
                    ("name", policy.name()),
                    ("version", policy.version()),
                    ("fingerprint", &fingerprint),
                ],
                1,
            );
        }
    }
}

/// The kind of a disagreement between the live decision and the shadow's, or `None` when they
/// agree. The policy, the id and the script always differ between two policies: only what the
/// customer gets, why, and who decides next are compared.
pub fn disagreement(live: &Decision, shadow: &Decision) -> Option<&'static str> {
    let (from, to) = (live.outcome(), shadow.outcome());
    if from != to {
        return Some(match (from, to) {
            (Outcome::Granted, Outcome::Refused) => "granted_to_refused",
            (Outcome::Granted, Outcome::Escalated) => "granted_to_escalated",
            (Outcome::Refused, Outcome::Granted) => "refused_to_granted",
            (Outcome::Refused, Outcome::Escalated) => "refused_to_escalated",
            (Outcome::Escalated, Outcome::Granted) => "escalated_to_granted",
            (Outcome::Escalated, Outcome::Refused) => "escalated_to_refused",
            // An outcome the library adds later still counts, under its own kind's neighbour.
            _ => "reasons_differ",
        });
    }
    let amount = |decision: &Decision| decision.voucher().map(|voucher| voucher.amount());
    match amount(shadow).cmp(&amount(live)) {
        std::cmp::Ordering::Greater => return Some("amount_higher"),
        std::cmp::Ordering::Less => return Some("amount_lower"),
        std::cmp::Ordering::Equal => {}
    }
    if live.reasons() != shadow.reasons() {
        return Some("reasons_differ");
    }
    if live.verdict().escalate_to() != shadow.verdict().escalate_to() {
        return Some("escalation_target_differs");
    }
    None
}

/// A disagreement as stored.
struct Disagreement {
    decision_id: String,
    shadow_fingerprint: String,
    kind: &'static str,
    live: String,
    shadow: String,
    decided_at_us: i64,
}

impl Disagreement {
    async fn record(&self, store: &Store) -> Result<(), StoreError> {
        sqlx::query(RECORD)
            .bind(&self.decision_id)
            .bind(&self.shadow_fingerprint)
            .bind(self.kind)
            .bind(&self.live)
            .bind(&self.shadow)
            .bind(self.decided_at_us)
            .execute(store.pool())
            .await?;
        Ok(())
    }
}

/// `GET /shadow`'s answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShadowSummary)]
pub struct Summary {
    /// The shadow policy in force, or null when the service runs without one.
    policy: Option<ShadowPolicy>,
    /// When the counts below started: the start, or the reload that changed the shadow's rules.
    #[schema(format = DateTime)]
    since: String,
    /// Decisions also decided under the shadow policy (replays are not decided again).
    compared: u64,
    /// Decisions the shadow agreed with.
    agreed: u64,
    /// Disagreements by kind: an outcome changed (`granted_to_refused`, ...), the shadow's
    /// amount higher or lower, the reasons or the escalation target different, or the
    /// shadow could not decide the request.
    disagreements: BTreeMap<&'static str, u64>,
    /// Disagreements that could not be stored, and comparisons that could not be made, since
    /// the start.
    errors: u64,
    /// The latest disagreements stored, by the moment of their decision, latest first.
    latest: Vec<Stored>,
}

/// The shadow policy in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShadowPolicy {
    /// Its name.
    name: String,
    /// Its version.
    version: String,
    /// The SHA-256 of its canonical form.
    fingerprint: String,
}

/// A stored disagreement.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShadowDisagreement)]
pub struct Stored {
    /// The live decision's id.
    decision_id: String,
    /// The kind of disagreement.
    kind: String,
    /// The fingerprint of the shadow policy that disagreed.
    shadow_fingerprint: String,
    /// The moment of the decision.
    #[schema(format = DateTime)]
    at: String,
    /// The live decision, as answered.
    #[schema(value_type = crate::openapi::wire::Decision)]
    live: Box<RawValue>,
    /// The shadow's decision (or `{"error"}` when it could not decide).
    #[schema(value_type = Object)]
    shadow: Box<RawValue>,
}

/// One stored row.
#[derive(sqlx::FromRow)]
struct Row {
    decision_id: String,
    shadow_fingerprint: String,
    kind: String,
    live_decision: String,
    shadow_decision: String,
    decided_at_us: i64,
}

/// `GET /shadow`: the counts since the shadow in force was loaded, and the latest
/// disagreements stored. Any API key may read.
#[utoipa::path(
    get,
    path = "/shadow",
    tag = "service",
    summary = "What the shadow policy would have decided otherwise",
    params(
        ("limit" = Option<u32>, Query, minimum = 0, maximum = 100, description = "How many of the latest disagreements to list (10 by default, at most 100)"),
    ),
    responses(
        (status = 200, description = "The summary (with `policy` null when the service runs without a shadow policy)", body = Summary),
        (status = 400, description = "`invalid_query`: `limit` is not a whole number from 0 to 100, or another parameter is given", body = ErrorBody),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
pub async fn get(State(state): State<Arc<AppState>>, uri: Uri) -> Result<Json<Summary>, ApiError> {
    let limit = limit_of(uri.query().unwrap_or_default())?;
    let rows: Vec<Row> = sqlx::query_as(LATEST)
        .bind(i64::from(limit))
        .fetch_all(state.store.pool())
        .await
        .map_err(|error| ApiError::storage(&StoreError::Database(error)))?;
    let shadow = &state.shadow;
    let counts = lock(&shadow.summary).clone();
    let disagreed: u64 = counts.disagreements.values().sum();
    let policy = shadow.engine().map(|engine| {
        let policy = engine.policy();
        ShadowPolicy {
            name: policy.name().to_owned(),
            version: policy.version().to_owned(),
            fingerprint: policy.fingerprint().to_string(),
        }
    });
    Ok(Json(Summary {
        policy,
        since: counts.since.to_rfc3339_opts(SecondsFormat::Secs, true),
        compared: counts.compared,
        agreed: counts.compared.saturating_sub(disagreed),
        disagreements: counts.disagreements,
        errors: shadow.errors.load(Ordering::Relaxed),
        latest: rows.into_iter().filter_map(Row::into_stored).collect(),
    }))
}

impl Row {
    /// The row as answered; a row whose JSON does not read (written by something else) is left
    /// out rather than failing the summary.
    fn into_stored(self) -> Option<Stored> {
        let at = Utc
            .timestamp_micros(self.decided_at_us)
            .single()
            .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))?;
        Some(Stored {
            decision_id: self.decision_id,
            kind: self.kind,
            shadow_fingerprint: self.shadow_fingerprint,
            at,
            live: RawValue::from_string(self.live_decision).ok()?,
            shadow: RawValue::from_string(self.shadow_decision).ok()?,
        })
    }
}

/// The `limit` of `GET /shadow`'s query, or 400 naming the parameter.
fn limit_of(query: &str) -> Result<u32, ApiError> {
    let mut limit = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let bad = |problem: String| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", problem)
                .with_field(name.to_string())
                .with_value(value.to_string())
        };
        if name != "limit" {
            return Err(bad(format!(
                "unknown parameter {name:?}; GET /shadow takes only `limit`"
            )));
        }
        if limit.is_some() {
            return Err(bad("limit: given twice".to_owned()));
        }
        let parsed = value
            .parse::<u32>()
            .ok()
            .filter(|limit| *limit <= MAX_LATEST)
            .ok_or_else(|| {
                bad(format!(
                    "limit: {value:?} is not a whole number from 0 to {MAX_LATEST}"
                ))
            })?;
        limit = Some(parsed);
    }
    Ok(limit.unwrap_or(DEFAULT_LATEST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_a_small_whole_number() {
        assert_eq!(limit_of("").unwrap(), DEFAULT_LATEST);
        assert_eq!(limit_of("limit=3").unwrap(), 3);
        assert_eq!(limit_of("limit=0").unwrap(), 0);
        for query in [
            "limit=101",
            "limit=-1",
            "limit=x",
            "limit=1&limit=2",
            "from=1",
        ] {
            let error = limit_of(query).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST, "{query}");
        }
    }
}
