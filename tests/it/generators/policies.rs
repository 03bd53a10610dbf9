//! Policy files that vary every number of the default policy within the rules.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use voucher_policy::{Alternative, Code, Reason, ReasonKind};

use super::text::text;
use super::time::{DAY, offset_seconds};
use super::{CATEGORIES, SEVERITIES, TIERS};

/// A policy file (its JSON form; TOML holds the same) that varies every number of the default
/// policy within the rules: the step, the voucher bounds and authority, every window, the rates,
/// each tier's limits and multiplier, each category's severity, each refusal's alternatives, the
/// local offset, the name and version. The tiers and categories keep the default names, so the
/// cases of [`case`] are decidable on it.
pub fn policy() -> BoxedStrategy<Value> {
    let step = select(vec!["1", "10", "100", "500", "1000", "0.01", "0.5"]);
    let amounts = (
        step,
        1u32..=20,
        0u32..=400,
        prop_oneof![
            3 => (1u32..=600).prop_map(|k| (k, None)),
            1 => (1u32..=600, 1u32..=999).prop_map(|(k, fraction)| (k, Some(fraction))),
        ],
    )
        .prop_map(|(step, minimum, spread, (authority, fraction))| {
            let step: Decimal = step.parse().unwrap();
            let minimum = step * Decimal::from(minimum);
            let maximum = minimum + step * Decimal::from(spread);
            let mut authority = step * Decimal::from(authority);
            if let Some(fraction) = fraction {
                authority += Decimal::new(i64::from(fraction), 3);
            }
            (step, minimum, maximum, authority)
        });
    let window = || {
        prop_oneof![
            2 => select(vec!["1s", "59s", "1h", "48h", "7d", "30d", "1d12h", "365d", "36600d"])
                .prop_map(str::to_owned),
            2 => (1i64..=400 * DAY).prop_map(|seconds| format!("{seconds}s")),
            1 => (1i64..=60).prop_map(|days| format!("{days}d")),
        ]
    };
    let rate = || {
        prop_oneof![
            3 => (0u32..=100).prop_map(|percent| Decimal::new(i64::from(percent), 2).to_string()),
            1 => (0u32..=10_000).prop_map(|basis| Decimal::new(i64::from(basis), 4).to_string()),
            1 => select(vec!["0", "1", "0.333333"]).prop_map(str::to_owned),
        ]
    };
    let tier = (0u32..=6, 0u32..=600, 1u32..=300, any::<bool>());
    let refusals: Vec<Reason> = Reason::ALL
        .iter()
        .copied()
        .filter(|reason| reason.kind() == ReasonKind::Refusal)
        .collect();
    let alternatives = vec(
        prop::sample::subsequence(Alternative::ALL.to_vec(), 1..=Alternative::ALL.len()),
        refusals.len(),
    );
    let names = (
        "[a-z0-9-]{1,12}",
        prop_oneof![3 => "[0-9.]{1,6}", 1 => text()],
    )
        .prop_filter("a name and a version are not blank", |(_, version)| {
            !version.trim().is_empty()
        });
    (
        (amounts, names, offset_seconds()),
        [window(), window(), window(), window(), window(), window()],
        (1u32..=6, [rate(), rate(), rate(), rate()]),
        [tier.clone(), tier.clone(), tier.clone(), tier.clone(), tier],
        vec(select(SEVERITIES.to_vec()), CATEGORIES.len()),
        alternatives,
    )
        .prop_map(
            move |(
                ((step, minimum, maximum, authority), (name, version), offset),
                [validity, claim, count, value, cooldown, pattern],
                (threshold, [minor, moderate, major, critical]),
                tiers,
                severities,
                offered,
            )| {
                let tiers: Vec<Value> = TIERS
                    .iter()
                    .zip(tiers)
                    .map(|(tier, (limit, value_steps, multiplier, thank))| {
                        json!({
                            "name": tier,
                            "voucher_limit": limit,
                            "value_limit": (step * Decimal::from(value_steps) * Decimal::from(50)).to_string(),
                            "multiplier": Decimal::new(i64::from(multiplier), 2).to_string(),
                            "thank_loyalty": thank,
                        })
                    })
                    .collect();
                let categories: Map<String, Value> = CATEGORIES
                    .iter()
                    .zip(severities)
                    .map(|((category, _), severity)| ((*category).to_owned(), json!(severity)))
                    .collect();
                let alternatives: Map<String, Value> = refusals
                    .iter()
                    .zip(offered)
                    .map(|(reason, offered)| {
                        let names: Vec<&str> = offered.iter().map(|way| way.as_str()).collect();
                        (reason.as_str().to_owned(), json!(names))
                    })
                    .collect();
                let sign = if offset < 0 { '-' } else { '+' };
                let minutes = offset.unsigned_abs() / 60;
                json!({
                    "name": name,
                    "version": version,
                    "currency": "IDR",
                    "step": step.to_string(),
                    "local_offset": format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60),
                    "minimum_voucher": minimum.to_string(),
                    "maximum_voucher": maximum.to_string(),
                    "agent_authority": authority.to_string(),
                    "voucher_validity": validity,
                    "claim_window": claim,
                    "count_window": count,
                    "value_window": value,
                    "minor_cooldown": cooldown,
                    "repeated_minor": {"threshold": threshold, "window": pattern},
                    "severity_rates": {
                        "minor": minor, "moderate": moderate, "major": major, "critical": critical,
                    },
                    "tiers": tiers,
                    "categories": categories,
                    "alternatives": alternatives,
                })
            },
        ).boxed()
}

/// A policy file's TOML text.
pub fn policy_toml(file: &Value) -> String {
    toml::to_string(file).unwrap()
}
