//! What the service answers when it cannot decide: a status and a JSON error naming the problem.

use axum::Json;
use axum::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::metrics::DatabaseFailed;

/// The kind of the error answered when the database fails.
const STORAGE_UNAVAILABLE: &str = "storage_unavailable";

/// A request the service could not decide, answered as
/// `{"error": {"kind", "message", "field"?, "value"?}}` with a 4xx or 5xx status (and, for a
/// decision already made, `"decision"` beside `"error"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    field: Option<String>,
    value: Option<String>,
    /// What few errors carry, boxed so that every `Result<_, ApiError>` stays small.
    extra: Option<Box<Extra>>,
}

/// The parts of an error most errors do not have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Extra {
    /// The `WWW-Authenticate` challenge of a 401.
    challenge: Option<&'static str>,
    /// A stored decision's JSON, answered beside the error (the first approval, to a second).
    decision: Option<String>,
    /// The `Retry-After` of a 503, in seconds.
    retry_after: Option<u32>,
}

impl ApiError {
    /// An error of `kind` with `status` and a message for the caller.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            field: None,
            value: None,
            extra: None,
        }
    }

    /// The same error, naming the field at fault (a path such as `order.total`).
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same error, quoting the offending value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// The same error, with the `WWW-Authenticate` challenge a 401 must carry.
    pub fn with_challenge(mut self, challenge: &'static str) -> Self {
        self.extra.get_or_insert_default().challenge = Some(challenge);
        self
    }

    /// The same error, telling the caller to retry after `seconds` (`Retry-After`).
    pub fn with_retry_after(mut self, seconds: u32) -> Self {
        self.extra.get_or_insert_default().retry_after = Some(seconds);
        self
    }

    /// The same error, with a stored decision's JSON beside it.
    pub fn with_decision(mut self, decision: impl Into<String>) -> Self {
        self.extra.get_or_insert_default().decision = Some(decision.into());
        self
    }

    /// The storage failed or is out of reach: the request was not decided, and may be retried
    /// (with the same idempotency key, it is never recorded twice).
    pub fn storage(error: &crate::store::StoreError) -> Self {
        tracing::error!(%error, "storage failed");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            STORAGE_UNAVAILABLE,
            "the decision store could not be reached; nothing was recorded, retry the request",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The field at fault, when the error names one.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
}

/// The JSON body of every error: `{"error": {...}}`, with the decision beside it for
/// `409 already_approved`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody<'a> {
    /// What went wrong.
    error: ErrorDetail<'a>,
    /// The first approval's decision, beside `409 already_approved`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::openapi::wire::Decision>)]
    decision: Option<&'a RawValue>,
}

/// What went wrong, and where.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail<'a> {
    /// A stable, machine-readable kind (`invalid_request`, `not_found`, ...).
    #[schema(example = "invalid_request")]
    kind: &'a str,
    /// For people: what is wrong and how to fix it.
    message: &'a str,
    /// The field at fault: a path such as `order.total`, a header, or a query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    /// The offending value.
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The decision was stored by the service as JSON; should it ever not read, the error
        // is still answered, without it.
        let extra = self.extra.as_deref();
        let decision = extra
            .and_then(|extra| extra.decision.as_deref())
            .and_then(|text| serde_json::from_str::<&RawValue>(text).ok());
        let body = ErrorBody {
            error: ErrorDetail {
                kind: self.kind,
                message: &self.message,
                field: self.field.as_deref(),
                value: self.value.as_deref(),
            },
            decision,
        };
        let mut response = (self.status, Json(body)).into_response();
        // Marked for the metrics layer, which counts database failures without every handler
        // having to.
        if self.kind == STORAGE_UNAVAILABLE {
            response.extensions_mut().insert(DatabaseFailed);
        }
        if let Some(challenge) = extra.and_then(|extra| extra.challenge) {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        if let Some(seconds) = extra.and_then(|extra| extra.retry_after) {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
