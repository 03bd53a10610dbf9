//! Step 5, the amount: what the policy gives, what the customer asked for, what the value window
//! leaves, and whether the agent may grant it alone.

use rust_decimal::Decimal;

use crate::money::{Amount, floor_to_step, round_down_product, round_down_product_in_units, units};
use crate::policy::PolicyUnits;
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
    let inputs = Inputs {
        total: situation.request.order.total,
        rate: policy.severity_rates().rate(situation.severity),
        multiplier: situation.tier.multiplier,
        requested: situation.request.requested_amount,
        value_left: situation.value_left,
        step: policy.step(),
        minimum: policy.minimum_voucher(),
        maximum: policy.maximum_voucher(),
        authority: policy.agent_authority(),
    };
    match situation
        .prepared
        .amount_units
        .as_ref()
        .and_then(|policy_units| in_units(&inputs, policy_units))
    {
        Some(amounts) => amounts,
        None => in_decimals(&inputs),
    }
}

/// What the amount is worked out from.
#[derive(Debug, Clone, Copy)]
struct Inputs {
    total: Decimal,
    rate: Decimal,
    multiplier: Decimal,
    requested: Option<Decimal>,
    /// What the value window leaves, before rounding.
    value_left: Decimal,
    step: Decimal,
    minimum: Decimal,
    maximum: Decimal,
    authority: Decimal,
}

