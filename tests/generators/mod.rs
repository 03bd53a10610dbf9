//! Generators (proptest strategies) for the property tests: cases in the JSON wire form, from
//! ordinary to hostile, and policy files that vary the default policy within valid ranges.
//!
//! A case is built as JSON and read with `Case::from_json`, as any caller's would be. Cases from
//! [`case`] are *decidable* on the default policy and on every policy from [`policy`]: every time
//! in order and not after `now`, every amount positive, at least a step where it must be, in
//! IDR, a known tier and category. Inside those rules they go for the edges: empty, long and
//! huge histories, vouchers granted at the same instant, ages a second (or a nanosecond) either
//! side of every window, every UTC offset, decimals with 28 places and amounts at the limits of
//! `rust_decimal`, unicode and control characters in every name and id. [`hostile_case`] breaks
//! the rules too.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, TimeDelta};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use voucher_policy::{Alternative, Code, Reason, ReasonKind};

/// Proptest's case count (`PROPTEST_CASES`, 256 unless set) divided by `share`, at least 16:
/// for the properties whose every case is large or starts a process.
pub fn cases_divided_by(share: u32) -> u32 {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse::<u32>().ok())
        .unwrap_or(256);
    (cases / share).max(16)
}

/// The default policy's tiers, lowest first.
pub const TIERS: [&str; 5] = ["new", "regular", "silver", "gold", "platinum"];

/// The default policy's categories and the severity each defaults to.
pub const CATEGORIES: [(&str, &str); 10] = [
    ("food_not_hot", "minor"),
    ("slow_website", "minor"),
    ("packaging", "minor"),
    ("late_delivery", "moderate"),
    ("missing_item", "moderate"),
    ("rude_courier", "moderate"),
    ("wrong_item", "major"),
    ("damaged_item", "major"),
    ("order_not_received", "major"),
    ("food_safety", "critical"),
];

pub const SEVERITIES: [&str; 4] = ["minor", "moderate", "major", "critical"];

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// The largest `rust_decimal` value, as text.
pub const DECIMAL_MAX: &str = "79228162514264337593543950335";

/// Lengths of time on the default policy's edges: each window (48 h, 7 days, 30 days) and a
/// second either side of it, and the first seconds.
pub const EDGES: [i64; 17] = [
    0,
    1,
    MINUTE,
    HOUR,
    DAY - 1,
    DAY,
    2 * DAY - 1,
    2 * DAY,
    2 * DAY + 1,
    7 * DAY - 1,
    7 * DAY,
    7 * DAY + 1,
    30 * DAY - 1,
    30 * DAY,
    30 * DAY + 1,
    14 * DAY,
    60 * DAY,
];

/// A moment as nanoseconds since the Unix epoch, written in a UTC offset.
#[derive(Debug, Clone, Copy)]
struct Moment {
    nanos: i128,
    offset_seconds: i32,
}

impl Moment {
    fn rfc3339(self) -> String {
        let seconds = i64::try_from(self.nanos.div_euclid(1_000_000_000)).unwrap();
        let nanos = u32::try_from(self.nanos.rem_euclid(1_000_000_000)).unwrap();
        let offset = FixedOffset::east_opt(self.offset_seconds).unwrap();
        DateTime::from_timestamp(seconds, nanos)
            .unwrap()
            .with_timezone(&offset)
            .to_rfc3339()
    }
}

const NANOS: i128 = 1_000_000_000;

/// `now`, in seconds since the epoch: mostly around 2026, sometimes anywhere from the year 5 to
/// the year 9987 (far enough inside RFC 3339's four-digit years for every history entry and
/// every offset).
pub fn now_seconds() -> BoxedStrategy<i64> {
    // 2026-11-24T03:00:00Z, the moment of the README's examples.
    let readme_now = 1_795_489_200;
    prop_oneof![
        2 => Just(readme_now),
        6 => 1_700_000_000i64..1_900_000_000,
        1 => -62_000_000_000i64..253_000_000_000,
    ]
    .boxed()
}

/// A sub-second part: mostly none, sometimes the last nanosecond, sometimes any.
fn sub_second() -> BoxedStrategy<i128> {
    prop_oneof![
        8 => Just(0i128),
        1 => Just(NANOS - 1),
        1 => 0..NANOS,
    ]
    .boxed()
}

