//! Step 5, the amount: what the policy gives, what the customer asked for, what the value window
//! leaves, and whether the agent may grant it alone.

use rust_decimal::Decimal;

use crate::money::{Factor, steps_in_product};
use crate::situation::Situation;
use crate::{Reason, Reasons};

/// The voucher amount, step by step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Amounts {
    /// Order total x rate (the category's, or the severity's) x loyalty multiplier, rounded down
    /// to the step, clamped to the minimum and maximum voucher, never above the largest share of
    /// the order total (the whole order, unless the policy sets a share).
    pub policy_amount: Decimal,
    /// After the customer's request and the value window.
    pub final_amount: Decimal,
    /// `reduced_to_policy_amount`, `reduced_to_value_limit`, `above_agent_authority`,
    /// `agent_budget_exceeded`.
    pub reasons: Reasons,
}

/// Works the amounts out in whole steps of the policy, each rounded down once, exactly.
#[inline(always)]
pub(super) fn check(situation: &Situation<'_>) -> Amounts {
    let money = &situation.prepared.money;
    let step = &money.step;
    let category = &situation.category_money;
    // A category's own rate and caps stand in for the severity's and the policy's.
    let rate = category
        .rate
        .unwrap_or_else(|| money.rate(situation.severity));
    let computed = steps_in_product(situation.total, rate, situation.tier_money.multiplier, step);
    let maximum_steps = category.maximum_steps.unwrap_or(money.maximum_steps);
    // The largest share of the order total a voucher may be: the whole order unless the policy
    // says otherwise.
    let share_cap = match category.share.or_else(|| money.share(situation.severity)) {
        Some(share) => steps_in_product(situation.total, share, Factor::ONE, step),
        None => step.steps_in(situation.total),
    };
    // Rounding down to the step commutes with the clamp (it never lowers an amount below a
    // step it was above), so clamping to the rounded bounds is clamping, then rounding.
    let policy_amount = computed
        .max(money.minimum_steps)
        .min(maximum_steps)
        .min(share_cap);

    let mut reasons = Reasons::new();
    let mut amount = policy_amount;
    // Whether the request was granted as asked but for rounding down to the step.
    let mut rounded = false;
    if let Some(requested) = situation.requested {
        if requested > step.units(policy_amount) {
            reasons.insert(Reason::ReducedToPolicyAmount);
        } else {
            amount = step.steps_in(requested);
            rounded = step.units(amount) < requested;
        }
    }
    let value_left = step.steps_in(situation.value_left);
    if amount > value_left && step.units(value_left) >= money.minimum {
        amount = value_left;
        reasons.insert(Reason::ReducedToValueLimit);
    } else if rounded {
        reasons.insert(Reason::RoundedToStep);
    }
    let acting = &situation.acting;
    let units = step.units(amount);
    if units > acting.authority {
        reasons.insert(Reason::AboveAgentAuthority);
    }
    if acting.budget_left.is_some_and(|left| units > left) {
        reasons.insert(Reason::AgentBudgetExceeded);
    }
    Amounts {
        policy_amount: step.decimal(policy_amount),
        final_amount: step.decimal(amount),
        reasons,
    }
}
