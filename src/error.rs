//! Every error the crate returns, in one place, named after what failed: a [`RequestError`] for
//! input that cannot be decided, a [`CaseError`] for JSON text that is not a case, a
//! [`PolicyError`] for a policy that does not load or build, a [`CatalogError`] for a script
//! catalog that does not load, and the errors of reading one value from text
//! ([`WireNameError`], [`CurrencyCodeError`], [`LocaleTagError`], [`WindowError`]).
//!
//! Each carries what a caller needs to act on it through accessors (the field, the value, the
//! names that would have been accepted), and displays as one line a person can read.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use crate::money::{AmountFault, MAX_AMOUNT};
use crate::{Currency, Locale};

/// A request, history entry or moment that cannot be decided, with the field at fault (a JSON
/// path such as `history[2].amount`), the value found there and what is wrong with it.
///
/// A request the policy merely refuses is never an error: it is a [`Decision`](crate::Decision).
///
/// ```
/// use voucher_policy::{Case, Engine, Problem};
///
/// let case = Case::from_json(r#"{
///   "now": "2026-11-24T10:00:00+07:00",
///   "customer": {"id": "C-7", "name": "Sari", "loyalty": "diamond"},
///   "order": {"id": "5120", "customer_id": "C-7", "total": "120000", "currency": "IDR",
///             "placed_at": "2026-11-24T08:00:00+07:00"},
///   "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00"}
/// }"#)?;
/// let error = Engine::default().decide_case(&case).err().ok_or("decided")?;
/// assert_eq!(error.field(), "customer.loyalty");
/// assert_eq!(error.value(), "diamond");
/// let Problem::UnknownTier { known } = error.problem() else { return Err("another problem".into()) };
/// assert_eq!(known, &["new", "regular", "silver", "gold", "platinum"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {value} {problem}")]
pub struct RequestError {
    field: String,
    value: String,
    problem: Problem,
}

impl RequestError {
    pub(crate) fn new(
        field: impl Into<String>,
        value: impl fmt::Display,
        problem: Problem,
    ) -> Self {
        RequestError {
            field: field.into(),
            value: value.to_string(),
            problem,
        }
    }

    /// The field at fault, as a path into the JSON request (`order.currency`,
    /// `history[3].granted_at`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The offending value as it was given (a time in RFC 3339).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The amount is in another currency than the policy's.
    #[error("is not the policy currency {expected}")]
    WrongCurrency {
        /// The policy's currency.
        expected: Currency,
    },
    /// The amount must be greater than zero.
    #[error("is not a positive amount")]
    NotPositive,
    /// The amount has more decimal places than its currency has (trailing zeros aside).
    #[error("has more decimal places than {currency} has ({places})")]
    TooPrecise {
        /// The currency.
        currency: Currency,
        /// How many decimal places its amounts may have.
        places: u32,
    },
    /// The amount is above the largest a request may carry.
    #[error("is too large (at most {limit})")]
    TooLarge {
        /// The largest amount accepted.
        limit: Decimal,
    },
    /// The amount is below the policy's smallest unit, so no voucher could ever be worth it.
    #[error("is below the currency step {step}")]
    BelowStep {
        /// The policy's step.
        step: Decimal,
    },
    /// The moment comes before another one it must follow.
    #[error("is before {other_field} {}", .other_value.to_rfc3339())]
    Before {
        /// The field it must not precede.
        other_field: String,
        /// That field's value.
        other_value: DateTime<FixedOffset>,
    },
    /// The moment is after the moment of the decision.
    #[error("is after now {}", .now.to_rfc3339())]
    AfterNow {
        /// The moment of the decision.
        now: DateTime<FixedOffset>,
    },
    /// A voucher granted at this moment would expire after the last date the calendar holds.
    #[error("is too late: a voucher granted then would expire beyond the last date there is")]
    TooLate,
    /// The policy has no loyalty tier of this name.
    #[error("is not a loyalty tier of the policy (known: {})", .known.join(", "))]
    UnknownTier {
        /// The policy's tier names, in its order.
        known: Vec<String>,
    },
    /// The policy has no role of this name.
    #[error("is not a role of the policy (known: {})", .known.join(", "))]
    UnknownRole {
        /// The policy's role names, `agent` first.
        known: Vec<String>,
    },
    /// The policy has no complaint category of this name and the complaint has no severity.
    #[error(
        "is not a complaint category of the policy; give complaint.severity or use one of: {}",
        .known.join(", ")
    )]
    UnknownCategory {
        /// The policy's category names, in its order.
        known: Vec<String>,
    },
    /// The policy has no customer list of this name.
    #[error("is not a customer list of the policy (known: {})", .known.join(", "))]
    UnknownList {
        /// The policy's list names.
        known: Vec<String>,
    },
    /// The engine has no market of this name.
    #[error("is not a market of the engine (known: {})", .known.join(", "))]
    UnknownMarket {
        /// The engine's market names; none for an engine of one policy.
        known: Vec<String>,
    },
    /// The complaint has evidence but not when it came, and its category counts evidence only
    /// within a deadline.
    #[error(
        "is not given, and category {category} counts evidence only within {within} of the delivery"
    )]
    EvidenceTimeMissing {
        /// The complaint's category.
        category: String,
        /// The category's deadline for evidence.
        within: crate::Window,
    },
    /// There is no script catalog for the locale.
    #[error("has no script catalog (loaded: {})", LocaleList(.loaded))]
    NoCatalog {
        /// The locales there are catalogs for.
        loaded: Vec<Locale>,
    },
    /// The text is empty or only white space.
    #[error("is blank")]
    Blank,
    /// The text holds a control character or a line break, which would break the line of a
    /// script or a log it is written into.
    #[error("has a control character or a line break ({character:?} at character {position})")]
    ControlCharacter {
        /// The character.
        character: char,
        /// Where it is in the text, counted from 1.
        position: usize,
    },
}

