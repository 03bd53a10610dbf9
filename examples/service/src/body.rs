//! The bodies the service reads: `POST /decisions`'s wire request without `history`, checked
//! and read into the library's [`Case`] (decided as the API key's holder), and `POST
//! /decisions/{id}/approval`'s override reason; every problem answered with the field at fault.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use voucher_policy::Case;

use crate::auth::{KeyHolder, forbidden};
use crate::error::ApiError;

/// The most a request body may weigh. A request is well under 2 KiB: anything near this is a
/// mistake, answered with 413 before it is read whole.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Where `now` comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The service's clock, always: a request giving `now` is refused. The default, because a
    /// caller that could set `now` could move every window.
    System,
    /// The request's `now` when it gives one (replays, tests), the service's clock otherwise.
    RequestMayGiveNow,
}

/// A request read from its body.
#[derive(Debug)]
pub struct Received {
    /// The case to decide. Its `now` is the request's own when it gave one, otherwise the
    /// moment the body was read, and its history is empty: the store supplies both.
    pub case: Case,
    /// Whether the request gave its own `now` (only with [`Clock::RequestMayGiveNow`]).
    pub now_given: bool,
    /// The body as canonical JSON (keys sorted, no spaces), to store with the decision and to
    /// compare when an idempotency key comes again.
    pub canonical: String,
}

/// Reads a decision request: the content type must be JSON, the body a JSON object of the wire
/// contract without `history` (the service has it) and, unless `clock` allows it, without `now`.
///
/// With a key's `holder`, the request is the holder's: its `agent` gets the holder's id and role
/// (a body that names another is refused with 403), keeping the body's `agent.granted_today`.
/// The canonical form, which an idempotency key is compared against, has them too, so a key
/// sent again by someone else is not their decision.
pub fn read(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    clock: Clock,
    now: DateTime<FixedOffset>,
    holder: Option<&KeyHolder>,
) -> Result<Received, ApiError> {
    check_content_type(headers)?;
    let body = readable(body)?;
    let value = json_of(&body)?;
    let Value::Object(mut fields) = value else {
        return Err(invalid(
            None,
            format!(
                "the body must be a JSON object (a decision request), not {}",
                kind_of(&value)
            ),
        ));
    };
    if fields.contains_key("history") {
        return Err(invalid(
            Some("history"),
            "is not accepted: the service loads the customer's voucher history from its database",
        ));
    }
    let now_given = fields.contains_key("now");
    if now_given && clock == Clock::System {
        return Err(invalid(
            Some("now"),
            "is not accepted: the service decides at the moment of the request \
             (start it with --accept-request-now to replay requests at their own moment)",
        ));
    }
    if let Some(holder) = holder {
        let agent = agent_of(holder, fields.get("agent"))?;
        fields.insert("agent".to_owned(), Value::Object(agent));
    }
    let canonical = Value::Object(fields).to_string();
    let case = to_case(&body, (!now_given).then_some(now), holder)?;
    Ok(Received {
        case,
        now_given,
        canonical,
    })
}

/// The request's `agent` as the key's holder: their id and role, and the body's
/// `granted_today` when it gives one. 403 when the body names another agent or role.
fn agent_of(holder: &KeyHolder, given: Option<&Value>) -> Result<Map<String, Value>, ApiError> {
    let mut agent = Map::new();
    match given {
        None | Some(Value::Null) => {}
        Some(Value::Object(fields)) => {
            for (name, value) in fields {
                let own = match name.as_str() {
                    "id" => &holder.id,
                    "role" => &holder.role,
                    "granted_today" => {
                        agent.insert(name.clone(), value.clone());
                        continue;
                    }
                    _ => {
                        return Err(invalid(
                            Some(&format!("agent.{name}")),
                            "unknown field; an agent has `id`, `role` and `granted_today`",
                        ));
                    }
                };
                if value.as_str() != Some(own.as_str()) {
                    return Err(forbidden(format!(
                        "agent.{name}: {value} is not the API key's {name} {own:?}; requests are \
                         decided as the key's holder (leave agent.{name} out)"
                    ))
                    .with_field(format!("agent.{name}"))
                    .with_value(value.to_string()));
                }
            }
        }
        Some(other) => {
            return Err(invalid(
                Some("agent"),
                format!("must be an object, not {}", kind_of(other)),
            ));
        }
    }
    agent.insert("id".to_owned(), Value::String(holder.id.clone()));
    agent.insert("role".to_owned(), Value::String(holder.role.clone()));
    Ok(agent)
}

/// What an approval's body says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalBody {
    /// Why a refusal is overridden; `None` to approve an escalation.
    pub override_reason: Option<String>,
    /// The approval's own moment (only with [`Clock::RequestMayGiveNow`]).
    pub now: Option<DateTime<FixedOffset>>,
    /// The body as canonical JSON, stored with the approval's decision.
    pub canonical: String,
}

