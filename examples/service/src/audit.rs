//! The audit side: `GET /decisions/{id}`, one stored decision, and `GET /decisions?since&until`,
//! every decision of a period as JSON lines that the simulator replays as they are.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset};

use crate::approval::decision_id;
use crate::auth::Caller;
use crate::decisions::json_response;
use crate::error::{ApiError, ErrorBody};
use crate::metrics::Metrics;
use crate::service::AppState;
use crate::store::{LogCursor, LogRow, Store, StoreError};

/// The media type of the audit log: one JSON object per line.
pub const NDJSON: &str = "application/x-ndjson";

/// Rows read from the database at a time: each page is one short query, so a long log never
/// holds a connection (SQLite's only one, by default) while the client reads.
const PAGE: i64 = 500;

/// The stored decision `id`, exactly as it was answered: 404 when no decision has it, 400 when
/// it is not a decision id. Any API key may read.
#[utoipa::path(
    get,
    path = "/decisions/{id}",
    tag = "decisions",
    summary = "A stored decision, as it was answered",
    params(("id" = String, Path, pattern = "^[0-9a-fA-F]{32}$", description = "The decision's id: 32 hex digits")),
    responses(
        (status = 200, description = "The decision, byte for byte as it was answered", body = crate::openapi::wire::Decision),
        (status = 400, description = "`invalid_decision_id` (not 32 hex digits) or `invalid_path`", body = ErrorBody),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, description = "`not_found`: no decision has the id", body = ErrorBody),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
pub async fn get_one(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = decision_id(id)?.to_string();
    let stored = state
        .store
        .decision(&id)
        .await
        .map_err(|error| ApiError::storage(&error))?;
    match stored {
        Some(decision) => Ok(json_response(decision, false)),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no decision has the id {id}"),
        )
        .with_field("id")
        .with_value(id)),
    }
}

/// The decisions made in `[since, until)`, oldest first, streamed as JSON lines
/// `{"request": <the wire request without history>, "decision": <the decision>}`. Any API key
/// may read.
#[utoipa::path(
    get,
    path = "/decisions",
    tag = "decisions",
    summary = "The audit log of a period, as JSON lines",
    description = "Every decision decided in `[since, until)`, oldest first, one JSON object a \
        line (`application/x-ndjson`): `{\"request\": <the request as decided>, \"decision\": \
        <the decision>}`. The simulator replays it as it is.",
    params(
        ("since" = String, Query, format = DateTime, description = "The start of the period, included (RFC 3339; write a `+` as `%2B`)"),
        ("until" = String, Query, format = DateTime, description = "The end of the period, excluded (RFC 3339), not before `since`"),
    ),
    responses(
        (status = 200, description = "The log: one `LogLine` a line", content_type = "application/x-ndjson", body = crate::openapi::wire::LogLine),
        (status = 400, description = "`invalid_query`: `since` or `until` missing or not RFC 3339, `until` before `since`, or another parameter (`field` names it)", body = ErrorBody),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
pub async fn log(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
    uri: Uri,
) -> Result<Response, ApiError> {
    let (since, until) = period(uri.query().unwrap_or_default())?;
    let (since_us, until_us) = (since.timestamp_micros(), until.timestamp_micros());
    // The first page is read before answering, so that a database that fails answers 503
    // instead of a 200 cut short.
    let first = state
        .store
        .log_page(since_us, until_us, None, PAGE)
        .await
        .map_err(|error| ApiError::storage(&error))?;
    let pages = Pages {
        store: state.store.clone(),
        metrics: Arc::clone(&state.metrics),
        until_us,
        first: Some(first),
        cursor: None,
        done: false,
    };
    let stream = futures_util::stream::unfold(pages, Pages::next);
    let mut response = (StatusCode::OK, Body::from_stream(stream)).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(NDJSON));
    Ok(response)
}

/// The log read page by page as the client takes it.
struct Pages {
    store: Store,
    /// Where a failure after the answer started is counted (the status is 200 by then).
    metrics: Arc<Metrics>,
    until_us: i64,
    /// The page read before the answer started, sent first.
    first: Option<Vec<LogRow>>,
    /// The last row sent.
    cursor: Option<LogCursor>,
    done: bool,
}