/// A UTC offset in seconds: mostly WIB, often another real one, often any whole minute that
/// RFC 3339 can write (from -23:59 to +23:59).
pub fn offset_seconds() -> BoxedStrategy<i32> {
    prop_oneof![
        3 => Just(7 * 3_600),
        2 => select(vec![
            0,
            8 * 3_600,
            9 * 3_600,
            -5 * 3_600,
            5 * 3_600 + 45 * 60,
            -(9 * 3_600 + 30 * 60),
            14 * 3_600,
            -12 * 3_600,
            23 * 3_600 + 59 * 60,
            -(23 * 3_600 + 59 * 60),
        ]),
        2 => (-1_439i32..=1_439).prop_map(|minutes| minutes * 60),
    ]
    .boxed()
}

/// How long before a moment something happened, in seconds: often on an edge of a window,
/// otherwise anywhere in the last 40 days, sometimes far back.
pub fn age_seconds() -> BoxedStrategy<i64> {
    prop_oneof![
        4 => select(EDGES.to_vec()),
        4 => 0..=40 * DAY,
        1 => 0..=800 * DAY,
    ]
    .boxed()
}

/// An age in nanoseconds: an age in seconds, sometimes a nanosecond either side of it.
fn age_nanos() -> BoxedStrategy<i128> {
    (
        age_seconds(),
        prop_oneof![6 => Just(0i128), 1 => Just(-1i128), 1 => Just(1i128), 1 => 0..NANOS],
    )
        .prop_map(|(seconds, jitter)| (i128::from(seconds) * NANOS + jitter).max(0))
        .boxed()
}

/// Text a customer or a system might put in a name or an id: ordinary, empty, unicode in every
/// script, control characters, bidi overrides, placeholder-looking text, banned words, and
/// anything at all.
pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "Budi Santoso".to_owned(),
            "Sari".to_owned(),
            String::new(),
            " ".to_owned(),
            "Đặng Thị Hồng".to_owned(),
            "山田太郎".to_owned(),
            "Дмитрий".to_owned(),
            "محمد".to_owned(),
            "🙂🎉👨‍👩‍👧".to_owned(),
            "a\u{0}b".to_owned(),
            "\u{202e}olleh".to_owned(),
            "line\nbreak\ttab\r".to_owned(),
            "{name}".to_owned(),
            "{{amount}} %s %d".to_owned(),
            "<script>alert(1)</script>".to_owned(),
            "\"quoted\" \\ back".to_owned(),
            "Rp50.000".to_owned(),
            "\u{feff}\u{200b}".to_owned(),
            "\u{7f}\u{1b}[31m".to_owned(),
            "x".repeat(1_000),
        ]),
        2 => any::<String>(),
        2 => "[A-Za-z0-9 ._-]{0,24}",
    ]
    .boxed()
}

/// An order id: a few that history entries reuse (so an order is sometimes compensated
/// already), or any text.
pub fn order_id() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "3449".to_owned(),
            "3401".to_owned(),
            "3449 ".to_owned(),
            "03449".to_owned(),
            String::new(),
            "ø".to_owned(),
        ]),
        1 => text(),
    ]
    .boxed()
}

/// Order totals whose voucher lands on an edge of the default policy: for every severity rate
/// and tier multiplier, the total that computes to the minimum voucher, the agent's authority,
/// the maximum voucher or one step, and a hair either side of it.
fn edge_totals() -> Vec<String> {
    let rates = ["0.10", "0.25", "0.50", "1.00"];
    let multipliers = ["1.00", "1.10", "1.25", "1.50"];
    let targets = [1_000i64, 5_000, 100_000, 150_000, 50_000, 250_000];
    let hair = Decimal::new(1, 20);
    let mut totals = Vec::new();
    for rate in rates {
        for multiplier in multipliers {
            let factor: Decimal =
                rate.parse::<Decimal>().unwrap() * multiplier.parse::<Decimal>().unwrap();
            for target in targets {
                let exact = Decimal::from(target) / factor;
                for total in [
                    exact,
                    exact.floor(),
                    exact.ceil(),
                    exact - hair,
                    exact + hair,
                ] {
                    if total >= Decimal::from(1_000) {
                        totals.push(total.normalize().to_string());
                    }
                }
            }
        }
    }
    totals
}

/// A decimal at least `least`, with up to 28 places: many digits after the point.
fn long_decimal(least: i64) -> BoxedStrategy<String> {
    (least..least.saturating_mul(1_000), 0u32..=28, any::<u128>())
        .prop_map(move |(whole, places, digits)| {
            if places == 0 {
                return whole.to_string();
            }
            let fraction = digits % 10u128.pow(places);
            format!("{whole}.{fraction:0width$}", width = places as usize)
        })
        .boxed()
}

