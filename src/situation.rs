//! What the checks look at: the request validated against the policy, and the history measured
//! through the policy's windows, in one pass.

use std::num::NonZeroUsize;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use rust_decimal::Decimal;

use crate::HistoryEntry;
use crate::decision::Placement;
use crate::error::Problem;
use crate::facts::{ClaimStart, SeveritySource};
use crate::money::{Amount, ExactSum};
use crate::policy::Tier;
use crate::prepared::Prepared;
use crate::{Policy, Request, RequestError, Severity, Voucher, Window};

/// A request ready to be checked: valid, placed in the policy, its history measured.
///
/// Building one is the only step of a decision that can fail; every check after it cannot.
pub(crate) struct Situation<'a> {
    pub policy: &'a Policy,
    pub request: &'a Request,
    pub tier: &'a Tier,
    pub severity: Severity,
    pub severity_from: SeveritySource,
    pub claim_start: ClaimStart,
    pub claim_elapsed_seconds: i64,
    pub claim_expired: bool,
    pub valid_until: DateTime<FixedOffset>,
    pub history: HistoryMeasures,
    pub placement: Option<Placement>,
    /// What the engine worked out from the policy in advance.
    pub prepared: &'a Prepared,
}

/// The history as the policy's windows see it, measured back from `now`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct HistoryMeasures {
    /// A voucher was already granted for this very order (at any time).
    pub order_compensated: bool,
    pub vouchers_in_count_window: u32,
    /// Exact, in any order of the history.
    pub value_used: ExactSum,
    /// What is left of the tier's value limit, rounded toward zero; zero when it is used up.
    pub value_left: Decimal,
    pub vouchers_in_minor_cooldown: u32,
    pub minor_vouchers_in_pattern_window: u32,
}

impl<'a> Situation<'a> {
    /// Validates the request and history against the policy and measures them at `now`;
    /// `prepared` is [`Prepared::of`] the policy.
    #[inline(always)]
    pub fn measure<H: HistoryEntry>(
        policy: &'a Policy,
        prepared: &'a Prepared,
        request: &'a Request,
        history: &[H],
        now: DateTime<FixedOffset>,
    ) -> Result<Self, RequestError> {
        let loyalty = request.customer.loyalty.as_str();
        let (tier_position, tier) = policy.find_tier(loyalty).ok_or_else(|| {
            RequestError::new(
                "customer.loyalty",
                &request.customer.loyalty,
                Problem::UnknownTier {
                    known: join(policy.tiers().iter().map(|tier| tier.name.as_str())),
                },
            )
        })?;
        let category = request.complaint.category.as_str();
        let known_category = policy.find_category(category);
        let (severity, severity_from) = match request.complaint.severity {
            Some(severity) => (severity, SeveritySource::Explicit),
            None => {
                let severity =
                    known_category
                        .map(|(_, known)| known.severity)
                        .ok_or_else(|| {
                            RequestError::new(
                                "complaint.category",
                                &request.complaint.category,
                                Problem::UnknownCategory {
                                    known: join(
                                        policy.categories().iter().map(|c| c.name.as_str()),
                                    ),
                                },
                            )
                        })?;
                (severity, SeveritySource::Category)
            }
        };
        let order = &request.order;
        check_currency(policy, "order.currency", order.currency)?;
        // Both are rounded down to the step; below one step, nothing would be left to grant.
        check_at_least_a_step(policy, "order.total", order.total)?;
        if let Some(requested) = request.requested_amount {
            check_at_least_a_step(policy, "requested_amount", requested)?;
        }
        check_not_after_now("order.placed_at", order.placed_at, now)?;
        if let Some(delivered_at) = order.delivered_at {
            check_not_after_now("order.delivered_at", delivered_at, now)?;
            check_not_before(
                "order.delivered_at",
                delivered_at,
                "order.placed_at",
                order.placed_at,
            )?;
        }
        let reported_at = request.complaint.reported_at;
        check_not_after_now("complaint.reported_at", reported_at, now)?;
        check_not_before(
            "complaint.reported_at",
            reported_at,
            "order.placed_at",
            order.placed_at,
        )?;
        let windows = &prepared.windows;
        let valid_until = moved(now.naive_utc(), windows.validity, Direction::Later)
            .map(|at| DateTime::from_naive_utc_and_offset(at, policy.local_offset()))
            .ok_or_else(|| {
                RequestError::new(
                    "now",
                    now.to_rfc3339(),
                    Problem::TooLarge {
                        limit: "a date the voucher's validity can be added to".to_owned(),
                    },
                )
            })?;

        let (claim_start, started_at) = match order.delivered_at {
            Some(delivered_at) => (ClaimStart::Delivery, delivered_at),
            None => (ClaimStart::Placement, order.placed_at),
        };
        let elapsed = reported_at.signed_duration_since(started_at);

        Ok(Situation {
            policy,
            request,
            tier,
            severity,
            severity_from,
            claim_start,
            claim_elapsed_seconds: elapsed.num_seconds(),
            claim_expired: elapsed > policy.claim_window().as_delta(),
            valid_until,
            placement: Placement::of(tier_position, known_category.map(|(position, _)| position)),
            prepared,
            // Most past ids are told apart from the order's by their length or their last byte
            // (where ids numbered in sequence differ), which are worked out once here rather
            // than on every entry; a history entry costs a few instructions.
            history: match (
                NonZeroUsize::new(order.id.len()),
                order.id.as_bytes().last(),
            ) {
                (Some(len), Some(&last)) => {
                    let order_id = order.id.as_bytes();
                    measure_history(policy, windows, tier, history, now, move |id: &[u8]| {
                        // A length known not to be zero: no test for an empty id.
                        id.len() == len.get() && id.last() == Some(&last) && id == order_id
                    })?
                }
                _ => measure_history(policy, windows, tier, history, now, <[u8]>::is_empty)?,
            },
        })
    }

