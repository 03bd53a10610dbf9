//! The customer's voucher history and what the policy's windows see of it.

use std::num::NonZeroUsize;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::money::Units;
use crate::policy::{Prepared, WINDOWS};
use crate::time::{WindowStart, back_from};
use crate::wire_text::{amount, instant};
use crate::{Currency, DecisionId, OrderId, Policy, RequestError, Severity};

/// A voucher the customer was granted before.
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{Currency, OrderId, PastVoucher, Severity};
///
/// let granted_at = DateTime::parse_from_rfc3339("2026-11-20T12:00:00+07:00")?;
/// let voucher = PastVoucher::new(OrderId::new("3401"), 10_000, Currency::IDR, granted_at)
///     .with_severity(Severity::Minor);
/// assert_eq!(voucher.severity(), Some(Severity::Minor));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PastVoucher {
    order_id: OrderId,
    #[serde(deserialize_with = "instant::read")]
    granted_at: DateTime<FixedOffset>,
    #[serde(
        deserialize_with = "amount::read",
        serialize_with = "rust_decimal::serde::str::serialize"
    )]
    amount: Decimal,
    currency: Currency,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decision_id: Option<DecisionId>,
}

impl PastVoucher {
    /// No history at all, for a customer's first request:
    /// `engine.decide(&request, PastVoucher::NONE, now)`.
    pub const NONE: &'static [PastVoucher] = &[];

    /// A past voucher: the order it compensated, its value (in `currency`, which must be the
    /// policy's), and when it was granted. No severity is recorded until
    /// [`PastVoucher::with_severity`]; the argument order is [`Order::new`](crate::Order::new)'s.
    pub fn new(
        order_id: OrderId,
        amount: impl Into<Decimal>,
        currency: Currency,
        granted_at: impl Into<DateTime<FixedOffset>>,
    ) -> Self {
        PastVoucher {
            order_id,
            granted_at: granted_at.into(),
            amount: amount.into(),
            currency,
            severity: None,
            decision_id: None,
        }
    }

    /// The same voucher, answering a complaint of `severity`. An entry without one never counts
    /// as a minor complaint.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// The same entry, recording the decision that granted it.
    pub fn with_decision_id(mut self, id: DecisionId) -> Self {
        self.decision_id = Some(id);
        self
    }

    /// The decision that granted the voucher, when recorded.
    pub fn decision_id(&self) -> Option<DecisionId> {
        self.decision_id
    }

    /// The order it compensated.
    pub fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    /// When it was granted; must not be after `now`.
    pub fn granted_at(&self) -> DateTime<FixedOffset> {
        self.granted_at
    }

    /// Its value.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// Its currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The severity of the complaint it answered, when recorded.
    pub fn severity(&self) -> Option<Severity> {
        self.severity
    }
}

/// A past voucher as a decision reads it: what [`Engine::decide`](crate::Engine::decide) and
/// [`Engine::verdict`](crate::Engine::verdict) take a history of.
///
/// [`PastVoucher`] implements it; so can the rows a service reads from its database or the
/// records a replay keeps, which the engine then reads where they lie instead of having them
/// copied into `PastVoucher`s first. The engine validates every entry it reads (a positive
/// amount in the policy's currency, granted no later than `now`) and names the failing one as
/// `history[i]` in its error.
///
/// ```
/// use chrono::{DateTime, FixedOffset};
/// use rust_decimal::Decimal;
/// use voucher_policy::{Currency, HistoryEntry, Severity};
///
/// /// A row of a service's `vouchers` table.
/// struct Row {
///     order: String,
///     granted: DateTime<FixedOffset>,
///     amount: Decimal,
/// }
///
/// impl HistoryEntry for Row {
///     fn order_id(&self) -> &str {
///         &self.order
///     }
///     fn granted_at(&self) -> DateTime<FixedOffset> {
///         self.granted
///     }
///     fn amount(&self) -> &Decimal {
///         &self.amount
///     }
///     fn currency(&self) -> Currency {
///         Currency::IDR
///     }
///     fn severity(&self) -> Option<Severity> {
///         None
///     }
/// }
/// # let row = Row { order: "3401".into(), granted: DateTime::parse_from_rfc3339("2026-11-20T12:00:00+07:00")?, amount: Decimal::from(10_000) };
/// # assert_eq!(row.order_id(), "3401");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait HistoryEntry {
    /// The order it compensated.
    fn order_id(&self) -> &str;
    /// The order it compensated, as the engine compares it with the request's: the bytes of
    /// [`HistoryEntry::order_id`]. Override it when the id is kept as bytes known to be UTF-8,
    /// so that comparing them needs no check that they are.
    #[inline(always)]
    fn order_id_bytes(&self) -> &[u8] {
        self.order_id().as_bytes()
    }
    /// When it was granted.
    fn granted_at(&self) -> DateTime<FixedOffset>;
    /// Its value.
    fn amount(&self) -> &Decimal;
    /// Its currency.
    fn currency(&self) -> Currency;
    /// The severity of the complaint it answered, when recorded. An entry without one never
    /// counts as a minor complaint.
    fn severity(&self) -> Option<Severity>;
}

