//! How amounts are written in a script: separators, and the prefix before the digits.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::Currency;

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
}
