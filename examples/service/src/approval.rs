//! `POST /decisions/{id}/approval`: a supervisor approves a pending decision (an escalation, or
//! a refusal they override with a reason). The request is decided again at the moment of
//! approval, on the history as it is then, under the customer's lock; the approval is recorded
//! once, whoever tries again.

use std::str::FromStr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, FixedOffset, SubsecRound, Utc};
use voucher_policy::{
    Agent, AgentId, Approval, ApprovalError, Case, Decision, DecisionId, Engine, RoleName,
};

use crate::auth::{Caller, KeyHolder, forbidden};
use crate::body::{self, ApprovalBody};
use crate::decisions::{decided_response, recorded, undecidable};
use crate::error::{ApiError, ErrorBody};
use crate::metrics::Decided;
use crate::service::AppState;
use crate::store::{ApprovalTicket, Approving, Pending, Ruling};

/// Approves the decision `id` as the API key's holder: 200 with the approval's decision; 409
/// with the first approval's decision beside the error when it was approved before; 403 for a
/// role that does not approve; 404 for an unknown id; 422 when the library refuses the approval
/// (a grant has nothing to approve; overriding a refusal needs a reason).
#[utoipa::path(
    post,
    path = "/decisions/{id}/approval",
    tag = "decisions",
    summary = "Approve a pending decision (an escalation, or a refusal overridden), once",
    description = "The request approved is decided again by the API key's holder, on the \
        history as it is now, and recorded with the approval. The body may be empty (the same \
        as `{\"override_reason\": null}`).",
    params(("id" = String, Path, pattern = "^[0-9a-fA-F]{32}$", description = "The id of the decision to approve: 32 hex digits")),
    request_body(content = Option<crate::openapi::wire::ApprovalRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "The approval's decision, with `approval` set", body = crate::openapi::wire::Decision),
        (status = 400, description = "`invalid_decision_id`, `invalid_path`, `malformed_json` or `unreadable_body`", body = ErrorBody),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, description = "`forbidden`: the key's role does not approve (or the service runs with `--no-auth`)", body = ErrorBody),
        (status = 404, description = "`not_found`: no decision has the id", body = ErrorBody),
        (status = 409, description = "`already_approved`: the first approval's decision is in `decision`", body = ErrorBody),
        (status = 413, description = "`body_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: a body not declared `application/json`", body = ErrorBody),
        (status = 422, description = "`invalid_request`, `nothing_to_approve`, `override_reason_required`, `undecidable_request` or `approval_refused`", body = ErrorBody),
        (status = 500, description = "`stored_decision_unreadable`: the stored decision or its request no longer reads back; nothing was approved", body = ErrorBody),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
pub async fn post(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Caller::Key(holder) = caller else {
        return Err(forbidden(
            "approving needs an API key: the approver is the key's holder, and this service \
             runs with --no-auth",
        )
        .with_field("Authorization"));
    };
    // The engine in force when the approval came: a reload from here on does not change it.
    let engine = state.policy.engine();
    may_approve(&engine, &holder)?;
    let id = decision_id(id)?;
    let approval = body::read_approval(&headers, body, state.clock)?;
    let offset = engine.policy().local_offset();
    // Whole seconds, in the policy's offset, as decisions are.
    let clock_now = approval
        .now
        .unwrap_or_else(|| Utc::now().trunc_subsecs(0).with_timezone(&offset));
    let id_text = id.to_string();
    let ticket = ApprovalTicket {
        approved_id: &id_text,
        approver_id: &holder.id,
        approver_role: &holder.role,
        request: &approval.canonical,
        day_us: day_of(clock_now),
    };
    let approved = state
        .store
        .approve(ticket, |pending| {
            approve(&engine, &holder, &approval, clock_now, pending)
        })
        .await
        .map_err(|error| ApiError::storage(&error))?;
    let result = match &approved {
        Approving::Approved(decision) => Decided::of_json(decision, false)
            .map_or("approved", |summary| outcome_label(&summary.outcome)),
        Approving::AlreadyApproved(_) => "already_approved",
        Approving::NotFound => "not_found",
        Approving::Rejected(_) => "rejected",
    };
    state.metrics.approval(result);
    match approved {
        Approving::Approved(decision) => Ok(decided_response(decision, false, Some(id_text))),
        Approving::AlreadyApproved(decision) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_approved",
            format!(
                "decision {id} was already approved; a decision is approved once, and the \
                 approval's decision is in `decision`"
            ),
        )
        .with_field("id")
        .with_value(id_text)
        .with_decision(decision)),
        Approving::NotFound => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no decision has the id {id}"),
        )
        .with_field("id")
        .with_value(id_text)),
        Approving::Rejected(error) => Err(error),
    }
}

