//! Reading several markets' policies from one file: a `[markets.NAME]` table for each, in the
//! form of a policy file, the first being the market of a request that names none.

use std::path::Path;

use serde::Deserialize;

use super::Policy;
use super::file::{Entries, PolicyFile};
use crate::{MarketName, Markets, PolicyError, PolicyProblem};

/// A markets file's form: each market's policy file, in the file's order.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarketsFile {
    markets: Entries<PolicyFile>,
}

impl Markets {
    /// Reads and validates a markets file: JSON when its name ends in `.json`, TOML otherwise.
    /// Each `[markets.NAME]` table is a policy file (it may `extends` the embedded default or a
    /// file, named relative to this one); the first market is the one of a request that names
    /// none. A problem's path starts with its market: `markets.my.tiers.gold.value_limit`.
    ///
    /// ```
    /// use voucher_policy::{Currency, MarketName, Markets};
    ///
    /// let markets = Markets::load("examples/policies/three_markets.toml")?;
    /// let names: Vec<&str> = markets.iter().map(|(name, _)| name.as_str()).collect();
    /// assert_eq!(names, ["id", "my", "sg"]);
    /// let singapore = markets.get(&MarketName::new("sg")).ok_or("no sg")?;
    /// assert_eq!(singapore.currency(), Currency::SGD);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Markets, PolicyError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let is_json = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
        let file = if is_json {
            json_markets(&text)
        } else {
            toml_markets(&text)
        }
        .map_err(|error| match error {
            PolicyError::Syntax(message) => {
                PolicyError::Syntax(format!("{}: {message}", path.display()))
            }
            other => other,
        })?;
        Markets::from_markets_file(file, path.parent())
    }

    /// Reads and validates a markets file from TOML text (see [`Markets::load`]); a file a
    /// market `extends` is named relative to the current directory.
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn from_toml_str(text: &str) -> Result<Markets, PolicyError> {
        Markets::from_markets_file(toml_markets(text)?, None)
    }

    /// Reads and validates a markets file from JSON text (see [`Markets::load`]).
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json_str(text: &str) -> Result<Markets, PolicyError> {
        Markets::from_markets_file(json_markets(text)?, None)
    }

    /// The markets a file describes, every market's problems reported together.
    fn from_markets_file(file: MarketsFile, dir: Option<&Path>) -> Result<Markets, PolicyError> {
        let mut problems = Vec::new();
        let mut policies = Vec::new();
        for (name, policy) in file.markets.0 {
            match policy
                .resolved(dir)
                .and_then(Policy::from_file)
                .map_err(|error| in_market(&name, error))
            {
                Ok(policy) => policies.push((MarketName::new(name.as_str()), policy)),
                Err(PolicyError::Invalid(found)) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(PolicyError::Invalid(problems));
        }
        let mut policies = policies.into_iter();
        let Some((name, policy)) = policies.next() else {
            return Err(PolicyError::Invalid(vec![PolicyProblem::new(
                "markets".to_owned(),
                None,
                "has no market".to_owned(),
            )]));
        };
        policies.try_fold(Markets::new(name, policy), |markets, (name, policy)| {
            markets.with(name, policy)
        })
    }
}

/// A market's error, its paths and messages naming the market.
fn in_market(name: &str, error: PolicyError) -> PolicyError {
    match error {
        PolicyError::Invalid(problems) => PolicyError::Invalid(
            problems
                .into_iter()
                .map(|problem| {
                    PolicyProblem::new(
                        format!("markets.{name}.{}", problem.path()),
                        problem.value().map(str::to_owned),
                        problem.message().to_owned(),
                    )
                })
                .collect(),
        ),
        PolicyError::Extends { base, message } => PolicyError::Extends {
            base,
            message: format!("(market {name}) {message}"),
        },
        PolicyError::Syntax(message) => PolicyError::Syntax(format!("markets.{name}: {message}")),
        other => other,
    }
}

fn toml_markets(text: &str) -> Result<MarketsFile, PolicyError> {
    #[cfg(feature = "toml")]
    return toml::from_str(text).map_err(|error| {
        PolicyError::Syntax(format!(
            "not a markets file: {}",
            error.to_string().trim_end()
        ))
    });
    #[cfg(not(feature = "toml"))]
    {
        let _ = text;
        Err(PolicyError::Syntax(
            "a TOML markets file needs the `toml` feature of voucher-policy".to_owned(),
        ))
    }
}

fn json_markets(text: &str) -> Result<MarketsFile, PolicyError> {
    #[cfg(feature = "json")]
    return serde_json::from_str(text)
        .map_err(|error| PolicyError::Syntax(format!("not a markets file: {error}")));
    #[cfg(not(feature = "json"))]
    {
        let _ = text;
        Err(PolicyError::Syntax(
            "a JSON markets file needs the `json` feature of voucher-policy".to_owned(),
        ))
    }
}
