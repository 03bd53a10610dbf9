//! Decidable cases built around their history: a huge one, or one that leaves exactly an edge
//! amount in the value window.

use chrono::{DateTime, TimeDelta};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::SEVERITIES;
use super::requests::case;
use super::time::{DAY, EDGES};

/// A decidable case with a huge history: 2,000 to 20,000 entries over the last 60 days, many
/// on the windows' edges, a few for the order itself, amounts from whole to one sen. Built from
/// a seed, so that generating them stays cheap.
pub fn huge_history_case() -> BoxedStrategy<Value> {
    (case(), 2_000usize..=20_000, any::<u64>())
        .prop_map(|(mut case, count, seed)| {
            let now = DateTime::parse_from_rfc3339(case["now"].as_str().unwrap()).unwrap();
            let order = case["order"]["id"].clone();
            let mut state = seed;
            let mut next = move |below: usize| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                usize::try_from(state >> 33).unwrap() % below
            };
            let amounts = [
                "1000",
                "5000",
                "10000",
                "0.5",
                "45000.25",
                "0.01",
            ];
            let entries: Vec<Value> = (0..count)
                .map(|index| {
                    let age = match next(4) {
                        0 => EDGES[next(EDGES.len())],
                        _ => i64::try_from(next(60 * 86_400)).unwrap(),
                    };
                    json!({
                        "order_id": if next(1_000) == 0 { order.clone() } else { json!(format!("H{index}")) },
                        "granted_at": (now - TimeDelta::seconds(age)).to_rfc3339(),
                        "amount": amounts[next(amounts.len())],
                        "currency": "IDR",
                        "severity": SEVERITIES.get(next(5)),
                    })
                })
                .collect();
            case["history"] = json!(entries);
            case
        })
        .boxed()
}

/// A decidable case on the default policy whose history leaves, in the value window, exactly
/// an amount on an edge (nothing, the minimum voucher, the agent's authority, ...), or a hair
/// (one sen) below or above it, in one to three vouchers plus the hair, some of them granted
/// exactly as the window ends.
pub fn value_edge_case() -> BoxedStrategy<Value> {
    let left = select(vec![
        0i64, 1, 999, 4_999, 5_000, 5_001, 5_999, 6_000, 10_000, 25_000, 33_000, 99_999, 100_000,
        100_001, 150_000,
    ]);
    // -1: a hair less is left (one more voucher of a sen); 1: a hair more (one rupiah of a
    // voucher given as 0.99 instead).
    let hair = select(vec![0i8, -1, 1]);
    let age = select(vec![
        DAY,
        7 * DAY - 1,
        7 * DAY,
        8 * DAY,
        20 * DAY,
        30 * DAY - 1,
        30 * DAY,
    ]);
    (case(), left, hair, vec(age, 1..=3))
        .prop_map(|(mut case, left, hair, ages)| {
            let tier = case["customer"]["loyalty"].as_str().unwrap();
            let limit = voucher_policy::Policy::default()
                .tier(tier)
                .unwrap()
                .value_limit;
            let used = limit - Decimal::from(left);
            let now = DateTime::parse_from_rfc3339(case["now"].as_str().unwrap()).unwrap();
            let granted_at = |age: i64| (now - TimeDelta::seconds(age)).to_rfc3339();
            let share = (used / Decimal::from(ages.len())).trunc();
            let mut amounts: Vec<Decimal> = (0..ages.len())
                .map(|index| {
                    if index + 1 == ages.len() {
                        used - share * Decimal::from(index)
                    } else {
                        share
                    }
                })
                .collect();
            let mut hairs = Vec::new();
            if hair < 0 {
                hairs.push("0.01");
            }
            if let (true, Some(last)) = (hair > 0, amounts.last_mut()) {
                if *last >= Decimal::ONE {
                    *last -= Decimal::ONE;
                    hairs.push("0.99");
                }
            }
            let mut entries: Vec<Value> = amounts
                .iter()
                .zip(&ages)
                .enumerate()
                .filter(|(_, (amount, _))| **amount > Decimal::ZERO)
                .map(|(index, (amount, age))| {
                    json!({
                        "order_id": format!("V{index}"),
                        "granted_at": granted_at(*age),
                        "amount": amount.to_string(),
                        "currency": "IDR",
                    })
                })
                .collect();
            entries.extend(hairs.iter().map(|amount| {
                json!({
                    "order_id": "V-hair",
                    "granted_at": granted_at(ages[0]),
                    "amount": amount,
                    "currency": "IDR",
                })
            }));
            case["history"] = json!(entries);
            case
        })
        .boxed()
}
