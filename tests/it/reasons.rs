//! One scenario per reason code, decided on the embedded default policy, in both locales.

use serde_json::json;

use crate::common::{
    self, VALID_UNTIL, base, days_ago, decide, granted, past, refused, summary, with,
};

// ---- valid_complaint ----------------------------------------------------------------------

#[test]
fn valid_complaint_grants_the_policy_amount() {
    let decision = decide(&base());
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(
        decision["voucher"],
        json!({"amount": "25000", "currency": "IDR", "valid_until": VALID_UNTIL})
    );
}

#[test]
fn valid_complaint_when_fault_was_not_assessed() {
    let mut case = base();
    common::remove(&mut case, "/complaint/company_at_fault");
    assert_eq!(
        summary(&decide(&case)),
        granted("25000", &["valid_complaint"])
    );
}

// ---- step 1: safety and conduct -----------------------------------------------------------

#[test]
fn physical_threat_escalates_to_security() {
    let decision = decide(&with(&[("/conduct/threat", json!("physical"))]));
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "escalated",
            "reasons": ["physical_threat", "valid_complaint"],
            "escalate_to": "security",
            "flags": [],
            "alternatives": [],
            "voucher": null,
            "recommendation": {"outcome": "granted", "reasons": ["valid_complaint"], "voucher": "25000"},
        })
    );
}

#[test]
fn legal_threat_escalates_to_legal() {
    let decision = decide(&with(&[("/conduct/threat", json!("legal"))]));
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "escalated",
            "reasons": ["legal_threat", "valid_complaint"],
            "escalate_to": "legal",
            "flags": [],
            "alternatives": [],
            "voucher": null,
            "recommendation": {"outcome": "granted", "reasons": ["valid_complaint"], "voucher": "25000"},
        })
    );
}

#[test]
fn critical_complaint_escalates_to_supervisor_with_full_refund_recommended() {
    let decision = decide(&with(&[("/complaint/category", json!("food_safety"))]));
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "escalated",
            "reasons": ["critical_complaint", "valid_complaint"],
            "escalate_to": "supervisor",
            "flags": [],
            "alternatives": [],
            "voucher": null,
            "recommendation": {"outcome": "granted", "reasons": ["valid_complaint"], "voucher": "100000"},
        })
    );
    assert_eq!(decision["facts"]["severity"], "critical");
    assert_eq!(decision["facts"]["severity_from"], "category");
}

#[test]
fn explicit_critical_severity_escalates_whatever_the_category() {
    let decision = decide(&with(&[("/complaint/severity", json!("critical"))]));
    assert_eq!(
        decision["reasons"],
        json!(["critical_complaint", "valid_complaint"])
    );
    assert_eq!(decision["escalate_to"], "supervisor");
    assert_eq!(decision["facts"]["severity_from"], "explicit");
}

#[test]
fn supervisor_requested_escalates_to_supervisor() {
    let decision = decide(&with(&[("/conduct/insists_on_supervisor", json!(true))]));
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "escalated",
            "reasons": ["supervisor_requested", "valid_complaint"],
            "escalate_to": "supervisor",
            "flags": [],
            "alternatives": [],
            "voucher": null,
            "recommendation": {"outcome": "granted", "reasons": ["valid_complaint"], "voucher": "25000"},
        })
    );
}

#[test]
fn abusive_language_keeps_the_grant_and_notes_conduct() {
    let decision = decide(&with(&[("/conduct/abusive_language", json!(true))]));
    let mut expected = granted("25000", &["abusive_language", "valid_complaint"]);
    expected["flags"] = json!(["conduct_noted"]);
    assert_eq!(summary(&decision), expected);
}

#[test]
fn personal_advances_keep_the_grant_and_note_conduct() {
    let decision = decide(&with(&[("/conduct/personal_advances", json!(true))]));
    let mut expected = granted("25000", &["personal_advances", "valid_complaint"]);
    expected["flags"] = json!(["conduct_noted"]);
    assert_eq!(summary(&decision), expected);
}

#[test]
fn abusive_language_and_personal_advances_raise_one_conduct_flag() {
    let decision = decide(&with(&[
        ("/conduct/abusive_language", json!(true)),
        ("/conduct/personal_advances", json!(true)),
    ]));
    let mut expected = granted(
        "25000",
        &["abusive_language", "personal_advances", "valid_complaint"],
    );
    expected["flags"] = json!(["conduct_noted"]);
    assert_eq!(summary(&decision), expected);
}

