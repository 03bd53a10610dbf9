//! What the service counts, and `GET /metrics`, which writes it in the Prometheus text
//! exposition format (version 0.0.4).
//!
//! The exposition is written here rather than with a metrics crate: the service has a dozen
//! series, the format is a few lines of grammar, and this keeps the dependency tree (and the
//! workspace's lock file) as it is.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::service::AppState;

/// The path of the metrics; open without a key only with `--open-metrics`.
pub const METRICS_PATH: &str = "/metrics";

/// The media type of the text exposition format.
const EXPOSITION: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The upper bounds of the latency buckets, in seconds: 1 ms to 5 s.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The upper bounds of the batch-size buckets, in requests: powers of two up to the largest
/// batch allowed.
const BATCH_BUCKETS: [f64; 11] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0,
];

/// The outcomes a decision may have, always written (at 0 before the first) so that a sum over
/// them is defined from the start.
const OUTCOMES: [&str; 3] = ["granted", "refused", "escalated"];

/// The service's counters, shared by every request.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Decisions recorded by `POST /decisions`, by outcome.
    decisions: Mutex<BTreeMap<&'static str, u64>>,
    /// Requests answered from the store instead of decided (an idempotent replay).
    replays: AtomicU64,
    /// The reasons of the decisions recorded, one count per reason per decision.
    reasons: Mutex<BTreeMap<&'static str, u64>>,
    /// Approvals, by result.
    approvals: Mutex<BTreeMap<&'static str, u64>>,
    /// Requests by (route, method, status class).
    requests: Mutex<BTreeMap<(String, &'static str, &'static str), u64>>,
    /// Request handling time by route.
    durations: Mutex<BTreeMap<String, Histogram<{ BUCKETS.len() }>>>,
    /// Requests that failed on the database, and audit logs cut short by it.
    database_errors: AtomicU64,
    /// Requests per transaction of the decision writers.
    batches: Mutex<Histogram<{ BATCH_BUCKETS.len() }>>,
    /// Decision requests refused with 503 because the queue was full.
    shed: AtomicU64,
}

/// A histogram over `bounds`: a count per bucket (not yet cumulative), the sum and the count.
#[derive(Debug, Clone)]
struct Histogram<const N: usize> {
    bounds: &'static [f64; N],
    buckets: [u64; N],
    sum: f64,
    count: u64,
}

impl Default for Histogram<{ BUCKETS.len() }> {
    fn default() -> Self {
        Histogram::new(&BUCKETS)
    }
}

impl Default for Histogram<{ BATCH_BUCKETS.len() }> {
    fn default() -> Self {
        Histogram::new(&BATCH_BUCKETS)
    }
}

impl<const N: usize> Histogram<N> {
    fn new(bounds: &'static [f64; N]) -> Self {
        Histogram {
            bounds,
            buckets: [0; N],
            sum: 0.0,
            count: 0,
        }
    }

    fn observe(&mut self, value: f64) {
        if let Some(slot) = self
            .bounds
            .iter()
            .position(|bound| value <= *bound)
            .and_then(|index| self.buckets.get_mut(index))
        {
            *slot += 1;
        }
        self.sum += value;
        self.count += 1;
    }

    /// The `_bucket` (cumulative, then `+Inf`), `_sum` and `_count` lines of `name`, each with
    /// `labels` before `le`.
    fn render(&self, out: &mut String, name: &str, labels: &[(&str, &str)]) {
        let bucket = format!("{name}_bucket");
        let mut cumulative = 0;
        for (bound, count) in self.bounds.iter().zip(self.buckets) {
            cumulative += count;
            let le = bound.to_string();
            let mut with_le = labels.to_vec();
            with_le.push(("le", &le));
            sample(out, &bucket, &with_le, cumulative);
        }
        let mut with_le = labels.to_vec();
        with_le.push(("le", "+Inf"));
        sample(out, &bucket, &with_le, self.count);
        sample_f64(out, &format!("{name}_sum"), labels, self.sum);
        sample(out, &format!("{name}_count"), labels, self.count);
    }
}

