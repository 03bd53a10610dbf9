//! The policy file as an operations team writes it, in TOML or JSON.
//!
//! Every field is read as written, with as little judgement as possible, so that the
//! validation in `validate.rs` can report every problem of a file at once, each with its path and
//! its value. Only the shape of the file (an unknown field, a list where a table belongs) stops
//! reading early.

#[cfg(feature = "schema")]
use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Policy;
use crate::Window;

/// A compensation policy file. Every field is required unless marked optional; missing fields
/// are reported together with every other problem of the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(title = "voucher-policy compensation policy")
)]
pub(crate) struct PolicyFile {
    /// A policy this file changes (optional): `default` for the embedded default policy, or
    /// the path of another policy file, relative to this one. Only the fields this file gives
    /// are changed: tiers by name, categories and alternatives by key, the rest field by field.
    pub extends: Option<String>,
    /// The policy's name, reported in every decision (`default`, `strict-2027`).
    pub name: Option<String>,
    /// The policy's version, reported in every decision (`1`, `2026-11-24`).
    pub version: Option<String>,
    /// The ISO 4217 code every amount is in (`IDR`, `USD`).
    pub currency: Option<String>,
    /// The smallest unit a voucher is rounded down to (`1000` for IDR, `0.01` for USD).
    pub step: Option<Number>,
    /// The UTC offset the customers read dates in, such as `+07:00`; voucher expiry is written
    /// in it.
    pub local_offset: Option<String>,
    /// The smallest voucher the policy computes.
    pub minimum_voucher: Option<Number>,
    /// The largest voucher the policy grants.
    pub maximum_voucher: Option<Number>,
    /// The most an agent may grant without a supervisor.
    pub agent_authority: Option<Number>,
    /// How long a voucher stays valid (`30d`).
    pub voucher_validity: Option<String>,
    /// How long after delivery (or placement) a complaint may be compensated (`48h`).
    pub claim_window: Option<String>,
    /// The rolling window the per-tier voucher count is measured over (`7d`).
    pub count_window: Option<String>,
    /// The rolling window the per-tier voucher value is measured over (`30d`).
    pub value_window: Option<String>,
    /// After any voucher, how long a minor complaint gets no other (`7d`).
    pub minor_cooldown: Option<String>,
    /// The pattern of repeated minor complaints that refuses another minor voucher.
    pub repeated_minor: Option<RepeatedMinorFile>,
    /// The share of the order total each severity is worth, from 0 to 1.
    pub severity_rates: Option<SeverityRatesFile>,
    /// The loyalty tiers, lowest first.
    pub tiers: Option<Vec<TierFile>>,
    /// Each complaint category and the severity it defaults to
    /// (`minor`, `moderate`, `major` or `critical`).
    pub categories: Option<Entries<String>>,
    /// The ways forward each refusal reason offers instead of money.
    pub alternatives: Option<Entries<Vec<String>>>,
}

/// The repeated-minor-complaints pattern.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RepeatedMinorFile {
    /// How many minor-complaint vouchers inside the window make the pattern.
    pub threshold: Option<i64>,
    /// The rolling window they are counted in (`30d`).
    pub window: Option<String>,
}

/// The rate of the order total for each severity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct SeverityRatesFile {
    /// The rate for minor complaints (`0.10`).
    pub minor: Option<Number>,
    /// The rate for moderate complaints (`0.25`).
    pub moderate: Option<Number>,
    /// The rate for major complaints (`0.50`).
    pub major: Option<Number>,
    /// The rate recommended on the merits for critical complaints, which always escalate.
    pub critical: Option<Number>,
}

/// A loyalty tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct TierFile {
    /// The tier's name, as requests give it (`gold`).
    pub name: Option<String>,
    /// How many vouchers a customer may get inside the rolling count window.
    pub voucher_limit: Option<i64>,
    /// How much value a customer may get inside the rolling value window.
    pub value_limit: Option<Number>,
    /// The multiplier on the voucher amount (`1.25`).
    pub multiplier: Option<Number>,
    /// Whether the script thanks the customer for their loyalty (optional, default false).
    pub thank_loyalty: Option<bool>,
}

