//! What-if simulation for voucher-policy: replay a log of requests through a policy, and compare two policies on
//! the same log, before a policy change reaches customers.
//!
//! An operations team about to change its policy asks: how many more refusals, how much money
//! saved, which customers hit? This crate answers from the requests production already saw.
//!
//! - [`Simulator`] replays requests in time order, with no history attached: it keeps each
//!   customer's voucher history from its own grants, in memory bounded by the policy's longest
//!   window, and counts everything into a [`Report`]: outcomes, reasons, tiers, severities,
//!   categories, money per tier and per day, the customers refused most often.
//! - [`Comparer`] replays the same requests through two policies side by side and gives a
//!   [`Comparison`]: every figure of both reports with the difference, and the requests whose
//!   outcome or amount changed, with both decisions.
//! - [`LogEntry`] is one line of a log: the JSON request of the wire contract without `history`,
//!   or a line of the decision service's audit log (`GET /decisions?since&until` of
//!   `examples/service`), `{"request": ..., "decision": ...}`, whose request it takes: the audit
//!   log is the what-if input as it is.
//! - [`LogGenerator`] produces realistic traffic from a fixed seed, for trying a policy before
//!   there is a log and for benchmarks.
//! - [`Report::to_html`] and [`Comparison::to_html`] write a self-contained HTML page with SVG
//!   charts that opens in a browser without a network.
//!
//! ```
//! use voucher_policy::{Engine, Policy};
//! use voucher_policy_sim::{Comparer, LogGenerator};
//!
//! let current = Engine::default();
//! let strict = Engine::new(Policy::load("../examples/policies/strict.toml")?);
//! let mut comparer = Comparer::new(&current, &strict);
//! for entry in LogGenerator::new(7).take(20_000) {
//!     comparer.replay(&entry.request, entry.now);
//! }
//! let comparison = comparer.finish();
//! assert!(comparison.b.totals.money_granted < comparison.a.totals.money_granted);
//! println!("{comparison}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `simulate` example runs all of it on a JSON Lines log and writes the HTML report;
//! `generate_log` writes a generated log.

mod compare;
mod escape;
mod generator;
mod histories;
mod html;
mod key;
mod log;
pub(crate) mod random;
mod report;
mod simulator;
mod sum;
mod svg;
mod table;
mod tally;
mod top;

pub use compare::{
    ChangedRequest, Comparer, Comparison, DecisionSummary, Difference, FigureRow, Paired,
    Transition, compare,
};
pub use generator::{LogGenerator, TrafficShape};
pub use log::{LogEntry, LogLineError};
pub use report::{Breakdown, Counts, DayCounts, Failure, MemoryFigures, Report};
pub use simulator::{
    PREFETCH_BATCH, ReplayError, ReplayErrorKind, SimulationSettings, Simulator, simulate,
};
pub use top::TopCount;

/// The hasher of the simulator's tables, keyed by customer ids from the log.
type FastHash = hashbrown::DefaultHashBuilder;

/// The Rust examples of the simulation guide, compiled and run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/simulation.md")]
struct Guide;
