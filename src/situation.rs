//! What the checks look at: the request validated against the policy, with its history
//! measured through the policy's windows.

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;

use crate::decision::Placement;
use crate::error::Problem;
use crate::facts::{ClaimStart, SeveritySource};
use crate::history::HistoryMeasures;
use crate::policy::{CategoryMoney, Prepared, TierMoney};
use crate::time::{Direction, Span, elapsed, moved};
use crate::{
    Agent, Category, EscalationTarget, Evidence, Policy, Reasons, Request, RequestError, Severity,
    Tier, Voucher, Window,
};

/// A request ready to be checked: valid, placed in the policy, its history measured.
///
/// Building one is the only step of a decision that can fail; every check after it cannot.
pub(crate) struct Situation<'a> {
    pub policy: &'a Policy,
    pub request: &'a Request,
    pub tier: &'a Tier,
    /// The complaint's category, when the policy lists it.
    pub category: Option<&'a Category>,
    pub severity: Severity,
    pub severity_from: SeveritySource,
    pub claim_start: ClaimStart,
    /// The claim window: the category's own, or the policy's.
    pub claim_window: Window,
    pub claim_elapsed_seconds: i64,
    pub claim_expired: bool,
    /// When the evidence came, for a category with a deadline for it.
    pub evidence_timing: Option<EvidenceTiming>,
    /// How old the customer's account is, when the request says when it was made.
    pub account_age: Option<TimeDelta>,
    /// The account is younger than the policy's young-account age.
    pub young: bool,
    /// Who the customer's lists hand every request to, the most serious first.
    pub listed_to: Option<EscalationTarget>,
    /// The refusals the customer's lists waive.
    pub waived: Reasons,
    /// The moment of the decision.
    pub now: DateTime<FixedOffset>,
    pub valid_until: DateTime<FixedOffset>,
    pub history: &'a HistoryMeasures,
    /// The tier's amounts and limits in the policy's units.
    pub tier_money: &'a TierMoney,
    /// The category's own amounts, if it has any.
    pub category_money: CategoryMoney,
    /// The order total, in the policy's units.
    pub total: u64,
    /// The amount asked for, in the policy's units.
    pub requested: Option<u64>,
    /// What is left of the tier's value limits (the least of them), in the policy's units; zero
    /// when one is used up.
    pub value_left: u64,
    pub placement: Option<Placement>,
    /// What the engine worked out from the policy in advance.
    pub prepared: &'a Prepared,
    /// Who decides, and what they may grant.
    pub acting: Acting,
}

/// Who a decision is made by: the request's agent, or someone approving an earlier decision.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Deciding<'a> {
    /// The agent the request names (the role `agent` when it names none).
    AsRequested,
    /// `by` approves: escalations to their role are theirs to settle, and `overrides` sets
    /// aside the refusals an approver may set aside.
    Approval { by: &'a Agent, overrides: bool },
}

/// What the person deciding may do, in the policy's units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Acting {
    /// The largest voucher they may grant.
    pub authority: u64,
    /// What is left of their day's budget; `None` when their role has none.
    pub budget_left: Option<u64>,
    /// The escalation targets this decision settles itself (an approval).
    pub handles: Targets,
    /// Refusals an approver may set aside are set aside (an override, with its reason).
    pub overrides: bool,
}

/// A set of escalation targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Targets(u8);

impl Targets {
    fn with(self, target: EscalationTarget) -> Targets {
        Targets(self.0 | Targets::bit(target))
    }

    pub fn contains(self, target: EscalationTarget) -> bool {
        self.0 & Targets::bit(target) != 0
    }

    fn bit(target: EscalationTarget) -> u8 {
        match target {
            EscalationTarget::Supervisor => 1,
            EscalationTarget::Legal => 2,
            EscalationTarget::Security => 4,
        }
    }
}

