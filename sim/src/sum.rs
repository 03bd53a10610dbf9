//! Summing amounts of money as [`Decimal`] does, in integers while that is exact.

use rust_decimal::Decimal;

/// The largest mantissa a [`Decimal`] holds: 2^96 - 1.
const MAX_MANTISSA: i128 = (1 << 96) - 1;
/// The largest scale a [`Decimal`] holds.
const MAX_SCALE: u32 = 28;

/// A running sum of amounts that ends equal to `Decimal::ZERO.saturating_add(a).saturating_add(b)...`,
/// digit for digit and scale for scale, in a fraction of the time.
///
/// Adding two decimals keeps every digit when the result fits: the sum of the mantissas brought
/// to the larger scale. So while every amount is positive, every operand brought to the larger
/// scale fits and the sum fits, the sum is kept as one integer and one scale, and adding is an
/// integer addition. The first amount that could make [`Decimal`] round (or saturate), or a
/// negative one, turns the sum into a plain [`Decimal`] from then on, so the result is the same
/// as adding decimals in every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoneySum {
    /// `mantissa / 10^scale`, with `0 <= mantissa <= MAX_MANTISSA` and `scale <= MAX_SCALE`.
    Exact { mantissa: i128, scale: u32 },
    /// Summed as decimals.
    Decimal(Decimal),
}

impl Default for MoneySum {
    fn default() -> Self {
        MoneySum::Exact {
            mantissa: 0,
            scale: 0,
        }
    }
}

/// An amount to add to [`MoneySum`]s, its mantissa and scale read once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Addend {
    decimal: Decimal,
    /// The mantissa, or -1 for a negative amount (never added in integers).
    mantissa: i128,
    scale: u32,
}

impl Addend {
    pub fn new(decimal: Decimal) -> Self {
        let mantissa = if decimal.is_sign_negative() {
            -1
        } else {
            decimal.mantissa()
        };
        Addend {
            decimal,
            mantissa,
            scale: decimal.scale(),
        }
    }
}

impl MoneySum {
    /// Adds `amount`: one integer addition when the sum and the amount have the same scale.
    #[inline]
    pub fn add_amount(&mut self, amount: &Addend) {
        if let MoneySum::Exact { mantissa, scale } = self {
            if amount.scale == *scale && amount.mantissa >= 0 {
                // Both are at most `MAX_MANTISSA`: no overflow.
                let sum = mantissa.saturating_add(amount.mantissa);
                if sum <= MAX_MANTISSA {
                    *mantissa = sum;
                    return;
                }
            }
        }
        self.add(amount.decimal);
    }

    /// Adds `amount`.
    #[inline(never)]
    pub fn add(&mut self, amount: Decimal) {
        *self = match *self {
            MoneySum::Exact { mantissa, scale } => match exact_sum(mantissa, scale, amount) {
                Some((mantissa, scale)) => MoneySum::Exact { mantissa, scale },
                None => MoneySum::Decimal(to_decimal(mantissa, scale).saturating_add(amount)),
            },
            MoneySum::Decimal(sum) => MoneySum::Decimal(sum.saturating_add(amount)),
        };
    }

    /// Adds the sum `other`: the same as adding its amounts one by one whenever the total fits
    /// a decimal exactly (at most 28 significant digits, as every sum of vouchers in practice);
    /// beyond that both ways round, and may round differently.
    pub fn merge(&mut self, other: &MoneySum) {
        match *other {
            MoneySum::Exact { mantissa, scale } => self.add_amount(&Addend {
                decimal: to_decimal(mantissa, scale),
                mantissa,
                scale,
            }),
            MoneySum::Decimal(sum) => self.add(sum),
        }
    }

    /// The sum.
    pub fn to_decimal(self) -> Decimal {
        match self {
            MoneySum::Exact { mantissa, scale } => to_decimal(mantissa, scale),
            MoneySum::Decimal(sum) => sum,
        }
    }
}

/// `mantissa / 10^scale + amount` as a mantissa and a scale, when a decimal addition would keep
/// every digit of it.
#[inline]
fn exact_sum(mantissa: i128, scale: u32, amount: Decimal) -> Option<(i128, u32)> {
    if amount.is_sign_negative() {
        return None;
    }
    let (amount_mantissa, amount_scale) = (amount.mantissa(), amount.scale());
    let (left, right, scale) = if amount_scale == scale {
        (mantissa, amount_mantissa, scale)
    } else if amount_scale > scale {
        let left = rescale(mantissa, amount_scale - scale)?;
        (left, amount_mantissa, amount_scale)
    } else {
        let right = rescale(amount_mantissa, scale - amount_scale)?;
        (mantissa, right, scale)
    };
    let sum = left.checked_add(right)?;
    (sum <= MAX_MANTISSA && scale <= MAX_SCALE).then_some((sum, scale))
}

