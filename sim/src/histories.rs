//! The voucher history a replay builds from its own grants, forgetting what no window can see,
//! and each customer's refusals not yet counted into the report.

use std::hash::BuildHasher;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use hashbrown::HashTable;
use rust_decimal::Decimal;

use super::key::Key;
use super::{FastHash, PREFETCH_BATCH};
use voucher_policy::{Currency, HistoryEntry, OrderId, PastVoucher, Policy, Severity, Window};

/// Each customer's vouchers granted during the replay, oldest first, keeping only those younger
/// than the memory horizon, and the customer's refusals since they were last handed on.
///
/// A customer's vouchers that have left the horizon are dropped whenever the customer is looked
/// up, so a decision never sees them. Memory is bounded by the customers granted or refused
/// inside the horizon, not by the log's length: every quarter of a horizon of log time, a sweep
/// through the table drops the customers whose last grant or refusal has left it, handing their
/// refusals on. A voucher is therefore held at most a horizon and a quarter after the customer's
/// last grant or refusal.
///
/// Refusals are counted here, on the entry the decision has just read, rather than in a table of
/// their own: counting each in a second table of hundreds of thousands of customers cost a
/// replay a tenth of its time in memory reads. The caller hands them on to the report's counter
/// when the customer is dropped ([`Histories::sweep_if_due`]) and at the end
/// ([`Histories::hand_on_refusals`]).
///
/// Built for millions of requests a second, where the cost is memory reads, not arithmetic: a
/// customer is one hash-table entry with the id inline, and the vouchers are one compact array
/// with the order ids inline, so deciding a remembered customer reads three or four cache lines
/// instead of one per voucher. The engine reads them where they lie (they are a
/// [`HistoryEntry`]), so in a steady state a look-up allocates and copies nothing.
#[derive(Debug)]
pub(crate) struct Histories {
    horizon: TimeDelta,
    /// Whether the horizon is a whole number of days (see [`Histories::cutoff_now`]).
    whole_days: bool,
    /// The last [`Histories::cutoff`] worked out in full: the UTC date of its `now`, and the
    /// UTC date of the cutoff.
    cutoff_dates: Option<(NaiveDate, NaiveDate)>,
    currency: Currency,
    hasher: FastHash,
    customers: HashTable<Customer>,
    /// The next sweep is due when `now` reaches this.
    next_sweep: Option<DateTime<FixedOffset>>,
    /// Voucher lists of dropped customers, to reuse their memory.
    spare_lists: Vec<Vec<Remembered>>,
    /// Where the customer the last [`Histories::of`] found is in the table, so
    /// [`Histories::record`] finds them again without a look-up.
    last_found: Option<usize>,
    vouchers: usize,
    peak_customers: usize,
    peak_vouchers: usize,
}

/// One customer's remembered vouchers and refusals: 64 bytes aligned to 64, so reading an entry
/// reads one cache line. (Its hash is not kept: the table keeps a part of it, enough to tell
/// most customers apart, and works the rest out again from the id when it grows.)
#[derive(Debug)]
#[repr(align(64))]
struct Customer {
    id: Key,
    /// When (in UTC) the customer was last granted a voucher or refused, so a sweep can drop a
    /// customer without reading the vouchers.
    last_counted: NaiveDateTime,
    /// Refusals not yet handed on.
    refusals: u32,
    vouchers: Vec<Remembered>,
}

/// The vouchers a new list has room for: four, as `Vec` gives 64-byte elements on its first
/// push, and more than most customers are granted inside a horizon.
const NEW_LIST_CAPACITY: usize = 4;

/// A voucher granted during the replay, in the policy's currency: what the engine reads of it
/// in 64 bytes, the order id inline.
#[derive(Debug, Clone)]
pub(crate) struct Remembered {
    granted_at: DateTime<FixedOffset>,
    amount: Decimal,
    order_id: Key,
    currency: Currency,
    severity: Severity,
}

impl HistoryEntry for Remembered {
    #[inline(always)]
    fn order_id(&self) -> &str {
        self.order_id.as_str()
    }

