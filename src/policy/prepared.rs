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
        let windows = PolicyWindows::of(policy);
        Prepared {
            money: PolicyMoney::of(policy, &windows),
            windows,
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
    /// Each role's amounts, in the order of [`Policy::roles`] (`agent` first).
    pub roles: Vec<RoleMoney>,
    /// The severity rates, in the order of [`Severity::ALL`].
    pub rates: [Factor; 4],
    /// The largest voucher as a share of the order total, per severity, where the policy sets
    /// one.
    pub shares: [Option<Factor>; 4],
    /// Each tier's amounts and limits, in the order of [`Policy::tiers`].
    pub tiers: Vec<TierMoney>,
    /// Each category's own amounts, in the order of [`Policy::categories`].
    pub categories: Vec<CategoryMoney>,
}

/// The most count limits (and value limits) a tier has, its first included.
const LIMITS: usize = super::MAX_LIMITS;

/// A tier's amounts and limits in units, each limit with its window's position in
/// [`PolicyWindows::spans`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TierMoney {
    pub value_limit: u64,
    pub multiplier: Factor,
    /// The count limits, the tier's voucher limit first: (window position, limit).
    pub count_limits: [(usize, u32); LIMITS],
    pub count_limits_len: usize,
    /// The value limits in units, the tier's value limit first: (window position, limit).
    pub value_limits: [(usize, u64); LIMITS],
    pub value_limits_len: usize,
}

impl TierMoney {
    /// The count limits: (window position, limit).
    #[inline(always)]
    pub fn count_limits(&self) -> &[(usize, u32)] {
        self.count_limits
            .get(..self.count_limits_len)
            .unwrap_or_default()
    }

    /// The value limits in units: (window position, limit).
    #[inline(always)]
    pub fn value_limits(&self) -> &[(usize, u64)] {
        self.value_limits
            .get(..self.value_limits_len)
            .unwrap_or_default()
    }

    /// Whether the tier has limits beyond its voucher limit and its value limit.
    pub fn has_further_limits(&self) -> bool {
        self.count_limits_len > 1 || self.value_limits_len > 1
    }

    /// A tier of no limit at all, for a position no policy has.
    const NONE: TierMoney = TierMoney {
        value_limit: 0,
        multiplier: Factor::ZERO,
        count_limits: [(0, 0); LIMITS],
        count_limits_len: 0,
        value_limits: [(0, 0); LIMITS],
        value_limits_len: 0,
    };
}

/// A role's authority and daily budget, in the policy's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RoleMoney {
    pub authority: u64,
    pub daily_budget: Option<u64>,
}

/// A category's own amounts, where it sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CategoryMoney {
    pub rate: Option<Factor>,
    pub maximum_steps: Option<u64>,
    pub share: Option<Factor>,
}

impl PolicyMoney {
    /// The amounts of `policy`: counted in the finest place of its currency's minor unit and
    /// its own amounts.
    pub fn of(policy: &Policy, windows: &PolicyWindows) -> Self {
        let request_places = policy.request_places();
        let amounts = [
            policy.step,
            policy.minimum_voucher,
            policy.maximum_voucher,
            policy.agent_authority,
        ];
        let role_amounts = policy
            .roles
            .iter()
            .flat_map(|role| std::iter::once(role.authority).chain(role.daily_budget));
        let tier_amounts = policy.tiers.iter().flat_map(|tier| {
            policy
                .value_limits(tier)
                .map(|(limit, _)| limit)
                .collect::<Vec<_>>()
        });
        let category_amounts = policy
            .categories
            .iter()
            .filter_map(|category| category.maximum_voucher);
        let places = amounts
            .into_iter()
            .chain(tier_amounts)
            .chain(category_amounts)
            .chain(role_amounts)
            .map(|amount| amount.normalize().scale())
            .fold(request_places, u32::max);
        let units = Units::new(places, request_places);
        let step = Step::new(policy.step, &units);
        let rates = Severity::ALL.map(|severity| Factor::new(policy.severity_rates.rate(severity)));
        let shares =
            Severity::ALL.map(|severity| policy.maximum_share.share(severity).map(Factor::new));
        PolicyMoney {
            minimum: units.of_policy(policy.minimum_voucher),
            minimum_steps: step.steps_in(units.of_policy(policy.minimum_voucher)),
            maximum_steps: step.steps_in(units.of_policy(policy.maximum_voucher)),
            roles: policy
                .roles
                .iter()
                .map(|role| RoleMoney {
                    authority: units.of_policy(role.authority),
                    daily_budget: role.daily_budget.map(|budget| units.of_policy(budget)),
                })
                .collect(),
            rates,
            shares,
            tiers: policy
                .tiers
                .iter()
                .map(|tier| {
                    let mut money = TierMoney {
                        value_limit: units.of_policy(tier.value_limit),
                        multiplier: Factor::new(tier.multiplier),
                        ..TierMoney::NONE
                    };
                    for (limit, window) in policy.count_limits(tier).take(LIMITS) {
                        if let Some(slot) = money.count_limits.get_mut(money.count_limits_len) {
                            *slot = (windows.position(window), limit);
                            money.count_limits_len += 1;
                        }
                    }
                    for (limit, window) in policy.value_limits(tier).take(LIMITS) {
                        if let Some(slot) = money.value_limits.get_mut(money.value_limits_len) {
                            *slot = (windows.position(window), units.of_policy(limit));
                            money.value_limits_len += 1;
                        }
                    }
                    money
                })
                .collect(),
            categories: policy
                .categories
                .iter()
                .map(|category| CategoryMoney {
                    rate: category.rate.map(Factor::new),
                    maximum_steps: category
                        .maximum_voucher
                        .map(|maximum| step.steps_in(units.of_policy(maximum))),
                    share: category.maximum_share.map(Factor::new),
                })
                .collect(),
            step,
            units,
        }
    }