/// The decision queue as it is when the metrics are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueState {
    /// Requests waiting for a writer.
    pub depth: usize,
    /// The most it holds before refusing requests.
    pub capacity: usize,
}

/// What a decision or an approval answered, left in the response for the request log.
#[derive(Debug, Clone)]
pub struct Decided {
    /// The decision's id.
    pub id: String,
    /// Granted, refused or escalated.
    pub outcome: String,
    /// Whose decision it is.
    pub customer_id: String,
    /// Answered from the store (an idempotent replay), not decided now.
    pub replayed: bool,
    /// For an approval, the id of the decision approved.
    pub approved: Option<String>,
}

impl Decided {
    /// The id, outcome and customer of a decision's JSON; `None` if it does not read (the
    /// library always writes them).
    pub fn of_json(decision: &str, replayed: bool) -> Option<Decided> {
        #[derive(serde::Deserialize)]
        struct Summary {
            id: String,
            outcome: String,
            customer_id: String,
        }
        let summary: Summary = serde_json::from_str(decision).ok()?;
        Some(Decided {
            id: summary.id,
            outcome: summary.outcome,
            customer_id: summary.customer_id,
            replayed,
            approved: None,
        })
    }
}

/// Left in a response by [`crate::ApiError`] when the database failed, for the count.
#[derive(Debug, Clone, Copy)]
pub struct DatabaseFailed;

