//! Values the wire and the policy files write as a string: a currency code, a length of time, a
//! language tag.

/// Implements `Serialize` with the type's `Display` and `Deserialize` with its `FromStr`, whose
/// error message becomes the deserializer's.
macro_rules! serde_as_text {
    ($type:ty) => {
        impl ::serde::Serialize for $type {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $type {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                // A visitor reads the text where it lies; going through a `Cow<str>` would copy
                // it into a new `String` every time.
                struct Text;

                impl ::serde::de::Visitor<'_> for Text {
                    type Value = $type;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: ::serde::de::Error>(self, text: &str) -> Result<$type, E> {
                        text.parse().map_err(E::custom)
                    }
                }

                deserializer.deserialize_str(Text)
            }
        }
    };
}
pub(crate) use serde_as_text;

/// Reads an instant, RFC 3339 with an offset, with `chrono`'s RFC 3339 parser: four times
/// faster than the general parser behind `DateTime::from_str`, which chrono's own `Deserialize`
/// uses. A text the quick parser refuses goes to the general one, so exactly the texts chrono
/// reads are read, into the same instants, with the same errors.
///
/// For `#[serde(deserialize_with = "instant::read")]` (and `instant::read_option`).
pub(crate) mod instant {
    use std::fmt;

    use chrono::{DateTime, FixedOffset};
    use serde::de::{Deserializer, Error, Visitor};

    pub(crate) fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        deserializer.deserialize_str(Instant)
    }

    pub(crate) fn read_option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        deserializer.deserialize_option(MaybeInstant)
    }

    struct Instant;

    impl Visitor<'_> for Instant {
        type Value = DateTime<FixedOffset>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            // chrono's words, so errors read as they did.
            f.write_str("an RFC 3339 formatted date and time string")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<Self::Value, E> {
            DateTime::parse_from_rfc3339(text)
                .or_else(|_| text.parse())
                .map_err(E::custom)
        }
    }

    struct MaybeInstant;

    impl<'de> Visitor<'de> for MaybeInstant {
        type Value = Option<DateTime<FixedOffset>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("option")
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            read(deserializer).map(Some)
        }
    }
}
