//! What the service answers when it cannot decide: a status and a JSON error naming the problem.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A request the service could not decide, answered as
/// `{"error": {"kind", "message", "field"?, "value"?}}` with a 4xx or 5xx status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    field: Option<String>,
    value: Option<String>,
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

    /// The storage failed or is out of reach: the request was not decided, and may be retried
    /// (with the same idempotency key, it is never recorded twice).
    pub fn storage(error: &crate::store::StoreError) -> Self {
        tracing::error!(%error, "storage failed");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the decision store could not be reached; nothing was recorded, retry the request",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: Detail<'a>,
        }
        #[derive(Serialize)]
        struct Detail<'a> {
            kind: &'a str,
            message: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            field: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            value: Option<&'a str>,
        }
        let body = Body {
            error: Detail {
                kind: self.kind,
                message: &self.message,
                field: self.field.as_deref(),
                value: self.value.as_deref(),
            },
        };
        (self.status, Json(body)).into_response()
    }
}
