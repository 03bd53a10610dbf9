//! Decide customer-service compensation requests: grant, refuse or escalate.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod alternative;
mod case;
mod checks;
mod code_set;
mod decision;
mod engine;
mod error;
mod escalation;
mod facts;
mod flag;
mod history;
mod locale;
mod money;
mod outcome;
mod policy;
mod reason;
mod request;
mod script;
mod severity;
mod situation;
mod window;

pub use alternative::{Alternative, Alternatives};
pub use case::{Case, JsonError};
pub use code_set::{Code, CodeSet};
pub use decision::{Decision, Recommendation, Verdict, Voucher};
pub use engine::Engine;
pub use error::{Problem, RequestError};
pub use escalation::EscalationTarget;
pub use facts::{ClaimStart, Facts, SeveritySource};
pub use flag::{Flag, Flags};
pub use history::PastVoucher;
pub use locale::Locale;
pub use money::{Currency, CurrencyCodeError, round_down_to_step};
pub use outcome::Outcome;
pub use policy::{Category, Policy, RepeatedMinorRule, SeverityRates, Tier};
pub use reason::{Reason, ReasonKind, Reasons};
pub use request::{Complaint, Conduct, Customer, Evidence, Order, Request, Threat};
pub use script::Script;
pub use severity::Severity;
pub use window::{Window, WindowError};