/// Locks a counter map; a panic elsewhere while holding it leaves counts that are still counts.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Metrics {
    /// No counts yet.
    pub fn new() -> Metrics {
        Metrics::default()
    }

    /// A decision recorded (not a replay) with its outcome and reasons.
    pub fn decided(&self, outcome: &'static str, reasons: &[&'static str]) {
        *lock(&self.decisions).entry(outcome).or_default() += 1;
        let mut counts = lock(&self.reasons);
        for reason in reasons {
            *counts.entry(reason).or_default() += 1;
        }
    }

    /// A request answered with the decision stored before.
    pub fn replayed(&self) {
        self.replays.fetch_add(1, Ordering::Relaxed);
    }

    /// An approval that reached the store, by result: the outcome of the approval's decision,
    /// `already_approved`, `not_found` or `rejected` (the library refused it).
    pub fn approval(&self, result: &'static str) {
        *lock(&self.approvals).entry(result).or_default() += 1;
    }

    /// A batch of `size` requests taken by a writer.
    pub fn batch(&self, size: usize) {
        lock(&self.batches).observe(size as f64);
    }

    /// A decision request refused because the queue was full.
    pub fn shed(&self) {
        self.shed.fetch_add(1, Ordering::Relaxed);
    }

    /// A failure of the database.
    pub fn database_error(&self) {
        self.database_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// A request answered: its route, method, status and how long it took to answer.
    pub fn request(&self, route: &str, method: &'static str, status: StatusCode, took: Duration) {
        let class = status_class(status);
        *lock(&self.requests)
            .entry((route.to_owned(), method, class))
            .or_default() += 1;
        lock(&self.durations)
            .entry(route.to_owned())
            .or_default()
            .observe(took.as_secs_f64());
    }

    /// The exposition of every metric, with the policy in force as `policy` and the decision
    /// queue as `queue` is now.
    pub fn render(&self, policy: &voucher_policy::Policy, queue: QueueState) -> String {
        let mut out = String::new();
        let decisions = lock(&self.decisions).clone();
        family(
            &mut out,
            "voucher_decisions_total",
            "counter",
            "Decisions recorded by POST /decisions, by outcome (idempotent replays are not counted).",
        );
        for outcome in OUTCOMES {
            let count = decisions.get(outcome).copied().unwrap_or(0);
            sample(
                &mut out,
                "voucher_decisions_total",
                &[("outcome", outcome)],
                count,
            );
        }
        for (outcome, count) in decisions.iter().filter(|(o, _)| !OUTCOMES.contains(o)) {
            sample(
                &mut out,
                "voucher_decisions_total",
                &[("outcome", outcome)],
                *count,
            );
        }

        family(
            &mut out,
            "voucher_decisions_replayed_total",
            "counter",
            "Requests answered with a decision stored before (Idempotency-Key or the same case).",
        );
        sample(
            &mut out,
            "voucher_decisions_replayed_total",
            &[],
            self.replays.load(Ordering::Relaxed),
        );

        family(
            &mut out,
            "voucher_decision_reasons_total",
            "counter",
            "Reasons of the decisions recorded by POST /decisions, one per reason per decision.",
        );
        for (reason, count) in lock(&self.reasons).iter() {
            sample(
                &mut out,
                "voucher_decision_reasons_total",
                &[("reason", reason)],
                *count,
            );
        }

        family(
            &mut out,
            "voucher_approvals_total",
            "counter",
            "Approvals by result: the outcome of the approval's decision, already_approved, not_found or rejected.",
        );
        for (result, count) in lock(&self.approvals).iter() {
            sample(
                &mut out,
                "voucher_approvals_total",
                &[("result", result)],
                *count,
            );
        }

        family(
            &mut out,
            "voucher_http_requests_total",
            "counter",
            "HTTP requests answered, by route, method and status class.",
        );
        for ((route, method, class), count) in lock(&self.requests).iter() {
            sample(
                &mut out,
                "voucher_http_requests_total",
                &[("route", route), ("method", method), ("status", class)],
                *count,
            );
        }

        family(
            &mut out,
            "voucher_request_duration_seconds",
            "histogram",
            "Time from receiving a request to its response's head, by route.",
        );
        let durations = lock(&self.durations).clone();
        for (route, histogram) in &durations {
            histogram.render(
                &mut out,
                "voucher_request_duration_seconds",
                &[("route", route)],
            );
        }

        family(
            &mut out,
            "voucher_batch_size",
            "histogram",
            "Decision requests per transaction (one commit) of the writers.",
        );
        let batches = lock(&self.batches).clone();
        batches.render(&mut out, "voucher_batch_size", &[]);

        family(
            &mut out,
            "voucher_queue_depth",
            "gauge",
            "Decision requests waiting for a writer.",
        );
        sample(&mut out, "voucher_queue_depth", &[], queue.depth as u64);
        family(
            &mut out,
            "voucher_queue_capacity",
            "gauge",
            "Decision requests the queue holds before refusing more with 503 (--queue-depth).",
        );
        sample(
            &mut out,
            "voucher_queue_capacity",
            &[],
            queue.capacity as u64,
        );
        family(
            &mut out,
            "voucher_requests_shed_total",
            "counter",
            "Decision requests refused with 503 and Retry-After because the queue was full.",
        );
        sample(
            &mut out,
            "voucher_requests_shed_total",
            &[],
            self.shed.load(Ordering::Relaxed),
        );

        family(
            &mut out,
            "voucher_database_errors_total",
            "counter",
            "Requests that failed on the database, and audit logs cut short by it.",
        );
        sample(
            &mut out,
            "voucher_database_errors_total",
            &[],
            self.database_errors.load(Ordering::Relaxed),
        );

        family(
            &mut out,
            "voucher_policy_info",
            "gauge",
            "The policy in force: always 1, its name, version and fingerprint in the labels.",
        );
        let fingerprint = policy.fingerprint().to_string();
        sample(
            &mut out,
            "voucher_policy_info",
            &[
                ("name", policy.name()),
                ("version", policy.version()),
                ("fingerprint", &fingerprint),
            ],
            1,
        );
        out
    }
}

/// `1xx` to `5xx`.
fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The method as a label: the standard ones by name, any other as `other`, so that a client
/// cannot add series at will.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// The `# HELP` and `# TYPE` lines of a metric.
pub(crate) fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {}", escape_help(help));
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// One sample line of a whole number.
pub(crate) fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: u64) {
    out.push_str(name);
    write_labels(out, labels);
    let _ = writeln!(out, " {value}");
}

