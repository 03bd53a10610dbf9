//! What the checks look at: the request validated against the policy, with its history
//! measured through the policy's windows.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use crate::decision::Placement;
use crate::error::Problem;
use crate::facts::{ClaimStart, SeveritySource};
use crate::history::HistoryMeasures;
use crate::money::Amount;
use crate::policy::{Prepared, Tier};
use crate::time::{Direction, elapsed, moved};
use crate::{Policy, Request, RequestError, Severity, Voucher};

/// A request ready to be checked: valid, placed in the policy, its history measured.
///
/// Building one is the only step of a decision that can fail; every check after it cannot.
pub(crate) struct Situation<'a> {
    pub policy: &'a Policy,
    pub request: &'a Request,
    pub tier: &'a Tier,
    pub severity: Severity,
    pub severity_from: SeveritySource,
    pub claim_start: ClaimStart,
    pub claim_elapsed_seconds: i64,
    pub claim_expired: bool,
    pub valid_until: DateTime<FixedOffset>,
    pub history: HistoryMeasures,
    /// What is left of the tier's value limit, rounded toward zero; zero when it is used up.
    pub value_left: Decimal,
    pub placement: Option<Placement>,
    /// What the engine worked out from the policy in advance.
    pub prepared: &'a Prepared,
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
        history: Result<HistoryMeasures, RequestError>,
        now: DateTime<FixedOffset>,
    ) -> Result<Self, RequestError> {
        let loyalty = request.customer.loyalty.as_str();
        let (tier_position, tier) = policy.find_tier(loyalty).ok_or_else(|| {
            RequestError::new(
                "customer.loyalty",
                &request.customer.loyalty,
                Problem::UnknownTier {
                    known: join(policy.tiers().iter().map(|tier| tier.name.as_str())),
                },
            )
        })?;
        let category = request.complaint.category.as_str();
        let known_category = policy.find_category(category);
        let (severity, severity_from) = match request.complaint.severity {
            Some(severity) => (severity, SeveritySource::Explicit),
            None => {
                let severity =
                    known_category
                        .map(|(_, known)| known.severity)
                        .ok_or_else(|| {
                            RequestError::new(
                                "complaint.category",
                                &request.complaint.category,
                                Problem::UnknownCategory {
                                    known: join(
                                        policy.categories().iter().map(|c| c.name.as_str()),
                                    ),
                                },
                            )
                        })?;
                (severity, SeveritySource::Category)
            }
        };
        let order = &request.order;
        check_currency(policy, "order.currency", order.currency)?;
        // Both are rounded down to the step; below one step, nothing would be left to grant.
        check_at_least_a_step(policy, "order.total", order.total)?;
        if let Some(requested) = request.requested_amount {
            check_at_least_a_step(policy, "requested_amount", requested)?;
        }
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
            .ok_or_else(|| {
                RequestError::new(
                    "now",
                    now.to_rfc3339(),
                    Problem::TooLarge {
                        limit: "a date the voucher's validity can be added to".to_owned(),
                    },
                )
            })?;

        let (claim_start, started_at) = match order.delivered_at {
            Some(delivered_at) => (ClaimStart::Delivery, delivered_at),
            None => (ClaimStart::Placement, order.placed_at),
        };
        let elapsed = elapsed(reported_at, started_at);
        // The history's own errors come after the request's.
        let history = history?;

        Ok(Situation {
            policy,
            request,
            tier,
            severity,
            severity_from,
            claim_start,
            claim_elapsed_seconds: elapsed.num_seconds(),
            claim_expired: elapsed > policy.claim_window().as_delta(),
            valid_until,
            placement: Placement::of(tier_position, known_category.map(|(position, _)| position)),
            prepared,
            value_left: history.value_used.left_of(tier.value_limit),
            history,
        })
    }

    /// A voucher of `amount` granted now.
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
            expected: policy.currency().to_string(),
        },
    )
}

#[inline(always)]
fn check_at_least_a_step(
    policy: &Policy,
    field: &'static str,
    amount: Decimal,
) -> Result<(), RequestError> {
    if amount.is_sign_positive() && !amount.is_zero() && Amount(amount) >= Amount(policy.step()) {
        return Ok(());
    }
    Err(below_a_step(policy, field, amount))
}

/// The error of an amount that is not positive, or below one step.
#[cold]
#[inline(never)]
fn below_a_step(policy: &Policy, field: &'static str, amount: Decimal) -> RequestError {
    if amount.is_sign_negative() || amount.is_zero() {
        return RequestError::new(field, amount, Problem::NotPositive);
    }
    RequestError::new(
        field,
        amount,
        Problem::BelowStep {
            step: policy.step().to_string(),
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
    RequestError::new(
        field,
        at.to_rfc3339(),
        Problem::AfterNow {
            now: now.to_rfc3339(),
        },
    )
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
            other_value: other.to_rfc3339(),
        },
    )
}

fn join<'s>(names: impl Iterator<Item = &'s str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}
