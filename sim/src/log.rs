//! One line of a replay log: a request of the JSON wire contract, without a history, or a line
//! of the decision service's audit log, which carries that request beside its decision.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use voucher_policy::{Case, Request};

/// A request as it was decided in production: the moment of the decision and the request, with
/// no voucher history, because a replay keeps each customer's history from its own grants.
///
/// In a log it is one line of JSON: the request of the wire contract (as the `decide` example
/// reads it) without `history`. A line that carries a non-empty `history` is rejected rather
/// than silently ignored: replaying it would decide on a history the simulator did not build,
/// and ignoring it would hide that. Strip it first (`jq -c 'del(.history)' decisions.jsonl`).
/// An empty `"history": []` is accepted, since it says the same as no history.
///
/// A line of the decision service's audit log (`GET /decisions?since=..&until=..`, see
/// `examples/service`) is read as it is: `{"request": {...}, "decision": {...}}` replays the
/// request under `request` (the wire request without history, `now` included) and leaves the
/// decision production made aside, so the audit log is the what-if input without a conversion.
/// A line of an approval carries the request it approved, at the approval's moment: it replays
/// as that request decided again then.
///
/// ```
/// use voucher_policy_sim::LogEntry;
///
/// let line = r#"{"now": "2026-11-24T10:00:00+07:00",
///   "customer": {"id": "C-7", "name": "Sari", "loyalty": "silver"},
///   "order": {"id": "5120", "customer_id": "C-7", "total": "120000", "currency": "IDR",
///             "placed_at": "2026-11-24T08:00:00+07:00", "delivered_at": "2026-11-24T09:40:00+07:00"},
///   "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00"}}"#;
/// let entry = LogEntry::from_json(line.as_bytes())?;
/// assert_eq!(entry.request.customer().id(), "C-7");
/// assert!(!entry.to_json()?.contains("history"));
///
/// // The same request as the service's audit log writes it, beside its decision.
/// let audit = format!(r#"{{"request":{line},"decision":{{"outcome":"granted"}}}}"#);
/// assert_eq!(LogEntry::from_json(audit.as_bytes())?, entry);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LogEntry {
    /// The moment the request was decided.
    pub now: DateTime<FixedOffset>,
    /// The request.
    pub request: Request,
}

impl LogEntry {
    /// An entry from its parts.
    pub fn new(now: DateTime<FixedOffset>, request: Request) -> Self {
        LogEntry { now, request }
    }

    /// Reads one log line (a trailing `\n` or `\r\n` is allowed).
    pub fn from_json(line: &[u8]) -> Result<LogEntry, LogLineError> {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = std::str::from_utf8(line).map_err(|error| LogLineError {
            field: None,
            message: format!(
                "the line is not valid UTF-8 (invalid byte at column {})",
                error.valid_up_to() + 1
            ),
        })?;
        if text.trim().is_empty() {
            return Err(LogLineError {
                field: None,
                message: "the line is blank; expected one JSON request per line".to_owned(),
            });
        }
        // Reading without tracking the path is several times faster; a line that fails is read
        // again with it, for the precise message. An audit-log line fails the first reading at
        // its first key, and is then read for the request it carries.
        let case = match serde_json::from_str::<Case>(text) {
            Ok(case) => case,
            Err(_) => match serde_json::from_str::<AuditLine<'_>>(text) {
                Ok(audit) => read_case(audit.request.get(), "request")?,
                Err(_) => read_case(text, "")?,
            },
        };
        if !case.history().is_empty() {
            return Err(LogLineError {
                field: Some("history".to_owned()),
                message: format!(
                    "history: a replayed request must not carry a history ({} entries given); \
                     the simulator builds each customer's history from its own grants",
                    case.history().len()
                ),
            });
        }
        let (now, request, _) = case.into_parts();
        Ok(LogEntry { now, request })
    }

    /// The entry as one line of JSON (no line ending): the wire form without `history`.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let case = Case::new(self.now, self.request.clone(), Vec::new());
        let text = serde_json::to_string(&case)?;
        // The wire form writes `history` last; an empty one is cut off the end, which keeps the
        // other fields in their wire order. Should that ever change, the field is removed from
        // the parsed object instead (at the price of alphabetical key order).
        if let Some(line) = text.strip_suffix(r#","history":[]}"#) {
            return Ok(format!("{line}}}"));
        }
        let mut value = serde_json::to_value(&case)?;
        if let Some(object) = value.as_object_mut() {
            object.remove("history");
        }
        serde_json::to_string(&value)
    }
}

/// A line of the decision service's audit log: the request as decided, and the decision, which
/// the replay does not need (other fields, should the log gain any, are ignored).
#[derive(Deserialize)]
struct AuditLine<'a> {
    #[serde(borrow)]
    request: &'a RawValue,
    #[serde(borrow, rename = "decision")]
    _decision: &'a RawValue,
}

/// The case in `text`, or the error with the path of the field at fault, under `prefix` (the
/// key the case sits at in the line, `""` for the whole line).
fn read_case(text: &str, prefix: &str) -> Result<Case, LogLineError> {
    if let Ok(case) = serde_json::from_str::<Case>(text) {
        return Ok(case);
    }
    Case::from_json(text).map_err(|error| {
        let field = match (prefix, error.path()) {
            ("", path) => path.map(str::to_owned),
            (prefix, None) => Some(prefix.to_owned()),
            (prefix, Some(path)) => Some(format!("{prefix}.{path}")),
        };
        let message = match &field {
            Some(field) => format!("{field}: {}", error.detail()),
            None => error.detail().to_owned(),
        };
        LogLineError { field, message }
    })
}

/// A log line that is not a request the simulator can replay: not UTF-8, blank, not a readable
/// request of the wire contract, or carrying a history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct LogLineError {
    field: Option<String>,
    message: String,
}

impl LogLineError {
    /// The field at fault, as a JSON path (`order.total`), when it is known.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What is wrong, starting with the path when it is known.
    pub fn message(&self) -> &str {
        &self.message
    }
}
