//! The result of running a suite: what passed, how each failure differs, and the coverage.

use std::fmt;

use rust_decimal::Decimal;

use super::Coverage;
use crate::{EscalationTarget, Outcome, Reasons, RequestError};

/// What running a [`PolicySuite`](crate::PolicySuite) found: how many cases passed, each
/// failure with how it differs from what it expected, and the [`Coverage`].
///
/// Displays as a report for a person: a line with the counts, a paragraph per failure, then
/// the coverage.
///
/// ```
/// use voucher_policy::{Engine, PolicySuite};
///
/// let suite = PolicySuite::from_toml_str(r#"
///     [[case]]
///     name = "gold packaging"
///     now = "2026-11-24T10:00:00+07:00"
///     customer = { id = "C-7", loyalty = "gold" }
///     order = { id = "7", customer_id = "C-7", total = 90000, currency = "IDR", placed_at = "2026-11-24T08:00:00+07:00" }
///     complaint = { category = "packaging", reported_at = "2026-11-24T09:00:00+07:00" }
///     expect = { outcome = "granted", voucher = "12000" }
/// "#)?;
/// let report = suite.run(&Engine::default());
/// assert_eq!((report.cases(), report.passed()), (1, 0));
/// // 90,000 x 10% (minor) x 1.25 (gold) = 11,250, rounded down to 11,000.
/// assert_eq!(report.failures()[0].issues()[0].to_string(), "voucher: expected 12000, got 11000");
/// assert!(report.to_string().starts_with("1 case: 0 passed, 1 failed"), "{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
pub struct SuiteReport {
    cases: usize,
    passed: usize,
    failures: Vec<CaseFailure>,
    coverage: Coverage,
}

impl SuiteReport {
    pub(super) fn new(
        cases: usize,
        passed: usize,
        failures: Vec<CaseFailure>,
        coverage: Coverage,
    ) -> Self {
        SuiteReport {
            cases,
            passed,
            failures,
            coverage,
        }
    }

    /// How many cases the suite holds, read or not.
    pub fn cases(&self) -> usize {
        self.cases
    }

    /// How many cases were decided as they expected.
    pub fn passed(&self) -> usize {
        self.passed
    }

    /// Every case that did not pass, in the file's order: decided otherwise than expected, not
    /// decidable, or not readable. Empty when the whole suite passed.
    pub fn failures(&self) -> &[CaseFailure] {
        &self.failures
    }

    /// What the decisions exercised.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }
}

impl fmt::Display for SuiteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} case{}: {} passed, {} failed",
            self.cases,
            if self.cases == 1 { "" } else { "s" },
            self.passed,
            self.failures.len()
        )?;
        for failure in &self.failures {
            writeln!(f, "FAILED {failure}")?;
        }
        write!(f, "{}", self.coverage)
    }
}

/// A case of a suite that did not pass: where it is in the file, and every way it failed.
///
/// Displays as `case[2] "gold late delivery" (line 31)` followed by one indented line per
/// issue.
///
/// ```
/// use voucher_policy::{CaseIssue, Engine, PolicySuite};
///
/// let suite = PolicySuite::from_toml_str(r#"
///     [[case]]
///     now = "2026-11-24T10:00:00+07:00"
///     customer = { id = "C-7", loyalty = "diamond" }
///     order = { id = "7", customer_id = "C-7", total = 90000, currency = "IDR", placed_at = "2026-11-24T08:00:00+07:00" }
///     complaint = { category = "packaging", reported_at = "2026-11-24T09:00:00+07:00" }
///     expect = { outcome = "granted" }
/// "#)?;
/// let report = suite.run(&Engine::default());
/// let failure = &report.failures()[0];
/// assert_eq!((failure.index(), failure.name(), failure.line()), (0, None, Some(2)));
/// assert!(matches!(&failure.issues()[0], CaseIssue::Unreadable { path, .. } if path == "name"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
pub struct CaseFailure {
    index: usize,
    name: Option<String>,
    line: Option<usize>,
    issues: Vec<CaseIssue>,
}

impl CaseFailure {
    pub(super) fn new(
        index: usize,
        name: Option<String>,
        line: Option<usize>,
        issues: Vec<CaseIssue>,
    ) -> Self {
        CaseFailure {
            index,
            name,
            line,
            issues,
        }
    }

