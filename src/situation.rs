//! What the checks look at: the request validated against the policy, with its history
//! measured through the policy's windows.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use crate::decision::Placement;
use crate::error::Problem;
use crate::facts::{ClaimStart, SeveritySource};
use crate::history::HistoryMeasures;
use crate::policy::{Prepared, Tier, TierMoney};
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
    /// The tier's amounts in the policy's units.
    pub tier_money: TierMoney,
    /// The order total, in the policy's units.
    pub total: u64,
    /// The amount asked for, in the policy's units.
    pub requested: Option<u64>,
    /// What is left of the tier's value limit, in the policy's units; zero when it is used up.
    pub value_left: u64,
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
        let tier_money = prepared.money.tier(tier_position);
        let value_left = u128::from(tier_money.value_limit)
            .saturating_sub(history.value_used)
            .try_into()
            .unwrap_or(0);

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
            tier_money,
            total,
            requested,
            value_left,
            history,
        })
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
            expected: policy.currency().to_string(),
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
