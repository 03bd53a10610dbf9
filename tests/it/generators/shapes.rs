//! Policies that use every optional shape, and cases aimed at their edges: a policy from
//! [`policy`](super::policy) with further limits on every tier, shares of the order, categories
//! with rules of their own, young accounts, fault parties and customer lists; and a case from
//! [`case`](super::case) given an account age, lists, a party at fault, an evidence time and
//! past vouchers on the edges of the policy's own windows.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Map, Value, json};
use voucher_policy::Window;

use super::time::{DAY, HOUR, Moment, NANOS};
use super::{CATEGORIES, SEVERITIES, TIERS, case, policy};

/// The names of the lists a shaped policy has.
const LISTS: [&str; 3] = ["review", "recovery", "watch"];
const PARTIES: [&str; 5] = ["merchant", "courier", "platform", "customer", "unknown"];

/// A window of the shapes: mostly hours and days a company writes, sometimes any length.
fn window() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec!["1h", "2h", "6h", "24h", "48h", "3d", "7d", "14d", "30d", "90d"])
            .prop_map(str::to_owned),
        1 => (1i64..=60 * DAY).prop_map(|seconds| format!("{seconds}s")),
    ]
    .boxed()
}

fn share() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(vec!["0.05", "0.2", "0.5", "1", "1.5"]).prop_map(str::to_owned),
        1 => (1u32..=3_000).prop_map(|per_mille| format!("{}", f64::from(per_mille) / 1000.0)),
    ]
    .boxed()
}

/// A category's own rules, every one optional.
fn category_rules(severity: &'static str, step: String) -> BoxedStrategy<Value> {
    (
        prop::option::of(
            (0u32..=100).prop_map(|percent| format!("{}", f64::from(percent) / 100.0)),
        ),
        prop::option::of(1u32..=400),
        prop::option::of(share()),
        prop::option::of(window()),
        select(vec!["by_severity", "required", "not_required"]),
        prop::option::of(window()),
    )
        .prop_map(
            move |(rate, maximum_steps, share, claim, evidence, within)| {
                let mut rules = json!({"severity": severity, "evidence": evidence});
                if let Some(rate) = rate {
                    rules["rate"] = json!(rate);
                }
                if let Some(steps) = maximum_steps {
                    let step: rust_decimal::Decimal = step.parse().unwrap();
                    rules["maximum_voucher"] =
                        json!((step * rust_decimal::Decimal::from(steps)).to_string());
                }
                if let Some(share) = share {
                    rules["maximum_share"] = json!(share);
                }
                if let Some(claim) = claim {
                    rules["claim_window"] = json!(claim);
                }
                if let Some(within) = within {
                    rules["evidence_within"] = json!(within);
                }
                rules
            },
        )
        .boxed()
}