    /// The id's bytes as stored, copied whole from a `str`: no UTF-8 check on every look.
    #[inline(always)]
    fn order_id_bytes(&self) -> &[u8] {
        self.order_id.as_bytes()
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
        Some(self.severity)
    }
}

/// A voucher to remember.
pub(crate) struct Grant<'a> {
    pub order_id: &'a str,
    pub at: DateTime<FixedOffset>,
    pub amount: Decimal,
    pub severity: Severity,
}

impl Histories {
    /// Remembers vouchers in `currency` for `horizon`, looking customers up by their hash by
    /// `hasher`.
    pub fn new(horizon: Window, currency: Currency, hasher: FastHash) -> Self {
        let horizon = horizon.as_delta();
        let day = TimeDelta::days(1);
        Histories {
            horizon,
            whole_days: horizon.subsec_nanos() == 0
                && horizon.num_seconds() % day.num_seconds() == 0,
            cutoff_dates: None,
            currency,
            hasher,
            customers: HashTable::new(),
            next_sweep: None,
            spare_lists: Vec::new(),
            last_found: None,
            vouchers: 0,
            peak_customers: 0,
            peak_vouchers: 0,
        }
    }

    /// The longest any voucher can matter to a decision of `policy`: the longest of its rolling
    /// windows, its claim windows (the policy's and each category's) and its young-account age.
    ///
    /// The rolling windows (count, value, minor cool-down, repeated-minor pattern, each tier's
    /// further limits) are measured back from `now`, so a voucher older than the longest of them
    /// never counts again. A young account's lifetime limit counts every voucher it was granted,
    /// all since it was made, less than the young-account age ago. The
    /// `order_already_compensated` check has no window: it looks for the order at any age. What
    /// bounds it is the claim window: a voucher is granted after its order was placed, so once
    /// the voucher is older than the claim window, so is the order, and a new complaint about it
    /// is refused as `claim_window_expired` whatever the history says. Were the horizon shorter
    /// than the claim window (7-day windows and a 14-day claim window, say), the replay would
    /// forget a voucher while its order could still be claimed, and grant the order twice.
    ///
    /// One case stays beyond any horizon: a request decided long after it was reported. The
    /// simulator counts the requests about orders placed a horizon or more before `now`
    /// ([`MemoryFigures::orders_beyond_horizon`](super::MemoryFigures::orders_beyond_horizon));
    /// when there are none, the replay decided exactly as production would have.
    pub fn horizon_of(policy: &Policy) -> Window {
        let tiers = policy
            .tiers()
            .iter()
            .flat_map(|tier| tier.limits.iter().map(|limit| limit.window()));
        let categories = policy
            .categories()
            .iter()
            .filter_map(|category| category.claim_window);
        let young = policy.young_accounts().map(|young| young.younger_than);
        [
            policy.count_window(),
            policy.value_window(),
            policy.minor_cooldown(),
            policy.repeated_minor().window,
            policy.claim_window(),
        ]
        .into_iter()
        .chain(tiers)
        .chain(categories)
        .chain(young)
        .max()
        .unwrap_or(Window::DAY)
    }

    /// Sweeps the table if a sweep is due at `now`: drops every customer last granted a voucher
    /// or refused at or before `now - horizon` (outside every window the policy measures),
    /// handing their refusals to `hand_on` (customer id, refusals).
    ///
    /// A customer still remembered has had their vouchers pruned to the horizon at their last
    /// grant or refusal (each is recorded right after a look-up), so what the sweep leaves is
    /// bounded too. Returns whether it swept.
    pub fn sweep_if_due(
        &mut self,
        now: DateTime<FixedOffset>,
        mut hand_on: impl FnMut(&str, u64),
    ) -> bool {
        let due = self.next_sweep.is_none_or(|at| now >= at);
        if !due {
            return false;
        }
        let Some(cutoff) = self.cutoff(now) else {
            return false;
        };
        self.next_sweep = now.checked_add_signed(self.horizon / 4);
        self.last_found = None;
        let spare_lists = &mut self.spare_lists;
        let mut dropped = 0;
        let cutoff = cutoff.naive_utc();
        self.customers.retain(|customer| {
            if customer.last_counted > cutoff {
                return true;
            }
            if customer.refusals > 0 {
                hand_on(customer.id.as_str(), u64::from(customer.refusals));
            }
            dropped += customer.vouchers.len();
            // A customer only refused has no list to reuse.
            if customer.vouchers.capacity() > 0 {
                spare_lists.push(std::mem::take(&mut customer.vouchers));
            }
            false
        });
        self.vouchers -= dropped;
        true
    }

