//! Exact amounts and the one place they are rounded: down to the policy's step, never up.

mod sum;
mod wide;

use std::cmp::Ordering;

use rust_decimal::{Decimal, RoundingStrategy};

pub(crate) use sum::ExactSum;

/// Rounds `amount` down to a whole multiple of `step` (a positive amount such as 1,000 or 0.01).
///
/// Rounding is always toward zero for the positive amounts the policy deals in, so a voucher is
/// never worth more than the policy computed. Exact for every `Decimal`, up to `Decimal::MAX`
/// in steps of 0.01. Returns `None` only if `step` is not positive.
///
/// ```
/// use rust_decimal::Decimal;
/// use voucher_policy::round_down_to_step;
///
/// let step = Decimal::from(1000);
/// assert_eq!(round_down_to_step(Decimal::from(21_250), step), Some(Decimal::from(21_000)));
/// assert_eq!(round_down_to_step("12.349".parse()?, "0.01".parse()?), Some("12.34".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// Inlined, so the decision's amounts stay in registers: returned through memory, a decimal
// written in four parts and read back in one stalls the processor every time.
#[inline]
pub fn round_down_to_step(amount: Decimal, step: Decimal) -> Option<Decimal> {
    if step.is_sign_negative() || step.is_zero() {
        return None;
    }
    match round_down_in_integers(amount, step) {
        Some(rounded) => Some(rounded),
        None => round_down_in_decimals(amount, step),
    }
}

/// [`round_down_to_step`] the general way, for what integers do not hold.
#[inline(never)]
fn round_down_in_decimals(amount: Decimal, step: Decimal) -> Option<Decimal> {
    // The amount less its remainder (which has the amount's sign, so this rounds toward zero):
    // exact where dividing by a step below one overflows, for an amount near `Decimal::MAX`.
    // Near `Decimal::MAX` the difference may need more digits than a `Decimal` holds
    // (7.9e28 less 0.02) and come back rounded; then a coarser multiple of the step (10, 100,
    // ... steps) is taken, down to whole numbers, which always fit.
    let mut unit = step;
    loop {
        let rounded = amount.checked_sub(amount.checked_rem(unit)?)?;
        if rounded.abs() <= amount.abs() && rounded.checked_rem(unit) == Some(Decimal::ZERO) {
            return Some(at_scale(rounded, step.scale()));
        }
        unit = unit.checked_mul(Decimal::TEN)?;
    }
}

/// A multiple of a step written at the step's scale (21000 not 21000.000, 2.00 not 2), when it
/// fits at that scale.
fn at_scale(amount: Decimal, scale: u32) -> Decimal {
    if amount.scale() >= scale {
        return amount.round_dp_with_strategy(scale, RoundingStrategy::ToZero);
    }
    10i128
        .checked_pow(scale - amount.scale())
        .and_then(|factor| amount.mantissa().checked_mul(factor))
        .and_then(|mantissa| Decimal::try_from_i128_with_scale(mantissa, scale).ok())
        .unwrap_or(amount)
}

/// [`round_down_to_step`] in 64-bit integers: both amounts written at one scale, one integer
/// division. Exact where a decimal division rounds its last digit, and many times faster, which
/// matters because every decision rounds several amounts.
///
/// `None` for a negative amount, or one beyond 64 bits at that scale (far beyond any voucher);
/// the decimal way handles those.
#[inline(always)]
fn round_down_in_integers(amount: Decimal, step: Decimal) -> Option<Decimal> {
    if amount.is_sign_negative() {
        return None;
    }
    let units = |value: Decimal| u64::try_from(value.mantissa()).ok();
    let steps = if amount.scale() == step.scale() {
        // The usual case: an amount at the step's scale (whole rupiah, cents).
        units(amount)?.checked_div(units(step)?)?
    } else {
        let scale = amount.scale().max(step.scale());
        let at_scale =
            |value: Decimal| units(value)?.checked_mul(10_u64.checked_pow(scale - value.scale())?);
        at_scale(amount)?.checked_div(at_scale(step)?)?
    };
    // At the step's scale, so 21000 stays 21000, not 21000.000 (and nothing is 0.00 in cents).
    // The product is at most the amount at that scale, so it fits.
    let units = steps.checked_mul(u64::try_from(step.mantissa()).ok()?)?;
    Some(Decimal::from_parts(
        units as u32,
        (units >> 32) as u32,
        0,
        false,
        step.scale(),
    ))
}

