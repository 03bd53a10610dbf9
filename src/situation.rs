//! What the checks look at: the request validated against the policy, and the history measured
//! through the policy's windows, in one pass.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use crate::error::Problem;
use crate::facts::{ClaimStart, SeveritySource};
use crate::money::ExactSum;
use crate::policy::Tier;
use crate::{PastVoucher, Policy, Request, RequestError, Severity, Voucher};

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
}

/// The history as the policy's windows see it, measured back from `now`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct HistoryMeasures {
    /// A voucher was already granted for this very order (at any time).
    pub order_compensated: bool,
    pub vouchers_in_count_window: u32,
    /// Exact, in any order of the history.
    pub value_used: ExactSum,
    pub vouchers_in_minor_cooldown: u32,
    pub minor_vouchers_in_pattern_window: u32,
}

impl HistoryMeasures {
    /// What is left of the tier's value limit, rounded toward zero; zero when it is used up.
    pub fn value_left(&self, tier: &Tier) -> Decimal {
        self.value_used.left_of(tier.value_limit)
    }
}

impl<'a> Situation<'a> {
    /// Validates the request and history against the policy and measures them at `now`.
    pub fn measure(
        policy: &'a Policy,
        request: &'a Request,
        history: &[PastVoucher],
        now: DateTime<FixedOffset>,
    ) -> Result<Self, RequestError> {
        let tier = policy.tier(&request.customer.loyalty).ok_or_else(|| {
            RequestError::new(
                "customer.loyalty",
                &request.customer.loyalty,
                Problem::UnknownTier {
                    known: join(policy.tiers().iter().map(|tier| tier.name.as_str())),
                },
            )
        })?;
        let (severity, severity_from) = match request.complaint.severity {
            Some(severity) => (severity, SeveritySource::Explicit),
            None => {
                let severity = policy
                    .category_severity(&request.complaint.category)
                    .ok_or_else(|| {
                        RequestError::new(
                            "complaint.category",
                            &request.complaint.category,
                            Problem::UnknownCategory {
                                known: join(policy.categories().iter().map(|c| c.name.as_str())),
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
        let valid_until = now
            .checked_add_signed(policy.voucher_validity().as_delta())
            .ok_or_else(|| {
                RequestError::new(
                    "now",
                    now.to_rfc3339(),
                    Problem::TooLarge {
                        limit: "a date the voucher's validity can be added to".to_owned(),
                    },
                )
            })?
            .with_timezone(&policy.local_offset());

        let (claim_start, started_at) = match order.delivered_at {
            Some(delivered_at) => (ClaimStart::Delivery, delivered_at),
            None => (ClaimStart::Placement, order.placed_at),
        };
        let elapsed = reported_at - started_at;

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
            history: measure_history(policy, &order.id, history, now)?,
        })
    }

    /// A voucher of `amount` granted now.
    pub fn voucher(&self, amount: Decimal) -> Voucher {
        Voucher::new(amount, self.policy.currency(), self.valid_until)
    }
}

fn measure_history(
    policy: &Policy,
    order_id: &str,
    history: &[PastVoucher],
    now: DateTime<FixedOffset>,
) -> Result<HistoryMeasures, RequestError> {
    let mut measures = HistoryMeasures::default();
    let pattern_window = policy.repeated_minor().window;
    for (index, past) in history.iter().enumerate() {
        if past.currency != policy.currency() {
            return Err(RequestError::new(
                format!("history[{index}].currency"),
                past.currency,
                Problem::WrongCurrency {
                    expected: policy.currency().to_string(),
                },
            ));
        }
        if past.amount <= Decimal::ZERO {
            return Err(RequestError::new(
                format!("history[{index}].amount"),
                past.amount,
                Problem::NotPositive,
            ));
        }
        if past.granted_at > now {
            return Err(RequestError::new(
                format!("history[{index}].granted_at"),
                past.granted_at.to_rfc3339(),
                Problem::AfterNow {
                    now: now.to_rfc3339(),
                },
            ));
        }
        let granted_at = past.granted_at;
        measures.order_compensated |= past.order_id == order_id;
        if policy.count_window().contains(now, granted_at) {
            measures.vouchers_in_count_window = measures.vouchers_in_count_window.saturating_add(1);
        }
        if policy.value_window().contains(now, granted_at) {
            measures.value_used = measures.value_used.plus(past.amount);
        }
        if policy.minor_cooldown().contains(now, granted_at) {
            measures.vouchers_in_minor_cooldown =
                measures.vouchers_in_minor_cooldown.saturating_add(1);
        }
        if past.severity == Some(Severity::Minor) && pattern_window.contains(now, granted_at) {
            measures.minor_vouchers_in_pattern_window =
                measures.minor_vouchers_in_pattern_window.saturating_add(1);
        }
    }
    Ok(measures)
}

fn check_currency(
    policy: &Policy,
    field: &'static str,
    currency: crate::Currency,
) -> Result<(), RequestError> {
    if currency == policy.currency() {
        return Ok(());
    }
    Err(RequestError::new(
        field,
        currency,
        Problem::WrongCurrency {
            expected: policy.currency().to_string(),
        },
    ))
}

fn check_positive(field: &'static str, amount: Decimal) -> Result<(), RequestError> {
    if amount > Decimal::ZERO {
        return Ok(());
    }
    Err(RequestError::new(field, amount, Problem::NotPositive))
}

fn check_at_least_a_step(
    policy: &Policy,
    field: &'static str,
    amount: Decimal,
) -> Result<(), RequestError> {
    check_positive(field, amount)?;
    if amount >= policy.step() {
        return Ok(());
    }
    Err(RequestError::new(
        field,
        amount,
        Problem::BelowStep {
            step: policy.step().to_string(),
        },
    ))
}

fn check_not_after_now(
    field: &'static str,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<(), RequestError> {
    if at <= now {
        return Ok(());
    }
    Err(RequestError::new(
        field,
        at.to_rfc3339(),
        Problem::AfterNow {
            now: now.to_rfc3339(),
        },
    ))
}

fn check_not_before(
    field: &'static str,
    at: DateTime<FixedOffset>,
    other_field: &'static str,
    other: DateTime<FixedOffset>,
) -> Result<(), RequestError> {
    if at >= other {
        return Ok(());
    }
    Err(RequestError::new(
        field,
        at.to_rfc3339(),
        Problem::Before {
            other_field: other_field.to_owned(),
            other_value: other.to_rfc3339(),
        },
    ))
}

fn join<'s>(names: impl Iterator<Item = &'s str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}