/// A policy file using every optional shape, on top of a policy of varied numbers.
pub fn shaped_policy() -> BoxedStrategy<Value> {
    (policy(), [window(), window(), window()])
        .prop_flat_map(|(file, pool)| {
            let step = file["step"].as_str().unwrap().to_owned();
            // Each tier's further limits use three lengths of window, so that with the policy's
            // four the policy stays within the eight a history pass measures.
            let limit = {
                let pool = pool.to_vec();
                let step = step.clone();
                prop_oneof![
                    (prop_oneof![1 => Just(0u32), 6 => 1u32..=6], select(pool.clone()))
                        .prop_map(|(vouchers, window)| json!({"vouchers": vouchers, "window": window})),
                    (1u32..=400, select(pool))
                        .prop_map(move |(steps, window)| {
                            let step: rust_decimal::Decimal = step.parse().unwrap();
                            json!({"value": (step * rust_decimal::Decimal::from(steps) * rust_decimal::Decimal::from(10)).to_string(), "window": window})
                        }),
                ]
            };
            let tier_limits = vec(vec(limit, 0..=3), TIERS.len());
            let shares = [
                prop::option::of(share()),
                prop::option::of(share()),
                prop::option::of(share()),
                prop::option::of(share()),
            ];
            let categories: Vec<BoxedStrategy<Option<Value>>> = CATEGORIES
                .iter()
                .map(|(_, severity)| {
                    prop::option::weighted(0.6, category_rules(severity, step.clone())).boxed()
                })
                .collect();
            let young = prop::option::of((window(), prop::option::of(0u32..=4), any::<bool>()));
            let fault = prop::option::of((
                subsequence(vec!["merchant", "courier", "platform", "unknown"], 0..=4),
                vec(
                    (
                        select(vec!["merchant", "courier", "platform", "unknown"]),
                        select(vec!["merchant", "courier", "platform"]),
                    ),
                    0..=3,
                ),
            ));
            let lists = (
                select(vec!["supervisor", "legal", "security"]),
                subsequence(
                    vec!["minor_complaint_recent_voucher", "repeated_minor_complaints"],
                    1..=2,
                ),
                select(vec!["supervisor", "legal"]),
            );
            (
                Just(file),
                tier_limits,
                shares,
                categories,
                young,
                fault,
                lists,
                prop::option::of(select(vec!["id", "en"])),
            )
        })
        .prop_map(
            |(mut file, tier_limits, shares, categories, young, fault, lists, locale)| {
                for (tier, limits) in file["tiers"].as_array_mut().unwrap().iter_mut().zip(tier_limits) {
                    // At most three of each kind besides the tier's own two.
                    let vouchers = limits.iter().filter(|limit| limit.get("vouchers").is_some()).count();
                    if !limits.is_empty() && vouchers <= 3 && limits.len() - vouchers <= 3 {
                        tier["limits"] = json!(limits);
                    }
                }
                let mut maximum_share = Map::new();
                for (severity, share) in SEVERITIES.iter().zip(shares) {
                    if let Some(share) = share {
                        maximum_share.insert((*severity).to_owned(), json!(share));
                    }
                }
                if !maximum_share.is_empty() {
                    file["maximum_share"] = Value::Object(maximum_share);
                }
                let table = file["categories"].as_object_mut().unwrap();
                for ((name, _), rules) in CATEGORIES.iter().zip(categories) {
                    if let Some(mut rules) = rules {
                        // The category keeps the severity the varied policy gave it.
                        rules["severity"] = table[*name].clone();
                        table.insert((*name).to_owned(), rules);
                    }
                }
                if let Some((younger_than, lifetime, evidence)) = young {
                    let mut rules = json!({"younger_than": younger_than, "evidence_required": evidence});
                    if let Some(lifetime) = lifetime {
                        rules["lifetime_vouchers"] = json!(lifetime);
                    }
                    file["young_accounts"] = rules;
                }
                if let Some((compensated, costs)) = fault {
                    let costs: Map<String, Value> = costs
                        .into_iter()
                        .map(|(party, bearer)| (party.to_owned(), json!(bearer)))
                        .collect();
                    file["fault"] = json!({"compensated": compensated, "cost_borne_by": costs});
                }
                let (review, waive, watch) = lists;
                file["lists"] = json!({
                    "review": {"escalate_to": review},
                    "recovery": {"waive": waive},
                    "watch": {"escalate_to": watch, "waive": ["minor_complaint_recent_voucher"]},
                });
                if let Some(locale) = locale {
                    file["locale"] = json!(locale);
                }
                // The alternatives of the refusals the shapes add come with the policy.
                let alternatives = file["alternatives"].as_object_mut().unwrap();
                for reason in ["customer_at_fault", "evidence_too_late", "young_account_limit_reached"] {
                    alternatives.remove(reason);
                }
                file
            },
        )
        .boxed()
}

