//! Test suites for a policy: cases in the wire form, each with the decision expected of it, run
//! against an engine, with what the cases covered of the policy.

mod coverage;
mod error;
mod expect;
mod read;
mod report;

use std::path::Path;

use crate::{Case, Engine};

pub use coverage::{Coverage, CoverageArea};
pub use error::SuiteError;
pub use report::{CaseFailure, CaseIssue, SuiteReport};

use expect::Expect;

/// A policy's test suite: the cases an operations team keeps beside its policy file, each a
/// request in the JSON wire form ([`Case`]) with the decision expected of it.
///
/// Read from a TOML file, one `[[case]]` table a case: its `name`, the fields of the JSON case
/// (`now`, `customer`, `order`, `complaint`, `conduct`, `[[case.history]]` ...) read exactly as
/// [`Case::from_json`] reads them, and an `[case.expect]` table. A case that cannot be read
/// does not stop the others: it is kept, with what is wrong in it, and reported as a failure
/// when the suite runs. Only a file that is not TOML, or not a suite at all, fails to load.
///
/// ```
/// use voucher_policy::{Engine, PolicySuite};
///
/// let suite = PolicySuite::from_toml_str(r#"
///     [[case]]
///     name = "silver late delivery"
///     now = "2026-11-24T10:00:00+07:00"
///     customer = { id = "C-7", loyalty = "silver" }
///     order = { id = "5120", customer_id = "C-7", total = "120000", currency = "IDR", placed_at = "2026-11-24T08:00:00+07:00", delivered_at = "2026-11-24T09:40:00+07:00" }
///     complaint = { category = "late_delivery", reported_at = "2026-11-24T09:45:00+07:00" }
///     expect = { outcome = "granted", reasons = ["valid_complaint"], voucher = "33000" }
/// "#)?;
/// let report = suite.run(&Engine::default());
/// assert_eq!(report.passed(), 1);
/// assert!(report.failures().is_empty());
/// assert_eq!(report.coverage().outcomes().covered(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
pub struct PolicySuite {
    cases: Vec<SuiteCase>,
}

/// One `[[case]]` of the file, read or not.
#[derive(Debug, Clone)]
struct SuiteCase {
    /// Its position among the file's cases, from 0.
    index: usize,
    /// Its name, when the file gives a readable one.
    name: Option<String>,
    /// The line of the file it starts on.
    line: Option<usize>,
    /// The case and what is expected of it, or every field of it that could not be read.
    body: Result<(Case, Expect), Vec<CaseIssue>>,
}

impl PolicySuite {
    /// Reads a suite from a TOML file.
    ///
    /// ```
    /// use voucher_policy::{Engine, PolicySuite};
    ///
    /// let suite = PolicySuite::load("examples/policies/default.test.toml")?;
    /// let report = suite.run(&Engine::default());
    /// assert!(report.failures().is_empty(), "{report}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<PolicySuite, SuiteError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SuiteError::Io {
            path: path.display().to_string(),
            source,
        })?;
        PolicySuite::from_toml_str(&text).map_err(|error| match error {
            SuiteError::Syntax(message) => {
                SuiteError::Syntax(format!("{}: {message}", path.display()))
            }
            other => other,
        })
    }

    /// Reads a suite from TOML text.
    ///
    /// A case that cannot be read is kept with its problems, and the others still run:
    ///
    /// ```
    /// use voucher_policy::{Engine, PolicySuite};
    ///
    /// let suite = PolicySuite::from_toml_str(r#"
    ///     [[case]]
    ///     name = "a typo"
    ///     now = "2026-11-24T10:00:00+07:00"
    ///     customer = { id = "C-7", loyalty = "silver" }
    ///     order = { id = "5120", customer_id = "C-7", total = "12O000", currency = "IDR", placed_at = "2026-11-24T08:00:00+07:00" }
    ///     complaint = { category = "late_delivery", reported_at = "2026-11-24T09:45:00+07:00" }
    ///     expect = { outcome = "granted" }
    /// "#)?;
    /// assert_eq!(suite.len(), 1);
    /// let report = suite.run(&Engine::default());
    /// let failure = &report.failures()[0];
    /// assert_eq!(failure.name(), Some("a typo"));
    /// assert!(failure.to_string().contains(r#"order.total = "12O000""#), "{failure}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml_str(text: &str) -> Result<PolicySuite, SuiteError> {
        Ok(PolicySuite {
            cases: read::cases(text)?,
        })
    }

    /// How many cases the file holds, read or not.
    ///
    /// ```
    /// use voucher_policy::PolicySuite;
    ///
    /// let suite = PolicySuite::load("examples/policies/default.test.toml")?;
    /// assert!(suite.len() >= 12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether the suite holds no case; a file without one does not load, so this is `false`
    /// for any suite read from a file.
    ///
    /// ```
    /// use voucher_policy::PolicySuite;
    ///
    /// let suite = PolicySuite::load("examples/policies/default.test.toml")?;
    /// assert!(!suite.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// Decides every case with `engine` and compares each decision with what the case expects;
    /// a case that could not be read, or whose request cannot be decided, is a failure. The
    /// coverage counts every decision made, passed or failed.
    ///
    /// ```
    /// use voucher_policy::{Engine, Policy, PolicySuite};
    ///
    /// let suite = PolicySuite::load("examples/policies/marketplace.test.toml")?;
    /// let report = suite.run(&Engine::new(Policy::load("examples/policies/marketplace.toml")?));
    /// assert_eq!(report.passed(), report.cases());
    /// println!("{report}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(&self, engine: &Engine) -> SuiteReport {
        let mut tally = coverage::Tally::new(engine);
        let mut failures = Vec::new();
        let mut passed = 0;
        for case in &self.cases {
            let issues = match &case.body {
                Err(issues) => issues.clone(),
                Ok((wire, expect)) => match engine.decide_case(wire) {
                    Err(error) => vec![CaseIssue::NotDecided(error)],
                    Ok(decision) => {
                        tally.record(wire, &decision);
                        expect.differences(&decision)
                    }
                },
            };
            if issues.is_empty() {
                passed += 1;
            } else {
                failures.push(CaseFailure::new(
                    case.index,
                    case.name.clone(),
                    case.line,
                    issues,
                ));
            }
        }
        SuiteReport::new(self.cases.len(), passed, failures, tally.finish())
    }
}