    /// The moment at or before which a voucher has left the horizon at `now`.
    pub fn cutoff(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        now.checked_sub_signed(self.horizon)
    }

    /// [`Histories::cutoff`], worked out in full only when the UTC date of `now` changes.
    ///
    /// A horizon of whole days moves `now`'s UTC date back and leaves its time of day alone,
    /// except in a leap second, which chrono's arithmetic leaves; so while `now`'s UTC date is
    /// the last one worked out in full, and `now` is not in a leap second, the cutoff is the
    /// date worked out then with `now`'s time of day, in `now`'s offset. A unit test checks
    /// the two agree.
    pub fn cutoff_now(&mut self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        let utc = now.naive_utc();
        let (date, time) = (utc.date(), utc.time());
        if let Some((now_date, cutoff_date)) = self.cutoff_dates {
            if now_date == date && time.nanosecond() < 1_000_000_000 {
                let naive = NaiveDateTime::new(cutoff_date, time);
                return Some(DateTime::from_naive_utc_and_offset(naive, *now.offset()));
            }
        }
        let cutoff = self.cutoff(now);
        self.cutoff_dates = cutoff
            .filter(|_| self.whole_days && time.nanosecond() < 1_000_000_000)
            .map(|cutoff| (date, cutoff.naive_utc().date()));
        cutoff
    }

    /// The hash `of` and `record` look a customer up by.
    pub fn hash(&self, customer: &str) -> u64 {
        self.hasher.hash_one(customer)
    }

    /// The customer's vouchers still inside the horizon at `cutoff` (see [`Histories::cutoff`]),
    /// oldest first, dropping those that have left it; `hash` is [`Histories::hash`] of
    /// `customer`.
    pub fn of(
        &mut self,
        hash: u64,
        customer: &str,
        cutoff: Option<DateTime<FixedOffset>>,
    ) -> &[Remembered] {
        self.last_found = self
            .customers
            .find_bucket_index(hash, |entry| entry.id.is(customer));
        let Some(entry) = self
            .last_found
            .and_then(|index| self.customers.get_bucket_mut(index))
        else {
            return &[];
        };
        if let Some(cutoff) = cutoff {
            self.vouchers -= forget(&mut entry.vouchers, cutoff);
        }
        &entry.vouchers
    }

    /// Reads the entries and vouchers of up to [`PREFETCH_BATCH`] customers (each with its
    /// [`Histories::hash`]), so look-ups soon after find them in cache: first every entry, then
    /// both ends of every voucher list, so the reads of different customers overlap.
    pub fn touch(&self, customers: &[(u64, &str)]) -> u64 {
        let mut found: [Option<&Customer>; PREFETCH_BATCH] = [None; PREFETCH_BATCH];
        for (slot, (hash, customer)) in found.iter_mut().zip(customers) {
            *slot = self.customers.find(*hash, |entry| entry.id.is(customer));
        }
        found
            .iter()
            .flatten()
            .flat_map(|entry| &entry.vouchers)
            .map(|voucher| voucher.order_id.len() as u64 ^ u64::from(voucher.amount.scale()))
            .fold(0, u64::wrapping_add)
    }

