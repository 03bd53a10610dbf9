//! When a customer refused by a history limit may be compensated again: the earliest moment from
//! which none of the limits that fired would fire, with no new voucher.
//!
//! Worked out only for a refusal by a history limit, from the history itself: the outcome says
//! which limits fired ([`Clearing`]), and the generic side of the engine, which holds the
//! history, answers when each clears ([`clears_at`]).

use arrayvec::ArrayVec;
use chrono::{DateTime, FixedOffset, NaiveDateTime};

use crate::HistoryEntry;
use crate::money::Units;
use crate::time::{Direction, Span, moved};
use crate::{Severity, Window};

/// A limit that fired, as its clearing is worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clearing {
    /// At most `limit - 1` vouchers (minor ones only, for the pattern) may stay inside `window`:
    /// a count limit, the minor cool-down (a limit of one), the repeated-minor pattern.
    Count {
        window: Span,
        limit: u32,
        minor_only: bool,
    },
    /// At most `room` units of value may stay inside `window`: a value limit less the minimum
    /// voucher.
    Value { window: Span, room: u128 },
}

/// The most limits a decision clears at once: four of count, four of value, the cool-down and
/// the pattern.
pub(crate) const MOST: usize = 10;

/// How many past vouchers inside the windows are sorted on the stack; a history with more
/// inside them is searched instead.
const SORTED: usize = 256;

/// Answers when the limits fired clear, from the history the decision was made on.
pub(crate) type ClearsAt<'a> = &'a dyn Fn(&[Clearing]) -> Option<NaiveDateTime>;

/// The earliest instant (UTC) from which none of `limits` fires on `history` at `now`, with no
/// new voucher; `None` when one never clears inside the dates chrono holds.
pub(crate) fn clears_at<H: HistoryEntry>(
    history: &[H],
    units: &Units,
    now: DateTime<FixedOffset>,
    limits: &[Clearing],
) -> Option<NaiveDateTime> {
    // A limit of no voucher at all never lifts.
    if limits
        .iter()
        .any(|limit| matches!(limit, Clearing::Count { limit: 0, .. }))
    {
        return None;
    }
    let now = now.naive_utc();
    let longest = limits
        .iter()
        .map(|limit| match limit {
            Clearing::Count { window, .. } | Clearing::Value { window, .. } => *window,
        })
        .max_by_key(|span| span.window)?;
    let start = moved(now, longest, Direction::Earlier);
    // The vouchers inside the longest window, newest first.
    let mut inside: ArrayVec<Past, SORTED> = ArrayVec::new();
    for past in history {
        let at = past.granted_at().naive_utc();
        if start.is_some_and(|start| at <= start) || at > now {
            continue;
        }
        let amount = units
            .quickly(past.amount())
            .or_else(|| units.of(past.amount()).ok())?;
        let minor = past.severity() == Some(Severity::Minor);
        let past = Past {
            at,
            units: amount,
            minor,
        };
        if inside.try_push(past).is_err() {
            return searched(history, units, now, limits);
        }
    }
    inside.sort_unstable_by_key(|past| std::cmp::Reverse(past.at));
    let mut latest = now;
    for limit in limits {
        let clears = match *limit {
            Clearing::Count {
                window,
                limit,
                minor_only,
            } => {
                // The limit-th newest voucher it counts leaves the window last of those that
                // must; with one fewer inside, the limit no longer fires.
                let nth = usize::try_from(limit).ok()?.checked_sub(1);
                let at = match nth {
                    None => return None,
                    Some(nth) => inside
                        .iter()
                        .filter(|past| !minor_only || past.minor)
                        .nth(nth)
                        .map(|past| past.at),
                };
                at.and_then(|at| moved(at, window, Direction::Later))
            }
            Clearing::Value { window, room } => {
                let mut sum: u128 = 0;
                let first_over = inside.iter().find(|past| {
                    sum += u128::from(past.units);
                    sum > room
                });
                first_over.and_then(|past| moved(past.at, window, Direction::Later))
            }
        };
        // A limit that does not fire on these vouchers (a window that holds none) clears now.
        latest = latest.max(clears.unwrap_or(now));
    }
    Some(latest)
}

/// A past voucher inside the windows, as the clearing needs it.
#[derive(Debug, Clone, Copy)]
struct Past {
    at: NaiveDateTime,
    units: u64,
    minor: bool,
}

