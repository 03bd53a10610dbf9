//! Decidable cases: who complains about which order, when, how they behave, and the vouchers
//! they had before.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use super::amounts::{order_total, past_amount, requested_amount};
use super::text::{carried_text, order_id};
use super::time::{
    DAY, MINUTE, Moment, NANOS, age_nanos, age_seconds, now_seconds, offset_seconds, sub_second,
};
use super::{CATEGORIES, SEVERITIES, TIERS};

/// One entry of the voucher history, `age` before `now`.
fn past_entry(now: i128, current_order: String) -> BoxedStrategy<Value> {
    (
        prop_oneof![1 => Just(current_order), 6 => order_id()],
        age_nanos(),
        offset_seconds(),
        past_amount(),
        prop::option::of(select(SEVERITIES.to_vec())),
    )
        .prop_map(move |(order_id, age, offset, amount, severity)| {
            let mut entry = json!({
                "order_id": order_id,
                "granted_at": Moment { nanos: now - age, offset_seconds: offset }.rfc3339(),
                "amount": amount,
                "currency": "IDR",
            });
            if let Some(severity) = severity {
                entry["severity"] = json!(severity);
            }
            entry
        })
        .boxed()
}

/// A voucher history: empty, short, long, a burst of vouchers granted at one instant, or
/// (rarely) a few hundred entries; [`huge_history`] goes further.
fn history(now: i128, current_order: String) -> BoxedStrategy<Vec<Value>> {
    let entry = || past_entry(now, current_order.clone());
    let burst = (
        1usize..=8,
        age_nanos(),
        past_amount(),
        prop::option::of(select(SEVERITIES.to_vec())),
        offset_seconds(),
    )
        .prop_map(move |(count, age, amount, severity, offset)| {
            (0..count)
                .map(|index| {
                    json!({
                        "order_id": format!("B{index}"),
                        "granted_at": Moment { nanos: now - age, offset_seconds: offset }.rfc3339(),
                        "amount": amount,
                        "currency": "IDR",
                        "severity": severity,
                    })
                })
                .collect()
        });
    prop_oneof![
        2 => Just(Vec::new()),
        5 => vec(entry(), 1..=6),
        2 => vec(entry(), 7..=40),
        1 => burst,
        1 => vec(entry(), 100..=300),
    ]
    .boxed()
}

/// Whose order it is: mostly the customer's own.
fn order_owner(customer_id: String) -> BoxedStrategy<String> {
    prop_oneof![8 => Just(customer_id), 1 => carried_text()].boxed()
}

/// The times of an order and its complaint, as ages before `now` in nanoseconds:
/// `(placed, delivered, reported)`, all in order and none after `now`. The claim is often
/// exactly on the 48-hour edge.
fn order_times() -> BoxedStrategy<(i128, Option<i128>, i128)> {
    let elapsed = prop_oneof![
        3 => select(vec![0, 1, 2 * DAY - 1, 2 * DAY, 2 * DAY + 1, 30 * MINUTE, DAY]),
        3 => 0..=5 * DAY,
        1 => -3 * DAY..0,
    ];
    (
        age_seconds(),
        elapsed,
        prop_oneof![2 => Just(0i64), 2 => 0..=2 * DAY],
        any::<bool>(),
        sub_second(),
    )
        .prop_map(|(reported, elapsed, before_delivery, delivered, jitter)| {
            let reported = i128::from(reported) * NANOS;
            let elapsed = i128::from(elapsed) * NANOS + jitter;
            if delivered {
                // Delivered `elapsed` before the report (after it, when negative), never after now.
                let delivered = (reported + elapsed).max(0);
                let placed = delivered.max(reported) + i128::from(before_delivery) * NANOS;
                (placed, Some(delivered), reported)
            } else {
                (reported + elapsed.max(0), None, reported)
            }
        })
        .boxed()
}

