//! A catalog file that does not load, with every problem named by file, message and position.

use std::fmt;

use crate::error::ProblemList;

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
