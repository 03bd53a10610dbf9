//! Whole-day date arithmetic and differences of instants, the way `chrono` works them out, at a
//! fraction of the cost for dates a year or less apart.
//!
//! `chrono` counts days through its 400-year cycle whenever a result leaves the date's year: in
//! December, adding a 30-day voucher validity costs several times what it costs in November, and
//! every difference of two instants goes the long way. A decision does both on every request, so
//! the near cases are worked out here from the day of the year, and everything else, leap
//! seconds included, is handed to `chrono`. The tests check both ways agree.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta, Timelike};

/// Days in the year `year`.
fn days_in(year: i32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    if leap { 366 } else { 365 }
}

/// `date` plus `days` days, or `None` beyond the dates `chrono` holds: the same as
/// [`NaiveDate::checked_add_days`].
pub(crate) fn add_days(date: NaiveDate, days: u64) -> Option<NaiveDate> {
    let ordinal = u32::try_from(days)
        .ok()
        .and_then(|days| date.ordinal().checked_add(days));
    if let Some(ordinal) = ordinal {
        let in_year = days_in(date.year());
        if ordinal <= in_year {
            return date.with_ordinal(ordinal);
        }
        if ordinal - in_year <= 365 {
            return NaiveDate::from_yo_opt(date.year().checked_add(1)?, ordinal - in_year);
        }
    }
    date.checked_add_days(Days::new(days))
}

/// `date` minus `days` days, or `None` before the dates `chrono` holds: the same as
/// [`NaiveDate::checked_sub_days`].
pub(crate) fn sub_days(date: NaiveDate, days: u64) -> Option<NaiveDate> {
    let ordinal = date.ordinal();
    if let Ok(days) = u32::try_from(days) {
        if days < ordinal {
            return date.with_ordinal(ordinal - days);
        }
        // Into the year before, if not further.
        let year = date.year().checked_sub(1)?;
        let back = days - ordinal;
        if back < 365 {
            return NaiveDate::from_yo_opt(year, days_in(year) - back);
        }
    }
    date.checked_sub_days(Days::new(days))
}

/// Days from `earlier` to `later` when they are in the same year or the years next to each
/// other; `None` otherwise.
fn near_days_between(later: NaiveDate, earlier: NaiveDate) -> Option<i64> {
    let (later_year, earlier_year) = (later.year(), earlier.year());
    let (later_day, earlier_day) = (i64::from(later.ordinal()), i64::from(earlier.ordinal()));
    if later_year == earlier_year {
        Some(later_day - earlier_day)
    } else if later_year.checked_sub(1) == Some(earlier_year) {
        Some(i64::from(days_in(earlier_year)) - earlier_day + later_day)
    } else if earlier_year.checked_sub(1) == Some(later_year) {
        Some(-(i64::from(days_in(later_year)) - later_day + earlier_day))
    } else {
        None
    }
}

/// `later - earlier`: the same as [`NaiveDateTime::signed_duration_since`].
pub(crate) fn since(later: NaiveDateTime, earlier: NaiveDateTime) -> TimeDelta {
    let (later_nanos, earlier_nanos) = (later.nanosecond(), earlier.nanosecond());
    // A leap second (a nanosecond count of a second or more) takes chrono's way.
    if later_nanos < 1_000_000_000 && earlier_nanos < 1_000_000_000 {
        if let Some(days) = near_days_between(later.date(), earlier.date()) {
            let seconds = days * 86_400 + i64::from(later.time().num_seconds_from_midnight())
                - i64::from(earlier.time().num_seconds_from_midnight());
            let nanos = i64::from(later_nanos) - i64::from(earlier_nanos);
            let (seconds, nanos) = if nanos < 0 {
                (seconds - 1, nanos + 1_000_000_000)
            } else {
                (seconds, nanos)
            };
            if let Some(delta) = u32::try_from(nanos)
                .ok()
                .and_then(|nanos| TimeDelta::new(seconds, nanos))
            {
                return delta;
            }
        }
    }
    later.signed_duration_since(earlier)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::random::SplitMix64;

    /// A reproducible stream of numbers below a bound.
    fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut random = SplitMix64::new(seed);
        move |below| random.below(below)
    }

    fn date(next: &mut impl FnMut(u64) -> u64) -> NaiveDate {
        // Mostly around now, sometimes anywhere chrono reaches, sometimes at its ends.
        let near = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        match next(10) {
            0 => {
                NaiveDate::from_num_days_from_ce_opt(next(2 * 262_000 * 365) as i32 - 262_000 * 365)
                    .unwrap_or_default()
            }
            1 => [NaiveDate::MIN, NaiveDate::MAX][next(2) as usize]
                .checked_add_days(Days::new(next(800)))
                .or_else(|| NaiveDate::MAX.checked_sub_days(Days::new(next(800))))
                .unwrap_or_default(),
            _ => near
                .checked_add_days(Days::new(next(365 * 40)))
                .and_then(|date| date.checked_sub_days(Days::new(365 * 20)))
                .unwrap_or_default(),
        }
    }

    fn days(next: &mut impl FnMut(u64) -> u64) -> u64 {
        match next(8) {
            0 => next(u64::MAX),
            1 => next(1_000_000),
            2 => [0, 1, 364, 365, 366, 730, 731][next(7) as usize],
            _ => next(800),
        }
    }

    #[test]
    fn adding_and_subtracting_days_is_chrono_s() {
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let date = date(&mut next);
            let days = days(&mut next);
            assert_eq!(
                add_days(date, days),
                date.checked_add_days(Days::new(days)),
                "{date} + {days}"
            );
            assert_eq!(
                sub_days(date, days),
                date.checked_sub_days(Days::new(days)),
                "{date} - {days}"
            );
        }
        for date in [NaiveDate::MIN, NaiveDate::MAX] {
            for days in [0, 1, 365, 366, u64::from(u32::MAX), u64::MAX] {
                assert_eq!(add_days(date, days), date.checked_add_days(Days::new(days)));
                assert_eq!(sub_days(date, days), date.checked_sub_days(Days::new(days)));
            }
        }
    }

    #[test]
    fn differences_of_instants_are_chrono_s() {
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        for _ in 0..200_000 {
            let at = |next: &mut dyn FnMut(u64) -> u64, date: NaiveDate| {
                // Now and then inside a leap second.
                let nanos = match next(20) {
                    0 => 1_000_000_000 + next(1_000_000_000),
                    1 => 0,
                    _ => next(1_000_000_000),
                };
                let seconds = if nanos >= 1_000_000_000 {
                    86_399
                } else {
                    next(86_400)
                };
                date.and_hms_nano_opt(
                    (seconds / 3_600) as u32,
                    (seconds / 60 % 60) as u32,
                    (seconds % 60) as u32,
                    nanos as u32,
                )
                .unwrap_or_default()
            };
            let first = date(&mut next);
            // Mostly a few days apart, either way, sometimes far.
            let second = if next(4) == 0 {
                date(&mut next)
            } else {
                let days = Days::new(next(800));
                if next(2) == 0 {
                    first.checked_add_days(days)
                } else {
                    first.checked_sub_days(days)
                }
                .unwrap_or(first)
            };
            let (a, b) = (at(&mut next, first), at(&mut next, second));
            assert_eq!(since(a, b), a.signed_duration_since(b), "{a} - {b}");
            assert_eq!(since(b, a), b.signed_duration_since(a), "{b} - {a}");
        }
    }
}