    /// The customer's vouchers remembered now, without dropping any.
    pub fn peek(&self, customer: &str) -> Vec<PastVoucher> {
        let hash = self.hash(customer);
        self.customers
            .find(hash, |entry| entry.id.is(customer))
            .map_or_else(Vec::new, |entry| {
                entry
                    .vouchers
                    .iter()
                    .map(|remembered| {
                        PastVoucher::new(
                            OrderId::new(remembered.order_id.as_str()),
                            remembered.amount,
                            self.currency,
                            remembered.granted_at,
                        )
                        .with_severity(remembered.severity)
                    })
                    .collect()
            })
    }

    /// Remembers a voucher granted to `customer`, not before any voucher remembered earlier;
    /// `hash` is [`Histories::hash`] of `customer`.
    pub fn record(&mut self, hash: u64, customer: &str, grant: Grant<'_>) {
        let voucher = Remembered {
            granted_at: grant.at,
            amount: grant.amount,
            order_id: Key::new(grant.order_id),
            currency: self.currency,
            severity: grant.severity,
        };
        let spare_lists = &mut self.spare_lists;
        // A list from a forgotten customer, emptied, or a new one when there is none: a list
        // is made only when none is spare, so there are never more than customers remembered
        // at once. A new list is made with room for four vouchers, what the first push into an
        // empty one would allocate, without going through the growth arithmetic.
        let mut spare_list = || {
            let mut list = spare_lists
                .pop()
                .unwrap_or_else(|| Vec::with_capacity(NEW_LIST_CAPACITY));
            list.clear();
            list
        };
        match Self::find_again(&mut self.customers, self.last_found, hash, customer) {
            Some(entry) => {
                entry.last_counted = grant.at.naive_utc();
                if entry.vouchers.capacity() == 0 {
                    // Only refused so far.
                    entry.vouchers = spare_list();
                }
                entry.vouchers.push(voucher);
            }
            None => {
                let mut vouchers = spare_list();
                vouchers.push(voucher);
                self.insert(
                    hash,
                    Customer {
                        id: Key::new(customer),
                        last_counted: grant.at.naive_utc(),
                        refusals: 0,
                        vouchers,
                    },
                );
            }
        }
        self.vouchers += 1;
        self.peak_vouchers = self.peak_vouchers.max(self.vouchers);
    }

    /// Counts a refusal of `customer` at `now`, not before anything recorded earlier; `hash` is
    /// [`Histories::hash`] of `customer`. Hands the count on to `hand_on` in the unlikely case
    /// that it would overflow.
    pub fn refused(
        &mut self,
        hash: u64,
        customer: &str,
        now: DateTime<FixedOffset>,
        hand_on: impl FnOnce(&str, u64),
    ) {
        let at = now.naive_utc();
        match Self::find_again(&mut self.customers, self.last_found, hash, customer) {
            Some(entry) => {
                entry.last_counted = at;
                if entry.refusals == u32::MAX {
                    hand_on(customer, u64::from(entry.refusals));
                    entry.refusals = 0;
                }
                entry.refusals += 1;
            }
            None => self.insert(
                hash,
                Customer {
                    id: Key::new(customer),
                    last_counted: at,
                    refusals: 1,
                    // Empty: allocates nothing.
                    vouchers: Vec::new(),
                },
            ),
        }
    }

    /// Hands every customer's refusals not yet handed on to `hand_on` (customer id, refusals),
    /// and forgets them.
    pub fn hand_on_refusals(&mut self, mut hand_on: impl FnMut(&str, u64)) {
        for customer in self.customers.iter_mut() {
            if customer.refusals > 0 {
                hand_on(customer.id.as_str(), u64::from(customer.refusals));
                customer.refusals = 0;
            }
        }
    }

