//! The same instants written in different UTC offsets give the same decision, byte for byte:
//! windows compare instants, and the voucher's expiry is written in the policy's +07:00.

use serde_json::{Value, json};

use crate::common::{base, days_ago, in_offset, past, secs_ago, set, try_decide, with};

/// Offsets in seconds east of UTC; `0` is also written as `Z`.
const OFFSETS: [i32; 6] = [
    0,
    -5 * 3_600,
    5 * 3_600 + 45 * 60,
    14 * 3_600,
    -12 * 3_600,
    9 * 3_600,
];

/// Rewrites every instant of a case in `offset` (written `Z` when `zulu` and the offset is 0).
fn rewritten(case: &Value, offset: i32, zulu: bool) -> Value {
    let mut case = case.clone();
    let mut pointers = vec![
        "/now".to_owned(),
        "/order/placed_at".to_owned(),
        "/order/delivered_at".to_owned(),
        "/complaint/reported_at".to_owned(),
    ];
    let entries = case["history"].as_array().map_or(0, Vec::len);
    pointers.extend((0..entries).map(|i| format!("/history/{i}/granted_at")));
    for pointer in pointers {
        let Some(at) = case.pointer(&pointer).and_then(Value::as_str) else {
            continue;
        };
        let mut moved = in_offset(at, offset);
        if zulu {
            moved = moved.replace("+00:00", "Z");
        }
        set(&mut case, &pointer, json!(moved));
    }
    case
}

fn decision_text(case: &Value) -> String {
    serde_json::to_string(&try_decide(case).unwrap()).unwrap()
}

/// Decides the case as written and in every other offset; all must be the same bytes.
fn assert_same_in_every_offset(case: &Value) -> Value {
    let expected = decision_text(case);
    for offset in OFFSETS {
        let moved = rewritten(case, offset, false);
        assert_ne!(&moved, case, "the case was not rewritten");
        assert_eq!(decision_text(&moved), expected, "offset {offset}s: {moved}");
    }
    let zulu = rewritten(case, 0, true);
    assert!(zulu["now"].as_str().unwrap().ends_with('Z'));
    assert_eq!(decision_text(&zulu), expected, "Z: {zulu}");
    serde_json::from_str(&expected).unwrap()
}

#[test]
fn a_grant_is_the_same_in_every_offset() {
    let case = with(&[(
        "/history",
        json!([past("3001", &days_ago(3), "10000", Some("moderate"))]),
    )]);
    let decision = assert_same_in_every_offset(&case);
    assert_eq!(decision["outcome"], "granted");
    assert_eq!(
        decision["voucher"]["valid_until"],
        "2026-12-24T10:00:00+07:00"
    );
}

#[test]
fn an_english_grant_is_the_same_in_every_offset() {
    let case = with(&[("/locale", json!("en"))]);
    let decision = assert_same_in_every_offset(&case);
    assert_eq!(decision["script"]["locale"], "en");
}

#[test]
fn an_escalation_with_its_recommended_voucher_is_the_same_in_every_offset() {
    let case = with(&[
        ("/customer/loyalty", json!("platinum")),
        ("/order/total", json!("200000")),
        ("/complaint/category", json!("damaged_item")),
        ("/complaint/evidence", json!("photo")),
    ]);
    let decision = assert_same_in_every_offset(&case);
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(
        decision["recommendation"]["voucher"]["valid_until"],
        "2026-12-24T10:00:00+07:00"
    );
}

#[test]
fn a_refusal_is_the_same_in_every_offset() {
    let case = with(&[
        ("/complaint/category", json!("food_not_hot")),
        (
            "/history",
            json!([
                past("3001", &days_ago(1), "10000", Some("minor")),
                past("3002", &days_ago(12), "10000", Some("minor")),
                past("3003", &days_ago(25), "10000", Some("minor")),
            ]),
        ),
    ]);
    let decision = assert_same_in_every_offset(&case);
    assert_eq!(
        decision["reasons"],
        json!([
            "minor_complaint_recent_voucher",
            "repeated_minor_complaints"
        ])
    );
}

#[test]
fn the_count_window_boundary_holds_in_every_offset() {
    let at_boundary = |age: i64| {
        with(&[
            ("/customer/loyalty", json!("new")),
            (
                "/history",
                json!([past("3001", &secs_ago(age), "10000", Some("moderate"))]),
            ),
        ])
    };
    let outside = assert_same_in_every_offset(&at_boundary(7 * 86_400));
    assert_eq!(outside["outcome"], "granted");
    let inside = assert_same_in_every_offset(&at_boundary(7 * 86_400 - 1));
    assert_eq!(inside["reasons"], json!(["voucher_limit_reached"]));
}

#[test]
fn the_claim_window_boundary_holds_in_every_offset() {
    let delivered = |at: &str| {
        with(&[
            ("/order/placed_at", json!("2026-11-22T07:00:00+07:00")),
            ("/order/delivered_at", json!(at)),
        ])
    };
    let inside = assert_same_in_every_offset(&delivered("2026-11-22T09:30:00+07:00"));
    assert_eq!(inside["outcome"], "granted");
    let expired = assert_same_in_every_offset(&delivered("2026-11-22T09:29:59+07:00"));
    assert_eq!(expired["reasons"], json!(["claim_window_expired"]));
}

#[test]
fn each_instant_in_its_own_offset_gives_the_same_decision() {
    let case = with(&[(
        "/history",
        json!([past("3001", &days_ago(3), "10000", Some("moderate"))]),
    )]);
    let mut mixed = case.clone();
    set(&mut mixed, "/now", json!("2026-11-24T03:00:00Z"));
    set(
        &mut mixed,
        "/order/placed_at",
        json!("2026-11-23T20:10:00-05:00"),
    );
    set(
        &mut mixed,
        "/order/delivered_at",
        json!("2026-11-24T07:40:00+05:45"),
    );
    set(
        &mut mixed,
        "/complaint/reported_at",
        json!("2026-11-24T11:30:00+09:00"),
    );
    set(
        &mut mixed,
        "/history/0/granted_at",
        json!("2026-11-20T19:00:00-08:00"),
    );
    assert_eq!(decision_text(&mixed), decision_text(&case));
}

#[test]
fn the_expiry_is_written_in_the_policy_offset_across_a_date_line() {
    // 2026-11-23T19:00Z is already 2026-11-24 in +07:00
    let mut case = base();
    set(&mut case, "/now", json!("2026-11-23T19:00:00Z"));
    set(&mut case, "/order/placed_at", json!("2026-11-23T17:00:00Z"));
    set(
        &mut case,
        "/order/delivered_at",
        json!("2026-11-23T18:00:00Z"),
    );
    set(
        &mut case,
        "/complaint/reported_at",
        json!("2026-11-23T18:30:00Z"),
    );
    let decision: Value = serde_json::from_str(&decision_text(&case)).unwrap();
    assert_eq!(
        decision["voucher"]["valid_until"],
        "2026-12-24T02:00:00+07:00"
    );
}