impl Problem {
    /// What is wrong with an amount that cannot be counted in a policy's units.
    pub(crate) fn of_amount(fault: AmountFault, currency: Currency, places: u32) -> Problem {
        match fault {
            AmountFault::NotPositive => Problem::NotPositive,
            AmountFault::TooPrecise => Problem::TooPrecise { currency, places },
            AmountFault::TooLarge => Problem::TooLarge {
                limit: Decimal::from(MAX_AMOUNT),
            },
        }
    }
}

/// Locales listed as `id, en`.
struct LocaleList<'a>(&'a [Locale]);

impl fmt::Display for LocaleList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, locale) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            f.write_str(locale.as_str())?;
        }
        Ok(())
    }
}

/// JSON text that is not a readable [`Case`](crate::Case): malformed, missing a field, or a
/// field of the wrong form (a time without its offset, a number no amount can be).
///
/// ```
/// use voucher_policy::Case;
///
/// let error = Case::from_json(r#"{"now": "2026-11-24T10:00:00"}"#).err().ok_or("it read")?;
/// assert_eq!(error.path(), Some("now"));
/// assert!(error.to_string().contains("has no UTC offset"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct CaseError {
    path: Option<String>,
    detail: String,
}

#[cfg(feature = "json")]
impl CaseError {
    pub(crate) fn new(path: Option<String>, detail: String) -> Self {
        CaseError { path, detail }
    }

    /// The path of the field that could not be read (`order.total`), when the text got that far.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// What is wrong, without the path.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The whole message: the path, then what is wrong.
    pub fn message(&self) -> String {
        match &self.path {
            Some(path) => format!("{path}: {}", self.detail),
            None => self.detail.clone(),
        }
    }
}

/// A policy that could not be loaded or built: the file could not be read, was not TOML or JSON
/// of the policy's shape, or broke one or more rules (all of them are listed); or a policy that
/// could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The text is not a policy file: bad TOML or JSON, an unknown field, a list where a table
    /// belongs.
    #[error("{0}")]
    Syntax(String),
    /// The file reads, but breaks the rules below.
    #[error("{} problem{} in the policy:\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, ProblemList(.0))]
    Invalid(Vec<PolicyProblem>),
    /// A policy file it extends could not be used: missing, unreadable, or extending itself.
    #[error("extends {base}: {message}")]
    Extends {
        /// The policy extended, as the file names it.
        base: String,
        /// What went wrong with it.
        message: String,
    },
    /// The policy could not be written in the format asked for.
    #[error("the policy could not be written as {format}: {message}")]
    Write {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// What the writer said.
        message: String,
    },
}

impl PolicyError {
    /// Every rule the policy breaks; empty for an unreadable file.
    pub fn problems(&self) -> &[PolicyProblem] {
        match self {
            PolicyError::Invalid(problems) => problems,
            _ => &[],
        }
    }
}

/// One broken rule of a policy: the path in the file, the value found there, and what is wrong.
///
/// Displays as `tiers.gold.value_limit: -5 is negative`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    path: String,
    value: Option<String>,
    message: String,
}

impl PolicyProblem {
    pub(crate) fn new(path: String, value: Option<String>, message: String) -> Self {
        PolicyProblem {
            path,
            value,
            message,
        }
    }

    /// The path in the file (`tiers.gold.value_limit`, `alternatives.late_reply`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value found there, as written; `None` for a missing field.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(value) => write!(f, "{}: {} {}", self.path, value, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// A script catalog that could not be loaded: the file could not be read, is not a catalog file
/// of the right shape, or breaks one or more rules (all of them are listed).
///
/// ```
/// use voucher_policy::Scripts;
///
/// let text = r#"
/// locale = "id"
/// [closing]
/// further_help = "Ada lagi yang bisa kami bantu, {title}?{"
/// "#;
/// let error = Scripts::builtin().with_toml_str("ours.toml", text).err().ok_or("it loaded")?;
/// let problem = &error.problems()[0];
/// assert_eq!(problem.file(), "ours.toml");
/// assert_eq!(problem.key(), "closing.further_help");
/// assert_eq!(problem.line(), Some(4));
/// assert_eq!(problem.character(), Some(40));
/// assert!(problem.to_string().starts_with("ours.toml:4: closing.further_help: the \"{\" at character 40"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file (or directory) could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The text is not a catalog file: bad TOML, an unknown section or setting, a value of the
    /// wrong type. The message comes from the TOML reader and gives the line and column.
    #[error("{file}: not a script catalog: {message}")]
    Syntax {
        /// The file, as it was named when loading.
        file: String,
        /// What is wrong, and where.
        message: String,
    },
    /// The file reads, but breaks the rules listed.
    #[error(
        "{file}: {} problem{} in the catalog:\n{}",
        .problems.len(),
        if .problems.len() == 1 { "" } else { "s" },
        ProblemList(.problems)
    )]
    Invalid {
        /// The file, as it was named when loading.
        file: String,
        /// Every rule it breaks, in the order of the file.
        problems: Vec<CatalogProblem>,
    },
}