    /// A voucher of `amount` granted now.
    pub fn voucher(&self, amount: Decimal) -> Voucher {
        Voucher::new(amount, self.policy.currency(), self.valid_until)
    }
}

/// Measures the history in one pass, at a few instructions an entry.
///
/// Each window's start is worked out once (and once for windows of the same length). An entry
/// granted on an earlier day than every window's start, most of a long history, is told apart
/// by its date alone and only checked for validity and for being this very order. Counting is
/// branch-free, so a history that mixes recent and old vouchers costs no mispredictions.
///
/// `is_this_order` tells whether a past voucher's order id is the request's order.
fn measure_history<H: HistoryEntry>(
    policy: &Policy,
    windows: &PolicyWindows,
    tier: &Tier,
    history: &[H],
    now: DateTime<FixedOffset>,
    is_this_order: impl Fn(&[u8]) -> bool,
) -> Result<HistoryMeasures, RequestError> {
    let mut measures = HistoryMeasures::default();
    if history.is_empty() {
        measures.value_left = value_left(tier, measures.value_used);
        return Ok(measures);
    }
    let currency = policy.currency();
    // Each distinct length once (two in the default policy), the longest first.
    let mut starts = [None; WINDOWS];
    let now_utc = now.naive_utc();
    for (start, span) in starts.iter_mut().zip(windows.spans()) {
        *start = back_from(now_utc, *span);
    }
    let start_of = |position: usize| WindowStart {
        start: starts.get(position).copied().flatten(),
    };
    let [count, value, cooldown, pattern] = windows.positions.map(start_of);
    // The longest window reaches furthest back (or, starting before the dates chrono holds,
    // takes in everything).
    let earliest = start_of(0);
    let earliest_day = earliest.start.map(|start| start.date());
    // Counted in `usize`, which a count of entries cannot overflow, and saturated once at the
    // end rather than at every entry.
    let (mut in_count, mut in_cooldown, mut minor_in_pattern) = (0_usize, 0_usize, 0_usize);
    for past in history {
        // Read in place: a copy of the amount would go through the stack on every entry.
        let amount = past.amount();
        if (past.currency() != currency) | amount.is_sign_negative() | amount.is_zero() {
            return Err(invalid_entry(policy, history, past));
        }
        // A branch, not `|=`: almost every entry is another order, and the branch is predicted.
        if is_this_order(past.order_id().as_bytes()) {
            measures.order_compensated = true;
        }
        let granted_at = past.granted_at();
        if earliest_day.is_some_and(|day| granted_at.naive_utc().date() < day) {
            // Granted on a day before every window starts.
            continue;
        }
        if !earliest.holds(granted_at) {
            // Older than every window, so not after `now` either.
            continue;
        }
        if granted_at > now {
            return Err(after_now(history, past, now));
        }
        let minor = past.severity() == Some(Severity::Minor);
        in_count += usize::from(count.holds(granted_at));
        in_cooldown += usize::from(cooldown.holds(granted_at));
        minor_in_pattern += usize::from(minor & pattern.holds(granted_at));
        if value.holds(granted_at) {
            measures.value_used.add(amount);
        }
    }
    let saturated = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
    measures.vouchers_in_count_window = saturated(in_count);
    measures.vouchers_in_minor_cooldown = saturated(in_cooldown);
    measures.minor_vouchers_in_pattern_window = saturated(minor_in_pattern);
    measures.value_left = value_left(tier, measures.value_used);
    Ok(measures)
}

