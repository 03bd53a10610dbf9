//! Reading and writing policy files in TOML and JSON.

use std::path::Path;

use super::file::PolicyFile;
use super::{Policy, PolicyError};

impl Policy {
    /// Reads and validates a policy from TOML text.
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
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
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        let file: PolicyFile = toml::from_str(text).map_err(|error| {
            PolicyError::Syntax(format!(
                "not a policy file: {}",
                error.to_string().trim_end()
            ))
        })?;
        Policy::from_file(file)
    }

    /// Reads and validates a policy from JSON text.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json_str(text: &str) -> Result<Policy, PolicyError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let file: PolicyFile =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                let path = error.path().to_string();
                PolicyError::Syntax(format!("not a policy file: {path}: {}", error.into_inner()))
            })?;
        deserializer
            .end()
            .map_err(|error| PolicyError::Syntax(format!("not a policy file: {error}")))?;
        Policy::from_file(file)
    }

    /// Reads and validates a policy file: JSON when its name ends in `.json`, TOML otherwise
    /// (each needs its feature: a file whose format is not compiled in is a
    /// [`PolicyError::Syntax`] that says so).
    pub fn load(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let is_json = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
        let read = if is_json {
            #[cfg(feature = "json")]
            let read = Policy::from_json_str(&text);
            #[cfg(not(feature = "json"))]
            let read = Err(PolicyError::Syntax(
                "a JSON policy file needs the `json` feature of voucher-policy".to_owned(),
            ));
            read
        } else {
            #[cfg(feature = "toml")]
            let read = Policy::from_toml_str(&text);
            #[cfg(not(feature = "toml"))]
            let read = Err(PolicyError::Syntax(
                "a TOML policy file needs the `toml` feature of voucher-policy".to_owned(),
            ));
            read
        };
        read.map_err(|error| match error {
            PolicyError::Syntax(message) => {
                PolicyError::Syntax(format!("{}: {message}", path.display()))
            }
            other => other,
        })
    }

    /// Writes the policy as a TOML policy file that reads back as the same policy.
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn to_toml_string(&self) -> String {
        // Every field of the file form is a string, number, table or list that TOML can hold.
        toml::to_string(&PolicyFile::from(self)).unwrap_or_default()
    }

    /// Writes the policy as a JSON policy file that reads back as the same policy.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&PolicyFile::from(self)).unwrap_or_default()
    }

    /// The JSON Schema of a policy file, for editors that check a file as it is typed.
    #[cfg(feature = "schema")]
    #[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(PolicyFile);
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    }
}