impl CatalogError {
    /// Every rule the file breaks; empty when it could not be read or is not a catalog file.
    pub fn problems(&self) -> &[CatalogProblem] {
        match self {
            CatalogError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// One broken rule of a catalog file: the file, the message (or setting) at fault, where, and
/// what is wrong.
///
/// Displays as `ours.toml:4: closing.further_help: unknown placeholder {nama} at character 31;
/// this message may use {order}, {title}, {you}`, or without the line for a message that is
/// missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogProblem {
    pub(crate) file: String,
    pub(crate) key: String,
    pub(crate) line: Option<usize>,
    pub(crate) character: Option<usize>,
    pub(crate) message: String,
}

impl CatalogProblem {
    /// The file, as it was named when loading.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The message or setting at fault, as the file names it: `refusal.intro`,
    /// `handoff.wait.formal`, `format.months`, `locale`.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The line of the file where the value at fault starts (counted from 1); `None` for
    /// something missing.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// For a template that does not compile, the character of the template at fault (counted
    /// from 1, in the text as TOML reads it).
    pub fn character(&self) -> Option<usize> {
        self.character
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CatalogProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}: {}", self.file, line, self.key, self.message),
            None => write!(f, "{}: {}: {}", self.file, self.key, self.message),
        }
    }
}

/// The text is not the wire name of what was asked for: not a severity, not an outcome, not a
/// reason code.
///
/// ```
/// use voucher_policy::{Severity, WireNameError};
///
/// let error: WireNameError = "urgent".parse::<Severity>().err().ok_or("it parsed")?;
/// assert_eq!(error.what(), "severity");
/// assert_eq!(error.known(), ["minor", "moderate", "major", "critical"]);
/// assert_eq!(error.to_string(), r#""urgent" is not a severity (known: minor, moderate, major, critical)"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a {what} (known: {})", .known.join(", "))]
pub struct WireNameError {
    what: &'static str,
    text: String,
    known: &'static [&'static str],
}

impl WireNameError {
    pub(crate) fn new(what: &'static str, text: &str, known: &'static [&'static str]) -> Self {
        WireNameError {
            what,
            text: text.to_owned(),
            known,
        }
    }

    /// What the text should have named: `severity`, `reason`, `outcome`...
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The text as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every name that would have been accepted, in their order.
    pub fn known(&self) -> &'static [&'static str] {
        self.known
    }
}

/// The text was not a three-letter uppercase currency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a currency code (three uppercase letters, like IDR)")]
pub struct CurrencyCodeError(pub(crate) String);

impl CurrencyCodeError {
    /// The text as given.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// The text is not a language tag the crate accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a language tag (2 to 15 letters, digits and hyphens, such as id, en or pt-BR)"
)]
pub struct LocaleTagError(pub(crate) String);

impl LocaleTagError {
    /// The text as given.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// The text was not a window such as `7d`, `48h` or `1d12h`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a length of time: write a positive number with d, h, m or s, like 7d or 48h")]
pub struct WindowError(pub(crate) String);

impl WindowError {
    /// The text as given.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// Problems listed one a line, each indented as `  - problem` (a policy's, a catalog's).
pub(crate) struct ProblemList<'a, T>(pub &'a [T]);

impl<T: fmt::Display> fmt::Display for ProblemList<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// An analysis of policies that cannot be made, or whose own check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// Two policies of different currencies cannot decide the same request.
    #[error("the policies are in different currencies: {first} and {second}")]
    Currencies {
        /// The first policy's currency.
        first: Currency,
        /// The second policy's currency.
        second: Currency,
    },
    /// A property names a customer list the policy does not have.
    #[error("no-grant-to-list: the policy has no list {list:?}")]
    UnknownList {
        /// The list named.
        list: String,
    },
    /// Text that is not a property.
    #[error(
        "{text:?} is not a property (never-above=AMOUNT, no-grant-to-list=LIST, higher-tier-never-less, no-grant-without-valid-complaint, refusals-offer-a-way-forward)"
    )]
    Property {
        /// The text read.
        text: String,
    },
    /// A case the analysis found did not replay as predicted: a fault of the analysis, never of
    /// the policies, reported rather than trusted.
    #[error("{what}: the analysis predicted {predicted}, but the engine {replayed}, for {case}")]
    Unconfirmed {
        /// What was being shown.
        what: String,
        /// The case.
        case: String,
        /// What the analysis predicted.
        predicted: String,
        /// What the engine decided.
        replayed: String,
    },
}
