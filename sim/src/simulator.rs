//! Replaying requests through a policy as production would have decided them.

use std::borrow::Borrow;

use chrono::{DateTime, FixedOffset};

use super::histories::{Grant, Histories};
use super::tally::Tally;
use super::{FastHash, LogEntry, LogLineError, Report};
use voucher_policy::{Engine, Outcome, PastVoucher, Request, RequestError, Verdict, Window};

/// How a replay treats what production does not tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SimulationSettings {
    /// Whether an escalated request whose recommendation on the merits is a grant puts the
    /// recommended voucher in the customer's history, as if the supervisor approved it.
    ///
    /// Off by default: the replay cannot know what the supervisor, legal or security decided,
    /// and a voucher that was never granted must not limit the customer's next request. Turn it
    /// on when supervisors nearly always follow the recommendation. Either way the report counts
    /// the request as escalated, and its voucher under `money_recommended`, not as granted.
    pub escalations_granted_on_recommendation: bool,
    /// How many of the customers refused most often the report lists (10 by default).
    pub top_customers: usize,
    /// How many of the requests that could not be decided the report lists (100 by default);
    /// it counts them all.
    pub failures_kept: usize,
}

impl Default for SimulationSettings {
    fn default() -> Self {
        SimulationSettings {
            escalations_granted_on_recommendation: false,
            top_customers: 10,
            failures_kept: 100,
        }
    }
}

/// Replays requests, in time order, through one policy, keeping each customer's voucher history
/// from the replay's own grants, and counts what it decides into a [`Report`].
///
/// Feed it the requests as production decided them, without their history: the simulator
/// remembers every voucher it grants (with the severity it was granted for) and hands each
/// customer's vouchers to the engine for their next request (as [`Engine::verdict`] would take
/// them, read in place rather than copied into [`PastVoucher`]s), so limits, cool-downs and
/// "already compensated" behave as they would have under the replayed policy. An escalation
/// grants nothing by itself (see [`SimulationSettings::escalations_granted_on_recommendation`]).
///
/// **Memory** is bounded by the customers granted or refused inside the policy's *horizon*, the
/// longest of its rolling windows and its claim window, not by the length of the log: a voucher
/// older than the horizon can no longer change a decision and is forgotten, and so is a customer
/// neither granted nor refused inside it (their refusals so far are counted into the report
/// first). [`MemoryFigures`](super::MemoryFigures) in the report says how much was remembered at
/// most, and whether any request was about an order old enough for that to matter.
///
/// Requests must come in time order (`now` never going back); one that goes back is not decided
/// and is reported as an error, and the replay goes on.
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{
///     Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, Outcome, Request, TierName,
/// };
/// use voucher_policy_sim::Simulator;
///
/// let at = |s| DateTime::parse_from_rfc3339(s);
/// let engine = Engine::default();
/// let mut simulator = Simulator::new(&engine);
///
/// // A new customer complains about two late deliveries a day apart: only one voucher a week.
/// for (order, placed, now) in [
///     ("O-1", "2026-11-24T08:00:00+07:00", "2026-11-24T10:00:00+07:00"),
///     ("O-2", "2026-11-25T08:00:00+07:00", "2026-11-25T10:00:00+07:00"),
/// ] {
///     let rina = CustomerId::new("C-9");
///     let customer = Customer::new(rina.clone(), TierName::new("new")).with_name("Rina");
///     let order = Order::new(OrderId::new(order), rina, 80_000, Currency::IDR, at(placed)?);
///     let complaint = Complaint::new("late_delivery", at(placed)?);
///     simulator.replay(&Request::new(customer, order, complaint), at(now)?)?;
/// }
/// assert_eq!(simulator.history_of("C-9").len(), 1);
/// let report = simulator.finish();
/// assert_eq!((report.totals.granted, report.totals.refused), (1, 1));
/// assert_eq!(report.by_reason.get("voucher_limit_reached").map(|c| c.refused), Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Simulator<'e> {
    engine: &'e Engine,
    settings: SimulationSettings,
    horizon: Window,
    histories: Histories,
    tally: Tally,
    last_now: Option<DateTime<FixedOffset>>,
}

impl<'e> Simulator<'e> {
    /// A simulator for `engine`'s policy with the default settings.
    pub fn new(engine: &'e Engine) -> Self {
        Simulator::with_settings(engine, SimulationSettings::default())
    }

    /// A simulator for `engine`'s policy.
    pub fn with_settings(engine: &'e Engine, settings: SimulationSettings) -> Self {
        let policy = engine.policy();
        let horizon = Histories::horizon_of(policy);
        Simulator {
            engine,
            settings,
            horizon,
            histories: Histories::new(horizon, policy.currency(), FastHash::default()),
            tally: Tally::new(policy, settings.top_customers, settings.failures_kept),
            last_now: None,
        }
    }

