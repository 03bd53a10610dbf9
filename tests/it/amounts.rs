//! The voucher amount: total x rate x multiplier rounded down to 1,000, clamped to
//! [5,000, 150,000], never above the order total; the customer's request, the value window and
//! the agent's authority; and the facts that show each step.

use serde_json::{Value, json};

use crate::common::{
    VALID_UNTIL, days_ago, decide, decide_in, error, granted, past, refused, summary, with,
};

fn order(loyalty: &str, total: &str, category: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("/customer/loyalty", json!(loyalty)),
        ("/order/total", json!(total)),
        ("/complaint/category", json!(category)),
        ("/complaint/evidence", json!("photo")),
    ]
}

fn decide_order(loyalty: &str, total: &str, category: &str) -> Value {
    decide(&with(&order(loyalty, total, category)))
}

/// A `regular` customer with `used` granted 15 days ago (outside the count window and the
/// minor cool-down, inside the value window).
fn regular_with_value_used(used: &str, extra: &[(&'static str, Value)]) -> Value {
    let mut changes = vec![(
        "/history",
        json!([past("3001", &days_ago(15), used, Some("major"))]),
    )];
    changes.extend(extra.iter().cloned());
    with(&changes)
}

// ---- the policy amount --------------------------------------------------------------------

#[test]
fn gold_minor_85000_is_10625_rounded_down_to_10000() {
    let decision = decide_order("gold", "85000", "food_not_hot");
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
    let facts = &decision["facts"];
    assert_eq!(facts["order_total"], "85000");
    assert_eq!(facts["severity"], "minor");
    assert_eq!(facts["severity_rate"], "0.1");
    assert_eq!(facts["loyalty_multiplier"], "1.25");
    assert_eq!(facts["policy_amount"], "10000");
    assert_eq!(facts["requested_amount"], Value::Null);
    assert_eq!(facts["final_amount"], "10000");
    assert_eq!(facts["agent_authority"], "100000");
}

#[test]
fn silver_moderate_120000_is_33000() {
    let decision = decide_order("silver", "120000", "late_delivery");
    assert_eq!(summary(&decision), granted("33000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["severity_rate"], "0.25");
    assert_eq!(decision["facts"]["loyalty_multiplier"], "1.1");
}

#[test]
fn platinum_major_59999_is_44999_rounded_down_to_44000() {
    let decision = decide_order("platinum", "59999", "damaged_item");
    assert_eq!(summary(&decision), granted("44000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["severity_rate"], "0.5");
    assert_eq!(decision["facts"]["loyalty_multiplier"], "1.5");
}

#[test]
fn rounding_down_to_the_step_never_rounds_up() {
    // 59,996 x 25% = 14,999 -> 14,000
    let decision = decide_order("regular", "59996", "late_delivery");
    assert_eq!(decision["voucher"]["amount"], "14000");
}

#[test]
fn a_product_a_hair_below_a_step_is_rounded_down_to_the_step_below() {
    // 136,363.63 x 10% x 1.10 = 14,999.9993: 14,000, never 15,000.
    let decision = decide_order("silver", "136363.63", "food_not_hot");
    assert_eq!(decision["voucher"]["amount"], "14000", "{decision}");
    assert_eq!(decision["facts"]["policy_amount"], "14000");
    // One sen more is 15,000.0003: 15,000.
    let decision = decide_order("silver", "136363.64", "food_not_hot");
    assert_eq!(decision["voucher"]["amount"], "15000", "{decision}");
    // 227,272.72 x 50% x 1.10 = 124,999.996: 124,000, recommended to a supervisor (above the
    // agent's authority), not 125,000.
    let decision = decide_order("silver", "227272.72", "wrong_item");
    assert_eq!(
        decision["recommendation"]["voucher"]["amount"], "124000",
        "{decision}"
    );
}

#[test]
fn a_small_amount_is_raised_to_the_minimum_voucher() {
    // 20,000 x 10% = 2,000 -> 5,000
    let decision = decide_order("regular", "20000", "food_not_hot");
    assert_eq!(summary(&decision), granted("5000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["policy_amount"], "5000");
}

#[test]
fn a_large_amount_is_capped_at_the_maximum_voucher() {
    // 500,000 x 50% x 1.5 = 375,000 -> 150,000 (then above authority)
    let decision = decide_order("platinum", "500000", "damaged_item");
    assert_eq!(decision["facts"]["policy_amount"], "150000");
    assert_eq!(decision["recommendation"]["voucher"]["amount"], "150000");
}

#[test]
fn the_minimum_voucher_never_exceeds_the_order_total() {
    // 3,000 x 10% = 300 -> 0 -> 5,000 -> capped at the order total 3,000
    let decision = decide_order("regular", "3000", "food_not_hot");
    assert_eq!(summary(&decision), granted("3000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["policy_amount"], "3000");
}

#[test]
fn the_order_total_cap_is_rounded_down_to_the_step() {
    let decision = decide_order("regular", "3500", "food_not_hot");
    assert_eq!(summary(&decision), granted("3000", &["valid_complaint"]));
}

#[test]
fn a_critical_complaint_recommends_the_order_total_rounded_down() {
    let decision = decide_order("regular", "45500", "food_safety");
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["facts"]["severity_rate"], "1");
    assert_eq!(decision["recommendation"]["voucher"]["amount"], "45000");
}

// ---- the customer's request ---------------------------------------------------------------

#[test]
fn a_smaller_request_is_granted_as_asked() {
    let decision = decide(&with(&[("/requested_amount", json!("20000"))]));
    assert_eq!(summary(&decision), granted("20000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["policy_amount"], "25000");
    assert_eq!(decision["facts"]["requested_amount"], "20000");
    assert_eq!(decision["facts"]["final_amount"], "20000");
}

#[test]
fn a_smaller_request_is_rounded_down_to_the_step() {
    let decision = decide(&with(&[("/requested_amount", json!("12345"))]));
    assert_eq!(
        summary(&decision),
        granted("12000", &["rounded_to_step", "valid_complaint"])
    );
    assert_eq!(decision["facts"]["requested_amount"], "12345");
    assert_eq!(decision["facts"]["final_amount"], "12000");
}

#[test]
fn a_request_between_steps_is_rounded_down_and_the_script_says_the_amount() {
    // 7,500 asked, 7,000 granted: below what was asked only because of the step.
    for (locale, amount) in [("id", "Rp7.000"), ("en", "IDR 7,000")] {
        let decision = decide_in(&with(&[("/requested_amount", json!("7500"))]), locale);
        assert_eq!(
            summary(&decision),
            granted("7000", &["rounded_to_step", "valid_complaint"])
        );
        let script = decision["script"]["text"].as_str().unwrap();
        assert_eq!(script.matches(amount).count(), 2, "{script}");
    }
    // A multiple of the step is granted as asked, with nothing to say about rounding.
    let decision = decide(&with(&[("/requested_amount", json!("7000"))]));
    assert_eq!(summary(&decision), granted("7000", &["valid_complaint"]));
    // Cut by the value window, the rounding is not the reason it is less.
    let decision = decide(&with(&[
        ("/requested_amount", json!("12500")),
        (
            "/history",
            json!([past("3001", &days_ago(15), "90000", Some("major"))]),
        ),
    ]));
    assert_eq!(
        summary(&decision),
        granted("10000", &["reduced_to_value_limit", "valid_complaint"])
    );
}

#[test]
fn a_request_equal_to_the_policy_amount_is_not_reduced() {
    let decision = decide(&with(&[("/requested_amount", json!("25000"))]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
}

#[test]
fn a_request_a_fraction_above_the_policy_amount_is_reduced() {
    let decision = decide(&with(&[("/requested_amount", json!("25000.5"))]));
    assert_eq!(
        summary(&decision),
        granted("25000", &["reduced_to_policy_amount", "valid_complaint"])
    );
}

#[test]
fn a_larger_request_is_cut_to_the_policy_amount() {
    let decision = decide(&with(&[("/requested_amount", json!("50000"))]));
    assert_eq!(
        summary(&decision),
        granted("25000", &["reduced_to_policy_amount", "valid_complaint"])
    );
    assert_eq!(decision["facts"]["requested_amount"], "50000");
    assert_eq!(decision["facts"]["final_amount"], "25000");
}

// ---- the value window ---------------------------------------------------------------------

#[test]
fn the_value_window_cuts_the_voucher_to_what_is_left() {
    let decision = decide(&regular_with_value_used("90000", &[]));
    assert_eq!(
        summary(&decision),
        granted("10000", &["reduced_to_value_limit", "valid_complaint"])
    );
    let facts = &decision["facts"];
    assert_eq!(facts["value_used"], "90000");
    assert_eq!(facts["value_limit"], "100000");
    assert_eq!(facts["value_left"], "10000");
    assert_eq!(facts["policy_amount"], "25000");
    assert_eq!(facts["final_amount"], "10000");
}

#[test]
fn exactly_the_minimum_left_is_still_granted() {
    let decision = decide(&regular_with_value_used("95000", &[]));
    assert_eq!(
        summary(&decision),
        granted("5000", &["reduced_to_value_limit", "valid_complaint"])
    );
}

#[test]
fn what_is_left_is_rounded_down_to_the_step() {
    let decision = decide(&regular_with_value_used("94500", &[]));
    assert_eq!(
        summary(&decision),
        granted("5000", &["reduced_to_value_limit", "valid_complaint"])
    );
    assert_eq!(decision["facts"]["value_left"], "5500");
}

#[test]
fn less_than_the_minimum_left_refuses() {
    let decision = decide(&regular_with_value_used("95001", &[]));
    assert_eq!(
        summary(&decision),
        refused(&["voucher_value_limit_reached"], &["priority_support"])
    );
    assert_eq!(decision["facts"]["value_left"], "4999");
}

#[test]
fn value_used_above_the_limit_leaves_zero() {
    let decision = decide(&regular_with_value_used("120000", &[]));
    assert_eq!(decision["reasons"], json!(["voucher_value_limit_reached"]));
    assert_eq!(decision["facts"]["value_used"], "120000");
    assert_eq!(decision["facts"]["value_left"], "0");
}

#[test]
fn a_hair_less_than_the_minimum_left_refuses() {
    // 95,000 and one sen used leaves 4,999.99: below the minimum voucher, however little.
    let decision = decide(&with(&[(
        "/history",
        json!([
            past("3001", &days_ago(15), "95000", Some("major")),
            past("3002", &days_ago(16), "0.01", None),
        ]),
    )]));
    assert_eq!(
        summary(&decision),
        refused(&["voucher_value_limit_reached"], &["priority_support"])
    );
    assert_eq!(decision["facts"]["value_used"], "95000.01");
    assert_eq!(decision["facts"]["value_left"], "4999.99");
}

#[test]
fn the_value_used_is_the_same_in_any_order_of_the_history() {
    let entries = [
        past("3001", &days_ago(15), "999999999999999.99", None),
        past("3002", &days_ago(16), "0.5", None),
        past("3003", &days_ago(17), "0.5", None),
    ];
    let forward = decide(&with(&[("/history", json!(entries))]));
    let mut backward = entries.to_vec();
    backward.reverse();
    let backward = decide(&with(&[("/history", json!(backward))]));
    assert_eq!(forward, backward);
    assert_eq!(forward["facts"]["value_used"], "1000000000000000.99");
}

#[test]
fn a_voucher_that_fits_what_is_left_is_not_cut() {
    let decision = decide(&regular_with_value_used("75000", &[]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["value_left"], "25000");
}

#[test]
fn a_request_below_what_is_left_is_granted_as_asked() {
    let decision = decide(&regular_with_value_used(
        "90000",
        &[("/requested_amount", json!("8000"))],
    ));
    assert_eq!(summary(&decision), granted("8000", &["valid_complaint"]));
}

#[test]
fn a_large_request_is_cut_by_the_policy_and_by_the_value_window() {
    let decision = decide(&regular_with_value_used(
        "90000",
        &[("/requested_amount", json!("50000"))],
    ));
    assert_eq!(
        summary(&decision),
        granted(
            "10000",
            &[
                "reduced_to_value_limit",
                "reduced_to_policy_amount",
                "valid_complaint"
            ]
        )
    );
}

// ---- the agent's authority ----------------------------------------------------------------

#[test]
fn exactly_the_agent_authority_is_granted() {
    // 160,000 x 50% x 1.25 = 100,000
    let decision = decide_order("gold", "160000", "damaged_item");
    assert_eq!(summary(&decision), granted("100000", &["valid_complaint"]));
}

#[test]
fn rounding_down_happens_before_the_authority_check() {
    // 161,000 x 50% x 1.25 = 100,625 -> 100,000
    let decision = decide_order("gold", "161000", "damaged_item");
    assert_eq!(summary(&decision), granted("100000", &["valid_complaint"]));
}

#[test]
fn above_the_agent_authority_escalates_with_the_grant_recommended() {
    // 162,000 x 50% x 1.25 = 101,250 -> 101,000
    let decision = decide_order("gold", "162000", "damaged_item");
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "escalated",
            "reasons": ["above_agent_authority", "valid_complaint"],
            "escalate_to": "supervisor",
            "flags": [],
            "alternatives": [],
            "voucher": null,
            "recommendation": {
                "outcome": "granted",
                "reasons": ["above_agent_authority", "valid_complaint"],
                "voucher": "101000",
            },
        })
    );
    assert_eq!(
        decision["recommendation"]["voucher"],
        json!({"amount": "101000", "currency": "IDR", "valid_until": VALID_UNTIL})
    );
    assert_eq!(decision["facts"]["final_amount"], "101000");
}

#[test]
fn a_smaller_request_keeps_the_voucher_within_authority() {
    let mut changes = order("platinum", "200000", "damaged_item");
    changes.push(("/requested_amount", json!("90000")));
    let decision = decide(&with(&changes));
    assert_eq!(summary(&decision), granted("90000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["policy_amount"], "150000");
}

#[test]
fn a_value_window_cut_keeps_the_voucher_within_authority() {
    let mut changes = order("platinum", "200000", "damaged_item");
    changes.push((
        "/history",
        json!([past("3001", &days_ago(15), "320000", Some("major"))]),
    ));
    let decision = decide(&with(&changes));
    assert_eq!(
        summary(&decision),
        granted("80000", &["reduced_to_value_limit", "valid_complaint"])
    );
}

#[test]
fn a_value_window_cut_above_authority_still_escalates() {
    // platinum: 400,000 - 290,000 = 110,000 left; 150,000 -> 110,000 > 100,000
    let mut changes = order("platinum", "200000", "damaged_item");
    changes.push((
        "/history",
        json!([past("3001", &days_ago(15), "290000", Some("major"))]),
    ));
    let decision = decide(&with(&changes));
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["escalate_to"], "supervisor");
    assert_eq!(
        decision["reasons"],
        json!([
            "reduced_to_value_limit",
            "above_agent_authority",
            "valid_complaint"
        ])
    );
    assert_eq!(decision["recommendation"]["voucher"]["amount"], "110000");
}

// ---- extreme amounts ----------------------------------------------------------------------

#[test]
fn the_largest_order_total_is_capped_without_overflow() {
    let decision = decide_order("platinum", "1000000000000000", "damaged_item");
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["facts"]["policy_amount"], "150000");
    assert_eq!(decision["recommendation"]["voucher"]["amount"], "150000");
}

#[test]
fn an_enormous_history_leaves_nothing_in_the_value_window() {
    let decision = decide(&with(&[(
        "/history",
        json!([
            past("3001", &days_ago(10), "1000000000000000", None),
            past("3002", &days_ago(20), "1000000000000000", None),
        ]),
    )]));
    assert_eq!(decision["reasons"], json!(["voucher_value_limit_reached"]));
    assert_eq!(decision["facts"]["value_used"], "2000000000000000");
    assert_eq!(decision["facts"]["value_left"], "0");
}

/// The error of a case with `value` as its order total, its requested amount or its one history
/// entry's amount, as `pointer` says; checks it names `field` and the value, with `problem`.
fn assert_amount_error(pointer: &str, value: &str, field: &str, problem: &str) {
    let change = if pointer == "/history" {
        json!([past("3001", &days_ago(10), value, None)])
    } else {
        json!(value)
    };
    let error = error(&with(&[(pointer, change)]));
    assert_eq!(error.field(), field);
    assert_eq!(error.value(), value);
    assert_eq!(error.to_string(), format!("{field}: {value} {problem}"));
}

#[test]
fn amounts_above_the_largest_are_errors() {
    for (pointer, value, field) in [
        ("/order/total", "1000000000000000.01", "order.total"),
        (
            "/requested_amount",
            "79228162514264337593543950335",
            "requested_amount",
        ),
        ("/history", "2000000000000000", "history[0].amount"),
    ] {
        assert_amount_error(
            pointer,
            value,
            field,
            "is too large (at most 1000000000000000)",
        );
    }
}

#[test]
fn amounts_finer_than_the_currency_are_errors() {
    // Rupiah have two decimal places (sen) in ISO 4217.
    for (pointer, value, field) in [
        ("/order/total", "85000.001", "order.total"),
        ("/requested_amount", "5000.125", "requested_amount"),
        (
            "/history",
            "0.0000000000000000000000000001",
            "history[0].amount",
        ),
    ] {
        assert_amount_error(
            pointer,
            value,
            field,
            "has more decimal places than IDR has (2)",
        );
    }
    // Trailing zeros are only a way of writing the same amount.
    let decision = decide(&with(&[
        ("/order/total", json!("120000.0000")),
        ("/requested_amount", json!("20000.000")),
        (
            "/history",
            json!([past("3001", &days_ago(15), "90000.00000", None)]),
        ),
    ]));
    assert_eq!(decision["voucher"]["amount"], "10000", "{decision}");
}

#[test]
fn amounts_below_one_step_are_errors_so_no_voucher_is_ever_worth_zero() {
    for (pointer, value, field) in [
        ("/order/total", "800", "order.total"),
        ("/requested_amount", "500", "requested_amount"),
    ] {
        let problem = error(&with(&[(pointer, json!(value))]));
        assert_eq!(problem.field(), field);
        assert_eq!(problem.value(), value);
        assert_eq!(
            problem.to_string(),
            format!("{field}: {value} is below the currency step 1000")
        );
    }
    // Exactly one step is fine: a 1,000 order gets its whole total back (below the minimum).
    let decision = decide(&with(&[("/order/total", json!("1000"))]));
    assert_eq!(
        decision["voucher"]["amount"],
        "1000",
        "{}",
        summary(&decision)
    );
}
