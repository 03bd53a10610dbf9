//! What an engine works out from its policy once, so that no decision works it out again: the
//! policy's amounts in whole units and its rolling windows as the history pass measures them.

use super::Policy;

use crate::money::{Factor, Step, Units};
use crate::time::Span;
use crate::{Severity, Window};

/// The parts of a policy every decision would otherwise derive on its own: its amounts in
/// units and its rolling windows as the history pass uses them. Built by the engine from the
/// policy it holds, which never changes after, so the two always agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prepared {
    /// The policy's amounts in units.
    pub money: PolicyMoney,
    /// The policy's windows, their distinct lengths and the voucher validity.
    pub windows: PolicyWindows,
}

impl Prepared {
    /// What `policy`'s decisions need worked out in advance.
    pub fn of(policy: &Policy) -> Self {
        Prepared {
            money: PolicyMoney::of(policy),
            windows: PolicyWindows::of(policy),
        }
    }
}

/// The policy's amounts in whole units of its finest place (see [`Units`]), worked out once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PolicyMoney {
    /// How the policy counts money, and what a request's amounts may be.
    pub units: Units,
    pub step: Step,
    pub minimum: u64,
    /// The minimum and the maximum voucher in whole steps, rounded down.
    pub minimum_steps: u64,
    pub maximum_steps: u64,
    pub authority: u64,
    /// The severity rates, in the order of [`Severity::ALL`].
    pub rates: [Factor; 4],
    /// Each tier's value limit and multiplier, in the order of [`Policy::tiers`].
    pub tiers: Vec<TierMoney>,
}

/// A tier's amounts in units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TierMoney {
    pub value_limit: u64,
    pub multiplier: Factor,
}

impl PolicyMoney {
    /// The amounts of `policy`: counted in the finest place of its currency's minor unit and
    /// its own amounts.
    pub fn of(policy: &Policy) -> Self {
        let request_places = policy.request_places();
        let places = [
            policy.step,
            policy.minimum_voucher,
            policy.maximum_voucher,
            policy.agent_authority,
        ]
        .into_iter()
        .chain(policy.tiers.iter().map(|tier| tier.value_limit))
        .map(|amount| amount.normalize().scale())
        .fold(request_places, u32::max);
        let units = Units::new(places, request_places);
        let step = Step::new(policy.step, &units);
        let rates = Severity::ALL.map(|severity| Factor::new(policy.severity_rates.rate(severity)));
        PolicyMoney {
            minimum: units.of_policy(policy.minimum_voucher),
            minimum_steps: step.steps_in(units.of_policy(policy.minimum_voucher)),
            maximum_steps: step.steps_in(units.of_policy(policy.maximum_voucher)),
            authority: units.of_policy(policy.agent_authority),
            rates,
            tiers: policy
                .tiers
                .iter()
                .map(|tier| TierMoney {
                    value_limit: units.of_policy(tier.value_limit),
                    multiplier: Factor::new(tier.multiplier),
                })
                .collect(),
            step,
            units,
        }
    }

    /// A tier's amounts, by its position in [`Policy::tiers`].
    #[inline(always)]
    pub fn tier(&self, position: usize) -> TierMoney {
        // A position the policy's own look-up gave is always there.
        self.tiers.get(position).copied().unwrap_or(TierMoney {
            value_limit: 0,
            multiplier: Factor::ZERO,
        })
    }

    /// A severity's rate.
    #[inline(always)]
    pub fn rate(&self, severity: crate::Severity) -> Factor {
        let [minor, moderate, major, critical] = self.rates;
        match severity {
            Severity::Minor => minor,
            Severity::Moderate => moderate,
            Severity::Major => major,
            Severity::Critical => critical,
        }
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
