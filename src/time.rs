//! Instants and windows: where a rolling window starts, when a voucher ends, how long a claim
//! took. Every date is worked out by chrono; windows of whole days take its cheaper way.

use chrono::{DateTime, Days, FixedOffset, NaiveDateTime, TimeDelta, Timelike};

use crate::Window;

/// Where a rolling window starts, measured back from `now` (in UTC): an instant `t <= now` is
/// inside when `t > now - W`, the same as [`Window::contains`](crate::Window::contains) without
/// a subtraction per entry. `None` when `now - W` is before the earliest date `chrono` can hold,
/// so every instant up to `now` is inside.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WindowStart {
    pub start: Option<NaiveDateTime>,
}

impl WindowStart {
    /// The start of a window that holds nothing: no instant is after the last one chrono holds.
    pub const NEVER: WindowStart = WindowStart {
        start: Some(NaiveDateTime::MAX),
    };

    /// Whether an instant not after `now` is inside the window.
    #[inline]
    pub fn holds(self, at: DateTime<FixedOffset>) -> bool {
        self.start.is_none_or(|start| at.naive_utc() > start)
    }
}

/// Which way [`moved`] moves an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Earlier,
    Later,
}

/// `now - span`, or `None` before the earliest date `chrono` can hold.
pub(crate) fn back_from(now: NaiveDateTime, span: Span) -> Option<NaiveDateTime> {
    moved(now, span, Direction::Earlier)
}

/// `at` moved by the length of `span`, or `None` beyond the dates `chrono` can hold.
pub(crate) fn moved(at: NaiveDateTime, span: Span, direction: Direction) -> Option<NaiveDateTime> {
    // A window of whole days (every window of the default policy) moves only the date, which
    // chrono does at a fraction of the cost of adding a duration; a leap second, which adding
    // days would keep and adding a duration would not, takes the general way.
    if let Some(days) = span.whole_days.filter(|_| at.nanosecond() < 1_000_000_000) {
        return match direction {
            Direction::Earlier => at.checked_sub_days(Days::new(days)),
            Direction::Later => at.checked_add_days(Days::new(days)),
        };
    }
    match direction {
        Direction::Earlier => at.checked_sub_signed(span.window.as_delta()),
        Direction::Later => at.checked_add_signed(span.window.as_delta()),
    }
}

/// `later - earlier`, as chrono's `signed_duration_since` works it out, from the instants' Unix
/// timestamps at half its cost; a leap second takes chrono's way.
pub(crate) fn elapsed(later: DateTime<FixedOffset>, earlier: DateTime<FixedOffset>) -> TimeDelta {
    const SECOND: u32 = 1_000_000_000;
    let (later_nanos, earlier_nanos) = (
        later.timestamp_subsec_nanos(),
        earlier.timestamp_subsec_nanos(),
    );
    if later_nanos < SECOND && earlier_nanos < SECOND {
        let seconds = later.timestamp() - earlier.timestamp();
        let (seconds, nanos) = match later_nanos.checked_sub(earlier_nanos) {
            Some(nanos) => (seconds, nanos),
            None => (seconds - 1, later_nanos + SECOND - earlier_nanos),
        };
        if let Some(delta) = TimeDelta::new(seconds, nanos) {
            return delta;
        }
    }
    later.signed_duration_since(earlier)
}

/// A window's length as date arithmetic uses it: in whole days, when it is whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub window: Window,
    pub whole_days: Option<u64>,
}

impl Span {
    pub fn of(window: Window) -> Self {
        const DAY: i64 = 86_400;
        let seconds = window.as_seconds();
        Span {
            window,
            whole_days: (seconds % DAY == 0)
                .then(|| u64::try_from(seconds / DAY).ok())
                .flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_starts_are_now_minus_the_window() {
        let nows = [
            "2026-11-24T10:00:00.123456789+07:00",
            "2026-03-01T00:00:00Z",
            "2024-03-01T03:00:00+07:00",
            "2016-12-31T23:59:60.5Z",
            "-262143-01-09T00:00:00Z",
            "+262142-12-31T23:00:00Z",
            "0001-01-01T00:00:00Z",
        ];
        let windows = ["1s", "90m", "1d12h", "7d", "30d", "36600d"];
        for now in nows {
            // The general parser reads years beyond 9999 and before 0 (`+262142-...`).
            let now: DateTime<FixedOffset> = now.parse().unwrap();
            for window in windows {
                let window: Window = window.parse().unwrap();
                let later = now.naive_utc().checked_add_signed(window.as_delta());
                let span = Span::of(window);
                let moved_later = moved(now.naive_utc(), span, Direction::Later);
                assert_eq!(moved_later, later, "{now} + {window}");
                let expected = now.naive_utc().checked_sub_signed(window.as_delta());
                assert_eq!(
                    back_from(now.naive_utc(), span),
                    expected,
                    "{now} - {window}"
                );
                let start = WindowStart {
                    start: back_from(now.naive_utc(), span),
                };
                let delta = window.as_delta();
                let instants = [Some(now), now.checked_sub_signed(delta)]
                    .into_iter()
                    .chain([now.checked_sub_signed(delta / 2)])
                    .chain([now.checked_sub_signed(delta - chrono::TimeDelta::nanoseconds(1))])
                    .flatten();
                for at in instants {
                    assert_eq!(
                        start.holds(at),
                        window.contains(now, at),
                        "{at} in {window}"
                    );
                }
            }
        }
    }

    #[test]
    fn elapsed_time_is_chrono_s_difference() {
        let instants = [
            "2026-11-24T10:00:00.123456789+07:00",
            "2026-11-24T09:59:59.999999999+07:00",
            "2026-03-01T00:00:00Z",
            "2024-02-29T23:00:00-05:00",
            "2016-12-31T23:59:60.5Z",
            "2016-12-31T23:59:59Z",
            "2017-01-01T00:00:00Z",
            "-262143-01-09T00:00:00Z",
            "+262142-12-31T23:00:00Z",
            "0001-01-01T00:00:00Z",
        ];
        for later in instants {
            let later: DateTime<FixedOffset> = later.parse().unwrap();
            for earlier in instants {
                let earlier: DateTime<FixedOffset> = earlier.parse().unwrap();
                assert_eq!(
                    elapsed(later, earlier),
                    later.signed_duration_since(earlier),
                    "{later} - {earlier}"
                );
            }
        }
    }
}
