//! The languages scripts are written in.

use serde::{Deserialize, Serialize};

/// The language of the script the agent reads out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Locale {
    /// Indonesian (`id`), the default.
    #[default]
    #[serde(rename = "id")]
    Id,
    /// English (`en`).
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// The wire tag: `id` or `en`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Locale::Id => "id",
            Locale::En => "en",
        }
    }
}