    /// A tier's amounts, by its position in [`Policy::tiers`].
    #[inline(always)]
    pub fn tier(&self, position: usize) -> &TierMoney {
        // A position the policy's own look-up gave is always there.
        self.tiers.get(position).unwrap_or(&TierMoney::NONE)
    }

    /// A category's own amounts, by its position in [`Policy::categories`]; none for a
    /// category the policy does not list.
    #[inline(always)]
    pub fn category(&self, position: Option<usize>) -> CategoryMoney {
        position
            .and_then(|position| self.categories.get(position))
            .copied()
            .unwrap_or_default()
    }

    /// A severity's rate.
    #[inline(always)]
    pub fn rate(&self, severity: Severity) -> Factor {
        by_severity(&self.rates, severity)
    }

    /// A severity's largest share of the order total.
    #[inline(always)]
    pub fn share(&self, severity: Severity) -> Option<Factor> {
        by_severity(&self.shares, severity)
    }
}

/// A severity's entry of a table in the order of [`Severity::ALL`].
#[inline(always)]
fn by_severity<T: Copy>(table: &[T; 4], severity: Severity) -> T {
    let [minor, moderate, major, critical] = *table;
    match severity {
        Severity::Minor => minor,
        Severity::Moderate => moderate,
        Severity::Major => major,
        Severity::Critical => critical,
    }
}

/// How many distinct rolling windows a history pass measures at most: the count and value
/// windows, the minor cool-down, the pattern window, and the tiers' further limits.
pub(crate) const WINDOWS: usize = 8;

/// The policy's rolling windows as a history pass measures them, worked out once per engine:
/// their distinct lengths, longest first, so each start is worked out once (two in the default
/// policy), and the voucher validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PolicyWindows {
    /// The distinct lengths, longest first; the first `distinct` are used.
    pub spans: [Span; WINDOWS],
    pub distinct: usize,
    /// Where the minor cool-down and the pattern window are in `spans`.
    pub cooldown: usize,
    pub pattern: usize,
    /// How long a voucher stays valid.
    pub validity: Span,
}

impl PolicyWindows {
    /// The windows of `policy`.
    pub fn of(policy: &Policy) -> Self {
        let mut lengths: Vec<Window> = policy.history_windows().collect();
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        lengths.dedup();
        let mut spans = [Span::of(Window::DAY); WINDOWS];
        let mut distinct: usize = 0;
        // A validated policy has at most `WINDOWS` lengths.
        for (span, length) in spans.iter_mut().zip(lengths) {
            *span = Span::of(length);
            distinct += 1;
        }
        let mut windows = PolicyWindows {
            spans,
            distinct,
            cooldown: 0,
            pattern: 0,
            validity: Span::of(policy.voucher_validity()),
        };
        windows.cooldown = windows.position(policy.minor_cooldown());
        windows.pattern = windows.position(policy.repeated_minor().window);
        windows
    }

    /// The distinct lengths, longest first.
    pub fn spans(&self) -> &[Span] {
        self.spans.get(..self.distinct).unwrap_or(&[])
    }

    /// Where a window of the policy is in [`PolicyWindows::spans`].
    pub fn position(&self, window: Window) -> usize {
        self.spans()
            .iter()
            .position(|span| span.window == window)
            .unwrap_or_default()
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
            for window in [count, value, cooldown, pattern] {
                let position = windows.position(window);
                assert_eq!(
                    windows.spans().get(position).map(|span| span.window),
                    Some(window)
                );
            }
            assert_eq!(
                windows
                    .spans()
                    .get(windows.cooldown)
                    .map(|span| span.window),
                Some(cooldown)
            );
            assert_eq!(
                windows.spans().get(windows.pattern).map(|span| span.window),
                Some(pattern)
            );
            assert_eq!(windows.validity.window, policy.voucher_validity);
        }
        assert_eq!(Span::of("7d".parse().unwrap()).whole_days, Some(7));
        assert_eq!(Span::of("36h30m".parse().unwrap()).whole_days, None);
    }
}