    /// The entry of `customer` (whose hash is `hash`) in `customers`: at `last_found` (where the
    /// last [`Histories::of`] found someone), without a look-up, if that is this customer.
    fn find_again<'t>(
        customers: &'t mut HashTable<Customer>,
        last_found: Option<usize>,
        hash: u64,
        customer: &str,
    ) -> Option<&'t mut Customer> {
        let is_customer = |entry: &Customer| entry.id.is(customer);
        let last =
            last_found.filter(|index| customers.get_bucket(*index).is_some_and(&is_customer));
        match last {
            Some(index) => customers.get_bucket_mut(index),
            None => customers.find_mut(hash, is_customer),
        }
    }

    /// Adds a customer the table does not hold.
    fn insert(&mut self, hash: u64, entry: Customer) {
        let hasher = &self.hasher;
        self.customers
            .insert_unique(hash, entry, |entry| hasher.hash_one(entry.id.as_str()));
        // The table may have grown, and its entries moved.
        self.last_found = None;
        self.peak_customers = self.peak_customers.max(self.customers.len());
    }

    /// How many customers are remembered.
    pub fn customers(&self) -> usize {
        self.customers.len()
    }

    /// How many vouchers are remembered.
    pub fn vouchers(&self) -> usize {
        self.vouchers
    }

    /// The most customers remembered at once.
    pub fn peak_customers(&self) -> usize {
        self.peak_customers
    }

    /// The most vouchers remembered at once.
    pub fn peak_vouchers(&self) -> usize {
        self.peak_vouchers
    }
}