/// A number as the file wrote it: a string (`"0.10"`, exact) or a TOML/JSON number.
///
/// Kept as text so a bad value is reported with the characters the author typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number(pub String);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl<'de> Visitor<'de> for NumberVisitor {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a decimal number in a string such as \"0.10\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Number, E> {
                Ok(Number(text.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Number, E> {
                Ok(Number(value.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Number, E> {
                Ok(Number(value.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Number, E> {
                // The shortest text that reads back as the same float: what the author typed
                // for any ordinary decimal such as 0.1 or 1.25.
                Ok(Number(value.to_string()))
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Number, D::Error> {
                deserializer.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Number, A::Error> {
                // A JSON number, as `serde_json` writes it in the file.
                match crate::wire_text::written_number(&mut map)? {
                    Some(text) => Ok(Number(text.into_owned())),
                    None => Err(serde::de::Error::custom(
                        "a table is not a number: write a number, or a string such as \"0.10\"",
                    )),
                }
            }
        }
        deserializer.deserialize_newtype_struct(crate::wire_text::RAW_VALUE, NumberVisitor)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A decimal number: a number, or a string such as \"0.10\" (exact).",
            "type": ["number", "string"],
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
        })
    }
}

/// A table whose keys are names, read in order and with any duplicate kept, so validation can
/// report a name given twice instead of silently keeping the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entries<V>(pub Vec<(String, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<V: Serialize> Serialize for Entries<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of names")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

#[cfg(feature = "schema")]
impl<V: JsonSchema> JsonSchema for Entries<V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Entries_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>()
        })
    }
}

impl From<&Policy> for PolicyFile {
    fn from(policy: &Policy) -> Self {
        let number = |value: Decimal| Some(Number(value.to_string()));
        let window = |value: Window| Some(value.to_string());
        PolicyFile {
            extends: None,
            name: Some(policy.name().to_owned()),
            version: Some(policy.version().to_owned()),
            currency: Some(policy.currency.to_string()),
            step: number(policy.step),
            local_offset: Some(policy.local_offset.to_string()),
            minimum_voucher: number(policy.minimum_voucher),
            maximum_voucher: number(policy.maximum_voucher),
            agent_authority: number(policy.agent_authority),
            voucher_validity: window(policy.voucher_validity),
            claim_window: window(policy.claim_window),
            count_window: window(policy.count_window),
            value_window: window(policy.value_window),
            minor_cooldown: window(policy.minor_cooldown),
            repeated_minor: Some(RepeatedMinorFile {
                threshold: Some(i64::from(policy.repeated_minor.threshold)),
                window: window(policy.repeated_minor.window),
            }),
            severity_rates: Some(SeverityRatesFile {
                minor: number(policy.severity_rates.minor),
                moderate: number(policy.severity_rates.moderate),
                major: number(policy.severity_rates.major),
                critical: number(policy.severity_rates.critical),
            }),
            tiers: Some(
                policy
                    .tiers
                    .iter()
                    .map(|tier| TierFile {
                        name: Some(tier.name.clone()),
                        voucher_limit: Some(i64::from(tier.voucher_limit)),
                        value_limit: number(tier.value_limit),
                        multiplier: number(tier.multiplier),
                        thank_loyalty: Some(tier.thank_loyalty),
                    })
                    .collect(),
            ),
            categories: Some(Entries(
                policy
                    .categories
                    .iter()
                    .map(|category| (category.name.clone(), category.severity.to_string()))
                    .collect(),
            )),
            alternatives: Some(Entries(
                policy
                    .alternatives
                    .iter()
                    .map(|(reason, offered)| {
                        (
                            reason.to_string(),
                            offered
                                .iter()
                                .map(|alternative| alternative.to_string())
                                .collect(),
                        )
                    })
                    .collect(),
            )),
        }
    }
}