    /// Decides `request` at `now`, on the customer's history so far, and remembers the voucher
    /// if it is granted.
    ///
    /// Fails, and counts the request as not decided, when `now` is before the previous
    /// request's, or when the engine cannot decide the request ([`RequestError`]).
    pub fn replay(
        &mut self,
        request: &Request,
        now: DateTime<FixedOffset>,
    ) -> Result<Verdict, ReplayError> {
        let position = self.tally.next_position();
        if let Some(previous) = self.last_now.filter(|previous| now < *previous) {
            let kind = ReplayErrorKind::OutOfOrder {
                now: now.to_rfc3339(),
                previous: previous.to_rfc3339(),
            };
            self.tally
                .failed("order", Some("now".to_owned()), kind.to_string());
            return Err(ReplayError { position, kind });
        }
        self.last_now = Some(now);
        let tally = &mut self.tally;
        if self
            .histories
            .sweep_if_due(now, |customer, refusals| tally.refusals(customer, refusals))
        {
            tally.refusals_counted();
        }

        let customer = request.customer().id().as_str();
        let hash = self.histories.hash(customer);
        let cutoff = self.histories.cutoff_now(now);
        let history = self.histories.of(hash, customer, cutoff);
        let tally = &mut self.tally;
        // The result is returned as the engine wrote it, so the verdict (a few hundred bytes) is
        // not copied out and back.
        let decided = self.engine.verdict(request, history, now).map_err(|error| {
            tally.failed("request", Some(error.field().to_owned()), error.to_string());
            ReplayError {
                position,
                kind: ReplayErrorKind::Request(error),
            }
        });
        let Ok(verdict) = &decided else {
            return decided;
        };

        let voucher = match verdict.outcome() {
            Outcome::Granted => verdict.voucher(),
            Outcome::Escalated if self.settings.escalations_granted_on_recommendation => verdict
                .recommendation()
                .filter(|recommendation| recommendation.outcome() == Outcome::Granted)
                .and_then(|recommendation| recommendation.voucher()),
            _ => None,
        };
        if let Some(voucher) = voucher {
            let grant = Grant {
                order_id: request.order().id().as_str(),
                at: now,
                amount: voucher.amount(),
                severity: verdict.facts().severity,
            };
            self.histories.record(hash, customer, grant);
        } else if verdict.outcome() == Outcome::Refused {
            let tally = &mut self.tally;
            self.histories
                .refused(hash, customer, now, |customer, refusals| {
                    tally.refusals(customer, refusals);
                    tally.refusals_counted();
                });
        }
        // Placed a horizon or more before now: at or before the cutoff.
        let beyond_horizon = cutoff.is_some_and(|cutoff| request.order().placed_at() <= cutoff);
        self.tally.decided(request, verdict, now, beyond_horizon);
        decided
    }

    /// Replays one log line: the JSON request of the wire contract, without `history` (see
    /// [`LogEntry`]). A line that cannot be read is counted as not decided, like any other
    /// failure.
    pub fn replay_json(&mut self, line: &[u8]) -> Result<Verdict, ReplayError> {
        match LogEntry::from_json(line) {
            Ok(entry) => self.replay(&entry.request, entry.now),
            Err(error) => Err(self.unreadable_line(error)),
        }
    }

    /// Counts a log line that is not a request (see [`LogEntry::from_json`]) as not decided, as
    /// [`Simulator::replay_json`] does, for a caller that reads the lines itself (to prefetch,
    /// say).
    pub fn unreadable_line(&mut self, error: LogLineError) -> ReplayError {
        let position = self.tally.next_position();
        self.tally.failed(
            "json",
            error.field().map(str::to_owned),
            error.message().to_owned(),
        );
        ReplayError {
            position,
            kind: ReplayErrorKind::Unreadable(error),
        }
    }

    /// How many requests were offered so far, decided or not: the position of the last one.
    pub fn position(&self) -> u64 {
        self.tally.next_position() - 1
    }

    /// The vouchers the replay remembers for `customer`, oldest first: those inside the horizon
    /// at the last request, and perhaps some older ones the next look-up or sweep drops.
    pub fn history_of(&self, customer: &str) -> Vec<PastVoucher> {
        self.histories.peek(customer)
    }

    /// How many customers the replay remembers now: those granted a voucher or refused inside
    /// the horizon, and those whose last grant or refusal left it since the last sweep (at most
    /// a quarter horizon ago).
    pub fn remembered_customers(&self) -> usize {
        self.histories.customers()
    }

    /// How many vouchers the replay remembers now.
    pub fn remembered_vouchers(&self) -> usize {
        self.histories.vouchers()
    }

