//! What is wrong with a policy: every broken rule, with its path and value.

use std::fmt;

use crate::error::ProblemList;

/// A policy that could not be loaded: the file could not be read, was not TOML or JSON of the
/// policy's shape, or broke one or more rules (all of them are listed).
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
    #[cfg(any(feature = "toml", feature = "json"))]
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
