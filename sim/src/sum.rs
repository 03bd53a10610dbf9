//! Summing the vouchers of a replay.

use rust_decimal::Decimal;

/// A running sum of voucher amounts, exact.
///
/// The engine writes every voucher of a policy as a whole multiple of its step at the step's
/// scale, with at most four decimal places and at most 10^15, so the sum is a sum of mantissas
/// at that scale: one integer addition a voucher. An amount at another scale (only a sum merged
/// from another policy's replay has one) is brought to the finer scale first, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct MoneySum {
    /// The sum is `mantissa / 10^scale`.
    mantissa: i128,
    scale: u32,
}

impl MoneySum {
    /// Adds a voucher's amount.
    #[inline]
    pub fn add(&mut self, amount: Decimal) {
        self.add_parts(amount.mantissa(), amount.scale());
    }

    /// Adds the sum `other`.
    pub fn merge(&mut self, other: &MoneySum) {
        self.add_parts(other.mantissa, other.scale);
    }

    #[inline]
    fn add_parts(&mut self, mantissa: i128, scale: u32) {
        if scale == self.scale {
            self.mantissa = self.mantissa.saturating_add(mantissa);
            return;
        }
        self.add_rescaled(mantissa, scale);
    }

    #[inline(never)]
    fn add_rescaled(&mut self, mantissa: i128, scale: u32) {
        let at = |value: i128, from: u32, to: u32| {
            10_i128
                .checked_pow(to - from)
                .and_then(|factor| value.checked_mul(factor))
                .unwrap_or(i128::MAX)
        };
        if scale > self.scale {
            self.mantissa = at(self.mantissa, self.scale, scale).saturating_add(mantissa);
            self.scale = scale;
        } else {
            self.mantissa = self
                .mantissa
                .saturating_add(at(mantissa, scale, self.scale));
        }
    }

    /// The sum, at the scale of its amounts; `Decimal::MAX` beyond what a decimal holds.
    pub fn to_decimal(self) -> Decimal {
        Decimal::try_from_i128_with_scale(self.mantissa, self.scale).unwrap_or(Decimal::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_like_decimal_at_the_scale_of_the_amounts() {
        let mut sum = MoneySum::default();
        let mut expected = Decimal::ZERO;
        for units in 0..1_000_i64 {
            let amount = Decimal::new(units * 1_000, 0);
            sum.add(amount);
            expected += amount;
        }
        assert_eq!(sum.to_decimal().to_string(), expected.to_string());
        let mut cents = MoneySum::default();
        cents.add(Decimal::new(1_250, 2));
        cents.add(Decimal::new(7_500, 2));
        assert_eq!(cents.to_decimal().to_string(), "87.50");
        assert_eq!(MoneySum::default().to_decimal().to_string(), "0");
    }

    #[test]
    fn merged_sums_of_other_scales_are_exact() {
        let mut rupiah = MoneySum::default();
        rupiah.add(Decimal::new(21_000, 0));
        let mut cents = MoneySum::default();
        cents.add(Decimal::new(1_005, 2));
        rupiah.merge(&cents);
        assert_eq!(rupiah.to_decimal().to_string(), "21010.05");
        cents.merge(&rupiah);
        assert_eq!(cents.to_decimal().to_string(), "21020.10");
        let mut huge = MoneySum::default();
        huge.add(Decimal::MAX);
        huge.add(Decimal::MAX);
        assert_eq!(huge.to_decimal(), Decimal::MAX);
    }
}