/// An amount compared the quick way: amounts of one policy are never negative and mostly share
/// the step's scale, and then their integer parts order them, in a few instructions instead of
/// a decimal comparison that first brings both to one scale. The order is `Decimal`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Amount(pub Decimal);

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.0, other.0);
        if a.scale() == b.scale() && a.is_sign_positive() && b.is_sign_positive() {
            return a.mantissa().cmp(&b.mantissa());
        }
        a.cmp(&b)
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `amount x rate x multiplier` rounded down to `step`: the policy amount before its clamp.
///
/// Worked out in 64-bit integers when the numbers fit (any real order does), exactly and at a
/// fraction of the cost of two decimal products and a decimal division; otherwise exactly on
/// wide integers ([`crate::exact`]), however many digits the product has.
///
/// Both ways return a plain `Decimal` (`Decimal::MAX` for a product beyond what a decimal holds,
/// which the clamp to the maximum voucher then lands on): a decimal comes back in registers, an
/// `Option<Decimal>` through memory, where reading back what was just written in four parts
/// stalls the processor.
#[inline(always)]
pub(crate) fn round_down_product(
    amount: Decimal,
    rate: Decimal,
    multiplier: Decimal,
    step: Decimal,
) -> Decimal {
    match round_down_product_in_integers([amount, rate, multiplier], step) {
        Some(rounded) => rounded,
        None => round_down_product_exactly(amount, rate, multiplier, step),
    }
}

/// [`round_down_product`] the general way, for what 64-bit integers do not hold: exact, so a
/// product with more digits than a `Decimal` keeps is still rounded down, never up.
#[inline(never)]
fn round_down_product_exactly(
    amount: Decimal,
    rate: Decimal,
    multiplier: Decimal,
    step: Decimal,
) -> Decimal {
    if step.is_sign_negative() || step.is_zero() {
        return Decimal::ZERO;
    }
    product_rounded_down(amount, rate, multiplier, step).unwrap_or(Decimal::MAX)
}

/// [`round_down_to_step`], or zero for a step that is not positive (a validated policy has
/// none), returning a plain `Decimal` for the reason [`round_down_product`] gives.
#[inline(always)]
pub(crate) fn floor_to_step(amount: Decimal, step: Decimal) -> Decimal {
    if step.is_sign_negative() || step.is_zero() {
        return Decimal::ZERO;
    }
    match round_down_in_integers(amount, step) {
        Some(rounded) => rounded,
        None => floor_in_decimals(amount, step),
    }
}

#[inline(never)]
fn floor_in_decimals(amount: Decimal, step: Decimal) -> Decimal {
    round_down_in_decimals(amount, step).unwrap_or(Decimal::ZERO)
}

#[inline(always)]
fn round_down_product_in_integers(factors: [Decimal; 3], step: Decimal) -> Option<Decimal> {
    let rounded = round_down_product_in_units(factors, step)?;
    Some(Decimal::from_parts(
        rounded as u32,
        (rounded >> 32) as u32,
        0,
        false,
        step.scale(),
    ))
}

/// The product of `factors` rounded down to `step`, in units of the step's scale, when 64-bit
/// integers hold it; `None` otherwise.
#[inline(always)]
pub(crate) fn round_down_product_in_units(factors: [Decimal; 3], step: Decimal) -> Option<u64> {
    // 64 bits hold any order's product (a 128-bit division would cost a library call).
    let mut units: u64 = 1;
    let mut scale: u32 = 0;
    for factor in factors {
        if factor.is_sign_negative() {
            return None;
        }
        units = units.checked_mul(u64::try_from(factor.mantissa()).ok()?)?;
        scale += factor.scale();
    }
    let common = scale.max(step.scale());
    let step_mantissa = u64::try_from(step.mantissa()).ok()?;
    let units = units.checked_mul(10_u64.checked_pow(common - scale)?)?;
    let step_units = step_mantissa.checked_mul(10_u64.checked_pow(common - step.scale())?)?;
    let steps = units.checked_div(step_units)?;
    // At the step's scale; at most the product, so it fits.
    steps.checked_mul(step_mantissa)
}