/// What is left of the tier's value limit, rounded toward zero; zero when it is used up.
fn value_left(tier: &Tier, used: ExactSum) -> Decimal {
    used.left_of(tier.value_limit)
}

/// Where a rolling window starts, measured back from `now` (in UTC): an instant `t <= now` is
/// inside when `t > now - W`, the same as [`Window::contains`](crate::Window::contains) without
/// a subtraction per entry. `None` when `now - W` is before the earliest date `chrono` can hold,
/// so every instant up to `now` is inside.
#[derive(Debug, Clone, Copy)]
struct WindowStart {
    start: Option<NaiveDateTime>,
}

impl WindowStart {
    /// Whether an instant not after `now` is inside the window.
    fn holds(self, at: DateTime<FixedOffset>) -> bool {
        self.start.is_none_or(|start| at.naive_utc() > start)
    }
}

/// Which way [`moved`] moves an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Earlier,
    Later,
}

/// `now - window`, or `None` before the earliest date `chrono` can hold.
fn back_from(now: NaiveDateTime, window: Window) -> Option<NaiveDateTime> {
    moved(now, window, Direction::Earlier)
}

/// `at` moved by the length of `window`, or `None` beyond the dates `chrono` can hold.
fn moved(at: NaiveDateTime, window: Window, direction: Direction) -> Option<NaiveDateTime> {
    match direction {
        Direction::Earlier => at.checked_sub_signed(window.as_delta()),
        Direction::Later => at.checked_add_signed(window.as_delta()),
    }
}

/// How many rolling windows a history pass measures: count, value, minor cool-down, pattern.
const WINDOWS: usize = 4;

/// The policy's rolling windows as a history pass measures them, worked out once per engine:
/// their distinct lengths, longest first, so each start is worked out once (two of four in the
/// default policy), and the voucher validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PolicyWindows {
    /// The distinct lengths, longest first; the first `distinct` are used.
    spans: [Window; WINDOWS],
    distinct: usize,
    /// Where the count, value, minor cool-down and pattern windows are in `spans`.
    positions: [usize; WINDOWS],
    /// How long a voucher stays valid.
    validity: Window,
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
        let mut spans = [Window::DAY; WINDOWS];
        let mut distinct: usize = 0;
        for length in lengths {
            // Sorted, so a length already kept is the last one kept.
            let kept = distinct.checked_sub(1).and_then(|last| spans.get(last));
            if kept.is_none_or(|span| *span != length) {
                if let Some(span) = spans.get_mut(distinct) {
                    *span = length;
                    distinct += 1;
                }
            }
        }
        let positions = windows.map(|window| {
            spans
                .iter()
                .position(|span| *span == window)
                .unwrap_or_default()
        });
        PolicyWindows {
            spans,
            distinct,
            positions,
            validity: policy.voucher_validity(),
        }
    }

    /// The distinct lengths, longest first.
    fn spans(&self) -> &[Window] {
        self.spans.get(..self.distinct).unwrap_or(&[])
    }
}

/// The error of the first thing wrong with `past`, a history entry with a wrong currency or an
/// amount that is not positive.
#[cold]
fn invalid_entry<H: HistoryEntry>(policy: &Policy, history: &[H], past: &H) -> RequestError {
    let index = index_of(history, past);
    if past.currency() != policy.currency() {
        return RequestError::new(
            format!("history[{index}].currency"),
            past.currency(),
            Problem::WrongCurrency {
                expected: policy.currency().to_string(),
            },
        );
    }
    RequestError::new(
        format!("history[{index}].amount"),
        *past.amount(),
        Problem::NotPositive,
    )
}

