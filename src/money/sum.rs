//! An exact sum of amounts: what a customer was granted inside a window.

use rust_decimal::Decimal;

/// A sum of positive amounts kept exact, whatever their number of decimals and whatever the
/// order they are added in.
///
/// `rust_decimal` holds 28 or 29 significant digits and rounds what does not fit, so adding
/// amounts one by one is neither exact (95,000 + 10^-28 becomes 95,000) nor independent of the
/// order. This sum keeps the whole part and the part below one (in units of 10^-28, the finest
/// a `Decimal` has) apart, so nothing is rounded until the result is read, and then always
/// toward zero.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExactSum {
    /// The whole units; saturates at `i128::MAX`, far above any `Decimal`.
    whole: i128,
    /// The part below one, in units of 10^-28: `0 <= part < 10^28`.
    part: i128,
    /// The largest scale of the amounts added, the scale the result is written at when it fits.
    scale: u32,
}

/// 10^28: one whole unit in the units of [`ExactSum::part`].
const ONE: i128 = 10_000_000_000_000_000_000_000_000_000;

impl ExactSum {
    /// The sum of nothing.
    pub fn new() -> Self {
        ExactSum::default()
    }

    /// An amount on its own (negative amounts count as zero).
    pub fn of(amount: Decimal) -> Self {
        ExactSum::new().plus(amount)
    }

    /// This sum plus a positive `amount` (a negative one adds nothing).
    pub fn plus(mut self, amount: Decimal) -> Self {
        self.add(&amount);
        self
    }

    /// Adds a positive `amount` to this sum (a negative one adds nothing), in place: the
    /// history pass adds an amount a voucher, and a sum is 48 bytes to copy in and out.
    #[inline]
    pub fn add(&mut self, amount: &Decimal) {
        if amount.is_sign_negative() || amount.is_zero() {
            return;
        }
        let scale = amount.scale();
        if scale == 0 {
            // A whole amount (rupiah, the usual case): no part below one, no 128-bit division.
            self.whole = self.whole.saturating_add(amount.mantissa());
            return;
        }
        let unit = 10i128.pow(scale);
        let mantissa = amount.mantissa();
        // A `Decimal` has at most 28 decimals, so the part scales up to 10^-28 exactly.
        let part = (mantissa % unit) * 10i128.pow(28 - scale);
        self.whole = self.whole.saturating_add(mantissa / unit);
        self.part += part;
        if self.part >= ONE {
            self.part -= ONE;
            self.whole = self.whole.saturating_add(1);
        }
        self.scale = self.scale.max(scale);
    }

    /// What is left of `limit` once this sum is taken from it, rounded toward zero to a
    /// `Decimal`; zero when the sum reaches the limit.
    pub fn left_of(self, limit: Decimal) -> Decimal {
        if self.part == 0 && self.scale == 0 && limit.scale() == 0 && !limit.is_sign_negative() {
            // Whole amounts and a whole limit (rupiah, the usual case): one subtraction.
            let left = limit.mantissa().saturating_sub(self.whole);
            if left <= 0 {
                return Decimal::ZERO;
            }
            // Any real limit fits 64 bits, where a decimal is made without a range check.
            if let Ok(left) = i64::try_from(left) {
                return Decimal::new(left, 0);
            }
            if let Ok(left) = Decimal::try_from_i128_with_scale(left, 0) {
                return left;
            }
        }
        let limit = ExactSum::of(limit);
        let mut whole = limit.whole - self.whole;
        let mut part = limit.part - self.part;
        if part < 0 {
            part += ONE;
            whole -= 1;
        }
        if whole < 0 {
            return Decimal::ZERO;
        }
        ExactSum {
            whole,
            part,
            scale: self.scale.max(limit.scale),
        }
        .to_decimal()
    }

    /// The sum as a `Decimal` at the largest scale of its amounts, or at the largest scale it
    /// fits in, rounded toward zero; `Decimal::MAX` when it is larger.
    pub fn to_decimal(self) -> Decimal {
        if self.part == 0 && self.scale == 0 {
            // A whole sum of whole amounts: written as it is, when it fits.
            if let Ok(sum) = Decimal::try_from_i128_with_scale(self.whole, 0) {
                return sum;
            }
        }
        (0..=self.scale.min(28))
            .rev()
            .find_map(|scale| {
                let mantissa = self
                    .whole
                    .checked_mul(10i128.pow(scale))?
                    .checked_add(self.part / 10i128.pow(28 - scale))?;
                Decimal::try_from_i128_with_scale(mantissa, scale).ok()
            })
            .unwrap_or(Decimal::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(amounts: &[&str]) -> ExactSum {
        amounts.iter().fold(ExactSum::new(), |sum, amount| {
            sum.plus(amount.parse().unwrap())
        })
    }

    #[test]
    fn an_exact_sum_keeps_every_digit_and_rounds_only_toward_zero() {
        let used = sum(&["95000", "0.0000000000000000000000000001"]);
        let left = used.left_of(Decimal::from(100_000));
        assert_eq!(left.to_string(), "4999.9999999999999999999999999");
        assert!(left < Decimal::from(5_000));
        assert_eq!(
            used.to_decimal().to_string(),
            "95000.00000000000000000000000"
        );
        assert_eq!(
            sum(&["10000.50", "5000"]).to_decimal().to_string(),
            "15000.50"
        );
        assert_eq!(sum(&["10000", "15000"]).to_decimal().to_string(), "25000");
        assert_eq!(
            sum(&["120000"]).left_of(Decimal::from(100_000)),
            Decimal::ZERO
        );
        assert_eq!(
            sum(&["100000"]).left_of(Decimal::from(100_000)),
            Decimal::ZERO
        );
    }

    #[test]
    fn an_exact_sum_does_not_depend_on_the_order() {
        let big = "39614081257132168796771975168";
        let forward = sum(&[big, "0.5", "0.5"]);
        let backward = sum(&["0.5", "0.5", big]);
        assert_eq!(forward, backward);
        assert_eq!(
            forward.to_decimal().to_string(),
            "39614081257132168796771975169"
        );
    }

    #[test]
    fn an_exact_sum_saturates_at_the_largest_decimal() {
        let max = Decimal::MAX.to_string();
        let used = sum(&[&max, &max, &max]);
        assert_eq!(used.to_decimal(), Decimal::MAX);
        assert_eq!(used.left_of(Decimal::MAX), Decimal::ZERO);
        assert_eq!(sum(&["-5", "0"]), ExactSum::new());
    }
}