impl Acting {
    /// What `deciding` may do under `policy`.
    #[inline(always)]
    fn of(
        policy: &Policy,
        prepared: &Prepared,
        request: &Request,
        deciding: Deciding<'_>,
    ) -> Result<Acting, RequestError> {
        let (agent, field, approval, overrides) = match deciding {
            Deciding::AsRequested => (request.agent.as_ref(), &AGENT_FIELDS, false, false),
            Deciding::Approval { by, overrides } => (Some(by), &APPROVER_FIELDS, true, overrides),
        };
        let Some(agent) = agent else {
            // The common case: the role `agent`, first of the policy's roles, nothing granted.
            let money = prepared.money.roles.first();
            return Ok(Acting {
                authority: money.map_or(0, |money| money.authority),
                budget_left: money.and_then(|money| money.daily_budget),
                handles: Targets::default(),
                overrides: false,
            });
        };
        agent_fields(field, agent)?;
        let position = policy
            .roles()
            .iter()
            .position(|role| role.name == agent.role.as_str())
            .ok_or_else(|| unknown_role(policy, field, agent))?;
        let (Some(role), Some(money)) = (
            policy.roles().get(position),
            prepared.money.roles.get(position),
        ) else {
            return Err(unknown_role(policy, field, agent));
        };
        let granted = granted_today(policy, prepared, field, agent)?;
        let mut handles = Targets::default();
        if approval && role.approves {
            // Whoever approves is at least a supervisor; legal and security cases are settled
            // only by the role of that name.
            handles = handles.with(EscalationTarget::Supervisor);
            for target in [EscalationTarget::Legal, EscalationTarget::Security] {
                if role.name == target.as_str() {
                    handles = handles.with(target);
                }
            }
        }
        Ok(Acting {
            authority: money.authority,
            budget_left: money
                .daily_budget
                .map(|budget| budget.saturating_sub(granted)),
            handles,
            overrides: overrides && role.approves,
        })
    }
}

/// The paths an error names: the request's `agent`, or the `approver`.
struct AgentFields {
    id: &'static str,
    role: &'static str,
    granted_today: &'static str,
}

const AGENT_FIELDS: AgentFields = AgentFields {
    id: "agent.id",
    role: "agent.role",
    granted_today: "agent.granted_today",
};

const APPROVER_FIELDS: AgentFields = AgentFields {
    id: "approver.id",
    role: "approver.role",
    granted_today: "approver.granted_today",
};

/// The agent's id and role are not blank.
fn agent_fields(field: &AgentFields, agent: &Agent) -> Result<(), RequestError> {
    check_text(field.id, agent.id.as_str())?;
    check_text(field.role, agent.role.as_str())
}

/// What the agent granted today, in the policy's units: zero, or an amount of its currency.
fn granted_today(
    policy: &Policy,
    prepared: &Prepared,
    field: &AgentFields,
    agent: &Agent,
) -> Result<u64, RequestError> {
    if agent.granted_today.is_zero() {
        return Ok(0);
    }
    prepared
        .money
        .units
        .of(&agent.granted_today)
        .map_err(|fault| {
            invalid_amount(
                policy,
                prepared,
                field.granted_today,
                &agent.granted_today,
                fault,
            )
        })
}

#[cold]
#[inline(never)]
fn unknown_role(policy: &Policy, field: &AgentFields, agent: &Agent) -> RequestError {
    RequestError::new(
        field.role,
        agent.role.as_str(),
        Problem::UnknownRole {
            known: policy
                .roles()
                .iter()
                .map(|role| role.name.clone())
                .collect(),
        },
    )
}

/// When a complaint's evidence came, measured against its category's deadline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EvidenceTiming {
    /// The category's deadline, after the claim's start.
    pub within: Window,
    /// How long after the claim's start the evidence came.
    pub elapsed: TimeDelta,
}

impl EvidenceTiming {
    /// The evidence came after the deadline.
    pub fn late(&self) -> bool {
        self.elapsed > self.within.as_delta()
    }
}

