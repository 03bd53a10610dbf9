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

use super::{Category, EvidenceRule, FaultRules, Policy, Role, SeverityShares, TierLimit};
use crate::{Locale, Severity, Window};

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
    /// Each complaint category and the severity it defaults to (`minor`, `moderate`, `major` or
    /// `critical`), or a table of the category's own rules.
    pub categories: Option<Entries<CategoryEntry>>,
    /// The ways forward each refusal reason offers instead of money.
    pub alternatives: Option<Entries<Vec<String>>>,
    /// The locale of a script when a request asks for none (optional, default `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The largest voucher as a share of the order total, per severity (optional; without it a
    /// voucher is never worth more than the order total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_share: Option<SharesFile>,
    /// What the policy asks of young accounts (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub young_accounts: Option<YoungAccountsFile>,
    /// Whose faults are compensated, and who bears the cost (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<FaultFile>,
    /// The customer lists a request may name, and what each does (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<Entries<ListFile>>,
    /// How conduct after a warning is answered (optional; `warnings_before_close = 1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conduct: Option<ConductFile>,
    /// How soon each escalation target follows a case up (optional; supervisor `24h`, legal
    /// `72h`, security `4h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpFile>,
    /// The roles that decide and approve, by name (optional; without it `agent` has
    /// `agent_authority` and no daily budget, and `supervisor` approves up to `maximum_voucher`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Entries<RoleFile>>,
}

/// A role's authority and daily budget.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleFile {
    /// The largest voucher someone in the role may grant (required, but for `agent`, whose
    /// authority is `agent_authority`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<Number>,
    /// The most one person in the role may grant in a day (optional: no daily limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_budget: Option<Number>,
    /// Whether the role approves escalated cases (optional: every role but `agent` does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approves: Option<bool>,
}

/// How conduct after a warning is answered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ConductFile {
    /// Warnings already given from which abusive language closes the conversation and personal
    /// advances go to a supervisor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings_before_close: Option<i64>,
}

/// How soon each escalation target follows a case up.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct FollowUpFile {
    /// A supervisor (`24h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<String>,
    /// The legal team (`72h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal: Option<String>,
    /// The security team (`4h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
}

/// A further rolling limit of a tier: `vouchers` or `value`, inside `window`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitFile {
    /// At most this many vouchers inside the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vouchers: Option<i64>,
    /// At most this much value inside the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Number>,
    /// The rolling window (`30d`, `24h`).
    pub window: Option<String>,
}

/// The largest voucher as a share of the order total, per severity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct SharesFile {
    /// For minor complaints (`0.2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor: Option<Number>,
    /// For moderate complaints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderate: Option<Number>,
    /// For major complaints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<Number>,
    /// For critical complaints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<Number>,
}

/// A category: its severity alone (`"minor"`), or a table with its own rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CategoryEntry {
    Severity(String),
    Rules(CategoryFile),
}

/// A category's own rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoryFile {
    /// The severity a complaint in the category has unless the agent sets one.
    pub severity: Option<String>,
    /// The share of the order total, instead of the severity's rate (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Number>,
    /// The largest voucher, instead of the policy's (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_voucher: Option<Number>,
    /// The largest voucher as a share of the order total (optional; `1.5` for a gift card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_share: Option<Number>,
    /// How long after delivery a complaint may still be compensated (optional; `2h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_window: Option<String>,
    /// Whether a complaint needs evidence: `by_severity` (the default: major ones do),
    /// `required` or `not_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Evidence counts only when it came within this long after delivery (optional; `48h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_within: Option<String>,
}

impl Serialize for CategoryEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            CategoryEntry::Severity(severity) => serializer.serialize_str(severity),
            CategoryEntry::Rules(rules) => rules.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for CategoryEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = CategoryEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a severity such as \"minor\", or a table of the category's rules")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<CategoryEntry, E> {
                Ok(CategoryEntry::Severity(text.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CategoryEntry, A::Error> {
                // Read as the table it is, so an unknown field is named as such.
                CategoryFile::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(CategoryEntry::Rules)
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for CategoryEntry {
    fn schema_name() -> Cow<'static, str> {
        "CategoryEntry".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A severity (`minor`, `moderate`, `major` or `critical`), or a table of the category's own rules.",
            "anyOf": [{"type": "string"}, generator.subschema_for::<CategoryFile>()]
        })
    }
}

/// What the policy asks of young accounts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct YoungAccountsFile {
    /// An account younger than this is young (`30d`).
    pub younger_than: Option<String>,
    /// How many vouchers a young account may get in all (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_vouchers: Option<i64>,
    /// Whether every claim of a young account needs evidence (optional, default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_required: Option<bool>,
}

/// Whose faults are compensated, and who bears the cost.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultFile {
    /// The parties whose faults are compensated (optional; default every party but the
    /// customer: `merchant`, `courier`, `platform`, `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensated: Option<Vec<String>>,
    /// For each party at fault, who bears the cost of the voucher (optional; by default the
    /// party at fault, and the platform for an unknown fault).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_borne_by: Option<Entries<String>>,
}

