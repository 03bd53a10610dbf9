//! Rolling windows measured back from `now`: an entry exactly W old is outside, one second
//! younger is inside; the claim window is inclusive at exactly 48 h after delivery (or placement).

use serde_json::{Value, json};

use crate::common::{self, NOW, decide, granted, past, refused, secs_ago, summary, with};

const DAY: i64 = 86_400;

fn history(entries: Vec<Value>) -> (&'static str, Value) {
    ("/history", Value::Array(entries))
}

// ---- the 7-day count window ---------------------------------------------------------------

/// A `new` customer (1 voucher per 7 days) with one moderate voucher `age` seconds old.
fn new_customer_with_voucher(age: i64) -> Value {
    with(&[
        ("/customer/loyalty", json!("new")),
        history(vec![past(
            "3001",
            &secs_ago(age),
            "10000",
            Some("moderate"),
        )]),
    ])
}

#[test]
fn an_entry_exactly_seven_days_old_is_outside_the_count_window() {
    let decision = decide(&new_customer_with_voucher(7 * DAY));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["vouchers_in_count_window"], 0);
    assert_eq!(decision["facts"]["count_window"], "7d");
}

#[test]
fn an_entry_one_second_younger_than_seven_days_is_inside_the_count_window() {
    let decision = decide(&new_customer_with_voucher(7 * DAY - 1));
    assert_eq!(
        summary(&decision),
        refused(&["voucher_limit_reached"], &["priority_support"])
    );
    assert_eq!(decision["facts"]["vouchers_in_count_window"], 1);
    assert_eq!(decision["facts"]["count_limit"], 1);
}

#[test]
fn an_entry_granted_at_now_is_inside_the_count_window() {
    let decision = decide(&with(&[
        ("/customer/loyalty", json!("new")),
        history(vec![past("3001", NOW, "10000", Some("moderate"))]),
    ]));
    assert_eq!(decision["reasons"], json!(["voucher_limit_reached"]));
    assert_eq!(decision["facts"]["vouchers_in_count_window"], 1);
}

// ---- the 30-day value window --------------------------------------------------------------

/// A `regular` customer (100,000 per 30 days) with 96,000 granted `age` seconds ago.
fn regular_customer_with_value(age: i64) -> Value {
    with(&[history(vec![past(
        "3001",
        &secs_ago(age),
        "96000",
        Some("major"),
    )])])
}

#[test]
fn an_entry_exactly_thirty_days_old_is_outside_the_value_window() {
    let decision = decide(&regular_customer_with_value(30 * DAY));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["value_used"], "0");
    assert_eq!(decision["facts"]["value_left"], "100000");
    assert_eq!(decision["facts"]["value_window"], "30d");
}

#[test]
fn an_entry_one_second_younger_than_thirty_days_is_inside_the_value_window() {
    let decision = decide(&regular_customer_with_value(30 * DAY - 1));
    assert_eq!(
        summary(&decision),
        refused(&["voucher_value_limit_reached"], &["priority_support"])
    );
    assert_eq!(decision["facts"]["value_used"], "96000");
    assert_eq!(decision["facts"]["value_left"], "4000");
}

// ---- the 7-day minor cool-down ------------------------------------------------------------

/// A minor complaint from a `regular` customer with one moderate voucher `age` seconds old.
fn minor_complaint_after_voucher(age: i64) -> Value {
    with(&[
        ("/complaint/category", json!("food_not_hot")),
        history(vec![past(
            "3001",
            &secs_ago(age),
            "10000",
            Some("moderate"),
        )]),
    ])
}

#[test]
fn a_voucher_exactly_seven_days_old_is_outside_the_minor_cooldown() {
    let decision = decide(&minor_complaint_after_voucher(7 * DAY));
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["vouchers_in_minor_cooldown"], 0);
    assert_eq!(decision["facts"]["minor_cooldown"], "7d");
}

#[test]
fn a_voucher_one_second_younger_than_seven_days_is_inside_the_minor_cooldown() {
    let decision = decide(&minor_complaint_after_voucher(7 * DAY - 1));
    assert_eq!(
        summary(&decision),
        refused(
            &["minor_complaint_recent_voucher"],
            &["priority_support", "feedback_forwarded"]
        )
    );
    assert_eq!(decision["facts"]["vouchers_in_minor_cooldown"], 1);
}

#[test]
fn a_voucher_without_severity_still_counts_in_the_minor_cooldown() {
    let decision = decide(&with(&[
        ("/complaint/category", json!("food_not_hot")),
        history(vec![past("3001", &secs_ago(DAY), "10000", None)]),
    ]));
    assert_eq!(
        decision["reasons"],
        json!(["minor_complaint_recent_voucher"])
    );
}