impl<T: HistoryEntry + ?Sized> HistoryEntry for &T {
    #[inline(always)]
    fn order_id(&self) -> &str {
        (**self).order_id()
    }

    #[inline(always)]
    fn order_id_bytes(&self) -> &[u8] {
        (**self).order_id_bytes()
    }

    #[inline(always)]
    fn granted_at(&self) -> DateTime<FixedOffset> {
        (**self).granted_at()
    }

    #[inline(always)]
    fn amount(&self) -> &Decimal {
        (**self).amount()
    }

    #[inline(always)]
    fn currency(&self) -> Currency {
        (**self).currency()
    }

    #[inline(always)]
    fn severity(&self) -> Option<Severity> {
        (**self).severity()
    }
}

impl HistoryEntry for PastVoucher {
    #[inline(always)]
    fn order_id(&self) -> &str {
        self.order_id.as_str()
    }

    #[inline(always)]
    fn granted_at(&self) -> DateTime<FixedOffset> {
        self.granted_at
    }

    #[inline(always)]
    fn amount(&self) -> &Decimal {
        &self.amount
    }

    #[inline(always)]
    fn currency(&self) -> Currency {
        self.currency
    }

    #[inline(always)]
    fn severity(&self) -> Option<Severity> {
        self.severity
    }
}

/// The history as the policy's windows see it, measured back from `now`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct HistoryMeasures {
    /// A voucher was already granted for this very order (at any time).
    pub order_compensated: bool,
    /// How many entries the history has in all: every one a voucher the customer got.
    pub vouchers_ever: u32,
    /// Vouchers inside each of the policy's distinct windows, longest first
    /// ([`PolicyWindows::spans`](crate::policy::PolicyWindows)).
    pub vouchers: [u32; WINDOWS],
    /// Minor-complaint vouchers inside each window.
    pub minor_vouchers: [u32; WINDOWS],
    /// The value granted inside each window, in the policy's units: exact, in any order of the
    /// history.
    pub value: [u128; WINDOWS],
}

impl HistoryMeasures {
    /// Vouchers inside the window at `position`.
    #[inline(always)]
    pub fn vouchers_in(&self, position: usize) -> u32 {
        self.vouchers.get(position).copied().unwrap_or(0)
    }

    /// Minor-complaint vouchers inside the window at `position`.
    #[inline(always)]
    pub fn minor_vouchers_in(&self, position: usize) -> u32 {
        self.minor_vouchers.get(position).copied().unwrap_or(0)
    }

    /// The value granted inside the window at `position`.
    #[inline(always)]
    pub fn value_in(&self, position: usize) -> u128 {
        self.value.get(position).copied().unwrap_or(0)
    }
}

