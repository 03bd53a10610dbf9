//! Step 5, the amount: what the policy gives, what the customer asked for, what the value window
//! leaves, and whether the agent may grant it alone.

use rust_decimal::Decimal;

use crate::money::{Amount, floor_to_step, round_down_product};
use crate::situation::Situation;
use crate::{Reason, Reasons};

/// The voucher amount, step by step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Amounts {
    /// Order total x severity rate x loyalty multiplier, rounded down to the step, clamped to
    /// the minimum and maximum voucher, never above the order total.
    pub policy_amount: Decimal,
    /// After the customer's request and the value window.
    pub final_amount: Decimal,
    /// `reduced_to_policy_amount`, `reduced_to_value_limit`, `above_agent_authority`.
    pub reasons: Reasons,
}

pub(super) fn check(situation: &Situation<'_>) -> Amounts {
    let policy = situation.policy;
    let step = policy.step();
    let floor = |amount: Decimal| Amount(floor_to_step(amount, step));
    let [minimum, maximum, authority] = [
        policy.minimum_voucher(),
        policy.maximum_voucher(),
        policy.agent_authority(),
    ]
    .map(Amount);
    let total = situation.request.order.total;
    let rate = policy.severity_rates().rate(situation.severity);
    // Exact, however many digits the product has; too large for a decimal can only mean an
    // amount far above the maximum voucher, where the clamp lands.
    let computed = Amount(round_down_product(
        total,
        rate,
        situation.tier.multiplier,
        step,
    ));
    // Rounded once more so a clamped amount is written at the step's scale too (2.00, not 2).
    // (`max` then `min` is the clamp; the policy was validated to have minimum <= maximum.)
    let policy_amount = floor(computed.max(minimum).min(maximum).min(floor(total)).0);

    let mut reasons = Reasons::new();
    let mut amount = policy_amount;
    if let Some(requested) = situation.request.requested_amount {
        if Amount(requested) > policy_amount {
            reasons.insert(Reason::ReducedToPolicyAmount);
        } else {
            amount = floor(requested);
        }
    }
    let value_left = floor(situation.history.value_left);
    if amount > value_left && value_left >= minimum {
        amount = value_left;
        reasons.insert(Reason::ReducedToValueLimit);
    }
    if amount > authority {
        reasons.insert(Reason::AboveAgentAuthority);
    }
    Amounts {
        policy_amount: policy_amount.0,
        final_amount: amount.0,
        reasons,
    }
}