/// How the customer behaves: mostly well, sometimes anything.
fn conduct() -> BoxedStrategy<Option<Value>> {
    let any_conduct = (
        any::<bool>(),
        select(vec![Value::Null, json!("legal"), json!("physical")]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(abusive, threat, supervisor, advances)| {
            json!({
                "abusive_language": abusive,
                "threat": threat,
                "insists_on_supervisor": supervisor,
                "personal_advances": advances,
            })
        });
    prop_oneof![3 => Just(None), 1 => Just(Some(json!({}))), 3 => any_conduct.prop_map(Some)]
        .boxed()
}

/// The complaint's category and explicit severity: a category of the policy, with or without
/// an explicit severity, or a category the policy does not know with a severity.
fn category_and_severity() -> BoxedStrategy<(String, Option<&'static str>)> {
    let known = select(CATEGORIES.iter().map(|(name, _)| *name).collect::<Vec<_>>());
    prop_oneof![
        6 => (known.clone(), Just(None)).prop_map(|(name, severity)| (name.to_owned(), severity)),
        2 => (known, select(SEVERITIES.to_vec())).prop_map(|(name, severity)| (name.to_owned(), Some(severity))),
        1 => (carried_text(), select(SEVERITIES.to_vec())).prop_map(|(name, severity)| (name, Some(severity))),
    ].boxed()
}

/// A decidable case: see the module's documentation.
pub fn case() -> BoxedStrategy<Value> {
    case_with(select(TIERS.to_vec())).boxed()
}

/// A decidable case whose customer is of a tier from `tier`.
pub fn case_with(tier: impl Strategy<Value = &'static str> + 'static) -> BoxedStrategy<Value> {
    let who = (
        carried_text(),
        prop::option::weighted(0.9, carried_text()),
        tier,
        order_id(),
    )
        .prop_flat_map(|(id, name, tier, order)| {
            (
                Just(id.clone()),
                Just(name),
                Just(tier),
                Just(order),
                order_owner(id),
            )
        });
    let when = (now_seconds(), sub_second(), offset_seconds())
        .prop_map(|(seconds, nanos, offset)| (i128::from(seconds) * NANOS + nanos, offset));
    (who, when)
        .prop_flat_map(|((id, name, tier, order, owner), (now, now_offset))| {
            (
                Just((id, name, tier, order.clone(), owner, now, now_offset)),
                (
                    order_total(),
                    order_times(),
                    [offset_seconds(), offset_seconds(), offset_seconds()],
                ),
                (
                    category_and_severity(),
                    prop::option::of(any::<bool>()),
                    select(vec!["none", "photo", "verified"]),
                    conduct(),
                    requested_amount(),
                    (
                        select(vec!["id", "en"]),
                        prop::option::of(select(vec!["familiar", "formal"])),
                    ),
                ),
                history(now, order),
            )
        })
        .prop_map(
            |(
                (id, name, tier, order, owner, now, now_offset),
                (
                    total,
                    (placed, delivered, reported),
                    [placed_offset, delivered_offset, reported_offset],
                ),
                ((category, severity), at_fault, evidence, conduct, requested, (locale, address)),
                history,
            )| {
                let at = |age: i128, offset_seconds| {
                    Moment {
                        nanos: now - age,
                        offset_seconds,
                    }
                    .rfc3339()
                };
                let mut order_json = json!({
                    "id": order,
                    "customer_id": owner,
                    "total": total,
                    "currency": "IDR",
                    "placed_at": at(placed, placed_offset),
                });
                if let Some(delivered) = delivered {
                    order_json["delivered_at"] = json!(at(delivered, delivered_offset));
                }
                let mut complaint = json!({
                    "category": category,
                    "reported_at": at(reported, reported_offset),
                    "evidence": evidence,
                });
                if let Some(severity) = severity {
                    complaint["severity"] = json!(severity);
                }
                if let Some(at_fault) = at_fault {
                    complaint["company_at_fault"] = json!(at_fault);
                }
                let mut customer = json!({"id": id, "loyalty": tier});
                if let Some(name) = name {
                    customer["name"] = json!(name);
                }
                let mut case = json!({
                    "now": Moment { nanos: now, offset_seconds: now_offset }.rfc3339(),
                    "locale": locale,
                    "customer": customer,
                    "order": order_json,
                    "complaint": complaint,
                    "history": history,
                });
                if let Some(conduct) = conduct {
                    case["conduct"] = conduct;
                }
                if let Some(requested) = requested {
                    case["requested_amount"] = json!(requested);
                }
                if let Some(address) = address {
                    case["address"] = json!(address);
                }
                case
            },
        )
        .boxed()
}
