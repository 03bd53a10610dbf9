//! Exact amounts. Every amount a decision works with is a whole number of its policy's finest
//! unit (10^-places of the currency) in 64 bits, which the bounds on what a request, a history
//! entry and a policy may carry make exact; this module turns decimals into those units and
//! back, and is the one place an amount is rounded: down to the step, never up.

use rust_decimal::Decimal;

/// The largest amount a request, a history entry or a policy may carry, in the currency's major
/// unit: 10^15 (a thousand trillion rupiah, forty billion US dollars in dong).
pub(crate) const MAX_AMOUNT: u64 = 1_000_000_000_000_000;

/// The most decimal places an amount of a policy may have, and a request's amounts in a
/// currency ISO 4217 lists no minor unit for: ISO 4217's finest minor unit is 10^-4.
pub(crate) const MAX_PLACES: u32 = 4;

/// The most decimal places a severity rate or a loyalty multiplier may have.
pub(crate) const MAX_FACTOR_PLACES: u32 = 6;

/// The largest loyalty multiplier.
pub(crate) const MAX_MULTIPLIER: u64 = 100;

/// 10^0 to 10^19, every power of ten a `u64` holds.
const POWERS_OF_TEN: [u64; 20] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
];

/// `10^power`, or `None` beyond `u64`.
fn ten_to(power: u32) -> Option<u64> {
    POWERS_OF_TEN.get(power as usize).copied()
}

/// Why an amount cannot be counted in units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AmountFault {
    /// Zero or negative.
    NotPositive,
    /// More decimal places than the amount may have.
    TooPrecise,
    /// Above [`MAX_AMOUNT`].
    TooLarge,
}

/// How a policy counts money: in whole units of `10^-places` of its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Units {
    /// The unit is `10^-places` of the currency; at most [`MAX_PLACES`].
    places: u32,
    /// How many decimal places a request's amounts may have: the currency's minor unit.
    request_places: u32,
    /// For each scale a decimal can have (0 to 28, and three more no decimal has, so that a
    /// scale read from its bits needs no bounds check), the largest mantissa an amount at that
    /// scale may have ([`MAX_AMOUNT`]) and what the mantissa is multiplied by to be in units;
    /// a mantissa of zero for a scale finer than a request's amounts may be.
    scales: [ScaleUnits; 32],
    /// [`MAX_AMOUNT`] in units.
    largest: u64,
}

/// How an amount written at one scale is counted: see [`Units::scales`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct ScaleUnits {
    largest_mantissa: u64,
    factor: u64,
}

impl Units {
    /// Units of `10^-places`, for requests whose amounts have at most `request_places` decimal
    /// places (no more than `places`, which is at most [`MAX_PLACES`]).
    pub fn new(places: u32, request_places: u32) -> Self {
        let places = places.min(MAX_PLACES);
        let request_places = request_places.min(places);
        let mut scales = [ScaleUnits::default(); 32];
        for (scale, units) in (0..=request_places).zip(scales.iter_mut()) {
            *units = ScaleUnits {
                largest_mantissa: ten_to(scale).map_or(0, |one| MAX_AMOUNT.saturating_mul(one)),
                factor: ten_to(places - scale).unwrap_or(0),
            };
        }
        Units {
            places,
            request_places,
            scales,
            largest: MAX_AMOUNT.saturating_mul(ten_to(places).unwrap_or(u64::MAX)),
        }
    }

    /// How many decimal places a request's amounts may have.
    pub fn request_places(&self) -> u32 {
        self.request_places
    }

    /// A request's or a history entry's amount in units: positive, with no more decimal places
    /// than [`Units::request_places`] (trailing zeros aside) and at most [`MAX_AMOUNT`].
    #[inline(always)]
    pub fn of(&self, amount: &Decimal) -> Result<u64, AmountFault> {
        match self.quickly(amount) {
            Some(units) => Ok(units),
            None => self.of_unusual(amount),
        }
    }

    /// [`Units::of`] for an amount written the usual way (not negative, no trailing zeros past
    /// the places it may have), or `None` for [`Units::of`] to look at more carefully.
    // Runs once a history entry: the decimal's parts read as they are, one look-up, one
    // comparison, one product.
    #[inline(always)]
    pub fn quickly(&self, amount: &Decimal) -> Option<u64> {
        let parts = amount.unpack();
        // A scale is at most 28: five bits index the table without a bounds check.
        let scale = self.scales.get((parts.scale & 31) as usize)?;
        let mantissa = u64::from(parts.lo) | u64::from(parts.mid) << 32;
        let usual =
            !parts.negative & (parts.hi == 0) & (mantissa.wrapping_sub(1) < scale.largest_mantissa);
        // At most 10^15 x 10^scale times 10^(places - scale): at most 10^19, no overflow.
        usual.then(|| mantissa.wrapping_mul(scale.factor))
    }

