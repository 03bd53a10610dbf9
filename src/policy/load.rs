//! Reading and writing policy files in TOML and JSON.

use std::path::Path;

use super::Policy;
use super::file::PolicyFile;
use crate::PolicyError;

impl Policy {
    /// Reads and validates a policy from TOML text. A file that `extends` another file names it
    /// relative to the current directory (use [`Policy::load`] to read it relative to the file).
    ///
    /// ```
    /// use voucher_policy::Policy;
    ///
    /// let text = std::fs::read_to_string("examples/policies/default.toml")?;
    /// assert_eq!(Policy::from_toml_str(&text)?, Policy::default());
    ///
    /// let broken = text.replace("value_limit = 250000", "value_limit = -5");
    /// let error = Policy::from_toml_str(&broken).err().ok_or("the broken file loaded")?;
    /// assert_eq!(error.problems()[0].to_string(), "tiers.gold.value_limit: -5 is negative");
    ///
    /// // Only what differs from the embedded default policy.
    /// let ours = Policy::from_toml_str(r#"
    ///     extends = "default"
    ///     name = "our-shop"
    ///     agent_authority = 120000
    ///     [[tiers]]
    ///     name = "gold"
    ///     voucher_limit = 4
    /// "#)?;
    /// assert_eq!(ours.tier("gold").map(|gold| gold.voucher_limit), Some(4));
    /// assert_eq!(ours.tiers().len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_file(toml_file(text)?.resolved(None)?)
    }

    /// Reads and validates a policy from JSON text. A file that `extends` another file names it
    /// relative to the current directory (use [`Policy::load`] to read it relative to the file).
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json_str(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_file(json_file(text)?.resolved(None)?)
    }

    /// Reads and validates a policy file: JSON when its name ends in `.json`, TOML otherwise
    /// (each needs its feature: a file whose format is not compiled in is a
    /// [`PolicyError::Syntax`] that says so). A file it `extends` is read relative to it.
    pub fn load(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let file = read_file(path, &text)?;
        Policy::from_file(file.resolved(path.parent())?)
    }

    /// Writes the policy as a TOML policy file that reads back as the same policy.
    ///
    /// ```
    /// use voucher_policy::Policy;
    ///
    /// let text = Policy::default().to_toml_string()?;
    /// assert_eq!(Policy::from_toml_str(&text)?, Policy::default());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn to_toml_string(&self) -> Result<String, PolicyError> {
        toml::to_string(&PolicyFile::from(self)).map_err(|error| PolicyError::Write {
            format: "TOML",
            message: error.to_string(),
        })
    }

    /// Writes the policy as a JSON policy file that reads back as the same policy.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn to_json_string(&self) -> Result<String, PolicyError> {
        serde_json::to_string_pretty(&PolicyFile::from(self)).map_err(|error| PolicyError::Write {
            format: "JSON",
            message: error.to_string(),
        })
    }

    /// The JSON Schema of a policy file, for editors that check a file as it is typed.
    #[cfg(feature = "schema")]
    #[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
    pub fn json_schema() -> Result<String, PolicyError> {
        serde_json::to_string_pretty(&schemars::schema_for!(PolicyFile)).map_err(|error| {
            PolicyError::Write {
                format: "JSON Schema",
                message: error.to_string(),
            }
        })
    }
}

/// A policy file's form, read from a file's text by its name: JSON when it ends in `.json`,
/// TOML otherwise; not yet validated, nor what it extends filled in.
pub(super) fn read_file(path: &Path, text: &str) -> Result<PolicyFile, PolicyError> {
    let is_json = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
    let read = if is_json {
        #[cfg(feature = "json")]
        let read = json_file(text);
        #[cfg(not(feature = "json"))]
        let read = Err(PolicyError::Syntax(
            "a JSON policy file needs the `json` feature of voucher-policy".to_owned(),
        ));
        read
    } else {
        #[cfg(feature = "toml")]
        let read = toml_file(text);
        #[cfg(not(feature = "toml"))]
        let read = Err(PolicyError::Syntax(
            "a TOML policy file needs the `toml` feature of voucher-policy".to_owned(),
        ));
        read
    };
    // Without either format, the text is never looked at.
    let _ = text;
    read.map_err(|error| match error {
        PolicyError::Syntax(message) => {
            PolicyError::Syntax(format!("{}: {message}", path.display()))
        }
        other => other,
    })
}

#[cfg(feature = "toml")]
fn toml_file(text: &str) -> Result<PolicyFile, PolicyError> {
    toml::from_str(text).map_err(|error| {
        PolicyError::Syntax(format!(
            "not a policy file: {}",
            error.to_string().trim_end()
        ))
    })
}

#[cfg(feature = "json")]
fn json_file(text: &str) -> Result<PolicyFile, PolicyError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let file: PolicyFile =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            PolicyError::Syntax(format!("not a policy file: {path}: {}", error.into_inner()))
        })?;
    deserializer
        .end()
        .map_err(|error| PolicyError::Syntax(format!("not a policy file: {error}")))?;
    Ok(file)
}