/// The approval's outcome as a metric label, from the few the library has (any other would be
/// a new outcome of the library, counted under one label rather than as a series per value).
fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "granted" => "granted",
        "refused" => "refused",
        "escalated" => "escalated",
        _ => "approved",
    }
}

/// The id in the path, or 400 naming it.
pub(crate) fn decision_id(id: Result<Path<String>, PathRejection>) -> Result<DecisionId, ApiError> {
    let Path(text) = id.map_err(|rejection| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            format!(
                "the decision id in the path cannot be read: {}",
                rejection.body_text()
            ),
        )
    })?;
    DecisionId::from_str(&text).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_decision_id",
            format!("id: {error}"),
        )
        .with_field("id")
        .with_value(text)
    })
}

/// 403 unless the holder's role approves in the policy: an agent may not approve.
fn may_approve(engine: &Engine, holder: &KeyHolder) -> Result<(), ApiError> {
    let approves = engine
        .markets()
        .any(|(_, policy)| policy.role(&holder.role).is_some_and(|role| role.approves));
    if approves {
        return Ok(());
    }
    let approvers: Vec<&str> = engine
        .policy()
        .roles()
        .iter()
        .filter(|role| role.approves)
        .map(|role| role.name.as_str())
        .collect();
    Err(forbidden(format!(
        "the API key of {:?} has the role {:?}, which may not approve (the policy's roles that \
         approve: {})",
        holder.id,
        holder.role,
        approvers.join(", ")
    ))
    .with_field("role")
    .with_value(holder.role.clone()))
}

/// The day `now` falls in, in its own offset (the policy's): `[midnight, next midnight)` in
/// microseconds since the epoch, the day an approver's `granted_today` counts.
fn day_of(now: DateTime<FixedOffset>) -> (i64, i64) {
    let start = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.and_local_timezone(*now.offset()).single())
        .unwrap_or(now);
    let end = start + Duration::days(1);
    (start.timestamp_micros(), end.timestamp_micros())
}

/// Approves the pending decision: its request decided again by the holder, at the service's
/// moment but never before the decision approved or the customer's latest voucher, so every
/// window is measured forward.
fn approve(
    engine: &Engine,
    holder: &KeyHolder,
    body: &ApprovalBody,
    clock_now: DateTime<FixedOffset>,
    pending: Pending,
) -> Result<Ruling, ApiError> {
    let decision = Decision::from_json(&pending.decision)
        .map_err(|error| unreadable("decision", &error.to_string()))?;
    let case = Case::from_json(&pending.request)
        .map_err(|error| unreadable("request", &error.message()))?;
    let now = if body.now.is_some() {
        clock_now
    } else {
        let offset = *clock_now.offset();
        pending
            .history
            .iter()
            .map(|voucher| voucher.granted_at())
            .chain([decision.decided_at()])
            .map(|at| at.with_timezone(&offset))
            .fold(clock_now, DateTime::max)
    };
    let approver = Agent::new(AgentId::new(holder.id.clone()))
        .with_role(RoleName::new(holder.role.clone()))
        .with_granted_today(pending.granted_today);
    let mut approval = Approval::of(&decision, approver);
    if let Some(reason) = &body.override_reason {
        approval = approval.with_override_reason(reason.clone());
    }
    let approved = engine
        .approve(case.request(), &pending.history, &approval, now)
        .map_err(|error| refused(&error))?;
    recorded(&approved, case.request(), now)
}

/// The answer to an approval the library refuses: 403 for the approver's role, 422 otherwise,
/// naming the field.
fn refused(error: &ApprovalError) -> ApiError {
    let unprocessable = |kind, field: &str| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, error.to_string()).with_field(field)
    };
    match error {
        _ if error.is_forbidden() => forbidden(error.to_string()).with_field("role"),
        ApprovalError::Request(error) => undecidable(error),
        ApprovalError::NothingToApprove { id } => {
            unprocessable("nothing_to_approve", "id").with_value(id.to_string())
        }
        ApprovalError::ReasonRequired { .. } => {
            unprocessable("override_reason_required", "override_reason")
        }
        ApprovalError::BlankReason { given } => {
            unprocessable("override_reason_required", "override_reason").with_value(given.clone())
        }
        ApprovalError::AnotherRequest { field, given, .. } => {
            unprocessable("approval_refused", field).with_value(given.clone())
        }
        // The library may add reasons; each names its field at the start of its text.
        other => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "approval_refused",
            other.to_string(),
        ),
    }
}

/// 500: a stored decision or request that no longer reads (damaged, or written by something
/// else): nothing is approved.
fn unreadable(what: &str, problem: &str) -> ApiError {
    tracing::error!(what, problem, "a stored decision does not read back");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "stored_decision_unreadable",
        format!("the stored {what} of this decision does not read back: {problem}"),
    )
}