/// `mantissa * 10^digits`, when it still fits a decimal.
fn rescale(mantissa: i128, digits: u32) -> Option<i128> {
    let factor = 10i128.checked_pow(digits)?;
    mantissa
        .checked_mul(factor)
        .filter(|scaled| *scaled <= MAX_MANTISSA)
}

fn to_decimal(mantissa: i128, scale: u32) -> Decimal {
    // Always fits: `Exact` keeps the mantissa and the scale within a decimal's range.
    Decimal::try_from_i128_with_scale(mantissa, scale).unwrap_or(Decimal::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums `amounts` both ways and checks they agree digit for digit.
    fn agrees(amounts: &[Decimal]) {
        let mut fast = MoneySum::default();
        let mut slow = Decimal::ZERO;
        for (index, amount) in amounts.iter().enumerate() {
            if index % 2 == 0 {
                fast.add(*amount);
            } else {
                fast.add_amount(&Addend::new(*amount));
            }
            slow = slow.saturating_add(*amount);
            let got = fast.to_decimal();
            assert_eq!(
                (got.to_string(), got.scale()),
                (slow.to_string(), slow.scale()),
                "after adding {amount} in {amounts:?}"
            );
        }
    }

    /// A xorshift stream from `seed`, for random amounts that are the same on every run.
    fn stream(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    #[test]
    fn sums_like_decimal_on_random_amounts() {
        let mut next = stream(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let amounts: Vec<Decimal> = (0..20)
                .map(|_| {
                    let scale = (next() % 5) as u32;
                    let mantissa = i64::try_from(next() % 10_000_000).unwrap_or(0);
                    Decimal::new(mantissa, scale)
                })
                .collect();
            agrees(&amounts);
        }
    }

    /// Sums split into pieces and merged agree with adding every amount one by one, digit for
    /// digit and scale for scale, whenever the total fits a decimal.
    #[test]
    fn merged_pieces_sum_like_decimal() {
        let mut next = stream(0x2545_f491_4f6c_dd1d);
        for round in 0..2_000 {
            let amounts: Vec<Decimal> = (0..30)
                .map(|_| {
                    let scale = (next() % 4) as u32;
                    let mantissa = i64::try_from(next() % 50_000_000).unwrap_or(0);
                    Decimal::new(mantissa, scale)
                })
                .collect();
            let pieces = 1 + round % 7;
            let mut parts = vec![MoneySum::default(); pieces];
            let mut slow = Decimal::ZERO;
            for amount in &amounts {
                let piece = (next() % pieces as u64) as usize;
                parts[piece].add_amount(&Addend::new(*amount));
                slow = slow.saturating_add(*amount);
            }
            let mut merged = MoneySum::default();
            for part in &parts {
                merged.merge(part);
            }
            let got = merged.to_decimal();
            assert_eq!(
                (got.to_string(), got.scale()),
                (slow.to_string(), slow.scale()),
                "{amounts:?} in {pieces} pieces"
            );
        }
        // A piece summed as decimals (past what integers hold) merges as a decimal.
        let mut huge = MoneySum::default();
        huge.add(Decimal::MAX);
        let mut merged = MoneySum::default();
        merged.merge(&MoneySum::default());
        merged.merge(&huge);
        assert_eq!(merged.to_decimal(), Decimal::MAX);
    }

    #[test]
    fn sums_like_decimal_at_the_edges() {
        let huge = Decimal::MAX - Decimal::from(3);
        let cases: [&[Decimal]; 6] = [
            &[huge, Decimal::from(2), Decimal::from(5), Decimal::ONE],
            &[Decimal::new(15, 1), Decimal::new(15, 1), Decimal::from(3)],
            &[Decimal::new(1, 28), Decimal::from(1_000_000)],
            &[Decimal::from(10), Decimal::new(-25, 1), Decimal::from(1)],
            &[Decimal::new(1_000, 2), Decimal::ZERO, Decimal::new(5, 3)],
            &[Decimal::MAX, Decimal::MAX, Decimal::ONE],
        ];
        for amounts in cases {
            agrees(amounts);
        }
        assert_eq!(MoneySum::default().to_decimal(), Decimal::ZERO);
        assert_eq!(MoneySum::default().to_decimal().scale(), 0);
    }
}