// ---- step 2: verification -----------------------------------------------------------------

#[test]
fn order_customer_mismatch_refuses_with_account_check() {
    let decision = decide(&with(&[("/order/customer_id", json!("C-2002"))]));
    assert_eq!(
        summary(&decision),
        refused(&["order_customer_mismatch"], &["account_check"])
    );
}

#[test]
fn order_already_compensated_refuses_even_long_ago() {
    let decision = decide(&with(&[(
        "/history",
        json!([past("3449", &days_ago(90), "10000", Some("moderate"))]),
    )]));
    assert_eq!(
        summary(&decision),
        refused(&["order_already_compensated"], &["priority_support"])
    );
}

#[test]
fn claim_window_expired_refuses_a_complaint_four_days_after_delivery() {
    let decision = decide(&with(&[
        ("/order/placed_at", json!("2026-11-20T08:00:00+07:00")),
        ("/order/delivered_at", json!("2026-11-20T09:00:00+07:00")),
    ]));
    assert_eq!(
        summary(&decision),
        refused(
            &["claim_window_expired"],
            &["priority_support", "feedback_forwarded"]
        )
    );
}

// ---- step 3: validity ---------------------------------------------------------------------

#[test]
fn not_company_fault_refuses() {
    let decision = decide(&with(&[("/complaint/company_at_fault", json!(false))]));
    assert_eq!(
        summary(&decision),
        refused(
            &["not_company_fault"],
            &["priority_support", "feedback_forwarded"]
        )
    );
}

#[test]
fn evidence_required_refuses_a_major_complaint_without_evidence() {
    let decision = decide(&with(&[("/complaint/category", json!("wrong_item"))]));
    assert_eq!(
        summary(&decision),
        refused(&["evidence_required"], &["replacement", "send_photo"])
    );
}

#[test]
fn a_photo_or_a_verification_backs_a_major_complaint() {
    for evidence in ["photo", "verified"] {
        let decision = decide(&with(&[
            ("/complaint/category", json!("wrong_item")),
            ("/complaint/evidence", json!(evidence)),
        ]));
        assert_eq!(
            summary(&decision),
            granted("50000", &["valid_complaint"]),
            "{evidence}"
        );
    }
}

