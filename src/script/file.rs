//! The catalog file's form: what a catalog file gives, as read from TOML (with the `toml`
//! feature) or as the build compiles the shipped catalogs into the crate.

use std::collections::BTreeMap;
use std::ops::Range;

#[cfg(feature = "toml")]
use serde::Deserialize;

use super::message::Section;
use crate::AddressForm;

/// A value of the file and where it stands in the file's text, for the errors that point at it.
pub(crate) struct Spanned<T> {
    value: T,
    span: Range<usize>,
}

impl<T> Spanned<T> {
    /// A value the build compiled in: it has no place in a text.
    pub fn compiled(value: T) -> Self {
        Spanned { value, span: 0..0 }
    }

    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// The bytes of the file's text it was read from.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

#[cfg(feature = "toml")]
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
        let span = spanned.span();
        Ok(Spanned {
            value: spanned.into_inner(),
            span,
        })
    }
}

/// A catalog file, every part optional: a file over a loaded locale gives only what it changes.
#[cfg_attr(feature = "toml", derive(Deserialize), serde(deny_unknown_fields))]
pub(crate) struct CatalogFile {
    pub locale: Spanned<String>,
    #[cfg_attr(feature = "toml", serde(default))]
    pub default_address: Option<AddressForm>,
    #[cfg_attr(feature = "toml", serde(default))]
    pub address: AddressFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub format: FormatFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub empathy: SectionFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub conduct: SectionFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub grant: SectionFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub refusal: SectionFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub way_forward: SectionFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub handoff: SectionFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub closing: SectionFile,
    #[cfg_attr(feature = "toml", serde(default))]
    pub channel: SectionFile,
    /// What went wrong, by complaint category, as the empathy line names it; `other` for a
    /// category without a label.
    #[cfg_attr(feature = "toml", serde(default))]
    pub issues: BTreeMap<String, Spanned<String>>,
}

impl CatalogFile {
    pub fn section(&self, section: Section) -> &SectionFile {
        match section {
            Section::Empathy => &self.empathy,
            Section::Conduct => &self.conduct,
            Section::Grant => &self.grant,
            Section::Refusal => &self.refusal,
            Section::WayForward => &self.way_forward,
            Section::Handoff => &self.handoff,
            Section::Closing => &self.closing,
            Section::Channel => &self.channel,
        }
    }
}

pub(crate) type SectionFile = BTreeMap<String, Spanned<MessageText>>;

#[derive(Default)]
#[cfg_attr(feature = "toml", derive(Deserialize), serde(deny_unknown_fields))]
pub(crate) struct AddressFile {
    pub familiar: Option<TermsFile>,
    pub formal: Option<TermsFile>,
    /// The formal form for a customer whose honorific the request gives.
    pub bapak: Option<TermsFile>,
    pub ibu: Option<TermsFile>,
}

impl AddressFile {
    pub fn form(&self, form: AddressForm) -> Option<&TermsFile> {
        match form {
            AddressForm::Familiar => self.familiar.as_ref(),
            AddressForm::Formal => self.formal.as_ref(),
        }
    }
}

#[derive(Default)]
#[cfg_attr(feature = "toml", derive(Deserialize), serde(deny_unknown_fields))]
pub(crate) struct TermsFile {
    pub title: Option<Spanned<String>>,
    pub you: Option<Spanned<String>>,
}

#[derive(Default)]
#[cfg_attr(feature = "toml", derive(Deserialize), serde(deny_unknown_fields))]
pub(crate) struct FormatFile {
    pub thousands_separator: Option<Spanned<String>>,
    pub decimal_separator: Option<Spanned<String>>,
    #[cfg_attr(feature = "toml", serde(default))]
    pub amount_prefix: BTreeMap<String, Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub months: Option<Spanned<Vec<String>>>,
    /// Lengths of time, by the largest whole unit, one and several: `{count}` of it.
    pub day: Option<Spanned<String>>,
    pub days: Option<Spanned<String>>,
    pub hour: Option<Spanned<String>>,
    pub hours: Option<Spanned<String>>,
    pub minute: Option<Spanned<String>>,
    pub minutes: Option<Spanned<String>>,
}

impl FormatFile {
    /// The length-of-time formats, in the order of `Duration`'s units: one day, days, one
    /// hour, hours, one minute, minutes.
    pub fn durations(&self) -> [(&'static str, Option<&Spanned<String>>); 6] {
        [
            ("day", self.day.as_ref()),
            ("days", self.days.as_ref()),
            ("hour", self.hour.as_ref()),
            ("hours", self.hours.as_ref()),
            ("minute", self.minute.as_ref()),
            ("minutes", self.minutes.as_ref()),
        ]
    }
}

/// A message: one text for every form of address, or one text for each.
pub(crate) enum MessageText {
    Same(String),
    ByForm {
        familiar: Option<String>,
        formal: Option<String>,
    },
}

#[cfg(feature = "toml")]
impl<'de> Deserialize<'de> for MessageText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MessageText;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a message: a string, or a table of `familiar` and `formal` strings")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<MessageText, E> {
                Ok(MessageText::Same(text.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MessageText, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct ByForm {
                    familiar: Option<String>,
                    formal: Option<String>,
                }
                let by_form =
                    ByForm::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(MessageText::ByForm {
                    familiar: by_form.familiar,
                    formal: by_form.formal,
                })
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}