/// An order total on the default policy: ordinary prices, totals on the policy's edges, long
/// decimals, and the limits of `rust_decimal`.
pub fn order_total() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (2u64..=2_000).prop_map(|halves| (halves * 500).to_string()),
        1 => (1_000u64..=5_000_000).prop_map(|total| total.to_string()),
        3 => select(edge_totals()),
        1 => long_decimal(1_000),
        1 => select(vec![
            "1000".to_owned(),
            "1000.0000000000000000000000001".to_owned(),
            "1999.9999999999999999999999999".to_owned(),
            "4999.99".to_owned(),
            DECIMAL_MAX.to_owned(),
            "7922816251426433759354395033.5".to_owned(),
            "1000000000000000000000".to_owned(),
        ]),
    ]
    .boxed()
}

/// An amount the customer asks for: around what the policy gives, on its edges, or extreme.
pub fn requested_amount() -> BoxedStrategy<Option<String>> {
    prop_oneof![
        3 => Just(None),
        2 => (1u64..=200).prop_map(|k| Some((k * 1_000).to_string())),
        2 => select(vec![
            "1000", "4999", "5000", "5000.5", "5001", "33000", "99999", "100000", "100000.000000001",
            "100001", "149999", "150000", "150001",
        ])
        .prop_map(|amount| Some(amount.to_owned())),
        1 => long_decimal(1_000).prop_map(Some),
        1 => Just(Some(DECIMAL_MAX.to_owned())),
    ].boxed()
}

/// The value of a past voucher: ordinary, on the tiers' value edges, tiny, long or huge.
pub fn past_amount() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (1u64..=150).prop_map(|k| (k * 1_000).to_string()),
        2 => select(vec![
            "5000", "45000", "45001", "44999.5", "95000", "95001", "145000", "245000", "395000",
            "395000.0000000000000000000001", "0.0000000000000000000000000001", "0.5", "1",
        ])
        .prop_map(str::to_owned),
        1 => long_decimal(1),
        1 => select(vec![DECIMAL_MAX, "39614081257132168796771975168", "1000000000"])
            .prop_map(str::to_owned),
    ]
    .boxed()
}

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
    prop_oneof![8 => Just(customer_id), 1 => text()].boxed()
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
        1 => (text(), select(SEVERITIES.to_vec())).prop_map(|(name, severity)| (name, Some(severity))),
    ].boxed()
}

/// A decidable case: see the module's documentation.
pub fn case() -> BoxedStrategy<Value> {
    case_with(select(TIERS.to_vec())).boxed()
}

/// A decidable case whose customer is of a tier from `tier`.
pub fn case_with(tier: impl Strategy<Value = &'static str> + 'static) -> BoxedStrategy<Value> {
    let who = (text(), text(), tier, order_id()).prop_flat_map(|(id, name, tier, order)| {
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
                let mut case = json!({
                    "now": Moment { nanos: now, offset_seconds: now_offset }.rfc3339(),
                    "locale": locale,
                    "customer": {"id": id, "name": name, "loyalty": tier},
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
            1 => select(vec!["0", "1", "0.3333333333333333333333333333"]).prop_map(str::to_owned),
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

/// A decidable case with a huge history: 2,000 to 20,000 entries over the last 60 days, many
/// on the windows' edges, a few for the order itself, amounts from whole to 10^-28. Built from
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
                "0.0000000000000000000000000001",
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
/// (10^-28) below or above it, in one to three vouchers plus the hair, some of them granted
/// exactly as the window ends.
pub fn value_edge_case() -> BoxedStrategy<Value> {
    let left = select(vec![
        0i64, 1, 999, 4_999, 5_000, 5_001, 5_999, 6_000, 10_000, 25_000, 33_000, 99_999, 100_000,
        100_001, 150_000,
    ]);
    // -1: a hair less is left (one more voucher of 10^-28); 1: a hair more (one unit of a
    // voucher given as 0.99...9 instead).
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
                hairs.push("0.0000000000000000000000000001");
            }
            if let (true, Some(last)) = (hair > 0, amounts.last_mut()) {
                if *last >= Decimal::ONE {
                    *last -= Decimal::ONE;
                    hairs.push("0.9999999999999999999999999999");
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
