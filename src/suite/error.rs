//! A suite file that cannot be used at all.

/// A policy suite file that could not be read at all: the file is missing or unreadable, is not
/// TOML, or is not a suite (no `[[case]]`, or a top-level key other than `case`).
///
/// A suite whose file reads but some of whose cases do not is not an error: those cases are
/// reported as failures when the suite runs (see [`PolicySuite`](crate::PolicySuite)).
///
/// ```
/// use voucher_policy::{PolicySuite, SuiteError};
///
/// let error = PolicySuite::from_toml_str("cases = []").err().ok_or("it loaded")?;
/// assert!(matches!(error, SuiteError::Syntax(_)));
/// assert!(error.to_string().contains("unknown field `cases`"), "{error}");
///
/// let error = PolicySuite::load("no/such.test.toml").err().ok_or("it loaded")?;
/// assert!(error.to_string().starts_with("no/such.test.toml: "), "{error}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
#[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
pub enum SuiteError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The text is not TOML, or not a suite of cases.
    #[error("{0}")]
    Syntax(String),
}
