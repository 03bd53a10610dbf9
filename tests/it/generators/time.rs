//! Instants, UTC offsets and ages, on the default policy's windows and their edges.

use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;
use proptest::sample::select;

pub(super) const MINUTE: i64 = 60;
pub(super) const HOUR: i64 = 3_600;
pub(super) const DAY: i64 = 86_400;

pub(super) const NANOS: i128 = 1_000_000_000;

/// Lengths of time on the default policy's edges: each window (48 h, 7 days, 30 days) and a
/// second either side of it, and the first seconds.
pub const EDGES: [i64; 17] = [
    0,
    1,
    MINUTE,
    HOUR,
    DAY - 1,
    DAY,
    2 * DAY - 1,
    2 * DAY,
    2 * DAY + 1,
    7 * DAY - 1,
    7 * DAY,
    7 * DAY + 1,
    30 * DAY - 1,
    30 * DAY,
    30 * DAY + 1,
    14 * DAY,
    60 * DAY,
];

/// A moment as nanoseconds since the Unix epoch, written in a UTC offset.
#[derive(Debug, Clone, Copy)]
pub(super) struct Moment {
    pub(super) nanos: i128,
    pub(super) offset_seconds: i32,
}

impl Moment {
    pub(super) fn rfc3339(self) -> String {
        let seconds = i64::try_from(self.nanos.div_euclid(1_000_000_000)).unwrap();
        let nanos = u32::try_from(self.nanos.rem_euclid(1_000_000_000)).unwrap();
        let offset = FixedOffset::east_opt(self.offset_seconds).unwrap();
        DateTime::from_timestamp(seconds, nanos)
            .unwrap()
            .with_timezone(&offset)
            .to_rfc3339()
    }
}

/// `now`, in seconds since the epoch: mostly around 2026, sometimes anywhere from the year 5 to
/// the year 9987 (far enough inside RFC 3339's four-digit years for every history entry and
/// every offset).
pub fn now_seconds() -> BoxedStrategy<i64> {
    // 2026-11-24T03:00:00Z, the moment of the README's examples.
    let readme_now = 1_795_489_200;
    prop_oneof![
        2 => Just(readme_now),
        6 => 1_700_000_000i64..1_900_000_000,
        1 => -62_000_000_000i64..253_000_000_000,
    ]
    .boxed()
}

/// A sub-second part: mostly none, sometimes the last nanosecond, sometimes any.
pub(super) fn sub_second() -> BoxedStrategy<i128> {
    prop_oneof![
        8 => Just(0i128),
        1 => Just(NANOS - 1),
        1 => 0..NANOS,
    ]
    .boxed()
}

/// A UTC offset in seconds: mostly WIB, often another real one, often any whole minute that
/// RFC 3339 can write (from -23:59 to +23:59).
pub fn offset_seconds() -> BoxedStrategy<i32> {
    prop_oneof![
        3 => Just(7 * 3_600),
        2 => select(vec![
            0,
            8 * 3_600,
            9 * 3_600,
            -5 * 3_600,
            5 * 3_600 + 45 * 60,
            -(9 * 3_600 + 30 * 60),
            14 * 3_600,
            -12 * 3_600,
            23 * 3_600 + 59 * 60,
            -(23 * 3_600 + 59 * 60),
        ]),
        2 => (-1_439i32..=1_439).prop_map(|minutes| minutes * 60),
    ]
    .boxed()
}

/// How long before a moment something happened, in seconds: often on an edge of a window,
/// otherwise anywhere in the last 40 days, sometimes far back.
pub fn age_seconds() -> BoxedStrategy<i64> {
    prop_oneof![
        4 => select(EDGES.to_vec()),
        4 => 0..=40 * DAY,
        1 => 0..=800 * DAY,
    ]
    .boxed()
}

/// An age in nanoseconds: an age in seconds, sometimes a nanosecond either side of it.
pub(super) fn age_nanos() -> BoxedStrategy<i128> {
    (
        age_seconds(),
        prop_oneof![6 => Just(0i128), 1 => Just(-1i128), 1 => Just(1i128), 1 => 0..NANOS],
    )
        .prop_map(|(seconds, jitter)| (i128::from(seconds) * NANOS + jitter).max(0))
        .boxed()
}