/// The amounts in decimals, for any numbers.
fn in_decimals(inputs: &Inputs) -> Amounts {
    let step = inputs.step;
    let floor = |amount: Decimal| Amount(floor_to_step(amount, step));
    let [minimum, maximum, authority] =
        [inputs.minimum, inputs.maximum, inputs.authority].map(Amount);
    let total = inputs.total;
    // Exact, however many digits the product has; too large for a decimal can only mean an
    // amount far above the maximum voucher, where the clamp lands.
    let computed = Amount(round_down_product(
        total,
        inputs.rate,
        inputs.multiplier,
        step,
    ));
    // Rounded once more so a clamped amount is written at the step's scale too (2.00, not 2).
    // (`max` then `min` is the clamp; the policy was validated to have minimum <= maximum.)
    let policy_amount = floor(computed.max(minimum).min(maximum).min(floor(total)).0);

    let mut reasons = Reasons::new();
    let mut amount = policy_amount;
    if let Some(requested) = inputs.requested {
        if Amount(requested) > policy_amount {
            reasons.insert(Reason::ReducedToPolicyAmount);
        } else {
            amount = floor(requested);
        }
    }
    let value_left = floor(inputs.value_left);
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

/// The amounts of [`in_decimals`] worked out in 64-bit integers of the step's smallest unit
/// (rupiah, cents), when every number fits there exactly: no finer than the step, not
/// negative, and small enough (any real order). `None` otherwise.
///
/// Every amount of a decision is compared or rounded down to the step, and a decimal does
/// either at several times the cost of an integer; the amounts come back at the step's scale,
/// as [`in_decimals`] writes them, and a test checks the two agree.
///
/// `policy` is [`PolicyUnits`] of the inputs' step, minimum, maximum and authority.
fn in_units(inputs: &Inputs, policy: &PolicyUnits) -> Option<Amounts> {
    let PolicyUnits {
        scale,
        step,
        minimum,
        minimum_floor,
        maximum_floor: maximum,
        authority,
    } = *policy;
    let floor = |units: u64| units / step * step;
    let total = floor(units(inputs.total, scale)?);
    let computed =
        round_down_product_in_units([inputs.total, inputs.rate, inputs.multiplier], inputs.step)?;
    // Rounding down to the step commutes with the clamp (it never lowers an amount below a
    // step it was above), so clamping to the floored bounds is clamping then flooring.
    let policy_amount = computed.max(minimum_floor).min(maximum).min(total);

    let mut reasons = Reasons::new();
    let mut amount = policy_amount;
    if let Some(requested) = inputs.requested {
        let requested = units(requested, scale)?;
        if requested > policy_amount {
            reasons.insert(Reason::ReducedToPolicyAmount);
        } else {
            amount = floor(requested);
        }
    }
    let value_left = floor(units(inputs.value_left, scale)?);
    if amount > value_left && value_left >= minimum {
        amount = value_left;
        reasons.insert(Reason::ReducedToValueLimit);
    }
    if amount > authority {
        reasons.insert(Reason::AboveAgentAuthority);
    }
    let at_scale =
        |units: u64| Decimal::from_parts(units as u32, (units >> 32) as u32, 0, false, scale);
    Some(Amounts {
        policy_amount: at_scale(policy_amount),
        final_amount: at_scale(amount),
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_numbers::numbers;

    /// A decimal of up to `digits` digits at a scale up to `max_scale` (and one finer now and
    /// then), now and then a round number or zero.
    fn decimal(next: &mut dyn FnMut(u64) -> u64, digits: u32, max_scale: u32) -> Decimal {
        let mantissa = match next(6) {
            0 => 0,
            1 => next(10) * 10_u64.pow(next(u64::from(digits)) as u32),
            _ => next(10_u64.pow(digits)),
        };
        // Mostly no finer than the step, as real amounts are; now and then finer.
        let scale = next(u64::from(max_scale) + 1) as u32 + u32::from(next(8) == 0);
        Decimal::new(i64::try_from(mantissa).unwrap_or(i64::MAX), scale)
    }

    /// Mantissa and scale, so 2 and 2.00 are told apart.
    fn written(amounts: &Amounts) -> (String, String, Reasons) {
        (
            amounts.policy_amount.to_string(),
            amounts.final_amount.to_string(),
            amounts.reasons,
        )
    }

    #[test]
    fn the_integer_way_agrees_with_the_decimal_way() {
        let mut next = numbers(0x5851_f42d_4c95_7f2d);
        let mut in_integers = 0;
        for _ in 0..300_000 {
            let step = match next(4) {
                0 => Decimal::new(1_000, 0),
                1 => Decimal::new(1, 2),
                2 => Decimal::new(5, 1),
                _ => decimal(&mut next, 4, 3).max(Decimal::new(1, 3)),
            };
            let step_scale = step.scale();
            let inputs = Inputs {
                total: decimal(&mut next, 10, step_scale),
                rate: decimal(&mut next, 3, 2),
                multiplier: decimal(&mut next, 3, 2),
                requested: (next(2) == 0).then(|| decimal(&mut next, 7, step_scale)),
                value_left: decimal(&mut next, 8, step_scale),
                step,
                minimum: decimal(&mut next, 5, step_scale),
                maximum: decimal(&mut next, 7, step_scale),
                authority: decimal(&mut next, 7, step_scale),
            };
            // Now and then right at or next to the amounts they are compared with, where
            // rounding one side or the other would change the answer.
            let near = |next: &mut dyn FnMut(u64) -> u64, value: Decimal| {
                let offset = decimal(next, 4, step_scale);
                match next(4) {
                    0 => value,
                    1 => value + offset,
                    2 => (value - offset).max(Decimal::ZERO),
                    _ => floor_to_step(value, step),
                }
            };
            let minimum = inputs.minimum;
            let inputs = Inputs {
                // A valid policy has minimum <= maximum.
                maximum: inputs.maximum.max(minimum),
                value_left: match next(2) {
                    0 => near(&mut next, minimum),
                    _ => inputs.value_left,
                },
                authority: match next(2) {
                    0 => near(&mut next, minimum),
                    _ => inputs.authority,
                },
                requested: match (inputs.requested, next(2)) {
                    (Some(_), 0) => Some(near(&mut next, minimum)),
                    (requested, _) => requested,
                },
                ..inputs
            };
            let policy_units = PolicyUnits::from_amounts(
                inputs.step,
                inputs.minimum,
                inputs.maximum,
                inputs.authority,
            );
            if let Some(amounts) = policy_units.and_then(|units| in_units(&inputs, &units)) {
                in_integers += 1;
                assert_eq!(
                    written(&amounts),
                    written(&in_decimals(&inputs)),
                    "{inputs:?}"
                );
            }
        }
        assert!(in_integers > 50_000, "{in_integers}");
    }
}