/// One sample line of a float (Rust writes it without an exponent, which the format accepts).
fn sample_f64(out: &mut String, name: &str, labels: &[(&str, &str)], value: f64) {
    out.push_str(name);
    write_labels(out, labels);
    let _ = writeln!(out, " {value}");
}

fn write_labels(out: &mut String, labels: &[(&str, &str)]) {
    if labels.is_empty() {
        return;
    }
    out.push('{');
    for (index, (name, value)) in labels.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(&escape_label(value));
        out.push('"');
    }
    out.push('}');
}

/// A label value as the format writes it: `\`, `"` and line feeds escaped.
pub fn escape_label(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push_str("\\n"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A `# HELP` text as the format writes it: `\` and line feeds escaped.
fn escape_help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

/// `GET /metrics`: the exposition of the service's counters and the policy in force.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    summary = "The service's counters, in the Prometheus text format",
    description = "Needs a key unless the service runs with `--open-metrics`.",
    responses(
        (status = 200, description = "The Prometheus text exposition format, version 0.0.4", content_type = "text/plain; version=0.0.4; charset=utf-8", body = String),
        (status = 401, response = crate::openapi::Unauthorized),
    )
)]
pub async fn get(State(state): State<Arc<AppState>>) -> Response {
    let engine = state.policy.engine();
    let queue = QueueState {
        depth: state.writer.queued(),
        capacity: state.writer.depth(),
    };
    let mut text = state.metrics.render(engine.policy(), queue);
    state.shadow.render_metrics(&mut text);
    let mut response = (StatusCode::OK, text).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(EXPOSITION));
    response
}

/// The middleware around every route: counts the request by route and status class, times it,
/// counts a database failure, and writes one log line for it (never a header: the token stays
/// out of the logs).
pub async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // The route's pattern, never the path itself: ids in paths would make a series per id.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = method_label(request.method());
    let response = next.run(request).await;
    let took = started.elapsed();
    let status = response.status();
    state.metrics.request(&route, method, status, took);
    if response.extensions().get::<DatabaseFailed>().is_some() {
        state.metrics.database_error();
    }
    let decided = response.extensions().get::<Decided>();
    tracing::info!(
        target: "voucher_service::request",
        route = %route,
        method,
        status = status.as_u16(),
        latency_ms = took.as_secs_f64() * 1000.0,
        decision_id = decided.map(|d| d.id.as_str()),
        outcome = decided.map(|d| d.outcome.as_str()),
        customer_id = decided.map(|d| d.customer_id.as_str()),
        replayed = decided.map(|d| d.replayed),
        approved = decided.and_then(|d| d.approved.as_deref()),
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape_label("one\ntwo"), "one\\ntwo");
        assert_eq!(escape_help("a\\b\nc"), "a\\\\b\\nc");
    }

    #[test]
    fn a_histogram_counts_each_observation_in_one_bucket_and_renders_cumulative() {
        let metrics = Metrics::new();
        for millis in [0, 2, 30, 7_000] {
            metrics.request(
                "/decisions",
                "POST",
                StatusCode::OK,
                Duration::from_millis(millis),
            );
        }
        let engine = voucher_policy::Engine::default();
        let text = metrics.render(engine.policy(), QueueState::default());
        assert!(text.contains(
            "voucher_request_duration_seconds_bucket{route=\"/decisions\",le=\"0.001\"} 1\n"
        ));
        assert!(text.contains(
            "voucher_request_duration_seconds_bucket{route=\"/decisions\",le=\"0.05\"} 3\n"
        ));
        assert!(text.contains(
            "voucher_request_duration_seconds_bucket{route=\"/decisions\",le=\"5\"} 3\n"
        ));
        assert!(text.contains(
            "voucher_request_duration_seconds_bucket{route=\"/decisions\",le=\"+Inf\"} 4\n"
        ));
        assert!(text.contains("voucher_request_duration_seconds_count{route=\"/decisions\"} 4\n"));
        assert!(text.contains(
            "voucher_http_requests_total{route=\"/decisions\",method=\"POST\",status=\"2xx\"} 4\n"
        ));
    }
}