impl<'a> Situation<'a> {
    /// Validates the request against the policy at `now`, with its history as measured
    /// (`HistoryMeasures::of`); `prepared` is [`Prepared::of`] the policy. A request's own errors
    /// are reported before its history's.
    #[inline(always)]
    pub fn new(
        policy: &'a Policy,
        prepared: &'a Prepared,
        request: &'a Request,
        history: Result<&'a HistoryMeasures, &RequestError>,
        now: DateTime<FixedOffset>,
        deciding: Deciding<'_>,
    ) -> Result<Self, RequestError> {
        check_text("customer.id", request.customer.id.as_str())?;
        if let Some(name) = &request.customer.name {
            check_text("customer.name", name)?;
        }
        check_text("order.id", request.order.id.as_str())?;
        check_text("order.customer_id", request.order.customer_id.as_str())?;
        let loyalty = request.customer.loyalty.as_str();
        let (tier_position, tier) = policy
            .find_tier(loyalty)
            .ok_or_else(|| unknown_tier(policy, loyalty))?;
        let category_name = request.complaint.category.as_str();
        let known_category = policy.find_category(category_name);
        // A category the policy names is one of its own names, which are checked when it loads.
        if known_category.is_none() {
            check_text("complaint.category", category_name)?;
        }
        let (severity, severity_from) = match request.complaint.severity {
            Some(severity) => (severity, SeveritySource::Explicit),
            None => match known_category {
                Some((_, known)) => (known.severity, SeveritySource::Category),
                None => return Err(unknown_category(policy, category_name)),
            },
        };
        let order = &request.order;
        check_currency(policy, "order.currency", order.currency)?;
        // Both are rounded down to the step; below one step, nothing would be left to grant.
        let total = amount_of(policy, prepared, "order.total", &order.total)?;
        let requested = match &request.requested_amount {
            Some(requested) => Some(amount_of(policy, prepared, "requested_amount", requested)?),
            None => None,
        };
        check_not_after_now("order.placed_at", order.placed_at, now)?;
        if let Some(delivered_at) = order.delivered_at {
            check_not_after_now("order.delivered_at", delivered_at, now)?;
            check_not_before(
                "order.delivered_at",
                delivered_at,
                "order.placed_at",
                order.placed_at,
            )?;
        }
        let reported_at = request.complaint.reported_at;
        check_not_after_now("complaint.reported_at", reported_at, now)?;
        check_not_before(
            "complaint.reported_at",
            reported_at,
            "order.placed_at",
            order.placed_at,
        )?;
        let windows = &prepared.windows;
        let valid_until = moved(now.naive_utc(), windows.validity, Direction::Later)
            .map(|at| DateTime::from_naive_utc_and_offset(at, policy.local_offset()))
            .ok_or_else(|| RequestError::new("now", now.to_rfc3339(), Problem::TooLate))?;

        let (claim_start, started_at) = match order.delivered_at {
            Some(delivered_at) => (ClaimStart::Delivery, delivered_at),
            None => (ClaimStart::Placement, order.placed_at),
        };
        let claim_elapsed = elapsed(reported_at, started_at);
        let category = known_category.map(|(_, category)| category);
        let claim_window = category
            .and_then(|category| category.claim_window)
            .unwrap_or(policy.claim_window());
        let complaint = &request.complaint;
        if let Some(evidence_at) = complaint.evidence_at {
            check_not_after_now("complaint.evidence_at", evidence_at, now)?;
        }
        // Evidence counts only when it came within the category's deadline after the claim's
        // start; the deadline needs to know when it came.
        let deadline = category.and_then(|category| Some((category, category.evidence_within?)));
        let evidence_timing = match (deadline, complaint.evidence_at) {
            _ if complaint.evidence == Evidence::None => None,
            (Some((_, within)), Some(at)) => Some(EvidenceTiming {
                within,
                elapsed: elapsed(at, started_at),
            }),
            (Some((category, within)), None) => {
                return Err(evidence_time_missing(category, within));
            }
            (None, _) => None,
        };
        let account_age = match request.customer.since {
            Some(since) => {
                check_not_after_now("customer.since", since, now)?;
                Some(elapsed(now, since))
            }
            None => None,
        };
        let young = match (policy.young_accounts(), account_age) {
            (Some(young), Some(age)) => age < young.younger_than.as_delta(),
            _ => false,
        };
        let (listed_to, waived) = lists_of(policy, &request.customer.lists)?;
        let acting = Acting::of(policy, prepared, request, deciding)?;
        // The history's own errors come after the request's.
        let history = history.map_err(RequestError::clone)?;
        let tier_money = prepared.money.tier(tier_position);
        let value_left = tier_money
            .value_limits()
            .iter()
            .map(|(position, limit)| {
                u128::from(*limit)
                    .saturating_sub(history.value_in(*position))
                    .try_into()
                    .unwrap_or(0)
            })
            .min()
            .unwrap_or(0);

        Ok(Situation {
            policy,
            request,
            tier,
            category,
            severity,
            severity_from,
            claim_start,
            claim_window,
            claim_elapsed_seconds: claim_elapsed.num_seconds(),
            claim_expired: claim_elapsed > claim_window.as_delta(),
            evidence_timing,
            account_age,
            young,
            listed_to,
            waived,
            now,
            valid_until,
            placement: Placement::of(tier_position, known_category.map(|(position, _)| position)),
            prepared,
            tier_money,
            category_money: prepared
                .money
                .category(known_category.map(|(position, _)| position)),
            total,
            requested,
            value_left,
            history,
            acting,
        })
    }

    /// An instant (UTC) in the policy's local offset.
    pub fn local(&self, at: chrono::NaiveDateTime) -> DateTime<FixedOffset> {
        DateTime::from_naive_utc_and_offset(at, self.policy.local_offset())
    }