    /// [`Units::of`] for what its quick way does not take: an amount that is not positive, too
    /// large, or written with trailing zeros beyond the places it may have (`10000.000` rupiah).
    #[cold]
    #[inline(never)]
    fn of_unusual(&self, amount: &Decimal) -> Result<u64, AmountFault> {
        if amount.is_sign_negative() || amount.is_zero() {
            return Err(AmountFault::NotPositive);
        }
        let amount = amount.normalize();
        if amount.scale() > self.request_places {
            return Err(AmountFault::TooPrecise);
        }
        self.exactly(amount).ok_or(AmountFault::TooLarge)
    }

    /// One of the policy's own amounts in units; a validated policy's amounts are positive or
    /// zero, have at most [`MAX_PLACES`] places and are at most [`MAX_AMOUNT`]. Anything else is
    /// counted as the largest amount, which no decision reaches.
    pub fn of_policy(&self, amount: Decimal) -> u64 {
        if amount.is_sign_negative() {
            return 0;
        }
        self.exactly(amount.normalize()).unwrap_or(u64::MAX)
    }

    /// `amount` (not negative) in units, when it has at most `places` places and is at most
    /// [`MAX_AMOUNT`].
    fn exactly(&self, amount: Decimal) -> Option<u64> {
        let factor = ten_to(self.places.checked_sub(amount.scale())?)?;
        let units = u64::try_from(amount.mantissa()).ok()?.checked_mul(factor)?;
        (units <= self.largest).then_some(units)
    }

    /// A number of units as a decimal written at `scale` (the step's, at most the unit's), or
    /// with as many more places as it needs; `Decimal::MAX` beyond what a decimal holds.
    #[inline]
    pub fn decimal(&self, units: u128, scale: u32) -> Decimal {
        let scale = scale.min(self.places);
        let finer = ten_to(self.places - scale).unwrap_or(1);
        match u64::try_from(units) {
            // The usual case: whole at the scale asked for (whole rupiah), one division.
            Ok(units) if units % finer == 0 => at_scale(units / finer, scale),
            Ok(units) => {
                let (mut mantissa, mut places) = (units, self.places);
                // Dividing a `u64` by a constant ten is a multiplication, not a division.
                while places > scale && mantissa % 10 == 0 {
                    mantissa /= 10;
                    places -= 1;
                }
                at_scale(mantissa, places)
            }
            // Beyond 64 bits only for a history of vouchers each near the largest amount.
            Err(_) => i128::try_from(units)
                .ok()
                .and_then(|units| Decimal::try_from_i128_with_scale(units, self.places).ok())
                .map_or(Decimal::MAX, |decimal| {
                    let mut decimal = decimal.normalize();
                    if decimal.scale() < scale {
                        decimal.rescale(scale);
                    }
                    decimal
                }),
        }
    }
}

/// `mantissa / 10^scale` as a decimal.
#[inline(always)]
fn at_scale(mantissa: u64, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa as u32, (mantissa >> 32) as u32, 0, false, scale)
}

/// The step every voucher is a whole multiple of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    /// The step in units; at least one.
    units: u64,
    /// The step as written: `mantissa / 10^scale`.
    mantissa: u64,
    scale: u32,
}

impl Step {
    /// The step `step` (positive, as a validated policy's is) counted in `units`.
    pub fn new(step: Decimal, units: &Units) -> Self {
        let step = step.normalize();
        Step {
            units: units.of_policy(step).max(1),
            mantissa: u64::try_from(step.mantissa()).unwrap_or(1).max(1),
            scale: step.scale(),
        }
    }

    /// How many whole steps `units` holds: the amount rounded down to the step.
    #[inline(always)]
    pub fn steps_in(&self, units: u64) -> u64 {
        units / self.units
    }

    /// A number of steps in units. Steps counted by [`Step::steps_in`] fit.
    #[inline(always)]
    pub fn units(&self, steps: u64) -> u64 {
        steps.saturating_mul(self.units)
    }

