//! Decide customer-service compensation requests: grant, refuse or escalate, with the reasons
//! and a polite script for the agent, in Indonesian or English.
//!
//! ```
//! use chrono::DateTime;
//! use voucher_policy::{
//!     Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, Outcome, PastVoucher,
//!     Request, TierName,
//! };
//!
//! let at = |s| DateTime::parse_from_rfc3339(s);
//! let engine = Engine::default(); // the embedded default policy: IDR, five loyalty tiers
//!
//! let sari = CustomerId::new("C-2002");
//! let request = Request::new(
//!     Customer::new(sari.clone(), TierName::new("silver")).with_name("Sari Dewi"),
//!     Order::new(OrderId::new("5120"), sari, 120_000, Currency::IDR, at("2026-11-24T08:00:00+07:00")?)
//!         .with_delivered_at(at("2026-11-24T09:40:00+07:00")?),
//!     Complaint::new("late_delivery", at("2026-11-24T09:45:00+07:00")?),
//! );
//!
//! let decision = engine.decide(&request, PastVoucher::NONE, at("2026-11-24T10:00:00+07:00")?)?;
//! assert_eq!(decision.outcome(), Outcome::Granted);
//! // 120,000 x 25% (moderate) x 1.10 (silver) = 33,000
//! assert_eq!(decision.voucher().map(|v| v.amount()), Some(33_000.into()));
//! println!("{}", decision.script().text());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! Support teams lose money to customers who turn small complaints into vouchers, and lose
//! customers when agents refuse clumsily. This crate gives every agent console and chatbot the
//! same fair, explainable answer:
//!
//! 1. **Safety and conduct.** Physical threats go to security, legal threats to legal, critical
//!    complaints and requests for someone senior to a supervisor. Abusive language and personal
//!    advances are noted and answered in the script without changing the outcome.
//! 2. **Verification.** The order is the customer's, it was not compensated before, and the
//!    complaint came inside the claim window.
//! 3. **Validity.** The company was at fault, and a major complaint has evidence.
//! 4. **Limits.** The loyalty tier's voucher count and value over rolling windows, a cool-down
//!    for minor complaints, and the pattern of repeated minor complaints.
//! 5. **Amount.** Order total x severity rate x loyalty multiplier, rounded down, clamped, cut
//!    to the request and the value window, and checked against the agent's authority.
//!
//! Every check runs on every request and reports a stable [`Reason`] code with the numbers it
//! looked at ([`Facts`]); the [`Outcome`] is derived from the reasons. An escalated decision
//! carries the [`Recommendation`] on the merits; a refusal carries [`Alternatives`].
//!
//! # Usage
//!
//! - [`Engine::decide`] takes a [`Request`], the customer's history (a slice of [`PastVoucher`]s
//!   or of anything that implements [`HistoryEntry`], such as a service's database rows) and
//!   `now` (any `DateTime` that converts to a fixed offset), and returns a [`Decision`]: the
//!   [`Verdict`] and the [`Script`].
//! - Every input is built in one expression: `new` with what it cannot do without, each in a
//!   type of its own ([`CustomerId`], [`OrderId`], [`TierName`]: one cannot be passed for
//!   another), then a `with_*` step for each optional part. Every enum of the wire form parses
//!   from and prints as its wire name.
//! - [`Engine::verdict`] skips the script when only the outcome matters.
//! - [`Engine::default`] decides on the embedded default policy; [`Policy::load`] reads a policy
//!   file (TOML or JSON) that an operations team owns, validated once with every problem reported
//!   at once (a file may `extends` the default or another file and give only what differs);
//!   [`Policy::builder`] builds one in code, checked by the same rules; and [`Policy::lint`]
//!   warns about a policy that is valid but probably wrong.
//! - The [`Script`] is written from a catalog per locale: [`Scripts::builtin`] holds the shipped
//!   Indonesian and English catalogs; [`Scripts::with_file`] loads a company's own file over
//!   them (some messages in its own voice, or a whole new language), checked once when it loads
//!   with every problem named by file, message and position; [`Engine::with_scripts`] decides
//!   with them. A request picks the [`Locale`] and the [`AddressForm`] (familiar `Kak` or
//!   formal `Bapak/Ibu` in Indonesian).
//! - [`Case`] is the JSON wire form (request, history and `now` in one object), for callers in
//!   other languages; a [`Decision`] serializes to the wire form of the reply.
//! - Input that cannot be decided is a [`RequestError`] naming the field and the value; a request
//!   the policy refuses is a decision, never an error. Nothing panics, and nothing reads the clock.
//!   Every error type is named after what failed ([`RequestError`], [`CaseError`],
//!   [`PolicyError`], [`CatalogError`], [`WireNameError`]) and carries what a caller acts on.
//! - The `voucher-policy-sim` crate of the same workspace replays a log of past requests through
//!   a policy, or two side by side, to see what a policy change would have done before it
//!   reaches customers.
//!
//! # Feature flags
//!
//! The decision itself needs only `chrono`, `rust_decimal`, `serde` and `thiserror`; the rest is
//! behind features:
//!
//! - **`toml`** (default): policy files and script catalog files written in TOML
//!   ([`Policy::load`], [`Policy::from_toml_str`], [`Scripts::with_file`]), and a policy's test
//!   suites ([`PolicySuite`]).
//! - **`json`** (default): the JSON wire form ([`Case::from_json`], [`CaseError`]), JSON policy
//!   files ([`Policy::from_json_str`]), amounts written as JSON numbers read exactly.
//! - **`schema`**: the JSON Schema of policy files ([`Policy::json_schema`]), through `schemars`;
//!   implies `json`.
//!
//! Without any of them the embedded default policy, [`Policy::builder`] and the shipped
//! Indonesian and English catalogs all work: they are compiled in.
//!
//! # Examples
//!
//! - `cargo run --example quickstart`: a handful of cases decided and printed.
//! - `cargo run --example decide < examples/data/sample.jsonl`: the JSON Lines filter
//!   (`-- --policy FILE` for a policy file).
//! - `cargo run --example policy_check -- examples/policies/strict.toml`: a policy file's errors
//!   and warnings.
//! - `cargo run --example scripts_tour`: one decision in every shipped locale and form of
//!   address.
//! - `cargo run --example company_voice`: a company's catalog file over the shipped one.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod address;
mod agent;
mod alternative;
mod analysis;
mod approval;
mod case;
mod channel;
mod checks;
mod code_set;
mod currency;
mod decision;
mod decision_id;
mod eligibility;
mod engine;
mod error;
mod escalation;
mod facts;
mod flag;
mod hex;
mod history;
mod ids;
mod locale;
mod markets;
mod money;
mod outcome;
mod party;
mod policy;
mod reason;
mod remedy;
mod request;
mod script;
mod severity;
mod situation;
#[cfg(feature = "toml")]
mod suite;
#[cfg(test)]
mod test_numbers;
mod time;
mod window;
mod wire_name;
mod wire_text;

