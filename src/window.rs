//! Lengths of time the policy measures: rolling windows, the claim window, voucher validity.

use std::fmt;
use std::str::FromStr;

use crate::WindowError;
use crate::wire_text::serde_as_text;
use chrono::{DateTime, FixedOffset, TimeDelta};

/// A positive length of time, written the way a policy file says it: `7d`, `48h`, `90m`, `30s`,
/// or a combination such as `1d12h`.
///
/// Used as a **rolling window** measured back from `now`: an instant `t` is inside a window of
/// length `W` when `now - W < t <= now`, so an entry exactly `W` old has just left it.
///
/// ```
/// use voucher_policy::Window;
///
/// let week: Window = "7d".parse()?;
/// assert_eq!(week.to_string(), "7d");
/// assert_eq!("36h".parse::<Window>()?.to_string(), "1d12h");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    seconds: i64,
}

/// The longest window a policy may use: 100 years, far beyond any sensible policy and far inside
/// what `chrono` can add to a date.
const MAX_SECONDS: i64 = 100 * 366 * 86_400;

impl Window {
    /// One day.
    pub const DAY: Window = Window { seconds: 86_400 };

    /// A window of whole days. Returns `None` unless `1 <= days <= 36_600`.
    pub fn days(days: i64) -> Option<Window> {
        Window::seconds(days.checked_mul(86_400)?)
    }

    /// A window of whole hours. Returns `None` unless it is positive and at most 100 years.
    pub fn hours(hours: i64) -> Option<Window> {
        Window::seconds(hours.checked_mul(3_600)?)
    }

    /// A window of whole seconds. Returns `None` unless it is positive and at most 100 years.
    pub fn seconds(seconds: i64) -> Option<Window> {
        (1..=MAX_SECONDS)
            .contains(&seconds)
            .then_some(Window { seconds })
    }

    /// The length in seconds.
    pub fn as_seconds(&self) -> i64 {
        self.seconds
    }

    /// The length as a `chrono` duration.
    pub fn as_delta(&self) -> TimeDelta {
        TimeDelta::seconds(self.seconds)
    }

    /// Whether `at` lies inside this window measured back from `now`: `now - W < at <= now`.
    ///
    /// ```
    /// use chrono::DateTime;
    /// use voucher_policy::Window;
    ///
    /// let week = Window::days(7).ok_or("bad window")?;
    /// let now = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+07:00")?;
    /// let exactly_a_week_ago = DateTime::parse_from_rfc3339("2026-11-17T10:00:00+07:00")?;
    /// let a_second_later = DateTime::parse_from_rfc3339("2026-11-17T10:00:01+07:00")?;
    /// assert!(!week.contains(now, exactly_a_week_ago));
    /// assert!(week.contains(now, a_second_later));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, now: DateTime<FixedOffset>, at: DateTime<FixedOffset>) -> bool {
        at <= now && now - at < self.as_delta()
    }
}

impl FromStr for Window {
    type Err = WindowError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || WindowError(text.to_owned());
        let mut seconds: i64 = 0;
        let mut number: Option<i64> = None;
        for ch in text.chars() {
            if let Some(digit) = ch.to_digit(10) {
                let so_far = number.unwrap_or(0);
                number = Some(
                    so_far
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(i64::from(digit)))
                        .ok_or_else(error)?,
                );
                continue;
            }
            let unit = match ch {
                'd' => 86_400,
                'h' => 3_600,
                'm' => 60,
                's' => 1,
                _ => return Err(error()),
            };
            let value = number.take().ok_or_else(error)?;
            seconds = value
                .checked_mul(unit)
                .and_then(|part| seconds.checked_add(part))
                .ok_or_else(error)?;
        }
        if number.is_some() {
            return Err(error());
        }
        Window::seconds(seconds).ok_or_else(error)
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.seconds;
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            let count = rest / size;
            if count > 0 {
                write!(f, "{count}{unit}")?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Window({self})")
    }
}

serde_as_text!(Window);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_print_in_policy_units() {
        for (text, seconds, shown) in [
            ("7d", 604_800, "7d"),
            ("48h", 172_800, "2d"),
            ("90m", 5_400, "1h30m"),
            ("1d12h", 129_600, "1d12h"),
            ("45s", 45, "45s"),
        ] {
            let window: Window = text.parse().unwrap();
            assert_eq!(window.as_seconds(), seconds, "{text}");
            assert_eq!(window.to_string(), shown, "{text}");
        }
    }

    #[test]
    fn nonsense_and_empty_windows_are_rejected() {
        for bad in [
            "",
            "0d",
            "7",
            "d",
            "7w",
            "-1d",
            "7 d",
            "99999999999999999999d",
            "40000d",
        ] {
            assert!(bad.parse::<Window>().is_err(), "{bad:?}");
        }
    }
}