    /// `window` after the moment of the decision, in the policy's local offset.
    pub fn after_now(&self, window: Window) -> Option<DateTime<FixedOffset>> {
        moved(self.now.naive_utc(), Span::of(window), Direction::Later).map(|at| self.local(at))
    }

    /// A voucher of `amount` granted now.
    #[inline(always)]
    pub fn voucher(&self, amount: Decimal) -> Voucher {
        Voucher::new(amount, self.policy.currency(), self.valid_until)
    }
}

// The checks of a request are inlined, and what they build for a request that fails them is
// out of line and marked cold: a valid request, the usual one, runs a comparison each.

#[inline(always)]
fn check_currency(
    policy: &Policy,
    field: &'static str,
    currency: crate::Currency,
) -> Result<(), RequestError> {
    if currency == policy.currency() {
        return Ok(());
    }
    Err(wrong_currency(policy, field, currency))
}

#[cold]
#[inline(never)]
fn wrong_currency(policy: &Policy, field: &'static str, currency: crate::Currency) -> RequestError {
    RequestError::new(
        field,
        currency,
        Problem::WrongCurrency {
            expected: policy.currency(),
        },
    )
}

/// An amount of the request in the policy's units: positive, no finer than the currency, at
/// most the largest amount, and at least one step.
#[inline(always)]
fn amount_of(
    policy: &Policy,
    prepared: &Prepared,
    field: &'static str,
    amount: &Decimal,
) -> Result<u64, RequestError> {
    let money = &prepared.money;
    match money.units.of(amount) {
        Ok(units) if units >= money.step.units(1) => Ok(units),
        Ok(_) => Err(below_a_step(policy, field, amount)),
        Err(fault) => Err(invalid_amount(policy, prepared, field, amount, fault)),
    }
}

#[cold]
#[inline(never)]
fn invalid_amount(
    policy: &Policy,
    prepared: &Prepared,
    field: &'static str,
    amount: &Decimal,
    fault: crate::money::AmountFault,
) -> RequestError {
    RequestError::new(
        field,
        amount,
        Problem::of_amount(
            fault,
            policy.currency(),
            prepared.money.units.request_places(),
        ),
    )
}

/// The error of an amount below one step.
#[cold]
#[inline(never)]
fn below_a_step(policy: &Policy, field: &'static str, amount: &Decimal) -> RequestError {
    RequestError::new(
        field,
        amount,
        Problem::BelowStep {
            step: policy.step(),
        },
    )
}

#[inline(always)]
fn check_not_after_now(
    field: &'static str,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<(), RequestError> {
    if at <= now {
        return Ok(());
    }
    Err(after_now_error(field, at, now))
}

#[cold]
#[inline(never)]
fn after_now_error(
    field: &'static str,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> RequestError {
    RequestError::new(field, at.to_rfc3339(), Problem::AfterNow { now })
}

#[inline(always)]
fn check_not_before(
    field: &'static str,
    at: DateTime<FixedOffset>,
    other_field: &'static str,
    other: DateTime<FixedOffset>,
) -> Result<(), RequestError> {
    if at >= other {
        return Ok(());
    }
    Err(before_error(field, at, other_field, other))
}

#[cold]
#[inline(never)]
fn before_error(
    field: &'static str,
    at: DateTime<FixedOffset>,
    other_field: &'static str,
    other: DateTime<FixedOffset>,
) -> RequestError {
    RequestError::new(
        field,
        at.to_rfc3339(),
        Problem::Before {
            other_field: other_field.to_owned(),
            other_value: other,
        },
    )
}

/// What the customer's lists do: who they hand every request to (the most serious target of
/// them), and which refusals they waive. A list the policy does not know is an error.
#[inline(always)]
fn lists_of(
    policy: &Policy,
    lists: &[String],
) -> Result<(Option<EscalationTarget>, Reasons), RequestError> {
    let mut target: Option<EscalationTarget> = None;
    let mut waived = Reasons::new();
    for (index, name) in lists.iter().enumerate() {
        let Some(list) = policy.list(name) else {
            return Err(unknown_list(policy, index, name));
        };
        target = match (target, list.escalate_to) {
            (Some(known), Some(other)) => Some(known.most_serious(other)),
            (known, other) => known.or(other),
        };
        waived = waived.union(list.waives);
    }
    Ok((target, waived))
}

#[cold]
#[inline(never)]
fn unknown_list(policy: &Policy, index: usize, name: &str) -> RequestError {
    RequestError::new(
        format!("customer.lists[{index}]"),
        name,
        Problem::UnknownList {
            known: policy
                .lists()
                .iter()
                .map(|list| list.name.clone())
                .collect(),
        },
    )
}