pub use address::{AddressForm, Honorific};
pub use agent::Agent;
pub use alternative::{Alternative, Alternatives};
pub use analysis::{
    Comparison, Counterexample, Difference, DifferenceKind, Property, PropertyReport, Relation,
    Ruling,
};
pub use approval::{Approval, ApprovalError, ApprovalRecord};
pub use case::Case;
pub use channel::Channel;
pub use code_set::{Code, CodeSet};
pub use currency::Currency;
pub use decision::{Decision, Recommendation, Verdict, Voucher};
pub use decision_id::{DecisionId, DecisionIdError};
pub use engine::Engine;
#[cfg(feature = "json")]
pub use error::CaseError;
pub use error::{
    AnalysisError, CatalogError, CatalogProblem, CurrencyCodeError, LocaleTagError, PolicyError,
    PolicyProblem, Problem, RequestError, WindowError, WireNameError,
};
pub use escalation::EscalationTarget;
pub use facts::{
    AccountFacts, ClaimStart, EvidenceFacts, Facts, LimitFact, LimitFacts, SeveritySource,
};
pub use flag::{Flag, Flags};
pub use history::{HistoryEntry, PastVoucher};
pub use ids::{AgentId, CustomerId, MarketName, OrderId, RoleName, TierName};
pub use locale::Locale;
pub use markets::Markets;
pub use outcome::Outcome;
pub use party::{Parties, Party};
pub use policy::{
    Category, CategoryBuilder, CustomerList, EvidenceRule, FaultRules, Fingerprint, Policy,
    PolicyBuilder, PolicyId, PolicyWarning, RepeatedMinorRule, Role, SeverityRates, SeverityShares,
    Tier, TierBuilder, TierLimit, YoungAccounts,
};
pub use reason::{Reason, ReasonKind, Reasons};
pub use remedy::{Remedy, RemedyAction};
pub use request::{Complaint, Conduct, Customer, Evidence, Order, Request, Threat};
pub use script::{AgentNote, Script, Scripts};
pub use severity::Severity;
#[cfg(feature = "toml")]
pub use suite::{
    CaseFailure, CaseIssue, Coverage, CoverageArea, PolicySuite, SuiteError, SuiteReport,
};
pub use window::Window;

/// The Rust examples of the README and the guides in `docs/`, compiled and run as doc-tests so
/// they never go stale.
#[cfg(doctest)]
mod guides {
    #[doc = include_str!("../README.md")]
    struct Readme;
    #[doc = include_str!("../docs/DESIGN.md")]
    struct Design;
    #[doc = include_str!("../docs/policies.md")]
    struct Policies;
    #[doc = include_str!("../docs/scripts.md")]
    struct Scripts;
    #[doc = include_str!("../docs/analysis.md")]
    struct Analysis;
}
