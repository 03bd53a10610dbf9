//! Hostile input: junk values, cases broken in one to four ways, and JSON text that is barely
//! a case.

use chrono::{DateTime, TimeDelta};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use super::requests::case;
use super::text::text;
use super::time::DAY;

/// A JSON value that does not belong where it is put: junk strings, numbers that no decimal
/// holds, NaN-like text, wrong types, deep nesting.
pub fn junk_value() -> BoxedStrategy<Value> {
    prop_oneof![
        select(vec![
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(""),
            json!(" "),
            json!("NaN"),
            json!("nan"),
            json!("Infinity"),
            json!("-Infinity"),
            json!("inf"),
            json!("1e400"),
            json!("1e5"),
            json!("0x10"),
            json!("１０００"),
            json!("1_000"),
            json!("1,000"),
            json!("-0"),
            json!("0"),
            json!("-1000"),
            json!("0.0000000000000000000000000001"),
            json!("79228162514264337593543950336"),
            json!("-79228162514264337593543950335"),
            json!("1".repeat(40)),
            json!("2026-11-24T10:00:00"),
            json!("2026-11-24T10:00:00+24:00"),
            json!("2026-02-30T10:00:00+07:00"),
            json!("9999-12-31T23:59:59-23:59"),
            json!("0000-01-01T00:00:00+23:59"),
            json!("2026-11-24T10:00:60+07:00"),
            json!("USD"),
            json!("idr"),
            json!("XXX"),
            json!([]),
            json!({}),
            json!([[[[[[[[[[]]]]]]]]]]),
            json!({"nested": {"deeper": [1, 2, {"x": null}]}}),
        ]),
        any::<String>().prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
    ]
    .boxed()
}

/// Every path (JSON pointer) to a value inside `value`, containers included.
pub fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    walk(inner, format!("{at}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (index, inner) in items.iter().enumerate() {
                    walk(inner, format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// One way to break a case.
#[derive(Debug, Clone)]
pub enum Breakage {
    /// Put a junk value somewhere.
    Replace(prop::sample::Index, Value),
    /// Take something out.
    Remove(prop::sample::Index),
    /// Add a field nobody knows.
    Unknown(prop::sample::Index, String),
    /// Move one of the case's times into the future or before the order.
    Time(&'static str, i64),
    /// Use an amount or a currency the policy cannot take.
    Set(&'static str, Value),
}

impl Breakage {
    fn apply(&self, case: &mut Value) {
        match self {
            Breakage::Replace(index, junk) => {
                let all = pointers(case);
                let at = index.get(&all);
                if let Some(slot) = case.pointer_mut(at) {
                    *slot = junk.clone();
                }
            }
            Breakage::Remove(index) => {
                let all = pointers(case);
                let at = index.get(&all).clone();
                if let Some((parent, key)) = at.rsplit_once('/') {
                    match case.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(key);
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(index) = key.parse::<usize>() {
                                if index < items.len() {
                                    items.remove(index);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Breakage::Unknown(index, name) => {
                let objects: Vec<String> = pointers(case)
                    .into_iter()
                    .filter(|at| case.pointer(at).is_some_and(Value::is_object))
                    .collect();
                if objects.is_empty() {
                    return;
                }
                let at = index.get(&objects).clone();
                if let Some(Value::Object(map)) = case.pointer_mut(&at) {
                    map.insert(name.clone(), json!(1));
                }
            }
            Breakage::Time(pointer, shift) => {
                let moved = case
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
                    .and_then(|at| at.checked_add_signed(TimeDelta::seconds(*shift)));
                if let (Some(moved), Some(slot)) = (moved, case.pointer_mut(pointer)) {
                    *slot = json!(moved.to_rfc3339());
                }
            }
            Breakage::Set(pointer, value) => {
                if let Some(slot) = case.pointer_mut(pointer) {
                    *slot = value.clone();
                } else if let Some((parent, key)) = pointer.rsplit_once('/') {
                    if let Some(Value::Object(map)) = case.pointer_mut(parent) {
                        map.insert(key.to_owned(), value.clone());
                    }
                }
            }
        }
    }
}

fn breakage() -> BoxedStrategy<Breakage> {
    let times = vec![
        "/now",
        "/order/placed_at",
        "/order/delivered_at",
        "/complaint/reported_at",
        "/history/0/granted_at",
        "/history/1/granted_at",
    ];
    let fields = vec![
        "/order/total",
        "/order/currency",
        "/requested_amount",
        "/history/0/amount",
        "/history/0/currency",
        "/customer/loyalty",
        "/complaint/category",
        "/complaint/severity",
        "/complaint/evidence",
        "/conduct/threat",
        "/locale",
        "/address",
    ];
    prop_oneof![
        3 => (any::<prop::sample::Index>(), junk_value()).prop_map(|(at, junk)| Breakage::Replace(at, junk)),
        1 => any::<prop::sample::Index>().prop_map(Breakage::Remove),
        1 => (any::<prop::sample::Index>(), text()).prop_map(|(at, name)| Breakage::Unknown(at, name)),
        2 => (select(times), prop_oneof![Just(1i64), Just(-1), Just(DAY), -400 * DAY..400 * DAY])
            .prop_map(|(pointer, shift)| Breakage::Time(pointer, shift)),
        3 => (select(fields), junk_value()).prop_map(|(pointer, value)| Breakage::Set(pointer, value)),
    ].boxed()
}

/// A case broken in one to four ways: any of it may be junk, missing, unknown, out of order,
/// in another currency, negative, or beyond any decimal.
pub fn hostile_case() -> BoxedStrategy<Value> {
    (case(), vec(breakage(), 1..=4))
        .prop_map(|(mut case, breakages)| {
            for breakage in &breakages {
                breakage.apply(&mut case);
            }
            case
        })
        .boxed()
}

/// JSON text that is not a case at all, or only nearly one: a case cut short, with bytes
/// flipped, with a key given twice, or random text.
pub fn hostile_text() -> BoxedStrategy<String> {
    let cut = (case(), any::<prop::sample::Index>()).prop_map(|(case, at)| {
        let text = case.to_string();
        let mut end = at.index(text.len() + 1);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_owned()
    });
    let flipped = (
        case(),
        vec((any::<prop::sample::Index>(), any::<char>()), 1..=8),
    )
        .prop_map(|(case, flips)| {
            let mut chars: Vec<char> = case.to_string().chars().collect();
            for (at, replacement) in flips {
                let index = at.index(chars.len());
                chars[index] = replacement;
            }
            chars.into_iter().collect()
        });
    let duplicated = (
        case(),
        select(vec!["now", "customer", "order", "history", "locale"]),
    )
        .prop_map(|(case, key)| {
            let text = case.to_string();
            let value = case[key].to_string();
            format!("{{\"{key}\":{value},{}", &text[1..])
        });
    prop_oneof![
        3 => cut,
        3 => flipped,
        1 => duplicated,
        1 => any::<String>(),
        1 => (1usize..=200_000).prop_map(|depth| "[".repeat(depth)),
        1 => (1usize..=200_000).prop_map(|depth| format!("{}{}", "{\"now\":".repeat(depth), "}".repeat(depth))),
    ].boxed()
}