#[cold]
#[inline(never)]
fn evidence_time_missing(category: &Category, within: Window) -> RequestError {
    RequestError::new(
        "complaint.evidence_at",
        "null",
        Problem::EvidenceTimeMissing {
            category: category.name.clone(),
            within,
        },
    )
}

#[cold]
#[inline(never)]
fn unknown_tier(policy: &Policy, loyalty: &str) -> RequestError {
    RequestError::new(
        "customer.loyalty",
        loyalty,
        Problem::UnknownTier {
            known: policy
                .tiers()
                .iter()
                .map(|tier| tier.name.clone())
                .collect(),
        },
    )
}

#[cold]
#[inline(never)]
fn unknown_category(policy: &Policy, category: &str) -> RequestError {
    RequestError::new(
        "complaint.category",
        category,
        Problem::UnknownCategory {
            known: policy
                .categories()
                .iter()
                .map(|known| known.name.clone())
                .collect(),
        },
    )
}

/// Checks a name or an id the script or a log may write: not blank, and without a control
/// character or a line break, which would break the line it is written into.
#[inline(always)]
fn check_text(field: &'static str, text: &str) -> Result<(), RequestError> {
    if is_plain(text.as_bytes()) {
        return Ok(());
    }
    check_text_fully(field, text)
}

/// Whether `bytes` are printable ASCII (space to `~`) and the first is not a space: text that
/// is certainly neither blank nor holding a control character. Eight bytes at a time, as a
/// request checks a few short names and ids on every decision; a short text is read as
/// overlapping pieces rather than copied.
#[inline(always)]
fn is_plain(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte below 0x20 borrows into its high bit; one above 0x7e carries into it, or has it.
    let printable = |chunk: u64| {
        let below = chunk.wrapping_sub(ONES * 0x20) & !chunk;
        let above = chunk.wrapping_add(ONES) | chunk;
        (below | above) & HIGH == 0
    };
    let eight = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|piece| piece.try_into().ok())
            .map_or(u64::MAX, u64::from_le_bytes)
    };
    let four = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|piece| piece.try_into().ok())
            .map_or(u32::MAX, u32::from_le_bytes)
    };
    let byte = |at: usize| bytes.get(at).copied().unwrap_or(0);
    let len = bytes.len();
    let plain = match len {
        0 => false,
        1..4 => {
            let spaces = ONES * u64::from(b' ');
            let some =
                u64::from(byte(0)) | u64::from(byte(len / 2)) << 8 | u64::from(byte(len - 1)) << 16;
            printable(spaces & !0xff_ffff | some)
        }
        4..8 => printable(u64::from(four(0)) | u64::from(four(len - 4)) << 32),
        _ => {
            let mut plain = printable(eight(len - 8));
            for at in (0..len - 8).step_by(8) {
                plain &= printable(eight(at));
            }
            plain
        }
    };
    plain & (byte(0) != b' ')
}

/// [`check_text`] for text that is not plain ASCII, or that fails it.
#[cold]
#[inline(never)]
fn check_text_fully(field: &'static str, text: &str) -> Result<(), RequestError> {
    if text.trim().is_empty() {
        return Err(RequestError::new(
            field,
            format_args!("{text:?}"),
            Problem::Blank,
        ));
    }
    let control = text.chars().enumerate().find(|(_, character)| {
        character.is_control() || matches!(character, '\u{2028}' | '\u{2029}')
    });
    match control {
        Some((index, character)) => Err(RequestError::new(
            field,
            format_args!("{text:?}"),
            Problem::ControlCharacter {
                character,
                position: index + 1,
            },
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick check agrees with the plain definition on every short text of a few bytes.
    #[test]
    fn plain_text_is_printable_ascii_not_starting_with_a_space() {
        let plain = |bytes: &[u8]| {
            bytes.first().is_some_and(|first| *first != b' ')
                && bytes.iter().all(|byte| (b' '..=b'~').contains(byte))
        };
        let alphabet = [b'a', b' ', b'~', 0x1f, 0x7f, 0x80, 0xff, b'0', 0, b'\n'];
        let mut next = crate::test_numbers::numbers(0x1234_5678_9abc_def0);
        for _ in 0..200_000 {
            let len = next(26) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    // Mostly ordinary letters, so that long plain texts are tried too.
                    match next(4) {
                        0 => alphabet[next(alphabet.len() as u64) as usize],
                        _ => b'a' + next(26) as u8,
                    }
                })
                .collect();
            assert_eq!(is_plain(&bytes), plain(&bytes), "{bytes:?}");
        }
    }
}
