//! Currencies, exact amounts and the rounding rules the policy applies to them.

use std::fmt;
use std::str::FromStr;

use crate::wire_text::serde_as_text;
use rust_decimal::{Decimal, RoundingStrategy};

/// An ISO 4217 currency code such as `IDR` or `USD`.
///
/// Stored inline (three ASCII letters), so it is `Copy` and comparing two codes never allocates.
///
/// ```
/// use voucher_policy::Currency;
///
/// let idr: Currency = "IDR".parse()?;
/// assert_eq!(idr.as_str(), "IDR");
/// assert!("idr".parse::<Currency>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Indonesian rupiah, the embedded default policy's currency.
    pub const IDR: Currency = Currency(*b"IDR");

    /// The three-letter code.
    pub fn as_str(&self) -> &str {
        // The bytes are checked to be ASCII uppercase letters on construction.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

/// The text was not a three-letter uppercase currency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a currency code (three uppercase letters, like IDR)")]
pub struct CurrencyCodeError(String);

impl FromStr for Currency {
    type Err = CurrencyCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Currency([a, b, c])),
            _ => Err(CurrencyCodeError(s.to_owned())),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

serde_as_text!(Currency);

/// Rounds `amount` down to a whole multiple of `step` (a positive amount such as 1,000 or 0.01).
///
/// Rounding is always toward zero for the positive amounts the policy deals in, so a voucher is
/// never worth more than the policy computed. Returns `None` only if `step` is not positive.
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
pub fn round_down_to_step(amount: Decimal, step: Decimal) -> Option<Decimal> {
    if step <= Decimal::ZERO {
        return None;
    }
    if let Some(rounded) = round_down_in_integers(amount, step) {
        return Some(rounded);
    }
    let steps = amount
        .checked_div(step)?
        .round_dp_with_strategy(0, RoundingStrategy::ToZero);
    let rounded = steps.checked_mul(step)?;
    // Keep the step's scale so 21000 prints as 21000, not 21000.000.
    Some(rounded.round_dp_with_strategy(step.scale(), RoundingStrategy::ToZero))
}

/// The same rounding in integer arithmetic, several times faster than dividing decimals (it runs
/// five times in every decision): both amounts as integers at their common scale, the whole
/// number of steps by integer division, times the step. Exact; `None` (use decimal arithmetic)
/// for a negative amount or when an integer would not fit.
fn round_down_in_integers(amount: Decimal, step: Decimal) -> Option<Decimal> {
    if amount.is_sign_negative() {
        return None;
    }
    let scale = amount.scale().max(step.scale());
    let at_scale = |value: Decimal| {
        10i128
            .checked_pow(scale - value.scale())
            .and_then(|factor| value.mantissa().checked_mul(factor))
    };
    let (amount_units, step_units) = (at_scale(amount)?, at_scale(step)?);
    // Dividing 64-bit integers is several times faster than 128-bit; money nearly always fits.
    let steps = match (u64::try_from(amount_units), u64::try_from(step_units)) {
        (Ok(amount), Ok(step)) => i128::from(amount.checked_div(step)?),
        _ => amount_units.checked_div(step_units)?,
    };
    Decimal::try_from_i128_with_scale(steps.checked_mul(step.mantissa())?, step.scale()).ok()
}

/// How amounts are written for a reader: the separators, and what stands before the digits.
///
/// A script catalog says this for its locale (`[format]` in the catalog file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AmountFormat {
    /// Between groups of three digits: `.` in `Rp50.000`, `,` in `IDR 50,000`.
    pub thousands: char,
    /// Before the decimals: `,` in `USD 1.234,05`, `.` in `USD 12.50`.
    pub decimal: char,
    /// Written right before the digits, instead of the currency code and a space, for the
    /// currencies listed (`Rp` for IDR in Indonesian).
    pub prefixes: Vec<(Currency, Box<str>)>,
}

/// Writes `amount` in `currency` for a reader, with as many decimals as `scale` (the currency
/// step's scale), rounded down so the words never promise more than the voucher holds.
pub(crate) fn write_amount(
    out: &mut impl fmt::Write,
    amount: Decimal,
    currency: Currency,
    scale: u32,
    format: &AmountFormat,
) -> fmt::Result {
    match format
        .prefixes
        .iter()
        .find(|(listed, _)| *listed == currency)
    {
        Some((_, prefix)) => out.write_str(prefix)?,
        None => write!(out, "{currency} ")?,
    }
    let amount = amount.round_dp_with_strategy(scale, RoundingStrategy::ToZero);
    if amount.is_sign_negative() && !amount.is_zero() {
        out.write_char('-')?;
    }
    let whole = amount.abs().trunc();
    let fraction = amount.abs().fract();
    // Decimal's mantissa fits in u128, so the whole part does too.
    let whole_digits = whole.mantissa().unsigned_abs() / 10u128.pow(whole.scale());
    write_grouped(out, whole_digits, format.thousands)?;
    if scale > 0 {
        out.write_char(format.decimal)?;
        let digits = fraction.mantissa().unsigned_abs();
        let digits = if fraction.scale() >= scale {
            digits / 10u128.pow(fraction.scale() - scale)
        } else {
            digits * 10u128.pow(scale - fraction.scale())
        };
        write!(out, "{digits:0width$}", width = scale as usize)?;
    }
    Ok(())
}

fn write_grouped(out: &mut impl fmt::Write, value: u128, group: char) -> fmt::Result {
    if value < 1000 {
        return write!(out, "{value}");
    }
    write_grouped(out, value / 1000, group)?;
    write!(out, "{group}{:03}", value % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy)]
    enum AmountStyle {
        Indonesian,
        English,
    }

    fn written(amount: &str, currency: &str, scale: u32, style: AmountStyle) -> String {
        let format = match style {
            AmountStyle::Indonesian => AmountFormat {
                thousands: '.',
                decimal: ',',
                prefixes: vec![(Currency::IDR, "Rp".into())],
            },
            AmountStyle::English => AmountFormat {
                thousands: ',',
                decimal: '.',
                prefixes: Vec::new(),
            },
        };
        let mut out = String::new();
        write_amount(
            &mut out,
            amount.parse().unwrap(),
            currency.parse().unwrap(),
            scale,
            &format,
        )
        .unwrap();
        out
    }

    #[test]
    fn rupiah_is_written_the_indonesian_way_and_the_english_way() {
        assert_eq!(
            written("50000", "IDR", 0, AmountStyle::Indonesian),
            "Rp50.000"
        );
        assert_eq!(
            written("50000", "IDR", 0, AmountStyle::English),
            "IDR 50,000"
        );
        assert_eq!(
            written("1250000", "IDR", 0, AmountStyle::English),
            "IDR 1,250,000"
        );
        assert_eq!(written("999", "IDR", 0, AmountStyle::Indonesian), "Rp999");
    }

    #[test]
    fn fractional_currencies_keep_the_step_scale() {
        assert_eq!(written("12.5", "USD", 2, AmountStyle::English), "USD 12.50");
        assert_eq!(
            written("1234.05", "USD", 2, AmountStyle::Indonesian),
            "USD 1.234,05"
        );
        assert_eq!(written("0.07", "USD", 2, AmountStyle::English), "USD 0.07");
    }

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
    fn currency_codes_are_three_uppercase_letters() {
        assert!("IDR".parse::<Currency>().is_ok());
        for bad in ["", "ID", "IDRR", "idr", "I1R", "ÍDR"] {
            assert!(bad.parse::<Currency>().is_err(), "{bad:?}");
        }
    }
}
