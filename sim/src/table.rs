//! Text tables and numbers written for a reader, for the printed reports.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use voucher_policy::Currency;

/// A table of text: the first column left-aligned, the others right-aligned.
pub(crate) struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<const N: usize>(header: [&str; N]) -> Self {
        Table {
            rows: vec![header.iter().map(|cell| (*cell).to_owned()).collect()],
        }
    }

    pub fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows.push(cells.into());
    }

    /// Writes the table, indented by two spaces under its header.
    pub fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|column| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(column))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for (index, row) in self.rows.iter().enumerate() {
            let indent = if index == 0 { "" } else { "  " };
            let mut line = String::new();
            for (column, (cell, width)) in row.iter().zip(&widths).enumerate() {
                if column == 0 {
                    // The header's first cell spans the indent too.
                    let width = if index == 0 { width + 2 } else { *width };
                    line.push_str(&format!("{indent}{cell:<width$}"));
                } else {
                    line.push_str(&format!("  {cell:>width$}"));
                }
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// A count with thousands separators: `1,234,567`.
pub(crate) fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A signed difference of counts: `+1,234`, `-56`, `0`.
pub(crate) fn signed(value: i128) -> String {
    let magnitude = count(u64::try_from(value.unsigned_abs()).unwrap_or(u64::MAX));
    match value.signum() {
        1 => format!("+{magnitude}"),
        -1 => format!("-{magnitude}"),
        _ => magnitude,
    }
}

/// A share as a percentage with one decimal: `61.2%`; `-` when there is none.
pub(crate) fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |share| format!("{:.1}%", share * 100.0))
}

/// A difference of shares in percentage points: `+1.5 pt`.
pub(crate) fn points(difference: Option<f64>) -> String {
    difference.map_or_else(|| "-".to_owned(), |d| format!("{:+.1} pt", d * 100.0))
}

/// An amount: `IDR 1,250,000`, `USD 12.50`.
pub(crate) fn money(amount: Decimal, currency: Currency, scale: u32) -> String {
    // Rounded toward zero, as the scripts write amounts: a report never shows more than was
    // granted.
    let amount = amount.round_dp_with_strategy(scale, RoundingStrategy::ToZero);
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    let digits = format!("{:.*}", scale as usize, amount.abs());
    let (whole, fraction) = digits.split_at(digits.find('.').unwrap_or(digits.len()));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{currency} {sign}{grouped}{fraction}")
}

/// A signed amount: `+IDR 12,000`, `-IDR 5,000`.
pub(crate) fn signed_money(amount: Decimal, currency: Currency, scale: u32) -> String {
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else if amount.is_zero() {
        ""
    } else {
        "+"
    };
    format!("{sign}{}", money(amount.abs(), currency, scale))
}

/// A count that may be over-estimated: `17`, or `17 (at most 3 too many)`.
pub(crate) fn estimate(value: u64, overcount: u64) -> String {
    if overcount == 0 {
        count(value)
    } else {
        format!("{} (at most {} too many)", count(value), count(overcount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_for_a_reader() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(signed(-1_234), "-1,234");
        assert_eq!(signed(56), "+56");
        assert_eq!(signed(0), "0");
        assert_eq!(percent(Some(0.6123)), "61.2%");
        assert_eq!(percent(None), "-");
        assert_eq!(points(Some(-0.015)), "-1.5 pt");
        let idr = Currency::IDR;
        assert_eq!(money(Decimal::from(1_250_000), idr, 0), "IDR 1,250,000");
        assert_eq!(signed_money(Decimal::from(-5_000), idr, 0), "-IDR 5,000");
        assert_eq!(signed_money(Decimal::from(12_000), idr, 0), "+IDR 12,000");
        assert_eq!(estimate(17, 3), "17 (at most 3 too many)");
    }
}