impl Pages {
    /// The next page's lines, or `None` at the end. A database failure mid-way ends the body
    /// with an error, which the client sees as a cut connection, never as a complete log.
    async fn next(mut self) -> Option<(Result<Bytes, StoreError>, Pages)> {
        if self.done {
            return None;
        }
        let rows = match self.first.take() {
            Some(rows) => rows,
            None => {
                let Some(cursor) = &self.cursor else {
                    return None;
                };
                match self
                    .store
                    .log_page(cursor.0, self.until_us, Some(cursor), PAGE)
                    .await
                {
                    Ok(rows) => rows,
                    Err(error) => {
                        tracing::error!(%error, "the audit log could not be read to the end");
                        self.metrics.database_error();
                        self.done = true;
                        return Some((Err(error), self));
                    }
                }
            }
        };
        if rows.len() < usize::try_from(PAGE).unwrap_or(usize::MAX) {
            self.done = true;
        }
        let mut chunk = String::new();
        for row in rows {
            chunk.push_str("{\"request\":");
            // Every row has its request since migration 0002 (older rows are filled in on
            // start); a row without one says so rather than vanishing from the log.
            chunk.push_str(row.decided_request.as_deref().unwrap_or("null"));
            chunk.push_str(",\"decision\":");
            chunk.push_str(&row.response);
            chunk.push_str("}\n");
            self.cursor = Some((row.decided_at_us, row.customer_id, row.number));
        }
        if chunk.is_empty() {
            return None;
        }
        Some((Ok(Bytes::from(chunk)), self))
    }
}

/// `since` and `until` from the query string, both required RFC 3339 times, `until` not before
/// `since`; 400 naming the parameter otherwise.
fn period(query: &str) -> Result<(DateTime<FixedOffset>, DateTime<FixedOffset>), ApiError> {
    let mut since = None;
    let mut until = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match name.as_ref() {
            "since" => &mut since,
            "until" => &mut until,
            other => {
                return Err(bad_query(
                    other,
                    "unknown parameter; the log takes `since` and `until`",
                    None,
                ));
            }
        };
        if slot.is_some() {
            return Err(bad_query(&name, "is given twice", Some(&value)));
        }
        *slot = Some(time(&name, &value)?);
    }
    let since = since.ok_or_else(|| {
        bad_query(
            "since",
            "is required: the start of the period, an RFC 3339 time such as 2026-11-24T00:00:00Z",
            None,
        )
    })?;
    let until = until.ok_or_else(|| {
        bad_query(
            "until",
            "is required: the end of the period (excluded), an RFC 3339 time such as \
             2026-11-25T00:00:00Z",
            None,
        )
    })?;
    if until < since {
        return Err(bad_query(
            "until",
            &format!("is before since ({})", since.to_rfc3339()),
            Some(&until.to_rfc3339()),
        ));
    }
    Ok((since, until))
}

/// An RFC 3339 time. A `+` of an offset sent unescaped in a query string arrives as a space;
/// it is read as the `+` it was.
fn time(name: &str, value: &str) -> Result<DateTime<FixedOffset>, ApiError> {
    DateTime::parse_from_rfc3339(value)
        .or_else(|error| {
            if value.contains(' ') {
                DateTime::parse_from_rfc3339(&value.replace(' ', "+"))
            } else {
                Err(error)
            }
        })
        .map_err(|error| {
            bad_query(
                name,
                &format!(
                    "{value:?} is not an RFC 3339 time such as 2026-11-24T00:00:00Z or \
                     2026-11-24T07:00:00%2B07:00 ({error})"
                ),
                Some(value),
            )
        })
}

/// 400 naming the query parameter at fault.
fn bad_query(name: &str, problem: &str, value: Option<&str>) -> ApiError {
    let error = ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_query",
        format!("{name}: {problem}"),
    )
    .with_field(name);
    match value {
        Some(value) => error.with_value(value),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_needs_both_times_in_order() {
        let (since, until) =
            period("since=2026-11-24T00:00:00Z&until=2026-11-24T07:00:00%2B07:00").unwrap();
        assert_eq!(since, until);
        // An unescaped `+` arrives as a space.
        let (_, until) =
            period("since=2026-11-24T00:00:00Z&until=2026-11-25T07:00:00+07:00").unwrap();
        assert_eq!(until.to_rfc3339(), "2026-11-25T07:00:00+07:00");
        for (query, field) in [
            ("until=2026-11-24T00:00:00Z", "since"),
            ("since=2026-11-24T00:00:00Z", "until"),
            ("since=yesterday&until=2026-11-24T00:00:00Z", "since"),
            (
                "since=2026-11-24T00:00:00Z&until=2026-11-23T00:00:00Z",
                "until",
            ),
            (
                "since=2026-11-24T00:00:00Z&until=2026-11-25T00:00:00Z&from=1",
                "from",
            ),
            (
                "since=2026-11-24T00:00:00Z&since=2026-11-24T00:00:00Z",
                "since",
            ),
        ] {
            let error = period(query).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST, "{query}");
            assert_eq!(error.field(), Some(field), "{query}");
        }
    }
}