    /// How long a voucher is remembered: the longest of the policy's rolling windows and its
    /// claim window.
    pub fn horizon(&self) -> Window {
        self.horizon
    }

    /// Reads what replaying `requests` will need from memory (each customer's remembered
    /// vouchers and refusals, and the texts of the request the decision compares: tier,
    /// category, order and customer ids, each a heap allocation of its own) and changes
    /// nothing.
    ///
    /// A replay with hundreds of thousands of customers spends much of its time waiting for
    /// memory, one customer at a time. Prefetching the next [`PREFETCH_BATCH`] requests before
    /// replaying them lets those reads overlap; [`simulate`] and [`compare`](super::compare) do
    /// this. Only the first [`PREFETCH_BATCH`] requests are read.
    pub fn prefetch<'r>(&self, requests: impl IntoIterator<Item = &'r Request>) {
        let mut customers: [(u64, &str); PREFETCH_BATCH] = [(0, ""); PREFETCH_BATCH];
        let mut count = 0;
        // The request's own texts the decision compares, each on the heap on its own.
        let mut texts = 0_usize;
        for (slot, request) in customers.iter_mut().zip(requests) {
            let customer = request.customer().id().as_str();
            *slot = (self.histories.hash(customer), customer);
            count += 1;
            for text in [
                request.customer().loyalty().as_str(),
                request.complaint().category(),
                request.order().id().as_str(),
                request.order().customer_id().as_str(),
            ] {
                texts =
                    texts.wrapping_add(usize::from(text.as_bytes().first().copied().unwrap_or(0)));
            }
        }
        let customers = customers.get(..count).unwrap_or(&[]);
        std::hint::black_box(self.histories.touch(customers) ^ texts as u64);
    }

    /// The engine replayed.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// Ends the replay and returns its report.
    pub fn finish(mut self) -> Report {
        let tally = &mut self.tally;
        self.histories
            .hand_on_refusals(|customer, refusals| tally.refusals(customer, refusals));
        tally.refusals_counted();
        self.tally.finish(&self.histories, self.horizon)
    }
}

/// Replays a whole log through `engine` with the default settings and returns the report.
/// Entries that cannot be decided are counted in [`Report::failed`] and listed in
/// [`Report::failures`].
///
/// ```
/// use voucher_policy::Engine;
/// use voucher_policy_sim::{LogGenerator, simulate};
///
/// let log: Vec<_> = LogGenerator::new(1).take(2_000).collect();
/// let report = simulate(&Engine::default(), &log);
/// assert_eq!(report.failed, 0);
/// ```
pub fn simulate<I>(engine: &Engine, log: I) -> Report
where
    I: IntoIterator,
    I::Item: Borrow<LogEntry>,
{
    let mut simulator = Simulator::new(engine);
    in_batches(log, |batch| {
        simulator.prefetch(batch.iter().map(|entry| &entry.borrow().request));
        for entry in batch {
            let entry = entry.borrow();
            // A failure is counted in the report.
            let _ = simulator.replay(&entry.request, entry.now);
        }
    });
    simulator.finish()
}

/// How many requests [`simulate`] and [`compare`](super::compare) prefetch at a time (see
/// [`Simulator::prefetch`]).
pub const PREFETCH_BATCH: usize = 16;

/// Hands `items` to `each` in batches of [`PREFETCH_BATCH`] (the last may be shorter).
pub(crate) fn in_batches<I: IntoIterator>(items: I, mut each: impl FnMut(&[I::Item])) {
    let mut batch = Vec::with_capacity(PREFETCH_BATCH);
    for item in items {
        batch.push(item);
        if batch.len() == PREFETCH_BATCH {
            each(&batch);
            batch.clear();
        }
    }
    if !batch.is_empty() {
        each(&batch);
    }
}

/// A request the replay could not decide, with its position (its line number in a log).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {position}: {kind}")]
pub struct ReplayError {
    position: u64,
    kind: ReplayErrorKind,
}

impl ReplayError {
    /// The request's position in the replay, counting from 1 every request offered, decided or
    /// not: for a log replayed line by line, its line number.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// What went wrong.
    pub fn kind(&self) -> &ReplayErrorKind {
        &self.kind
    }
}

/// What kept a request from being replayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayErrorKind {
    /// The log line is not a request (see [`LogEntry::from_json`]).
    #[error(transparent)]
    Unreadable(LogLineError),
    /// The request's `now` is before the previous request's: a replay must be in time order.
    #[error(
        "now: {now} is before the previous request's {previous}; requests must be replayed in time order"
    )]
    OutOfOrder {
        /// This request's `now`.
        now: String,
        /// The previous request's `now`.
        previous: String,
    },
    /// The engine cannot decide the request.
    #[error(transparent)]
    Request(RequestError),
}