/// Drops the vouchers granted at or before `cutoff` from the front of `vouchers` (which is in
/// grant order); returns how many were dropped.
fn forget(vouchers: &mut Vec<Remembered>, cutoff: DateTime<FixedOffset>) -> usize {
    let gone = vouchers
        .iter()
        .take_while(|voucher| voucher.granted_at <= cutoff)
        .count();
    if gone > 0 {
        vouchers.drain(..gone);
    }
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_horizon_reaches_every_window_a_shaped_policy_measures() {
        let shaped =
            |toml: &str| Policy::from_toml_str(&format!("extends = \"default\"\n{toml}")).unwrap();
        let day: i64 = 86_400;
        assert_eq!(
            Histories::horizon_of(&Policy::default()).as_seconds(),
            30 * day
        );
        let limits =
            shaped("[[tiers]]\nname = \"gold\"\nlimits = [{ vouchers = 9, window = \"90d\" }]");
        assert_eq!(Histories::horizon_of(&limits).as_seconds(), 90 * day);
        let claim = shaped("[categories.parcel]\nseverity = \"moderate\"\nclaim_window = \"45d\"");
        assert_eq!(Histories::horizon_of(&claim).as_seconds(), 45 * day);
        let young = shaped("[young_accounts]\nyounger_than = \"60d\"\nlifetime_vouchers = 2");
        assert_eq!(Histories::horizon_of(&young).as_seconds(), 60 * day);
    }

    fn at(day: i64) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-02T12:00:00+07:00").unwrap() + TimeDelta::days(day)
    }

    fn grant(order_id: &str, day: i64) -> Grant<'_> {
        Grant {
            order_id,
            at: at(day),
            amount: Decimal::from(10_000),
            severity: Severity::Minor,
        }
    }

    /// Histories of vouchers in rupiah, remembered for 30 days.
    fn thirty_days() -> Histories {
        Histories::new(
            Window::days(30).unwrap(),
            Currency::IDR,
            FastHash::default(),
        )
    }

    fn orders(histories: &Histories, customer: &str) -> Vec<String> {
        histories
            .peek(customer)
            .into_iter()
            .map(|voucher| voucher.order_id().to_string())
            .collect()
    }

    /// The cutoff worked out once a day is the one worked out in full, whatever the time of
    /// day, the offset, a leap second or a horizon that is not whole days.
    #[test]
    fn the_cached_cutoff_is_the_full_one() {
        let mut random = crate::random::SplitMix64::new(0x2545_f491_4f6c_dd1d);
        let mut next = move |below: u64| random.below(below);
        for horizon in [
            Window::days(30).unwrap(),
            Window::days(1).unwrap(),
            Window::hours(36).unwrap(),
        ] {
            let mut histories = Histories::new(horizon, Currency::IDR, FastHash::default());
            let mut now = at(0);
            for _ in 0..20_000 {
                let step = next(4 * 3_600) as i64;
                now += TimeDelta::seconds(step) + TimeDelta::nanoseconds(next(1_000) as i64);
                let hours = next(27) as i32 - 13;
                let offset = FixedOffset::east_opt(hours * 3_600).unwrap();
                now = now.with_timezone(&offset);
                assert_eq!(histories.cutoff_now(now), histories.cutoff(now), "{now}");
            }
            let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
                .and_then(|date| date.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
                .unwrap()
                .and_utc()
                .fixed_offset();
            for now in [
                leap - TimeDelta::hours(1),
                leap,
                leap + TimeDelta::seconds(1),
            ] {
                assert_eq!(histories.cutoff_now(now), histories.cutoff(now), "{now}");
            }
        }
    }

    /// A customer refused before their first voucher takes a forgotten customer's list, as a
    /// new customer does: lists kept for reuse must not pile up when customers come and go.
    #[test]
    fn lists_are_reused_by_customers_refused_before_their_first_voucher() {
        let mut histories = thirty_days();
        let mut handed_on = 0;
        for round in 0..50_i64 {
            // Every 40 days: one customer granted, one refused then granted, one only refused.
            let day = round * 40;
            if histories.sweep_if_due(at(day), |_, refusals| handed_on += refusals) {
                assert!(histories.spare_lists.len() <= 2, "round {round}");
            }
            for (customer, refused, granted) in
                [("A", false, true), ("B", true, true), ("C", true, false)]
            {
                let customer = format!("{customer}-{round}");
                let hash = histories.hash(&customer);
                let cutoff = histories.cutoff(at(day));
                assert!(histories.of(hash, &customer, cutoff).is_empty());
                if refused {
                    histories.refused(hash, &customer, at(day), |_, _| unreachable!());
                }
                if granted {
                    histories.record(hash, &customer, grant("O-1", day));
                }
            }
        }
        assert_eq!(handed_on, 2 * 49);
        let mut at_end = 0;
        histories.hand_on_refusals(|customer, refusals| {
            assert!(customer.ends_with("-49"));
            at_end += refusals;
        });
        assert_eq!(at_end, 2);
    }

    /// `record` finds the customer the last `of` found without looking them up again; it must
    /// still record for the right customer when the last look-up was of someone else, found
    /// nobody, or the table grew since.
    #[test]
    fn record_after_a_look_up_records_for_the_right_customer() {
        let mut histories = thirty_days();
        let (a, b) = ("C-1", "C-2");
        let (hash_a, hash_b) = (histories.hash(a), histories.hash(b));
        let cutoff = histories.cutoff(at(0));
        assert!(histories.of(hash_a, a, cutoff).is_empty());
        histories.record(hash_a, a, grant("O-1", 0));
        assert_eq!(histories.of(hash_a, a, cutoff).len(), 1);
        histories.record(hash_a, a, grant("O-2", 0));
        // The last look-up found `a`; `b` is new.
        assert_eq!(histories.of(hash_a, a, cutoff).len(), 2);
        histories.record(hash_b, b, grant("O-3", 0));
        // Enough new customers to make the table grow and move its entries.
        assert_eq!(histories.of(hash_b, b, cutoff).len(), 1);
        for n in 0..1_000 {
            let customer = format!("C-x{n}");
            let hash = histories.hash(&customer);
            histories.record(hash, &customer, grant("O-9", 0));
        }
        histories.record(hash_b, b, grant("O-4", 0));
        assert_eq!(orders(&histories, a), ["O-1", "O-2"]);
        assert_eq!(orders(&histories, b), ["O-3", "O-4"]);
        assert_eq!(histories.customers(), 1_002);
        assert_eq!(histories.vouchers(), 1_004);
        let history = histories.of(hash_b, b, cutoff);
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].order_id(), "O-4");
        assert_eq!(history[1].severity(), Some(Severity::Minor));
        assert_eq!(history[1].currency(), Currency::IDR);
    }
}