/// What a customer list does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ListFile {
    /// Who every request of a listed customer is handed to (optional: `supervisor`, `legal`,
    /// `security`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_to: Option<String>,
    /// The refusals that do not apply to a listed customer (optional:
    /// `minor_complaint_recent_voucher`, `repeated_minor_complaints`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waive: Option<Vec<String>>,
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
    /// Further rolling limits, each `vouchers` or `value` inside its own `window` (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Vec<LimitFile>>,
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
                        limits: (!tier.limits.is_empty()).then(|| {
                            tier.limits
                                .iter()
                                .map(|limit| match *limit {
                                    TierLimit::Vouchers {
                                        limit,
                                        window: over,
                                    } => LimitFile {
                                        vouchers: Some(i64::from(limit)),
                                        value: None,
                                        window: window(over),
                                    },
                                    TierLimit::Value {
                                        limit,
                                        window: over,
                                    } => LimitFile {
                                        vouchers: None,
                                        value: number(limit),
                                        window: window(over),
                                    },
                                })
                                .collect()
                        }),
                    })
                    .collect(),
            ),
            categories: Some(Entries({
                // TOML writes a table's plain values before its sub-tables: once one category
                // has rules of its own, every category is written as a table, so that the
                // file keeps the policy's order.
                let plain = policy.categories.iter().all(Category::is_plain);
                policy
                    .categories
                    .iter()
                    .map(|category| {
                        let entry = match CategoryEntry::from(category) {
                            CategoryEntry::Severity(severity) if !plain => {
                                CategoryEntry::Rules(CategoryFile {
                                    severity: Some(severity),
                                    ..CategoryFile::default()
                                })
                            }
                            entry => entry,
                        };
                        (category.name.clone(), entry)
                    })
                    .collect()
            })),
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
            locale: (policy.locale != Locale::ID).then(|| policy.locale.to_string()),
            maximum_share: {
                let shares = &policy.maximum_share;
                let share = |severity| shares.share(severity).and_then(number);
                (*shares != SeverityShares::default()).then(|| SharesFile {
                    minor: share(Severity::Minor),
                    moderate: share(Severity::Moderate),
                    major: share(Severity::Major),
                    critical: share(Severity::Critical),
                })
            },
            young_accounts: policy.young_accounts.map(|young| YoungAccountsFile {
                younger_than: window(young.younger_than),
                lifetime_vouchers: young.lifetime_vouchers.map(i64::from),
                evidence_required: Some(young.evidence_required),
            }),
            fault: (policy.fault != FaultRules::default()).then(|| FaultFile {
                compensated: Some(
                    policy
                        .fault
                        .compensated
                        .iter()
                        .map(|party| party.to_string())
                        .collect(),
                ),
                cost_borne_by: Some(Entries(
                    policy
                        .fault
                        .cost_borne_by
                        .iter()
                        .map(|(party, bearer)| (party.to_string(), bearer.to_string()))
                        .collect(),
                )),
            }),
            lists: (!policy.lists.is_empty()).then(|| {
                Entries(
                    policy
                        .lists
                        .iter()
                        .map(|list| {
                            let waived: Vec<String> = list
                                .waives
                                .iter()
                                .map(|reason| reason.to_string())
                                .collect();
                            (
                                list.name.clone(),
                                ListFile {
                                    escalate_to: list.escalate_to.map(|target| target.to_string()),
                                    waive: (!waived.is_empty()).then_some(waived),
                                },
                            )
                        })
                        .collect(),
                )
            }),
            conduct: Some(ConductFile {
                warnings_before_close: Some(i64::from(policy.conduct.warnings_before_close)),
            }),
            follow_up: Some(FollowUpFile {
                supervisor: window(policy.follow_up.supervisor),
                legal: window(policy.follow_up.legal),
                security: window(policy.follow_up.security),
            }),
            roles: Some(Entries(
                policy
                    .roles
                    .iter()
                    .map(|role| {
                        let agent = role.name == Role::AGENT;
                        (
                            role.name.clone(),
                            RoleFile {
                                // The agent's authority is written once, as `agent_authority`.
                                authority: if agent { None } else { number(role.authority) },
                                daily_budget: role.daily_budget.and_then(number),
                                approves: Some(role.approves),
                            },
                        )
                    })
                    .collect(),
            )),
        }
    }
}

impl From<&Category> for CategoryEntry {
    fn from(category: &Category) -> Self {
        if category.is_plain() {
            return CategoryEntry::Severity(category.severity.to_string());
        }
        let number = |value: Decimal| Number(value.to_string());
        CategoryEntry::Rules(CategoryFile {
            severity: Some(category.severity.to_string()),
            rate: category.rate.map(number),
            maximum_voucher: category.maximum_voucher.map(number),
            maximum_share: category.maximum_share.map(number),
            claim_window: category.claim_window.map(|window| window.to_string()),
            evidence: (category.evidence != EvidenceRule::BySeverity)
                .then(|| category.evidence.to_string()),
            evidence_within: category.evidence_within.map(|window| window.to_string()),
        })
    }
}