/// `value` in units of `10^-scale`, when that is exact and fits 64 bits and `value` is not
/// negative.
#[inline(always)]
pub(crate) fn units(value: Decimal, scale: u32) -> Option<u64> {
    if value.is_sign_negative() {
        return None;
    }
    let mantissa = u64::try_from(value.mantissa()).ok()?;
    if value.scale() == scale {
        // The usual case (whole rupiah, cents), without a power of ten.
        return Some(mantissa);
    }
    mantissa.checked_mul(10_u64.checked_pow(scale.checked_sub(value.scale())?)?)
}

/// `total x rate x multiplier` rounded down to a whole multiple of `step`, exactly, for
/// amounts that are not negative and a positive step. `None` when the result is larger than a
/// `Decimal` holds (far above any maximum voucher).
fn product_rounded_down(
    total: Decimal,
    rate: Decimal,
    multiplier: Decimal,
    step: Decimal,
) -> Option<Decimal> {
    let fast = total
        .checked_mul(rate)
        .and_then(|product| product.checked_mul(multiplier));
    if let Some(product) = fast {
        // A product that needed rounding comes back at a lower scale than the sum of the
        // factors' scales; at that scale it is exact.
        if product.scale() == total.scale() + rate.scale() + multiplier.scale() {
            return round_down_to_step(product, step);
        }
    }
    let factors = [total, rate, multiplier];
    if factors.iter().any(|factor| factor.is_sign_negative()) || step <= Decimal::ZERO {
        return None;
    }
    let steps = wide::steps_in_product(factors, step)?;
    let mantissa = steps.checked_mul(step.mantissa().unsigned_abs())?;
    Decimal::try_from_i128_with_scale(i128::try_from(mantissa).ok()?, step.scale()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_down_never_rounds_up() {
        let step = Decimal::from(1000);
        assert_eq!(
            round_down_to_step(Decimal::from(999), step),
            Some(Decimal::ZERO)
        );
        assert_eq!(round_down_to_step(Decimal::from(1000), step), Some(step));
        assert_eq!(round_down_to_step(Decimal::from(5), Decimal::ZERO), None);
    }

    #[test]
    fn integer_rounding_agrees_with_decimal_rounding() {
        let slow = |amount: Decimal, step: Decimal| {
            let steps = (amount / step).round_dp_with_strategy(0, RoundingStrategy::ToZero);
            (steps * step).round_dp_with_strategy(step.scale(), RoundingStrategy::ToZero)
        };
        let steps = ["1000", "500", "0.01", "0.05", "1", "25", "0.001", "7"];
        let mut seed: u64 = 7;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mantissa = i64::try_from(seed >> 24).unwrap();
            let amount = Decimal::new(mantissa, ((seed >> 8) % 6) as u32);
            let step: Decimal = steps[(seed % steps.len() as u64) as usize].parse().unwrap();
            let fast = round_down_in_integers(amount, step).unwrap();
            let expected = slow(amount, step);
            assert_eq!(fast, expected, "{amount} / {step}");
            assert_eq!(fast.to_string(), expected.to_string(), "{amount} / {step}");
        }
        assert_eq!(
            round_down_in_integers(Decimal::from(-5), Decimal::ONE),
            None
        );
        assert_eq!(
            round_down_to_step(Decimal::MAX, Decimal::from(1000)),
            Some(slow(Decimal::MAX, Decimal::from(1000)))
        );
    }

    #[test]
    fn rounding_down_holds_up_to_the_largest_decimal_in_cents() {
        let cents: Decimal = "0.01".parse().unwrap();
        let round = |amount: &str, step: Decimal| {
            round_down_to_step(amount.parse().unwrap(), step).map(|rounded| rounded.to_string())
        };
        assert_eq!(
            round("79228162514264337593543950335", cents).as_deref(),
            Some("79228162514264337593543950335")
        );
        // 7.9e28 less 0.02 needs 31 digits: the largest multiple of 0.03 a Decimal holds.
        assert_eq!(
            round("79228162514264337593543950334", "0.03".parse().unwrap()).as_deref(),
            Some("79228162514264337593543950332")
        );
        assert_eq!(
            round("7922816251426433759354395033.5", "0.25".parse().unwrap()).as_deref(),
            Some("7922816251426433759354395033.5")
        );
        assert_eq!(round("75", cents).as_deref(), Some("75.00"));
        assert_eq!(round("12.349", cents).as_deref(), Some("12.34"));
        assert_eq!(round("-12.349", cents).as_deref(), Some("-12.34"));
        assert_eq!(round("2", cents).as_deref(), Some("2.00"));
        assert_eq!(
            round("21250", Decimal::from(1000)).as_deref(),
            Some("21000")
        );
    }

    #[test]
    fn rounding_in_integers_agrees_with_the_general_way_at_the_edges() {
        let amounts = [
            "0",
            "0.4",
            "1",
            "999",
            "1000",
            "1000.000",
            "21250",
            "85000.5",
            "12.349",
            "0.07",
            "123456789.123456789",
            "18446744073709551615",
            "79228162514264337593543950335",
            "7922816251426433759354395033.5",
        ];
        let steps = [
            "1000",
            "1",
            "0.01",
            "0.05",
            "500",
            "0.001",
            "1000.00",
            "7",
            "0.0000001",
        ];
        for amount in amounts {
            for step in steps {
                let (amount, step): (Decimal, Decimal) =
                    (amount.parse().unwrap(), step.parse().unwrap());
                let general = round_down_in_decimals(amount, step);
                if let Some(fast) = round_down_in_integers(amount, step) {
                    // The same value written the same way (the step's scale).
                    assert_eq!(
                        Some(fast.to_string()),
                        general.map(|d| d.to_string()),
                        "{amount} / {step}"
                    );
                }
                assert_eq!(
                    round_down_to_step(amount, step),
                    general,
                    "{amount} / {step}"
                );
            }
        }
        for units in (0..200_000_i64).step_by(397) {
            for scale in 0..4 {
                let amount = Decimal::new(units, scale);
                for step in steps {
                    let step: Decimal = step.parse().unwrap();
                    let fast = round_down_in_integers(amount, step).map(|d| d.to_string());
                    let general = round_down_in_decimals(amount, step).map(|d| d.to_string());
                    assert_eq!(fast, general, "{amount} / {step}");
                }
            }
        }
        assert_eq!(
            round_down_in_integers("-1500".parse().unwrap(), Decimal::from(1000)),
            None
        );
    }

    #[test]
    fn products_in_integers_agree_with_decimal_products() {
        let decimal_way = |amount: Decimal, rate: Decimal, multiplier: Decimal, step: Decimal| {
            let product = amount.checked_mul(rate)?.checked_mul(multiplier)?;
            Some(round_down_to_step(product, step).unwrap_or(Decimal::ZERO))
        };
        let amounts = [
            "0",
            "1",
            "4999",
            "85000",
            "85000.50",
            "123456.789",
            "600000",
            "999999999",
            "18446744073709551615",
            "79228162514264337593543950335",
        ];
        let rates = ["0", "0.10", "0.25", "0.5", "1.00", "0.333", "1"];
        let multipliers = ["1.00", "1.10", "1.25", "1.5", "0.875", "2"];
        let steps = ["1000", "1", "0.01", "500", "0.05"];
        for amount in amounts {
            for rate in rates {
                for multiplier in multipliers {
                    for step in steps {
                        let [amount, rate, multiplier, step] =
                            [amount, rate, multiplier, step].map(|n| n.parse::<Decimal>().unwrap());
                        let fast = round_down_product_in_integers([amount, rate, multiplier], step);
                        let slow = decimal_way(amount, rate, multiplier, step);
                        if let Some(fast) = fast {
                            assert_eq!(
                                Some(fast.to_string()),
                                slow.map(|d| d.to_string()),
                                "{amount} x {rate} x {multiplier} / {step}"
                            );
                        }
                        // Beyond 64 bits, the exact product (which a decimal product may round).
                        let expected = fast.unwrap_or_else(|| {
                            product_rounded_down(amount, rate, multiplier, step)
                                .unwrap_or(Decimal::MAX)
                        });
                        assert_eq!(round_down_product(amount, rate, multiplier, step), expected);
                    }
                }
            }
        }
        // Any real order is worked out in integers.
        let [total, rate, multiplier, step] =
            ["999999999.99", "0.50", "1.50", "0.01"].map(|n| n.parse::<Decimal>().unwrap());
        assert!(round_down_product_in_integers([total, rate, multiplier], step).is_some());
        let huge = Decimal::MAX;
        assert_eq!(
            round_down_product(huge, huge, huge, Decimal::ONE),
            Decimal::MAX
        );
    }

    #[test]
    fn amounts_order_as_decimals_do() {
        let numbers = [
            "0",
            "-0",
            "0.00",
            "1",
            "1.0",
            "1.00",
            "999",
            "1000",
            "1000.000",
            "-5",
            "-5.5",
            "0.07",
            "150000",
            "150000.01",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
        ];
        for a in numbers {
            for b in numbers {
                let (a, b): (Decimal, Decimal) = (a.parse().unwrap(), b.parse().unwrap());
                assert_eq!(Amount(a).cmp(&Amount(b)), a.cmp(&b), "{a} vs {b}");
                let max = Ord::max(Amount(a), Amount(b)).0;
                let min = Ord::min(Amount(a), Amount(b)).0;
                assert_eq!(max.to_string(), Ord::max(a, b).to_string(), "{a} vs {b}");
                assert_eq!(min.to_string(), Ord::min(a, b).to_string(), "{a} vs {b}");
            }
        }
    }

    fn product(total: &str, rate: &str, multiplier: &str, step: &str) -> Option<String> {
        let parse = |text: &str| text.parse::<Decimal>().unwrap();
        product_rounded_down(parse(total), parse(rate), parse(multiplier), parse(step))
            .map(|amount| amount.to_string())
    }

    #[test]
    fn a_product_that_needs_more_digits_is_still_rounded_down() {
        // Exactly 14,999.99999999999999999999999960.
        let amount = product("136363.63636363636363636363636", "0.1", "1.1", "1000");
        assert_eq!(amount.as_deref(), Some("14000"));
        // Exactly 124,999.999999999999999999999998500.
        let amount = product("227272.72727272727272727272727", "0.5", "1.1", "1000");
        assert_eq!(amount.as_deref(), Some("124000"));
        // Exactly 55,000.00000000000000000000000275: a product rounded down lands on the step.
        let amount = product("200000.00000000000000000000001", "0.25", "1.1", "1000");
        assert_eq!(amount.as_deref(), Some("55000"));
        let amount = product(
            "0.3333333333333333333333333333",
            "0.3333333333333333333333333333",
            "9",
            "0.01",
        );
        assert_eq!(amount.as_deref(), Some("0.99"));
    }

    #[test]
    fn ordinary_products_take_the_fast_path_and_keep_the_step_scale() {
        assert_eq!(
            product("85000", "0.1", "1.25", "1000").as_deref(),
            Some("10000")
        );
        assert_eq!(
            product("120000", "0.25", "1.1", "1000").as_deref(),
            Some("33000")
        );
        assert_eq!(
            product("12.34", "0.5", "1", "0.01").as_deref(),
            Some("6.17")
        );
        assert_eq!(product("0", "0.5", "1", "0.01").as_deref(), Some("0.00"));
    }

    #[test]
    fn a_product_beyond_a_decimal_is_none() {
        let max = Decimal::MAX.to_string();
        assert_eq!(product(&max, "1", "1.5", "1000"), None);
        assert_eq!(product(&max, "1", "1.5", "0.01"), None);
        assert_eq!(
            product(&max, "0.5", "1", "1000").as_deref(),
            Some("39614081257132168796771975000")
        );
    }
}