#[cold]
fn after_now<H: HistoryEntry>(history: &[H], past: &H, now: DateTime<FixedOffset>) -> RequestError {
    RequestError::new(
        format!("history[{}].granted_at", index_of(history, past)),
        past.granted_at().to_rfc3339(),
        Problem::AfterNow {
            now: now.to_rfc3339(),
        },
    )
}

/// Where `past` is in `history`: counted only when there is an error to report, so the pass
/// over the history keeps no index.
fn index_of<H>(history: &[H], past: &H) -> usize {
    history
        .iter()
        .position(|entry| std::ptr::eq(entry, past))
        .unwrap_or_default()
}

// The checks of a request are inlined, and what they build for a request that fails them is
// out of line and marked cold: a valid request, the usual one, runs a comparison each.

#[inline(always)]
fn check_currency(
    policy: &Policy,
    field: &'static str,
    currency: crate::Currency,
) -> Result<(), RequestError> {
    if currency == policy.currency() {
        return Ok(());
    }
    Err(wrong_currency(policy, field, currency))
}

#[cold]
#[inline(never)]
fn wrong_currency(policy: &Policy, field: &'static str, currency: crate::Currency) -> RequestError {
    RequestError::new(
        field,
        currency,
        Problem::WrongCurrency {
            expected: policy.currency().to_string(),
        },
    )
}

#[inline(always)]
fn check_at_least_a_step(
    policy: &Policy,
    field: &'static str,
    amount: Decimal,
) -> Result<(), RequestError> {
    if amount.is_sign_positive() && !amount.is_zero() && Amount(amount) >= Amount(policy.step()) {
        return Ok(());
    }
    Err(below_a_step(policy, field, amount))
}

/// The error of an amount that is not positive, or below one step.
#[cold]
#[inline(never)]
fn below_a_step(policy: &Policy, field: &'static str, amount: Decimal) -> RequestError {
    if amount.is_sign_negative() || amount.is_zero() {
        return RequestError::new(field, amount, Problem::NotPositive);
    }
    RequestError::new(
        field,
        amount,
        Problem::BelowStep {
            step: policy.step().to_string(),
        },
    )
}

#[inline(always)]
fn check_not_after_now(
    field: &'static str,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<(), RequestError> {
    if at <= now {
        return Ok(());
    }
    Err(after_now_error(field, at, now))
}

#[cold]
#[inline(never)]
fn after_now_error(
    field: &'static str,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> RequestError {
    RequestError::new(
        field,
        at.to_rfc3339(),
        Problem::AfterNow {
            now: now.to_rfc3339(),
        },
    )
}

#[inline(always)]
fn check_not_before(
    field: &'static str,
    at: DateTime<FixedOffset>,
    other_field: &'static str,
    other: DateTime<FixedOffset>,
) -> Result<(), RequestError> {
    if at >= other {
        return Ok(());
    }
    Err(before_error(field, at, other_field, other))
}

#[cold]
#[inline(never)]
fn before_error(
    field: &'static str,
    at: DateTime<FixedOffset>,
    other_field: &'static str,
    other: DateTime<FixedOffset>,
) -> RequestError {
    RequestError::new(
        field,
        at.to_rfc3339(),
        Problem::Before {
            other_field: other_field.to_owned(),
            other_value: other.to_rfc3339(),
        },
    )
}

fn join<'s>(names: impl Iterator<Item = &'s str>) -> String {
    names.collect::<Vec<_>>().join(", ")
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
                let moved_later = moved(now.naive_utc(), window, Direction::Later);
                assert_eq!(moved_later, later, "{now} + {window}");
                let expected = now.naive_utc().checked_sub_signed(window.as_delta());
                assert_eq!(
                    back_from(now.naive_utc(), window),
                    expected,
                    "{now} - {window}"
                );
                let start = WindowStart {
                    start: back_from(now.naive_utc(), window),
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
            let lengths: Vec<Window> = windows.spans().to_vec();
            let mut expected = vec![count, value, cooldown, pattern];
            expected.sort_unstable_by(|a, b| b.cmp(a));
            expected.dedup();
            assert_eq!(lengths, expected);
            for (window, position) in [count, value, cooldown, pattern]
                .iter()
                .zip(windows.positions)
            {
                assert_eq!(windows.spans().get(position).copied(), Some(*window));
            }
            assert_eq!(windows.validity, policy.voucher_validity);
        }
    }
}