// ---- the 30-day repeated-minor pattern window ---------------------------------------------

/// A minor complaint with minor vouchers 10 and 20 days old and a third one `age` seconds old.
fn minor_complaint_with_third_minor_voucher(age: i64) -> Value {
    with(&[
        ("/complaint/category", json!("food_not_hot")),
        history(vec![
            past("3001", &secs_ago(10 * DAY), "5000", Some("minor")),
            past("3002", &secs_ago(20 * DAY), "5000", Some("minor")),
            past("3003", &secs_ago(age), "5000", Some("minor")),
        ]),
    ])
}

#[test]
fn a_minor_voucher_exactly_thirty_days_old_is_outside_the_pattern_window() {
    let decision = decide(&minor_complaint_with_third_minor_voucher(30 * DAY));
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["minor_vouchers_in_pattern_window"], 2);
    assert_eq!(decision["facts"]["pattern_window"], "30d");
}

#[test]
fn a_minor_voucher_one_second_younger_than_thirty_days_is_inside_the_pattern_window() {
    let decision = decide(&minor_complaint_with_third_minor_voucher(30 * DAY - 1));
    let mut expected = refused(
        &["repeated_minor_complaints"],
        &["priority_support", "feedback_forwarded"],
    );
    expected["flags"] = json!(["review_customer"]);
    assert_eq!(summary(&decision), expected);
    assert_eq!(decision["facts"]["minor_vouchers_in_pattern_window"], 3);
}

// ---- the 48-hour claim window -------------------------------------------------------------

const REPORTED_AT: &str = "2026-11-24T09:30:00+07:00";

fn delivered_at(at: &str) -> Value {
    with(&[
        ("/order/placed_at", json!("2026-11-22T07:00:00+07:00")),
        ("/order/delivered_at", json!(at)),
        ("/complaint/reported_at", json!(REPORTED_AT)),
    ])
}

#[test]
fn a_complaint_exactly_48_hours_after_delivery_is_inside_the_claim_window() {
    let decision = decide(&delivered_at("2026-11-22T09:30:00+07:00"));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["claim_elapsed_seconds"], 172_800);
    assert_eq!(decision["facts"]["claim_measured_from"], "delivery");
    assert_eq!(decision["facts"]["claim_window"], "2d");
}

#[test]
fn a_complaint_48_hours_and_one_second_after_delivery_is_expired() {
    let decision = decide(&delivered_at("2026-11-22T09:29:59+07:00"));
    assert_eq!(
        summary(&decision),
        refused(
            &["claim_window_expired"],
            &["priority_support", "feedback_forwarded"]
        )
    );
    assert_eq!(decision["facts"]["claim_elapsed_seconds"], 172_801);
}

#[test]
fn the_claim_window_runs_from_delivery_not_placement() {
    // placed six days before the report, delivered one hour before it
    let decision = decide(&with(&[
        ("/order/placed_at", json!("2026-11-18T09:30:00+07:00")),
        ("/order/delivered_at", json!("2026-11-24T08:30:00+07:00")),
    ]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["claim_elapsed_seconds"], 3_600);
}

fn placed_at_without_delivery(at: &str) -> Value {
    let mut case = with(&[
        ("/order/placed_at", json!(at)),
        ("/complaint/reported_at", json!(REPORTED_AT)),
    ]);
    common::remove(&mut case, "/order/delivered_at");
    case
}

#[test]
fn without_delivery_a_complaint_exactly_48_hours_after_placement_is_inside() {
    let decision = decide(&placed_at_without_delivery("2026-11-22T09:30:00+07:00"));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["claim_measured_from"], "placement");
    assert_eq!(decision["facts"]["claim_elapsed_seconds"], 172_800);
}

#[test]
fn without_delivery_a_complaint_48_hours_and_one_second_after_placement_is_expired() {
    let decision = decide(&placed_at_without_delivery("2026-11-22T09:29:59+07:00"));
    assert_eq!(decision["outcome"], "refused");
    assert_eq!(decision["reasons"], json!(["claim_window_expired"]));
    assert_eq!(decision["facts"]["claim_measured_from"], "placement");
    assert_eq!(decision["facts"]["claim_elapsed_seconds"], 172_801);
}

#[test]
fn the_claim_window_is_measured_to_the_report_not_to_now() {
    // reported 47 h after delivery, decided 3 days after the report
    let decision = decide(&with(&[
        ("/order/placed_at", json!("2026-11-19T08:00:00+07:00")),
        ("/order/delivered_at", json!("2026-11-19T09:00:00+07:00")),
        ("/complaint/reported_at", json!("2026-11-21T08:00:00+07:00")),
    ]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["claim_elapsed_seconds"], 47 * 3_600);
}