#[test]
fn evidence_is_not_required_below_major() {
    let decision = decide(&with(&[("/complaint/category", json!("missing_item"))]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
}

// ---- step 4: limits from history ----------------------------------------------------------

#[test]
fn voucher_limit_reached_refuses_at_the_tier_count() {
    // regular: 2 vouchers per rolling 7 days
    let decision = decide(&with(&[(
        "/history",
        json!([
            past("3001", &days_ago(2), "10000", Some("moderate")),
            past("3002", &days_ago(5), "10000", Some("moderate")),
        ]),
    )]));
    assert_eq!(
        summary(&decision),
        refused(&["voucher_limit_reached"], &["priority_support"])
    );
    assert_eq!(decision["facts"]["vouchers_in_count_window"], 2);
    assert_eq!(decision["facts"]["count_limit"], 2);
}

#[test]
fn one_voucher_below_the_tier_count_is_granted() {
    let decision = decide(&with(&[(
        "/history",
        json!([past("3001", &days_ago(2), "10000", Some("moderate"))]),
    )]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["vouchers_in_count_window"], 1);
}

#[test]
fn voucher_value_limit_reached_refuses_when_less_than_the_minimum_is_left() {
    // regular: 100,000 per rolling 30 days; 96,000 used leaves 4,000 < 5,000
    let decision = decide(&with(&[(
        "/history",
        json!([
            past("3001", &days_ago(10), "50000", Some("major")),
            past("3002", &days_ago(20), "46000", Some("major")),
        ]),
    )]));
    assert_eq!(
        summary(&decision),
        refused(&["voucher_value_limit_reached"], &["priority_support"])
    );
    assert_eq!(decision["facts"]["value_used"], "96000");
    assert_eq!(decision["facts"]["value_left"], "4000");
}

#[test]
fn reduced_to_value_limit_cuts_the_voucher_to_what_is_left() {
    // 90,000 used leaves 10,000 of the 25,000 policy amount
    let decision = decide(&with(&[(
        "/history",
        json!([past("3001", &days_ago(15), "90000", Some("major"))]),
    )]));
    assert_eq!(
        summary(&decision),
        granted("10000", &["reduced_to_value_limit", "valid_complaint"])
    );
    assert_eq!(decision["facts"]["policy_amount"], "25000");
    assert_eq!(decision["facts"]["final_amount"], "10000");
}

#[test]
fn minor_complaint_recent_voucher_refuses_inside_the_cooldown() {
    let decision = decide(&with(&[
        ("/complaint/category", json!("food_not_hot")),
        (
            "/history",
            json!([past("3001", &days_ago(3), "10000", Some("moderate"))]),
        ),
    ]));
    assert_eq!(
        summary(&decision),
        refused(
            &["minor_complaint_recent_voucher"],
            &["priority_support", "feedback_forwarded"]
        )
    );
}

#[test]
fn the_minor_cooldown_does_not_apply_to_a_moderate_complaint() {
    let decision = decide(&with(&[(
        "/history",
        json!([past("3001", &days_ago(3), "10000", Some("moderate"))]),
    )]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
}

fn three_old_vouchers(severities: [Option<&str>; 3]) -> serde_json::Value {
    // 10, 15 and 20 days old: outside the count window and the minor cool-down, inside 30 days
    let [a, b, c] = severities;
    json!([
        past("3001", &days_ago(10), "5000", a),
        past("3002", &days_ago(15), "5000", b),
        past("3003", &days_ago(20), "5000", c),
    ])
}

#[test]
fn repeated_minor_complaints_refuses_and_flags_review_customer() {
    let decision = decide(&with(&[
        ("/complaint/category", json!("food_not_hot")),
        ("/history", three_old_vouchers([Some("minor"); 3])),
    ]));
    let mut expected = refused(
        &["repeated_minor_complaints"],
        &["priority_support", "feedback_forwarded"],
    );
    expected["flags"] = json!(["review_customer"]);
    assert_eq!(summary(&decision), expected);
    assert_eq!(decision["facts"]["minor_vouchers_in_pattern_window"], 3);
    assert_eq!(decision["facts"]["pattern_threshold"], 3);
}

#[test]
fn history_entries_without_severity_do_not_count_as_minor() {
    let decision = decide(&with(&[
        ("/complaint/category", json!("food_not_hot")),
        (
            "/history",
            three_old_vouchers([Some("minor"), Some("minor"), None]),
        ),
    ]));
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["minor_vouchers_in_pattern_window"], 2);

    let decision = decide(&with(&[
        ("/complaint/category", json!("food_not_hot")),
        ("/history", three_old_vouchers([None; 3])),
    ]));
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["minor_vouchers_in_pattern_window"], 0);
}

#[test]
fn moderate_history_entries_do_not_count_as_minor() {
    let decision = decide(&with(&[
        ("/complaint/category", json!("food_not_hot")),
        (
            "/history",
            three_old_vouchers([Some("minor"), Some("moderate"), Some("minor")]),
        ),
    ]));
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
}

#[test]
fn the_repeated_minor_pattern_does_not_apply_to_a_moderate_complaint() {
    let decision = decide(&with(&[(
        "/history",
        three_old_vouchers([Some("minor"); 3]),
    )]));
    assert_eq!(summary(&decision), granted("25000", &["valid_complaint"]));
    assert_eq!(decision["flags"], json!([]));
}

// ---- step 5: amount -----------------------------------------------------------------------

#[test]
fn reduced_to_policy_amount_cuts_a_larger_request() {
    let decision = decide(&with(&[("/requested_amount", json!("50000"))]));
    assert_eq!(
        summary(&decision),
        granted("25000", &["reduced_to_policy_amount", "valid_complaint"])
    );
}

#[test]
fn above_agent_authority_escalates_to_supervisor_with_the_grant_recommended() {
    // platinum, major with photo: 200,000 x 50% x 1.5 = 150,000 > 100,000
    let decision = decide(&with(&[
        ("/customer/loyalty", json!("platinum")),
        ("/order/total", json!("200000")),
        ("/complaint/category", json!("damaged_item")),
        ("/complaint/evidence", json!("photo")),
    ]));
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
                "voucher": "150000",
            },
        })
    );
}