/// Reads the body of `POST /decisions/{id}/approval`: `{"override_reason": null | "text"}`, or
/// no body at all (an escalation approved without comment). `now` is accepted only when
/// `clock` allows it, as for decisions.
pub fn read_approval(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    clock: Clock,
) -> Result<ApprovalBody, ApiError> {
    let body = readable(body)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ApprovalBody {
            override_reason: None,
            now: None,
            canonical: "{}".to_owned(),
        });
    }
    check_content_type(headers)?;
    let value = json_of(&body)?;
    let Value::Object(fields) = &value else {
        return Err(invalid(
            None,
            format!(
                "the body must be a JSON object (`{{\"override_reason\": null | \"text\"}}`), \
                 not {}",
                kind_of(&value)
            ),
        ));
    };
    let mut approval = ApprovalBody {
        override_reason: None,
        now: None,
        canonical: value.to_string(),
    };
    for (name, field) in fields {
        match (name.as_str(), field) {
            ("override_reason", Value::Null) => {}
            ("override_reason", Value::String(reason)) => {
                approval.override_reason = Some(reason.clone());
            }
            ("override_reason", other) => {
                return Err(invalid(
                    Some("override_reason"),
                    format!("must be a string or null, not {}", kind_of(other)),
                )
                .with_value(other.to_string()));
            }
            ("now", _) if clock == Clock::System => {
                return Err(invalid(
                    Some("now"),
                    "is not accepted: the service approves at the moment of the request \
                     (start it with --accept-request-now to replay approvals)",
                ));
            }
            ("now", Value::String(text)) => {
                let now = DateTime::parse_from_rfc3339(text).map_err(|error| {
                    invalid(
                        Some("now"),
                        format!("{text:?} is not an RFC 3339 time: {error}"),
                    )
                    .with_value(text.clone())
                })?;
                approval.now = Some(now);
            }
            ("now", other) => {
                return Err(invalid(
                    Some("now"),
                    format!("must be an RFC 3339 time, not {}", kind_of(other)),
                ));
            }
            (other, _) => {
                return Err(invalid(
                    Some(other),
                    "unknown field; an approval has only `override_reason` \
                     (the approver is the API key's holder)",
                ));
            }
        }
    }
    Ok(approval)
}

/// The body's bytes, or 413 when it is too large.
fn readable(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            )
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                format!(
                    "the request body could not be read: {}",
                    rejection.body_text()
                ),
            )
        }
    })
}

/// 415 unless the body is declared JSON (`application/json`, any parameters, or a `+json` type).
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let declared = headers
        .get(CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let is_json = declared.as_deref().is_some_and(|text| {
        let essence = text.split(';').next().unwrap_or_default().trim();
        let essence = essence.to_ascii_lowercase();
        essence == "application/json"
            || essence
                .strip_prefix("application/")
                .is_some_and(|subtype| subtype.len() > "+json".len() && subtype.ends_with("+json"))
    });
    if is_json {
        return Ok(());
    }
    let found = match declared {
        Some(text) => format!("Content-Type is {text:?}"),
        None => "there is no Content-Type".to_owned(),
    };
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!("the body must be JSON with Content-Type: application/json; {found}"),
    ))
}

/// The case in the body (a JSON object), with `now` added when the service gives it and the
/// agent set to the key's holder, and the path of any field that cannot be read. Read from the
/// body's own text, so an amount written as a number is read digit for digit.
fn to_case(
    body: &[u8],
    now: Option<DateTime<FixedOffset>>,
    holder: Option<&KeyHolder>,
) -> Result<Case, ApiError> {
    let unreadable = |error: serde_json::Error| invalid(None, error.to_string());
    let mut fields: BTreeMap<String, Box<RawValue>> =
        serde_json::from_slice(body).map_err(unreadable)?;
    if let Some(holder) = holder {
        // `agent_of` has checked the body's agent; its `granted_today` is kept as written.
        let mut agent: BTreeMap<String, Box<RawValue>> = match fields.get("agent") {
            Some(given) if given.get() != "null" => {
                serde_json::from_str(given.get()).map_err(unreadable)?
            }
            _ => BTreeMap::new(),
        };
        for (name, value) in [("id", &holder.id), ("role", &holder.role)] {
            let text = serde_json::to_string(value).map_err(unreadable)?;
            agent.insert(
                name.to_owned(),
                RawValue::from_string(text).map_err(unreadable)?,
            );
        }
        let agent = serde_json::to_string(&agent).map_err(unreadable)?;
        fields.insert(
            "agent".to_owned(),
            RawValue::from_string(agent).map_err(unreadable)?,
        );
    }
    if let Some(now) = now {
        let now = serde_json::to_string(&now.to_rfc3339()).map_err(unreadable)?;
        fields.insert(
            "now".to_owned(),
            RawValue::from_string(now).map_err(unreadable)?,
        );
    }
    let text = serde_json::to_string(&fields).map_err(unreadable)?;
    Case::from_json(&text).map_err(|error| {
        let detail = error.detail().to_owned();
        // serde names a missing field in its message, at the path of the object that lacks it:
        // name it in the path too (`order.total`, not `order`).
        let missing = detail
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        let field = match (error.path(), missing) {
            (None, None) => None,
            (None, Some(name)) => Some(name.to_owned()),
            (Some(path), Some(name)) => Some(format!("{path}.{name}")),
            (Some(path), None) => Some(path.to_owned()),
        };
        match field {
            Some(field) => invalid(Some(&field), detail),
            None => invalid(None, detail),
        }
    })
}

/// 422: the JSON is well formed but is not a decision request.
pub(crate) fn invalid(field: Option<&str>, problem: impl Into<String>) -> ApiError {
    let problem = problem.into();
    match field {
        Some(field) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
            format!("{field}: {problem}"),
        )
        .with_field(field),
        None => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", problem),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The body as JSON, or a 400 saying why it is not.
fn json_of(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid JSON: {error}"),
        )
    })
}