    /// A number of steps as a decimal at the step's scale (21000, not 21000.00; 2.50 in steps of
    /// 0.05).
    #[inline(always)]
    pub fn decimal(&self, steps: u64) -> Decimal {
        let mantissa = steps.saturating_mul(self.mantissa);
        Decimal::from_parts(
            mantissa as u32,
            (mantissa >> 32) as u32,
            0,
            false,
            self.scale,
        )
    }

    /// The scale the step is written at.
    pub fn scale(&self) -> u32 {
        self.scale
    }
}

/// A severity rate or a loyalty multiplier: `mantissa / 10^places`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Factor {
    mantissa: u64,
    places: u32,
}

impl Factor {
    /// Nothing: every product with it is zero.
    pub const ZERO: Factor = Factor {
        mantissa: 0,
        places: 0,
    };

    /// One: a product with it is the other factor.
    pub const ONE: Factor = Factor {
        mantissa: 1,
        places: 0,
    };

    /// A validated policy's rate or multiplier: not negative, at most [`MAX_MULTIPLIER`], with at
    /// most [`MAX_FACTOR_PLACES`] places. Anything else counts as zero.
    pub fn new(factor: Decimal) -> Self {
        let factor = factor.normalize();
        let mantissa = if factor.is_sign_negative() || factor.scale() > MAX_FACTOR_PLACES {
            0
        } else {
            u64::try_from(factor.mantissa())
                .ok()
                .filter(|mantissa| {
                    ten_to(factor.scale())
                        .and_then(|one| MAX_MULTIPLIER.checked_mul(one))
                        .is_some_and(|most| *mantissa <= most)
                })
                .unwrap_or(0)
        };
        Factor {
            mantissa,
            places: factor.scale(),
        }
    }
}

/// How many whole steps `total x rate x multiplier` holds, `total` in units: the policy amount
/// before its clamp, rounded down; `u64::MAX` beyond it.
///
/// Exact: the bounds on amounts and factors keep the product below 2^113.
#[inline(always)]
pub(crate) fn steps_in_product(total: u64, rate: Factor, multiplier: Factor, step: &Step) -> u64 {
    // At most 10^6 x 10^8: no overflow.
    let numerator = rate.mantissa * multiplier.mantissa;
    let scale = POWERS_OF_TEN
        .get((rate.places + multiplier.places) as usize)
        .copied()
        .unwrap_or(u64::MAX);
    // 64 bits hold any real order's product; a 128-bit division would cost a library call.
    if let (Some(product), Some(divisor)) =
        (total.checked_mul(numerator), scale.checked_mul(step.units))
    {
        return product / divisor;
    }
    steps_in_wide_product(total, numerator, scale, step.units)
}