/// The lengths of every window of a policy file, in seconds: those a case's times are put on
/// the edges of.
fn windows_of(file: &Value) -> Vec<i64> {
    let mut texts: Vec<&str> = Vec::new();
    for key in [
        "claim_window",
        "count_window",
        "value_window",
        "minor_cooldown",
    ] {
        texts.extend(file[key].as_str());
    }
    texts.extend(file["repeated_minor"]["window"].as_str());
    texts.extend(file["young_accounts"]["younger_than"].as_str());
    for tier in file["tiers"].as_array().into_iter().flatten() {
        for limit in tier["limits"].as_array().into_iter().flatten() {
            texts.extend(limit["window"].as_str());
        }
    }
    for rules in file["categories"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, rules)| rules)
    {
        texts.extend(rules["claim_window"].as_str());
        texts.extend(rules["evidence_within"].as_str());
    }
    let mut seconds: Vec<i64> = texts
        .into_iter()
        .filter_map(|text| text.parse::<Window>().ok())
        .map(|window| window.as_seconds())
        .collect();
    seconds.sort_unstable();
    seconds.dedup();
    seconds
}

/// An age on an edge of one of `windows`: the window itself, or a second either side.
fn edge_age(windows: Vec<i64>) -> BoxedStrategy<i64> {
    (select(windows), select(vec![-1i64, 0, 1]))
        .prop_map(|(window, side)| (window + side).max(0))
        .boxed()
}

/// A shaped policy and a case on it: the case of [`case`] with an account age, lists, a party
/// at fault, an evidence time and past vouchers, each often on an edge of the policy's windows.
pub fn shaped_scenario() -> BoxedStrategy<(Value, Value)> {
    shaped_policy()
        .prop_flat_map(|file| {
            let windows = windows_of(&file);
            let edge = || edge_age(windows.clone());
            let age = prop_oneof![3 => edge(), 1 => 0..=120 * DAY].boxed();
            let entries = vec(
                (
                    age.clone(),
                    1u32..=30,
                    prop::option::of(select(SEVERITIES.to_vec())),
                ),
                0..=4,
            );
            (
                Just(file),
                case(),
                prop::option::of(age.clone()),
                prop_oneof![3 => Just(Vec::new()), 1 => subsequence(LISTS.to_vec(), 1..=2)],
                // Often none of the case's own history, so that the merits are often a grant.
                any::<bool>(),
                prop::option::of(select(PARTIES.to_vec())),
                prop::option::weighted(
                    0.8,
                    prop_oneof![3 => edge(), 1 => 0..=3 * DAY, 1 => -HOUR..0],
                ),
                entries,
                (
                    select(vec![Aim::Nothing, Aim::Evidence, Aim::Claim, Aim::Age]),
                    select(vec![-1i64, 0, 1]),
                ),
                (
                    0u32..=2,
                    prop::bool::weighted(0.1),
                    prop::bool::weighted(0.1),
                ),
            )
        })
        .prop_map(
            |(
                file,
                mut case,
                since,
                lists,
                keep_history,
                fault,
                evidence_after,
                entries,
                (aim, side),
                (warnings, gift, details),
            )| {
                let now = moment(&case["now"]);
                let ago = |seconds: i64| {
                    Moment {
                        nanos: now.nanos - i128::from(seconds) * NANOS,
                        offset_seconds: now.offset_seconds,
                    }
                    .rfc3339()
                };
                if let Some(age) = since {
                    case["customer"]["since"] = json!(ago(age));
                }
                if !lists.is_empty() {
                    case["customer"]["lists"] = json!(lists);
                }
                if let Some(fault) = fault {
                    case["complaint"]["fault"] = json!(fault);
                }
                if let Some(after) = evidence_after {
                    // After the claim's start: delivery, or placement without one.
                    let start = case["order"]
                        .get("delivered_at")
                        .unwrap_or(&case["order"]["placed_at"])
                        .clone();
                    let start = moment(&start);
                    let at = Moment {
                        nanos: (start.nanos + i128::from(after) * NANOS).min(now.nanos),
                        offset_seconds: start.offset_seconds,
                    };
                    case["complaint"]["evidence_at"] = json!(at.rfc3339());
                }
                aim.at(&file, &mut case, side);
                // The conversation so far: warnings given, a gift offered, details asked.
                if case.get("conduct").is_none() {
                    case["conduct"] = json!({});
                }
                case["conduct"]["warnings_given"] = json!(warnings);
                case["conduct"]["offers_gift"] = json!(gift);
                case["conduct"]["asks_personal_info"] = json!(details);
                let currency = file["currency"].clone();
                let history = case["history"].as_array_mut().unwrap();
                if !keep_history {
                    history.clear();
                }
                for entry in history.iter_mut() {
                    entry["currency"] = currency.clone();
                }
                let step: rust_decimal::Decimal = file["step"].as_str().unwrap().parse().unwrap();
                for (index, (age, steps, severity)) in entries.into_iter().enumerate() {
                    history.push(json!({
                        "order_id": format!("E{index}"),
                        "granted_at": ago(age),
                        "amount": (step * rust_decimal::Decimal::from(steps)).to_string(),
                        "currency": currency,
                        "severity": severity,
                    }));
                }
                (file, case)
            },
        )
        .boxed()
}

