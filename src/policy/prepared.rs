//! What an engine works out from its policy once, so that no decision works it out again: the
//! policy's amounts in integers and its rolling windows as the history pass measures them.

use rust_decimal::Decimal;

use super::Policy;
use crate::Window;
use crate::money::units;
use crate::time::Span;

/// The parts of a policy every decision would otherwise derive on its own: its amounts in
/// integers and its rolling windows as the history pass uses them. Built by the engine from
/// the policy it holds, which never changes after, so the two always agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prepared {
    /// The policy's amounts in integers, when they fit.
    pub amount_units: Option<PolicyUnits>,
    /// The policy's windows, their distinct lengths and the voucher validity.
    pub windows: PolicyWindows,
}

impl Prepared {
    /// What `policy`'s decisions need worked out in advance.
    pub fn of(policy: &Policy) -> Self {
        Prepared {
            amount_units: PolicyUnits::of(policy),
            windows: PolicyWindows::of(policy),
        }
    }
}

/// The policy's own amounts in 64-bit integers of its step's smallest unit (see [`in_units`]),
/// worked out once, by the engine, rather than on every decision: the step, the minimum, the
/// maximum rounded down to the step and the agent's authority. `None` for a policy whose
/// amounts do not all fit there; its decisions take the decimal way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PolicyUnits {
    pub scale: u32,
    pub step: u64,
    pub minimum: u64,
    /// The minimum rounded down to the step.
    pub minimum_floor: u64,
    /// The maximum rounded down to the step.
    pub maximum_floor: u64,
    pub authority: u64,
}

impl PolicyUnits {
    /// The amounts of `policy`, when they fit.
    pub(crate) fn of(policy: &Policy) -> Option<Self> {
        PolicyUnits::from_amounts(
            policy.step(),
            policy.minimum_voucher(),
            policy.maximum_voucher(),
            policy.agent_authority(),
        )
    }

    pub(crate) fn from_amounts(
        step: Decimal,
        minimum: Decimal,
        maximum: Decimal,
        authority: Decimal,
    ) -> Option<Self> {
        let scale = step.scale();
        let step_units = units(step, scale).filter(|step| *step > 0)?;
        let floor = |units: u64| units / step_units * step_units;
        let minimum = units(minimum, scale)?;
        Some(PolicyUnits {
            scale,
            step: step_units,
            minimum,
            minimum_floor: floor(minimum),
            maximum_floor: floor(units(maximum, scale)?),
            authority: units(authority, scale)?,
        })
    }
}

/// How many rolling windows a history pass measures: count, value, minor cool-down, pattern.
pub(crate) const WINDOWS: usize = 4;

/// The policy's rolling windows as a history pass measures them, worked out once per engine:
/// their distinct lengths, longest first, so each start is worked out once (two of four in the
/// default policy), and the voucher validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PolicyWindows {
    /// The distinct lengths, longest first; the first `distinct` are used.
    pub spans: [Span; WINDOWS],
    pub distinct: usize,
    /// Where the count, value, minor cool-down and pattern windows are in `spans`.
    pub positions: [usize; WINDOWS],
    /// How long a voucher stays valid.
    pub validity: Span,
}

impl PolicyWindows {
    /// The windows of `policy`.
    pub fn of(policy: &Policy) -> Self {
        let windows = [
            policy.count_window(),
            policy.value_window(),
            policy.minor_cooldown(),
            policy.repeated_minor().window,
        ];
        let mut lengths = windows;
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        let mut spans = [Span::of(Window::DAY); WINDOWS];
        let mut distinct: usize = 0;
        for length in lengths {
            // Sorted, so a length already kept is the last one kept.
            let kept = distinct.checked_sub(1).and_then(|last| spans.get(last));
            if kept.is_none_or(|span| span.window != length) {
                if let Some(span) = spans.get_mut(distinct) {
                    *span = Span::of(length);
                    distinct += 1;
                }
            }
        }
        let positions = windows.map(|window| {
            spans
                .iter()
                .position(|span| span.window == window)
                .unwrap_or_default()
        });
        PolicyWindows {
            spans,
            distinct,
            positions,
            validity: Span::of(policy.voucher_validity()),
        }
    }

    /// The distinct lengths, longest first.
    pub fn spans(&self) -> &[Span] {
        self.spans.get(..self.distinct).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_s_windows_are_measured_once_a_length_the_longest_first() {
        let day: Window = "1d".parse().unwrap();
        let week: Window = "7d".parse().unwrap();
        let month: Window = "30d".parse().unwrap();
        let odd: Window = "36h30m".parse().unwrap();
        for [count, value, cooldown, pattern] in [
            [week, month, week, month],
            [day, day, day, day],
            [odd, week, month, day],
            [month, odd, odd, week],
        ] {
            let default = Policy::default();
            let policy = Policy {
                count_window: count,
                value_window: value,
                minor_cooldown: cooldown,
                repeated_minor: crate::policy::RepeatedMinorRule {
                    window: pattern,
                    ..default.repeated_minor
                },
                ..default
            };
            let windows = PolicyWindows::of(&policy);
            let lengths: Vec<Window> = windows.spans().iter().map(|span| span.window).collect();
            let mut expected = vec![count, value, cooldown, pattern];
            expected.sort_unstable_by(|a, b| b.cmp(a));
            expected.dedup();
            assert_eq!(lengths, expected);
            for (window, position) in [count, value, cooldown, pattern]
                .iter()
                .zip(windows.positions)
            {
                assert_eq!(
                    windows.spans().get(position).map(|span| span.window),
                    Some(*window)
                );
            }
            assert_eq!(windows.validity.window, policy.voucher_validity);
        }
        assert_eq!(Span::of("7d".parse().unwrap()).whole_days, Some(7));
        assert_eq!(Span::of("36h30m".parse().unwrap()).whole_days, None);
    }
}
