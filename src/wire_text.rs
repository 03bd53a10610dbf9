//! Values the wire and the policy files write as a string: a currency code, a length of time, a
//! language tag.

use std::borrow::Cow;

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

    use chrono::{DateTime, FixedOffset, NaiveDateTime};
    use serde::de::{Deserializer, Error, Visitor};

    use super::Reader;

    pub(crate) fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        Instant.read(deserializer)
    }

    pub(crate) fn read_option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        deserializer.deserialize_option(super::Maybe(Instant))
    }

    struct Instant;

    impl<'de> Reader<'de> for Instant {
        fn read<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_str(self)
        }
    }

    impl Visitor<'_> for Instant {
        type Value = DateTime<FixedOffset>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            // chrono's words, so errors read as they did.
            f.write_str("an RFC 3339 formatted date and time string")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<Self::Value, E> {
            DateTime::parse_from_rfc3339(text)
                .or_else(|_| text.parse())
                .map_err(|error| {
                    // chrono says "premature end of input" for a time that lacks only its
                    // offset, which is the usual slip: say what is missing.
                    if text.parse::<NaiveDateTime>().is_ok() {
                        E::custom(format_args!(
                            "{text} has no UTC offset: write the offset it was read in, such as \
                             {text}+07:00 or {text}Z"
                        ))
                    } else {
                        E::custom(error)
                    }
                })
        }
    }
}

/// Reads an amount exactly: a decimal string (`"85000.50"`, the wire contract's form) or a
/// number (`85000`, `85000.5`), never through a floating-point number. A JSON number is read
/// from its text (asked of `serde_json` as a raw value); a format that only has floats (a TOML
/// float) is read as the shortest decimal that is the same float. A number no decimal holds, or
/// too many digits, is an error, never a rounded amount.
///
/// For `#[serde(deserialize_with = "amount::read")]` (and `amount::read_option`); written back as
/// a string with `rust_decimal::serde::str`.
pub(crate) mod amount {
    use std::fmt;

    use rust_decimal::Decimal;
    use serde::de::{Deserializer, Error, MapAccess, Visitor};

    use super::Reader;

    pub(crate) fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        Amount.read(deserializer)
    }

    pub(crate) fn read_option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        deserializer.deserialize_option(super::Maybe(Amount))
    }

    /// The decimal `text` says, exactly, or why not.
    fn exact<E: Error>(text: &str) -> Result<Decimal, E> {
        Decimal::from_str_exact(text).map_err(|_| {
            E::custom(format_args!(
                "{text} is not a decimal number an amount can be (at most 28 decimal places and \
                 29 digits, no exponent)"
            ))
        })
    }

    struct Amount;

    impl<'de> Reader<'de> for Amount {
        fn read<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            // `serde_json` answers this name with the value's text as written; any other format
            // treats it as a plain newtype and reads the value itself.
            deserializer.deserialize_newtype_struct(super::RAW_VALUE, self)
        }
    }

    impl<'de> Visitor<'de> for Amount {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal amount, as a string such as \"85000\" or a number")
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Decimal, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<Decimal, E> {
            exact(text)
        }

        fn visit_u64<E: Error>(self, value: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(value))
        }

        fn visit_i64<E: Error>(self, value: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(value))
        }

        fn visit_u128<E: Error>(self, value: u128) -> Result<Decimal, E> {
            exact(&value.to_string())
        }

        fn visit_i128<E: Error>(self, value: i128) -> Result<Decimal, E> {
            exact(&value.to_string())
        }

        fn visit_f64<E: Error>(self, value: f64) -> Result<Decimal, E> {
            if !value.is_finite() {
                return Err(E::custom(format_args!("{value} is not an amount")));
            }
            // The shortest text that reads back as the same float: what was typed, for any
            // ordinary amount such as 85000.5.
            exact(&value.to_string())
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
            match super::written_number(&mut map)? {
                Some(text) => exact(&text),
                None => Err(A::Error::custom(
                    "an object is not an amount: write a decimal string such as \"85000\"",
                )),
            }
        }
    }
}

/// Reads an optional value (`null` or absent is `None`) with the visitor of the value.
pub(crate) struct Maybe<V>(pub V);

/// A visitor that knows how to ask a deserializer for its value.
pub(crate) trait Reader<'de>: serde::de::Visitor<'de> + Sized {
    /// The value `deserializer` holds, read with this visitor.
    fn read<D: serde::de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error>;
}

impl<'de, V: Reader<'de>> serde::de::Visitor<'de> for Maybe<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        self.0.read(deserializer).map(Some)
    }
}

/// The name `serde_json` reads a value's text by (`serde_json::value::RawValue`).
pub(crate) const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// The key `serde_json` gives a number read with its `arbitrary_precision` feature.
const ARBITRARY_PRECISION: &str = "$serde_json::private::Number";

/// A number's text, from the map `serde_json` hands a visitor for a raw value or an
/// arbitrary-precision number; `None` for any other map. A raw string value (`"85000"`) is its
/// text without the quotes; one with an escape sequence is an error, as no amount needs one.
pub(crate) fn written_number<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Cow<'de, str>>, A::Error> {
    use serde::de::Error;
    if map.next_key::<NumberKey>()? != Some(NumberKey(true)) {
        return Ok(None);
    }
    let Text(text) = map.next_value::<Text<'de>>()?;
    if !text.starts_with('"') {
        return Ok(Some(text));
    }
    let inner = |text: &str| {
        text.strip_prefix('"')
            .and_then(|quoted| quoted.strip_suffix('"'))
            .filter(|inner| !inner.contains('\\'))
            .map(str::to_owned)
    };
    match &text {
        Cow::Borrowed(borrowed) => match borrowed
            .strip_prefix('"')
            .and_then(|quoted| quoted.strip_suffix('"'))
        {
            Some(unquoted) if !unquoted.contains('\\') => Ok(Some(Cow::Borrowed(unquoted))),
            _ => Err(A::Error::custom(format_args!(
                "{text} is not a decimal number: write it without escape sequences"
            ))),
        },
        Cow::Owned(owned) => match inner(owned) {
            Some(unquoted) => Ok(Some(Cow::Owned(unquoted))),
            None => Err(A::Error::custom(format_args!(
                "{text} is not a decimal number: write it without escape sequences"
            ))),
        },
    }
}

/// Whether a map's key is one `serde_json` gives a number's text under, read without copying it.
#[derive(PartialEq, Eq)]
struct NumberKey(bool);

impl<'de> serde::Deserialize<'de> for NumberKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;

        impl serde::de::Visitor<'_> for Visit {
            type Value = NumberKey;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<NumberKey, E> {
                Ok(NumberKey(key == RAW_VALUE || key == ARBITRARY_PRECISION))
            }
        }

        deserializer.deserialize_str(Visit)
    }
}

/// Text read where it lies when the format lends it (`serde_json` reading a `&str`), copied
/// otherwise.
struct Text<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;

        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("text")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                text: &'de str,
            ) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(text)))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(Visit)
    }
}