impl HistoryMeasures {
    /// Measures `history` through `policy`'s windows at `now`, for a request about `order_id`.
    ///
    /// The one generic step of a decision: it is compiled where a caller decides on its own kind
    /// of [`HistoryEntry`], and everything else stays in this crate.
    #[inline]
    pub fn of<H: HistoryEntry>(
        policy: &Policy,
        prepared: &Prepared,
        order_id: &str,
        history: &[H],
        now: DateTime<FixedOffset>,
    ) -> Result<HistoryMeasures, RequestError> {
        if history.is_empty() {
            return Ok(HistoryMeasures::default());
        }
        let order_id = order_id.as_bytes();
        // Most past ids are told apart from the order's by their length or their last byte
        // (where ids numbered in sequence differ), which are worked out once here rather
        // than on every entry; a history entry costs a few instructions.
        match (NonZeroUsize::new(order_id.len()), order_id.last()) {
            (Some(len), Some(&last)) => {
                measure(policy, prepared, history, now, move |id: &[u8]| {
                    // A length known not to be zero: no test for an empty id.
                    id.len() == len.get() && id.last() == Some(&last) && id == order_id
                })
            }
            _ => measure(policy, prepared, history, now, <[u8]>::is_empty),
        }
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
// Out of line: inlined into its caller, the loop was compiled a few instructions an entry longer.
#[inline(never)]
fn measure<H: HistoryEntry>(
    policy: &Policy,
    prepared: &Prepared,
    history: &[H],
    now: DateTime<FixedOffset>,
    is_this_order: impl Fn(&[u8]) -> bool,
) -> Result<HistoryMeasures, RequestError> {
    let mut measures = HistoryMeasures {
        vouchers_ever: u32::try_from(history.len()).unwrap_or(u32::MAX),
        ..HistoryMeasures::default()
    };
    let currency = policy.currency();
    let windows = &prepared.windows;
    let units = &prepared.money.units;
    // Each distinct length once (two in the default policy), the longest first, so that the
    // windows holding an entry are always the first few.
    let mut starts = [WindowStart::NEVER; WINDOWS];
    let now_utc = now.naive_utc();
    for (start, span) in starts.iter_mut().zip(windows.spans()) {
        *start = WindowStart {
            start: back_from(now_utc, *span),
        };
    }
    let distinct = windows.spans().len();
    // The longest window reaches furthest back (or, starting before the dates chrono holds,
    // takes in everything).
    let earliest = starts.first().copied().unwrap_or(WindowStart::NEVER);
    let earliest_day = earliest.start.map(|start| start.date());
    // For each number of windows an entry is in, how many entries, minor ones and how much
    // value: one slot an entry, summed into the windows once at the end.
    let mut held_vouchers = [0_u32; WINDOWS + 1];
    let mut held_minor = [0_u32; WINDOWS + 1];
    let mut held_value = [0_u128; WINDOWS + 1];
    for past in history {
        // Read in place: a copy of the amount would go through the stack on every entry.
        let amount = match units.quickly(past.amount()) {
            Some(amount) if past.currency() == currency => amount,
            _ => entry_amount(policy, units, history, past)?,
        };
        let id = past.order_id_bytes();
        // An id that starts with a visible ASCII character is not blank; any other is looked at
        // in full, out of line.
        if !id.first().is_some_and(u8::is_ascii_graphic) && is_blank(id) {
            return Err(blank_id(history, past));
        }
        // A branch, not `|=`: almost every entry is another order, and the branch is predicted.
        if is_this_order(id) {
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
        // The windows holding it: the longest, and each shorter one until one does not.
        let mut held = 1;
        while held < distinct
            && starts
                .get(held)
                .is_some_and(|start| start.holds(granted_at))
        {
            held += 1;
        }
        let minor = past.severity() == Some(Severity::Minor);
        if let Some(count) = held_vouchers.get_mut(held) {
            *count = count.saturating_add(1);
        }
        if let Some(count) = held_minor.get_mut(held) {
            *count = count.saturating_add(u32::from(minor));
        }
        if let Some(value) = held_value.get_mut(held) {
            *value += u128::from(amount);
        }
    }
    // An entry held by `h` windows is in windows 0 to h - 1: window `i` has every entry held by
    // more than `i`, so each is summed from the shortest down.
    let (mut vouchers, mut minor, mut value) = (0_u32, 0_u32, 0_u128);
    for position in (0..distinct).rev() {
        let held = position + 1;
        vouchers = vouchers.saturating_add(held_vouchers.get(held).copied().unwrap_or(0));
        minor = minor.saturating_add(held_minor.get(held).copied().unwrap_or(0));
        value += held_value.get(held).copied().unwrap_or(0);
        if let Some(slot) = measures.vouchers.get_mut(position) {
            *slot = vouchers;
        }
        if let Some(slot) = measures.minor_vouchers.get_mut(position) {
            *slot = minor;
        }
        if let Some(slot) = measures.value.get_mut(position) {
            *slot = value;
        }
    }
    Ok(measures)
}

/// The amount of a history entry the quick way did not take: one written with trailing zeros,
/// or the error of an entry in another currency or with an amount that is not positive, too
/// precise or too large.
#[cold]
#[inline(never)]
fn entry_amount<H: HistoryEntry>(
    policy: &Policy,
    units: &Units,
    history: &[H],
    past: &H,
) -> Result<u64, RequestError> {
    let field = |name: &str| format!("history[{}].{name}", index_of(history, past));
    if past.currency() != policy.currency() {
        return Err(RequestError::new(
            field("currency"),
            past.currency(),
            Problem::WrongCurrency {
                expected: policy.currency(),
            },
        ));
    }
    units.of(past.amount()).map_err(|fault| {
        RequestError::new(
            field("amount"),
            *past.amount(),
            Problem::of_amount(fault, policy.currency(), units.request_places()),
        )
    })
}

/// Whether an id is empty or only white space.
#[cold]
#[inline(never)]
fn is_blank(id: &[u8]) -> bool {
    String::from_utf8_lossy(id).trim().is_empty()
}

#[cold]
fn blank_id<H: HistoryEntry>(history: &[H], past: &H) -> RequestError {
    RequestError::new(
        format!("history[{}].order_id", index_of(history, past)),
        format_args!("{:?}", past.order_id()),
        Problem::Blank,
    )
}

#[cold]
fn after_now<H: HistoryEntry>(history: &[H], past: &H, now: DateTime<FixedOffset>) -> RequestError {
    RequestError::new(
        format!("history[{}].granted_at", index_of(history, past)),
        past.granted_at().to_rfc3339(),
        Problem::AfterNow { now },
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