/// [`clears_at`] for a history with more vouchers inside the windows than are sorted: the
/// earliest instant at which no limit fires, found by halving, to the nanosecond.
#[cold]
#[inline(never)]
fn searched<H: HistoryEntry>(
    history: &[H],
    units: &Units,
    now: NaiveDateTime,
    limits: &[Clearing],
) -> Option<NaiveDateTime> {
    let fires_at = |at: NaiveDateTime| {
        limits.iter().any(|limit| match *limit {
            Clearing::Count {
                window,
                limit,
                minor_only,
            } => {
                let start = moved(at, window, Direction::Earlier);
                let held = history
                    .iter()
                    .filter(|past| {
                        let granted = past.granted_at().naive_utc();
                        granted <= now
                            && start.is_none_or(|start| granted > start)
                            && (!minor_only || past.severity() == Some(Severity::Minor))
                    })
                    .count();
                u32::try_from(held).unwrap_or(u32::MAX) >= limit
            }
            Clearing::Value { window, room } => {
                let start = moved(at, window, Direction::Earlier);
                let held: u128 = history
                    .iter()
                    .filter(|past| {
                        let granted = past.granted_at().naive_utc();
                        granted <= now && start.is_none_or(|start| granted > start)
                    })
                    .filter_map(|past| units.of(past.amount()).ok())
                    .map(u128::from)
                    .sum();
                held > room
            }
        })
    };
    // Every voucher has left every window one longest window after now.
    let longest = limits
        .iter()
        .map(|limit| match limit {
            Clearing::Count { window, .. } | Clearing::Value { window, .. } => window.window,
        })
        .max()
        .unwrap_or(Window::DAY);
    let nanos = longest.as_delta().num_nanoseconds()?;
    let at = |offset: i64| now.checked_add_signed(chrono::TimeDelta::nanoseconds(offset));
    let (mut low, mut high) = (0_i64, nanos);
    while low < high {
        let middle = low + (high - low) / 2;
        if at(middle).is_none_or(fires_at) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    at(low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, OrderId, PastVoucher};

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn voucher(granted: &str, amount: i64, severity: Severity) -> PastVoucher {
        PastVoucher::new(OrderId::new("1"), amount, Currency::IDR, at(granted))
            .with_severity(severity)
    }

    fn days(days: i64) -> Span {
        Span::of(Window::days(days).unwrap())
    }

    #[test]
    fn a_count_limit_clears_when_the_oldest_voucher_that_must_go_leaves_its_window() {
        let now = at("2026-11-24T10:00:00+07:00");
        let history = [
            voucher("2026-11-18T12:00:00+07:00", 10_000, Severity::Minor),
            voucher("2026-11-20T12:00:00+07:00", 10_000, Severity::Minor),
            voucher("2026-11-22T12:00:00+07:00", 15_000, Severity::Moderate),
        ];
        let units = Units::new(2, 2);
        // Three in seven days, limit three: two may stay, so the oldest must leave.
        let three = Clearing::Count {
            window: days(7),
            limit: 3,
            minor_only: false,
        };
        assert_eq!(
            clears_at(&history, &units, now, &[three]),
            Some(at("2026-11-25T12:00:00+07:00").naive_utc())
        );
        // Any voucher in the cool-down: the newest must leave.
        let cooldown = Clearing::Count {
            window: days(7),
            limit: 1,
            minor_only: false,
        };
        assert_eq!(
            clears_at(&history, &units, now, &[three, cooldown]),
            Some(at("2026-11-29T12:00:00+07:00").naive_utc())
        );
        // Two minor ones in 30 days, a pattern of two: the older minor one must leave.
        let pattern = Clearing::Count {
            window: days(30),
            limit: 2,
            minor_only: true,
        };
        assert_eq!(
            clears_at(&history, &units, now, &[pattern]),
            Some(at("2026-12-18T12:00:00+07:00").naive_utc())
        );
        // 35,000 used of a 38,000 limit, minimum 5,000: room for 33,000, so the newest 15,000
        // and the 10,000 before it may stay, and the oldest must go.
        let value = Clearing::Value {
            window: days(30),
            room: 3_300_000,
        };
        assert_eq!(
            clears_at(&history, &units, now, &[value]),
            Some(at("2026-12-18T12:00:00+07:00").naive_utc())
        );
        // The same answers when the history is too long to sort.
        let long: Vec<PastVoucher> = (0..SORTED)
            .map(|_| voucher("2026-10-01T00:00:00+07:00", 10_000, Severity::Major))
            .chain(history.iter().cloned())
            .collect();
        let year = Clearing::Count {
            window: days(365),
            limit: 259,
            minor_only: false,
        };
        assert_eq!(
            clears_at(&long, &units, now, &[year]),
            Some(at("2027-10-01T00:00:00+07:00").naive_utc())
        );
        assert_eq!(
            clears_at(&long, &units, now, &[three]),
            Some(at("2026-11-25T12:00:00+07:00").naive_utc())
        );
    }
}