    /// The case's position among the file's cases, counted from 0 (`case[0]` is the first).
    pub fn index(&self) -> usize {
        self.index
    }

    /// The case's name; `None` when the file gives none that reads.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The line of the file the case starts on, counted from 1.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// Every way the case failed; never empty.
    pub fn issues(&self) -> &[CaseIssue] {
        &self.issues
    }
}

impl fmt::Display for CaseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "case[{}]", self.index)?;
        if let Some(name) = &self.name {
            write!(f, " {name:?}")?;
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        for issue in &self.issues {
            write!(f, "\n  {issue}")?;
        }
        Ok(())
    }
}

/// One way a case failed: a field of it that could not be read, a request that could not be
/// decided, or a part of the decision that differs from what the case expects.
///
/// ```
/// use voucher_policy::{CaseIssue, Outcome};
///
/// let issue = CaseIssue::Outcome { expected: Outcome::Granted, actual: Outcome::Refused };
/// assert_eq!(issue.to_string(), "outcome: expected granted, got refused");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
pub enum CaseIssue {
    /// A field of the case could not be read, or contradicts another; the case was not run.
    Unreadable {
        /// The field's path in the case, as the JSON wire form names it (`order.total`,
        /// `history[1].amount`, `expect.outcome`); empty for the case as a whole.
        path: String,
        /// The value found there, as the file writes it; `None` for a missing field or a
        /// table.
        value: Option<String>,
        /// What is wrong with it.
        message: String,
    },
    /// The request could not be decided (an unknown tier, a wrong currency ...).
    NotDecided(RequestError),
    /// Another outcome than the one expected.
    Outcome {
        /// What the case expects.
        expected: Outcome,
        /// What the policy decided.
        actual: Outcome,
    },
    /// Other reasons than the ones expected (compared as sets: their order means nothing).
    Reasons {
        /// Expected, and not given.
        missing: Reasons,
        /// Given, and not expected.
        unexpected: Reasons,
    },
    /// Another voucher amount than the one expected: the voucher granted, or for an escalated
    /// case the one recommended on the merits.
    Voucher {
        /// What the case expects.
        expected: Decimal,
        /// What the decision gives; `None` for no voucher.
        actual: Option<Decimal>,
    },
    /// Another escalation target than the one expected.
    EscalateTo {
        /// What the case expects.
        expected: EscalationTarget,
        /// Where the decision escalates; `None` when it does not.
        actual: Option<EscalationTarget>,
    },
}

impl fmt::Display for CaseIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseIssue::Unreadable {
                path,
                value,
                message,
            } => {
                match (path.is_empty(), value) {
                    (true, Some(value)) => write!(f, "{value}: ")?,
                    (true, None) => {}
                    (false, Some(value)) => write!(f, "{path} = {value}: ")?,
                    (false, None) => write!(f, "{path}: ")?,
                }
                f.write_str(message)
            }
            CaseIssue::NotDecided(error) => write!(f, "not decided: {error}"),
            CaseIssue::Outcome { expected, actual } => {
                write!(f, "outcome: expected {expected}, got {actual}")
            }
            CaseIssue::Reasons {
                missing,
                unexpected,
            } => {
                f.write_str("reasons:")?;
                if !missing.is_empty() {
                    write!(f, " missing {}", Codes(*missing))?;
                }
                if !missing.is_empty() && !unexpected.is_empty() {
                    f.write_str(";")?;
                }
                if !unexpected.is_empty() {
                    write!(f, " unexpected {}", Codes(*unexpected))?;
                }
                Ok(())
            }
            CaseIssue::Voucher { expected, actual } => {
                write!(f, "voucher: expected {expected}, got ")?;
                match actual {
                    Some(actual) => write!(f, "{actual}"),
                    None => f.write_str("none"),
                }
            }
            CaseIssue::EscalateTo { expected, actual } => {
                write!(f, "escalate_to: expected {expected}, got ")?;
                match actual {
                    Some(actual) => write!(f, "{actual}"),
                    None => f.write_str("no escalation"),
                }
            }
        }
    }
}

/// Reason codes, comma-separated in the wire order.
struct Codes(Reasons);

impl fmt::Display for Codes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, reason) in self.0.iter().enumerate() {
            if position > 0 {
                f.write_str(", ")?;
            }
            f.write_str(reason.as_str())?;
        }
        Ok(())
    }
}
