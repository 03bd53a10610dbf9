//! The languages scripts are written in: a language tag such as `id`, `en` or `pt-BR`.

use std::fmt;
use std::str::FromStr;

use crate::LocaleTagError;
use crate::wire_text::serde_as_text;

/// The language of the script the agent reads out, as a short language tag (`id`, `en`, `ms`,
/// `pt-BR`).
///
/// A locale is data, not a closed list: any tag that a loaded script catalog declares can be
/// asked for (see [`Scripts`](crate::Scripts)). The crate ships `id` (Indonesian, the default)
/// and `en` (English).
///
/// The tag is stored inline, so a `Locale` is `Copy` and comparing two never allocates. It is
/// checked on construction: 2 to 15 characters, subtags of 1 to 8 ASCII letters or digits
/// joined by single hyphens, the first (the language) 2 to 8 letters. Case is made canonical
/// the way BCP 47 writes it: the language in lower case, a two-letter region in upper case, a
/// four-letter script in title case (`PT-br` reads as `pt-BR`).
///
/// ```
/// use voucher_policy::Locale;
///
/// assert_eq!(Locale::default(), Locale::ID);
/// let brazil: Locale = "pt-br".parse()?;
/// assert_eq!(brazil.as_str(), "pt-BR");
/// assert!("en_US".parse::<Locale>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale {
    len: u8,
    bytes: [u8; Locale::MAX_LEN],
}

impl Locale {
    /// The longest tag accepted, in characters.
    pub const MAX_LEN: usize = 15;

    /// Indonesian (`id`), the default.
    pub const ID: Locale = Locale::two(*b"id");

    /// English (`en`).
    pub const EN: Locale = Locale::two(*b"en");

    const fn two(tag: [u8; 2]) -> Locale {
        let mut bytes = [0; Locale::MAX_LEN];
        bytes[0] = tag[0];
        bytes[1] = tag[1];
        Locale { len: 2, bytes }
    }

    /// The tag, as written on the wire: `id`, `en`, `pt-BR`.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored, and `len` never exceeds the array.
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }
}

impl Default for Locale {
    /// Indonesian (`id`).
    fn default() -> Self {
        Locale::ID
    }
}

impl FromStr for Locale {
    type Err = LocaleTagError;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let error = || LocaleTagError(tag.to_owned());
        if !(2..=Locale::MAX_LEN).contains(&tag.len()) {
            return Err(error());
        }
        let mut bytes = [0; Locale::MAX_LEN];
        let mut at = 0;
        for (index, subtag) in tag.split('-').enumerate() {
            let fits = (1..=8).contains(&subtag.len());
            let language = index == 0;
            let allowed = if language {
                subtag.len() >= 2 && subtag.bytes().all(|b| b.is_ascii_alphabetic())
            } else {
                subtag.bytes().all(|b| b.is_ascii_alphanumeric())
            };
            if !fits || !allowed {
                return Err(error());
            }
            if !language {
                *bytes.get_mut(at).ok_or_else(error)? = b'-';
                at += 1;
            }
            for (position, byte) in subtag.bytes().enumerate() {
                let canonical = match (language, subtag.len(), position) {
                    // A region (`BR`) is upper case; a script (`Hant`) is title case.
                    (false, 2, _) | (false, 4, 0) => byte.to_ascii_uppercase(),
                    _ => byte.to_ascii_lowercase(),
                };
                *bytes.get_mut(at).ok_or_else(error)? = canonical;
                at += 1;
            }
        }
        let len = u8::try_from(at).map_err(|_| error())?;
        Ok(Locale { len, bytes })
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Locale({})", self.as_str())
    }
}

serde_as_text!(Locale);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_in_canonical_case() {
        for (tag, canonical) in [
            ("id", "id"),
            ("EN", "en"),
            ("pt-br", "pt-BR"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("es-419", "es-419"),
            ("ms", "ms"),
            ("sr-latn-rs", "sr-Latn-RS"),
        ] {
            assert_eq!(tag.parse::<Locale>().unwrap().as_str(), canonical, "{tag}");
        }
    }

    #[test]
    fn malformed_tags_are_refused() {
        for tag in [
            "",
            "i",
            "en_US",
            "en-",
            "-en",
            "en--us",
            "e1",
            "en us",
            "bahasa-indonesia-baku",
            "in-abcdefghi",
            "ïd",
            "{en}",
        ] {
            assert!(tag.parse::<Locale>().is_err(), "{tag:?}");
        }
    }

    #[test]
    fn the_shipped_constants_read_back() {
        assert_eq!(Locale::ID.as_str(), "id");
        assert_eq!(Locale::EN.as_str(), "en");
        assert_eq!("id".parse::<Locale>().unwrap(), Locale::ID);
        assert_eq!(Locale::default(), Locale::ID);
    }
}