/// An edge of the case's own category or of the policy a case is put exactly on (or a second
/// either side of): the category's evidence deadline, its claim window, the young-account age.
#[derive(Debug, Clone, Copy)]
enum Aim {
    Nothing,
    Evidence,
    Claim,
    Age,
}

impl Aim {
    fn at(self, file: &Value, case: &mut Value, side: i64) {
        let seconds = |text: &Value| {
            text.as_str()?
                .parse::<Window>()
                .ok()
                .map(|w| w.as_seconds())
        };
        let rules = &file["categories"][case["complaint"]["category"].as_str().unwrap_or("")];
        let start_pointer = if case["order"].get("delivered_at").is_some() {
            "/order/delivered_at"
        } else {
            "/order/placed_at"
        };
        let start = moment(case.pointer(start_pointer).unwrap());
        let now = moment(&case["now"]);
        let shifted = |from: Moment, seconds: i64| Moment {
            nanos: from.nanos + i128::from(seconds) * NANOS,
            offset_seconds: from.offset_seconds,
        };
        match self {
            Aim::Nothing => {}
            Aim::Evidence => {
                if let Some(within) = seconds(&rules["evidence_within"]) {
                    let at = shifted(start, within + side);
                    if at.nanos <= now.nanos {
                        case["complaint"]["evidence_at"] = json!(at.rfc3339());
                    }
                }
            }
            Aim::Claim => {
                let claim =
                    seconds(&rules["claim_window"]).or_else(|| seconds(&file["claim_window"]));
                if let Some(claim) = claim {
                    // The claim's start moved so that the report is on the edge.
                    let reported = moment(&case["complaint"]["reported_at"]);
                    let start = shifted(reported, -(claim + side));
                    let placed = shifted(start, -3_600);
                    case["order"]["placed_at"] = json!(placed.rfc3339());
                    if start_pointer == "/order/delivered_at" {
                        case["order"]["delivered_at"] = json!(start.rfc3339());
                    }
                }
            }
            Aim::Age => {
                if let Some(young) = seconds(&file["young_accounts"]["younger_than"]) {
                    case["customer"]["since"] = json!(shifted(now, -(young + side)).rfc3339());
                }
            }
        }
    }
}

/// A time of a case as a [`Moment`].
fn moment(text: &Value) -> Moment {
    let at = chrono::DateTime::parse_from_rfc3339(text.as_str().unwrap()).unwrap();
    Moment {
        nanos: i128::from(at.timestamp()) * NANOS + i128::from(at.timestamp_subsec_nanos()),
        offset_seconds: at.offset().local_minus_utc(),
    }
}
