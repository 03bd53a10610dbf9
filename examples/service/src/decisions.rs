//! `POST /decisions`: read the request, queue it for the decision writer, which decides it as
//! the API key's holder on the customer's history under the customer's lock and records it under
//! its id with the rest of its batch, and answer once that batch has committed.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, SubsecRound, Utc};
use serde::Serialize;
use voucher_policy::{Case, Decision, Engine, Outcome, PastVoucher, Request, RequestError};

use crate::auth::{Caller, KeyHolder, forbidden};
use crate::batch::Item;
use crate::body::{self, Received};
use crate::error::{ApiError, ErrorBody};
use crate::metrics::Decided;
use crate::service::AppState;
use crate::shadow::SameCase;
use crate::store::{Granted, Recorded, Ruling};
use crate::writer::WriteError;

/// The request header that names a request, so that sending it again replays the decision.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The response header set on a replayed decision.
pub const REPLAYED: &str = "idempotent-replayed";

/// The longest idempotency key accepted.
const MAX_KEY_LEN: usize = 255;

/// How long a request refused by a full queue is told to wait, in seconds: a full queue drains
/// well within it at any rate the store sustains.
const RETRY_AFTER_SECONDS: u32 = 1;

/// Decides a request: 200 with the decision (granted, refused or escalated alike), or a 4xx/5xx
/// JSON error naming the problem. With API keys, the request is decided as the key's holder:
/// its `agent` is the holder's id and role (403 for a role the policy does not know).
#[utoipa::path(
    post,
    path = "/decisions",
    tag = "decisions",
    summary = "Decide a request as the API key's holder, and record it",
    description = "The body is the library's JSON wire request without `history` (the service \
        loads it) and without `now` (the service's clock decides). The answer is `200` with the \
        decision whatever its outcome; a granted voucher is on disk before the answer is sent.",
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Names the request (1 to 255 visible ASCII characters): sent again, the stored decision is answered, byte for byte"),
    ),
    request_body(content = crate::openapi::wire::DecisionRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The decision (granted, refused or escalated alike)", body = crate::openapi::wire::Decision,
            headers(("Idempotent-Replayed" = String, description = "`true` when the decision was answered from the store"))),
        (status = 400, description = "`malformed_json` (the body is not JSON), `invalid_idempotency_key` or `unreadable_body`", body = ErrorBody),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, description = "`forbidden`: the key's role is not one of the policy's, or the body names another agent (`agent.id`, `agent.role`)", body = ErrorBody),
        (status = 413, description = "`body_too_large`: the body is over 64 KiB", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body is not declared `application/json`", body = ErrorBody),
        (status = 422, description = "`invalid_request` (JSON, but not a request: `field` names the path), `undecidable_request` (the library cannot decide it: `field` and `value` name it) or `idempotency_key_reused`", body = ErrorBody),
        (status = 503, description = "`storage_unavailable` (the database failed), `overloaded` (the decision queue is full: retry after `Retry-After`) or `stopping` (the service is stopping); nothing was recorded, retry with the same Idempotency-Key", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying, with `overloaded` and `stopping`"))),
    )
)]
pub async fn post(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    // The engine in force when the request came: a reload from here on does not change it.
    let engine = state.policy.engine();
    let shadow = state.shadow.engine();
    let holder = match &caller {
        Caller::Key(holder) => {
            may_decide(&engine, holder)?;
            Some(holder)
        }
        Caller::Anonymous => None,
    };
    let key = idempotency_key(&headers)?;
    // Whole seconds: a decision's times read as people write them.
    let clock_now = Utc::now()
        .trunc_subsecs(0)
        .with_timezone(&engine.policy().local_offset());
    let Received {
        case,
        now_given,
        canonical,
    } = body::read(&headers, body, state.clock, clock_now, holder)?;
    let case = Arc::new(case);
    // The case as the live decision saw it, for the shadow policy to decide again; set by the
    // writer each time it decides the request, read once the answer has come.
    let same_case: Arc<Mutex<Option<SameCase>>> = Arc::default();
    let item = Item {
        customer_id: case.request().customer().id().as_str().to_owned(),
        idempotency_key: key,
        request: canonical,
        decide: {
            let (case, same_case, shadowed) =
                (Arc::clone(&case), Arc::clone(&same_case), shadow.is_some());
            Box::new(move |history| {
                let snapshot = shadowed.then(|| history.clone());
                let ruling = decide(&engine, &case, now_given, history)?;
                *lock(&same_case) = snapshot.map(|history| SameCase {
                    history,
                    now: ruling.decided_at,
                });
                Ok(ruling)
            })
        },
    };
    let recorded = state.writer.decide(item).await.map_err(not_written)?;
    match recorded {
        // Counted only now that the store has committed it.
        Recorded::Decided(ruling) => {
            state.metrics.decided(ruling.outcome, &ruling.reasons);
            let seen = lock(&same_case).take();
            if let (Some(shadow), Some(same_case)) = (&shadow, &seen) {
                state.shadow.compare(
                    shadow,
                    case.request(),
                    same_case,
                    &ruling.response,
                    &state.store,
                );
            }
            Ok(decided_response(ruling.response, false, None))
        }
        // A replay is the decision made before: counted apart, never as a second decision.
        Recorded::Replayed(decision) => {
            state.metrics.replayed();
            Ok(decided_response(decision, true, None))
        }
        Recorded::KeyReused => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request; \
             use a new key for a new request",
        )
        .with_field("Idempotency-Key")),
        Recorded::Rejected(error) => Err(error),
    }
}