/// [`steps_in_product`] in 128 bits, for a product beyond 64: at most 10^19 x 10^14.
#[inline(never)]
fn steps_in_wide_product(total: u64, numerator: u64, scale: u64, step: u64) -> u64 {
    let product = u128::from(total) * u128::from(numerator);
    let divisor = u128::from(scale) * u128::from(step);
    product
        .checked_div(divisor)
        .and_then(|steps| u64::try_from(steps).ok())
        .unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_numbers::numbers;

    fn decimal(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn amounts_are_counted_in_the_policy_s_unit() {
        // Rupiah: two places in ISO 4217.
        let idr = Units::new(2, 2);
        assert_eq!(idr.of(&decimal("85000")), Ok(8_500_000));
        assert_eq!(idr.of(&decimal("85000.5")), Ok(8_500_050));
        assert_eq!(idr.of(&decimal("85000.50")), Ok(8_500_050));
        // Trailing zeros beyond the currency's places are only a way of writing.
        assert_eq!(idr.of(&decimal("85000.0000")), Ok(8_500_000));
        assert_eq!(idr.of(&decimal("85000.001")), Err(AmountFault::TooPrecise));
        assert_eq!(idr.of(&decimal("0")), Err(AmountFault::NotPositive));
        assert_eq!(idr.of(&decimal("-0.00")), Err(AmountFault::NotPositive));
        assert_eq!(idr.of(&decimal("-5")), Err(AmountFault::NotPositive));
        assert_eq!(
            idr.of(&decimal("1000000000000000")),
            Ok(100_000_000_000_000_000)
        );
        assert_eq!(
            idr.of(&decimal("1000000000000000.01")),
            Err(AmountFault::TooLarge)
        );
        assert_eq!(idr.of(&Decimal::MAX), Err(AmountFault::TooLarge));
        // Yen: no places, though the policy counts in hundredths.
        let jpy = Units::new(2, 0);
        assert_eq!(jpy.of(&decimal("500")), Ok(50_000));
        assert_eq!(jpy.of(&decimal("500.5")), Err(AmountFault::TooPrecise));
        // The finest units hold the largest amount.
        let finest = Units::new(MAX_PLACES, MAX_PLACES);
        assert_eq!(
            finest.of(&decimal("1000000000000000.0000")),
            Ok(10_000_000_000_000_000_000)
        );
    }

    #[test]
    fn units_are_written_at_the_step_s_scale_or_finer_when_they_need_it() {
        let idr = Units::new(2, 2);
        assert_eq!(idr.decimal(2_500_000, 0).to_string(), "25000");
        assert_eq!(idr.decimal(1_500_050, 0).to_string(), "15000.5");
        assert_eq!(idr.decimal(1_500_001, 0).to_string(), "15000.01");
        assert_eq!(idr.decimal(0, 0).to_string(), "0");
        let cents = Units::new(2, 2);
        assert_eq!(cents.decimal(1_500, 2).to_string(), "15.00");
        let huge = u128::from(u64::MAX) * 3;
        assert_eq!(idr.decimal(huge, 0).to_string(), "553402322211286548.45");
        assert_eq!(idr.decimal(u128::MAX, 0), Decimal::MAX);
    }

    #[test]
    fn a_step_counts_and_writes_whole_steps() {
        let idr = Units::new(2, 2);
        let step = Step::new(decimal("1000"), &idr);
        assert_eq!(step.steps_in(2_125_000), 21);
        assert_eq!(step.units(21), 2_100_000);
        assert_eq!(step.decimal(21).to_string(), "21000");
        let usd = Units::new(2, 2);
        let cents = Step::new(decimal("0.05"), &usd);
        assert_eq!(cents.steps_in(1_234), 246);
        assert_eq!(cents.decimal(246).to_string(), "12.30");
    }

    /// The product rounded down, in plain 128-bit arithmetic on the decimals' digits.
    fn expected_steps(total: u64, rate: Decimal, multiplier: Decimal, step: u64) -> u64 {
        let numerator = u128::from(total)
            * u128::try_from(rate.mantissa()).unwrap()
            * u128::try_from(multiplier.mantissa()).unwrap();
        let divisor = 10_u128.pow(rate.scale() + multiplier.scale()) * u128::from(step);
        u64::try_from(numerator / divisor).unwrap_or(u64::MAX)
    }

    #[test]
    fn the_policy_amount_is_the_exact_product_rounded_down() {
        let idr = Units::new(2, 2);
        let step = Step::new(decimal("1000"), &idr);
        let steps = |total: &str, rate: &str, multiplier: &str| {
            let total = idr.of(&decimal(total)).unwrap();
            steps_in_product(
                total,
                Factor::new(decimal(rate)),
                Factor::new(decimal(multiplier)),
                &step,
            )
        };
        // 85,000 x 10% x 1.25 = 10,625: ten steps.
        assert_eq!(steps("85000", "0.1", "1.25"), 10);
        // 136,363.63 x 10% x 1.10 = 14,999.9993: fourteen, never fifteen.
        assert_eq!(steps("136363.63", "0.10", "1.1"), 14);
        assert_eq!(steps("136363.64", "0.10", "1.1"), 15);
        // The largest order at the largest factors takes the 128-bit way, exactly.
        assert_eq!(steps("1000000000000000", "1", "100"), 100_000_000_000_000);
        assert_eq!(
            steps("999999999999999.99", "0.999999", "99.999999"),
            expected_steps(
                99_999_999_999_999_999,
                decimal("0.999999"),
                decimal("99.999999"),
                100_000
            )
        );
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        for _ in 0..100_000 {
            let total = match next(3) {
                0 => next(10_000_000),
                1 => next(u64::MAX),
                _ => next(10_u64.pow(17)),
            };
            let rate = Decimal::new(next(1_000_001) as i64, next(7) as u32).normalize();
            let rate = rate.min(Decimal::ONE);
            let multiplier = Decimal::new(next(100_000_001) as i64, next(7) as u32).normalize();
            let multiplier = multiplier.min(Decimal::ONE_HUNDRED);
            let step_units = 1 + next(1_000_000);
            let step = Step {
                units: step_units,
                mantissa: step_units,
                scale: 2,
            };
            assert_eq!(
                steps_in_product(total, Factor::new(rate), Factor::new(multiplier), &step),
                expected_steps(total, rate, multiplier, step_units),
                "{total} x {rate} x {multiplier} / {step_units}"
            );
        }
    }
}