/// Locks the shadow's copy of the case; a panic elsewhere while holding it leaves a whole case.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// 503 for a request the writer did not decide: at once with `Retry-After` when the queue is
/// full or the service is stopping, or after the store failed.
fn not_written(error: WriteError) -> ApiError {
    match error {
        WriteError::Full => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "too many decisions are waiting to be recorded; nothing was recorded, retry after \
             the Retry-After delay",
        )
        .with_retry_after(RETRY_AFTER_SECONDS),
        WriteError::Stopped => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "stopping",
            "the service is stopping; nothing was recorded, retry the request",
        )
        .with_retry_after(RETRY_AFTER_SECONDS),
        WriteError::Store(error) => ApiError::storage(&error),
        WriteError::Unanswered => ApiError::storage(&crate::store::StoreError::Unanswered),
    }
}

/// 403 unless the holder's role is one of the policy's: a key of another role (an auditor's)
/// may read the decisions but not make them.
fn may_decide(engine: &Engine, holder: &KeyHolder) -> Result<(), ApiError> {
    if engine
        .markets()
        .any(|(_, policy)| policy.role(&holder.role).is_some())
    {
        return Ok(());
    }
    let known: Vec<&str> = engine
        .policy()
        .roles()
        .iter()
        .map(|role| role.name.as_str())
        .collect();
    Err(forbidden(format!(
        "the API key of {:?} has the role {:?}, which is not one of the policy's roles ({}): \
         it may read decisions but not make them",
        holder.id,
        holder.role,
        known.join(", ")
    ))
    .with_field("role")
    .with_value(holder.role.clone()))
}

/// Decides the case on its history, returning what to record.
/// Without a `now` of its own, the request is decided at the
/// service's clock, but never before the customer's latest voucher: instances whose clocks
/// differ by a little still measure every window forward.
fn decide(
    engine: &Engine,
    case: &Case,
    now_given: bool,
    history: Vec<PastVoucher>,
) -> Result<Ruling, ApiError> {
    let now = if now_given {
        case.now()
    } else {
        let offset = *case.now().offset();
        let latest = history.iter().map(|voucher| voucher.granted_at()).max();
        latest.map_or(case.now(), |latest| {
            case.now().max(latest.with_timezone(&offset))
        })
    };
    let decision = engine
        .decide(case.request(), &history, now)
        .map_err(|error| undecidable(&error))?;
    recorded(&decision, case.request(), now)
}

/// What the store records of a decision made on `request` at `now`, by deciding or approving.
pub(crate) fn recorded(
    decision: &Decision,
    request: &Request,
    now: DateTime<FixedOffset>,
) -> Result<Ruling, ApiError> {
    let response = serde_json::to_string(decision).map_err(|error| unwritable(&error))?;
    let decided_request =
        serde_json::to_string(&WireRequest { now, request }).map_err(|error| unwritable(&error))?;
    let voucher = match (decision.outcome(), decision.voucher()) {
        (Outcome::Granted, Some(voucher)) => Some(Granted {
            amount: voucher.amount(),
            currency: voucher.currency(),
            severity: decision.verdict().facts().severity,
            valid_until: voucher.valid_until(),
        }),
        _ => None,
    };
    Ok(Ruling {
        id: decision.id().to_string(),
        order_id: request.order().id().to_string(),
        outcome: decision.outcome().as_str(),
        decided_at: now,
        response,
        decided_request,
        reasons: decision
            .reasons()
            .iter()
            .map(|reason| reason.as_str())
            .collect(),
        voucher,
    })
}

/// The request as the wire case writes it, without history: `now`, then the request's fields.
/// What the audit log gives the simulator, and what an approval decides again.
#[derive(Serialize)]
struct WireRequest<'a> {
    now: DateTime<FixedOffset>,
    #[serde(flatten)]
    request: &'a Request,
}

/// 500: a decision or request that does not write as JSON (the library's types always do).
fn unwritable(error: &serde_json::Error) -> ApiError {
    tracing::error!(%error, "a decision did not serialize");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the decision could not be written as JSON",
    )
}

/// 422 for a request the library cannot decide, naming the field and the value.
pub(crate) fn undecidable(error: &RequestError) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "undecidable_request",
        error.to_string(),
    )
    .with_field(error.field())
    .with_value(error.value())
}

/// The `Idempotency-Key` header: 1 to 255 visible ASCII characters, when given.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let bad = |problem: &str| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_idempotency_key",
            format!("Idempotency-Key: {problem}"),
        )
        .with_field("Idempotency-Key")
        .with_value(String::from_utf8_lossy(value.as_bytes()))
    };
    let key = value
        .to_str()
        .map_err(|_| bad("must be visible ASCII characters"))?;
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(bad("must be 1 to 255 characters long"));
    }
    if !key.bytes().all(|byte| byte.is_ascii_graphic()) {
        return Err(bad("must be visible ASCII characters, without spaces"));
    }
    Ok(Some(key.to_owned()))
}

/// 200 with a decision's JSON, its id, outcome and customer (and, for an approval, the id
/// approved) left in the response for the request log.
pub(crate) fn decided_response(
    decision: String,
    replayed: bool,
    approved: Option<String>,
) -> Response {
    let summary = Decided::of_json(&decision, replayed);
    let mut response = json_response(decision, replayed);
    if let Some(mut summary) = summary {
        summary.approved = approved;
        response.extensions_mut().insert(summary);
    }
    response
}

/// 200 with a decision's JSON, marked when it is a replay.
pub(crate) fn json_response(decision: String, replayed: bool) -> Response {
    let mut response = (StatusCode::OK, Body::from(decision)).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if replayed {
        headers.insert(REPLAYED, HeaderValue::from_static("true"));
    }
    response
}
