//! The three outcomes and their precedence: step-1 escalations (security, then legal, then
//! supervisor) beat refusals, refusals beat the authority escalation, and each outcome carries
//! what it must (recommendation, alternatives, voucher).

use serde_json::{Value, json};
use voucher_policy::{Engine, EscalationTarget, Outcome};

use crate::common::{self, VALID_UNTIL, base, case, days_ago, decide, past, summary, with};

/// platinum, damaged item with a photo, 200,000: the policy amount 150,000 is above authority.
fn above_authority(extra: &[(&str, Value)]) -> Value {
    let mut changes = vec![
        ("/customer/loyalty", json!("platinum")),
        ("/order/total", json!("200000")),
        ("/complaint/category", json!("damaged_item")),
        ("/complaint/evidence", json!("photo")),
    ];
    changes.extend(extra.iter().cloned());
    with(&changes)
}

fn two_recent_vouchers() -> Value {
    json!([
        past("3001", &days_ago(1), "10000", Some("moderate")),
        past("3002", &days_ago(2), "10000", Some("moderate")),
    ])
}

// ---- precedence among escalation targets --------------------------------------------------

#[test]
fn security_beats_supervisor() {
    let decision = decide(&with(&[
        ("/conduct/threat", json!("physical")),
        ("/conduct/insists_on_supervisor", json!(true)),
        ("/complaint/category", json!("food_safety")),
    ]));
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["escalate_to"], "security");
    assert_eq!(
        decision["reasons"],
        json!([
            "physical_threat",
            "critical_complaint",
            "supervisor_requested",
            "valid_complaint"
        ])
    );
}

#[test]
fn legal_beats_supervisor() {
    let decision = decide(&with(&[
        ("/conduct/threat", json!("legal")),
        ("/conduct/insists_on_supervisor", json!(true)),
        ("/complaint/category", json!("food_safety")),
    ]));
    assert_eq!(decision["escalate_to"], "legal");
    assert_eq!(
        decision["reasons"],
        json!([
            "legal_threat",
            "critical_complaint",
            "supervisor_requested",
            "valid_complaint"
        ])
    );
}

#[test]
fn security_beats_legal() {
    // A request carries one threat, so the ranking of the targets is checked directly.
    use EscalationTarget::{Legal, Security, Supervisor};
    assert_eq!(Security.most_serious(Legal), Security);
    assert_eq!(Legal.most_serious(Security), Security);
    assert_eq!(Legal.most_serious(Supervisor), Legal);
    assert_eq!(Supervisor.most_serious(Legal), Legal);
    assert_eq!(Supervisor.most_serious(Security), Security);
}

#[test]
fn legal_threat_beats_an_amount_above_authority() {
    let decision = decide(&above_authority(&[("/conduct/threat", json!("legal"))]));
    assert_eq!(decision["escalate_to"], "legal");
    assert_eq!(
        decision["reasons"],
        json!(["legal_threat", "above_agent_authority", "valid_complaint"])
    );
    assert_eq!(decision["recommendation"]["voucher"]["amount"], "150000");
}

#[test]
fn critical_complaint_and_supervisor_request_escalate_once_to_supervisor() {
    let decision = decide(&with(&[
        ("/conduct/insists_on_supervisor", json!(true)),
        ("/complaint/category", json!("food_safety")),
    ]));
    assert_eq!(decision["escalate_to"], "supervisor");
    assert_eq!(
        decision["reasons"],
        json!([
            "critical_complaint",
            "supervisor_requested",
            "valid_complaint"
        ])
    );
}

// ---- step-1 escalations beat refusals -----------------------------------------------------

#[test]
fn supervisor_request_beats_a_refusal_and_recommends_the_refusal() {
    let decision = decide(&with(&[
        ("/conduct/insists_on_supervisor", json!(true)),
        ("/history", two_recent_vouchers()),
    ]));
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "escalated",
            "reasons": ["supervisor_requested", "voucher_limit_reached"],
            "escalate_to": "supervisor",
            "flags": [],
            "alternatives": [],
            "voucher": null,
            "recommendation": {"outcome": "refused", "reasons": ["voucher_limit_reached"], "voucher": null},
        })
    );
}

#[test]
fn physical_threat_beats_an_order_of_another_customer() {
    let decision = decide(&with(&[
        ("/conduct/threat", json!("physical")),
        ("/order/customer_id", json!("C-2002")),
    ]));
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["escalate_to"], "security");
    assert_eq!(
        decision["reasons"],
        json!(["physical_threat", "order_customer_mismatch"])
    );
    assert_eq!(
        decision["recommendation"],
        json!({"outcome": "refused", "voucher": null, "reasons": ["order_customer_mismatch"]})
    );
}

#[test]
fn critical_complaint_beats_an_expired_claim() {
    let decision = decide(&with(&[
        ("/complaint/category", json!("food_safety")),
        ("/order/placed_at", json!("2026-11-19T08:00:00+07:00")),
        ("/order/delivered_at", json!("2026-11-19T09:00:00+07:00")),
    ]));
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["escalate_to"], "supervisor");
    assert_eq!(
        decision["reasons"],
        json!(["critical_complaint", "claim_window_expired"])
    );
    assert_eq!(decision["recommendation"]["outcome"], "refused");
}

// ---- refusals beat the authority escalation -----------------------------------------------

#[test]
fn a_refusal_beats_an_amount_above_authority() {
    let decision = decide(&above_authority(&[(
        "/complaint/company_at_fault",
        json!(false),
    )]));
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "refused",
            "reasons": ["not_company_fault"],
            "escalate_to": null,
            "flags": [],
            "alternatives": ["priority_support", "feedback_forwarded"],
            "voucher": null,
            "recommendation": null,
        })
    );
}

// ---- what each outcome carries ------------------------------------------------------------

#[test]
fn an_escalation_carries_the_full_recommended_voucher() {
    let decision = decide(&above_authority(&[]));
    assert_eq!(decision["voucher"], Value::Null);
    assert_eq!(
        decision["recommendation"],
        json!({
            "outcome": "granted",
            "voucher": {"amount": "150000", "currency": "IDR", "valid_until": VALID_UNTIL},
            "reasons": ["above_agent_authority", "valid_complaint"],
        })
    );
}

#[test]
fn an_escalation_recommends_the_amount_after_its_cuts() {
    let decision = decide(&with(&[
        ("/conduct/insists_on_supervisor", json!(true)),
        ("/requested_amount", json!("60000")),
    ]));
    assert_eq!(
        decision["reasons"],
        json!([
            "supervisor_requested",
            "reduced_to_policy_amount",
            "valid_complaint"
        ])
    );
    assert_eq!(
        decision["recommendation"],
        json!({
            "outcome": "granted",
            "voucher": {"amount": "25000", "currency": "IDR", "valid_until": VALID_UNTIL},
            "reasons": ["reduced_to_policy_amount", "valid_complaint"],
        })
    );
}

#[test]
fn a_refusal_carries_the_alternatives_of_every_refusal_reason() {
    let decision = decide(&with(&[
        ("/order/customer_id", json!("C-2002")),
        ("/complaint/category", json!("wrong_item")),
    ]));
    assert_eq!(
        summary(&decision),
        json!({
            "outcome": "refused",
            "reasons": ["order_customer_mismatch", "evidence_required"],
            "escalate_to": null,
            "flags": [],
            "alternatives": ["replacement", "send_photo", "account_check"],
            "voucher": null,
            "recommendation": null,
        })
    );
}

#[test]
fn every_refusal_that_fired_is_reported() {
    let decision = decide(&with(&[
        ("/order/customer_id", json!("C-2002")),
        ("/order/placed_at", json!("2026-11-19T08:00:00+07:00")),
        ("/order/delivered_at", json!("2026-11-19T09:00:00+07:00")),
        ("/complaint/category", json!("packaging")),
        ("/complaint/company_at_fault", json!(false)),
        (
            "/history",
            json!([
                past("3449", &days_ago(1), "50000", Some("minor")),
                past("3002", &days_ago(2), "5000", Some("minor")),
                past("3003", &days_ago(10), "46000", Some("minor")),
            ]),
        ),
    ]));
    let mut expected = json!({
        "outcome": "refused",
        "reasons": [
            "order_customer_mismatch",
            "order_already_compensated",
            "claim_window_expired",
            "not_company_fault",
            "voucher_limit_reached",
            "voucher_value_limit_reached",
            "minor_complaint_recent_voucher",
            "repeated_minor_complaints",
        ],
        "escalate_to": null,
        "flags": ["review_customer"],
        "alternatives": ["priority_support", "account_check", "feedback_forwarded"],
        "voucher": null,
        "recommendation": null,
    });
    assert_eq!(summary(&decision), expected);

    // The same with a major complaint and no evidence adds evidence_required and its ways forward.
    let mut case = with(&[
        ("/order/customer_id", json!("C-2002")),
        ("/complaint/category", json!("wrong_item")),
        ("/complaint/company_at_fault", json!(false)),
    ]);
    common::set(
        &mut case,
        "/history",
        json!([past("3449", &days_ago(40), "5000", None)]),
    );
    let decision = decide(&case);
    expected["reasons"] = json!([
        "order_customer_mismatch",
        "order_already_compensated",
        "not_company_fault",
        "evidence_required"
    ]);
    expected["flags"] = json!([]);
    expected["alternatives"] = json!([
        "priority_support",
        "replacement",
        "send_photo",
        "account_check",
        "feedback_forwarded"
    ]);
    assert_eq!(summary(&decision), expected);
}

#[test]
fn conduct_is_reported_on_a_refusal_without_changing_it() {
    let decision = decide(&with(&[
        ("/conduct/abusive_language", json!(true)),
        ("/history", two_recent_vouchers()),
    ]));
    assert_eq!(decision["outcome"], "refused");
    assert_eq!(
        decision["reasons"],
        json!(["abusive_language", "voucher_limit_reached"])
    );
    assert_eq!(decision["flags"], json!(["conduct_noted"]));
    assert_eq!(decision["alternatives"], json!(["priority_support"]));
}

#[test]
fn conduct_is_reported_on_an_escalation_but_not_in_the_recommendation() {
    let decision = decide(&with(&[
        ("/conduct/threat", json!("legal")),
        ("/conduct/personal_advances", json!(true)),
    ]));
    assert_eq!(decision["escalate_to"], "legal");
    assert_eq!(
        decision["reasons"],
        json!(["legal_threat", "personal_advances", "valid_complaint"])
    );
    assert_eq!(decision["flags"], json!(["conduct_noted"]));
    assert_eq!(
        decision["recommendation"]["reasons"],
        json!(["valid_complaint"])
    );
}

#[test]
fn an_escalated_case_offers_no_alternatives_even_when_refused_on_the_merits() {
    let decision = decide(&with(&[
        ("/conduct/insists_on_supervisor", json!(true)),
        ("/complaint/company_at_fault", json!(false)),
    ]));
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["alternatives"], json!([]));
    assert_eq!(decision["recommendation"]["outcome"], "refused");
}

#[test]
fn a_grant_carries_a_voucher_valid_for_thirty_days_in_the_policy_offset() {
    let decision = decide(&base());
    assert_eq!(decision["outcome"], "granted");
    assert_eq!(decision["escalate_to"], Value::Null);
    assert_eq!(decision["recommendation"], Value::Null);
    assert_eq!(decision["alternatives"], json!([]));
    assert_eq!(
        decision["voucher"],
        json!({"amount": "25000", "currency": "IDR", "valid_until": "2026-12-24T10:00:00+07:00"})
    );
}

#[test]
fn a_refusal_and_an_escalation_carry_no_voucher() {
    let refused = decide(&with(&[("/complaint/company_at_fault", json!(false))]));
    assert_eq!(refused["voucher"], Value::Null);
    let escalated = decide(&with(&[("/conduct/insists_on_supervisor", json!(true))]));
    assert_eq!(escalated["voucher"], Value::Null);
}

#[test]
fn the_decision_wire_form_has_the_contract_fields_in_order() {
    let text = serde_json::to_string(&common::try_decide(&base()).unwrap()).unwrap();
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&text)
        .unwrap()
        .keys()
        .cloned()
        .collect();
    // serde_json's Map is sorted unless preserve_order; check presence, then order in the text.
    let expected = [
        "id",
        "decided_at",
        "customer_id",
        "order_id",
        "outcome",
        "voucher",
        "reasons",
        "escalate_to",
        "recommendation",
        "flags",
        "alternatives",
        "remedies",
        "next_eligible_at",
        "follow_up_by",
        "approval",
        "script",
        "agent_note",
        "facts",
        "policy",
    ];
    assert_eq!(keys.len(), expected.len(), "{keys:?}");
    let positions: Vec<usize> = expected
        .iter()
        .map(|key| text.find(&format!("\"{key}\":")).unwrap())
        .collect();
    assert!(positions.is_sorted(), "{text}");
}

// ---- the typed API agrees -----------------------------------------------------------------

#[test]
fn the_typed_verdict_matches_the_decision() {
    let engine = Engine::default();
    let case = case(&with(&[("/conduct/insists_on_supervisor", json!(true))]));
    let decision = engine.decide_case(&case).unwrap();
    let verdict = engine
        .verdict(case.request(), case.history(), case.now())
        .unwrap();
    assert_eq!(decision.verdict(), &verdict);
    assert_eq!(verdict.outcome(), Outcome::Escalated);
    assert_eq!(verdict.escalate_to(), Some(EscalationTarget::Supervisor));
    let recommendation = verdict.recommendation().unwrap();
    assert_eq!(recommendation.outcome(), Outcome::Granted);
    assert_eq!(
        recommendation.voucher().map(|v| v.amount().to_string()),
        Some("25000".to_owned())
    );
}

#[test]
fn deciding_twice_gives_the_same_bytes() {
    let case = with(&[
        ("/complaint/category", json!("food_not_hot")),
        ("/history", two_recent_vouchers()),
    ]);
    let first = serde_json::to_string(&common::try_decide(&case).unwrap()).unwrap();
    let second = serde_json::to_string(&common::try_decide(&case).unwrap()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn the_script_is_indonesian_unless_english_is_asked() {
    let mut case = base();
    common::remove(&mut case, "/locale");
    let decision = common::try_decide(&case).unwrap();
    assert_eq!(decision.script().locale().as_str(), "id");
    let english = common::decide_in(&case, "en");
    assert_eq!(english["script"]["locale"], "en");
}

// ---- the conversation ladder, follow-up times, next eligibility ---------------------------

#[test]
fn abuse_after_the_policy_s_warnings_closes_the_conversation_and_advances_escalate() {
    let engine = Engine::default();
    for (warnings, abusive, advances, closed, escalated) in [
        (0, "abusive_language", "personal_advances", false, false),
        (
            1,
            "repeated_abusive_language",
            "persistent_personal_advances",
            true,
            true,
        ),
        (
            3,
            "repeated_abusive_language",
            "persistent_personal_advances",
            true,
            true,
        ),
    ] {
        let decision = engine
            .decide_case(&case(&with(&[(
                "/conduct",
                json!({"abusive_language": true, "personal_advances": true, "warnings_given": warnings}),
            )])))
            .unwrap();
        let json = common::to_json(&decision);
        let reasons: Vec<&str> = decision.reasons().iter().map(|r| r.as_str()).collect();
        assert!(
            reasons.contains(&abusive) && reasons.contains(&advances),
            "{reasons:?}"
        );
        let flags = json["flags"].as_array().unwrap();
        assert_eq!(
            flags.contains(&json!("close_conversation")),
            closed,
            "{warnings}"
        );
        assert!(flags.contains(&json!("conduct_noted")));
        assert_eq!(
            decision.outcome() == Outcome::Escalated,
            escalated,
            "{warnings}"
        );
        // The decision on the merits stands: the voucher is recommended, or granted.
        assert!(decision.voucher().is_some() || decision.verdict().recommendation().is_some());
    }
}

#[test]
fn each_escalation_target_is_followed_up_in_its_own_time() {
    for (conduct, target, hours) in [
        (json!({"threat": "physical"}), EscalationTarget::Security, 4),
        (json!({"threat": "legal"}), EscalationTarget::Legal, 72),
        (
            json!({"insists_on_supervisor": true}),
            EscalationTarget::Supervisor,
            24,
        ),
    ] {
        let decision = common::try_decide(&with(&[("/conduct", conduct)])).unwrap();
        assert_eq!(decision.verdict().escalate_to(), Some(target));
        let now = chrono::DateTime::parse_from_rfc3339(common::NOW).unwrap();
        let by = decision.verdict().follow_up_by().unwrap();
        assert_eq!((by - now).num_hours(), hours, "{target:?}");
        assert_eq!(by.offset().local_minus_utc(), 7 * 3_600);
    }
    // Nothing to follow up on a grant.
    assert_eq!(
        common::try_decide(&base())
            .unwrap()
            .verdict()
            .follow_up_by(),
        None
    );
}

#[test]
fn a_refusal_by_a_limit_says_when_it_lifts_and_a_final_one_does_not() {
    // Two vouchers in the last 7 days for a regular customer (limit 2): the older, 2 days old,
    // leaves the window exactly 7 days after it was granted.
    let refused = common::try_decide(&with(&[("/history", two_recent_vouchers())])).unwrap();
    assert_eq!(refused.outcome(), Outcome::Refused);
    let lifted = refused.verdict().next_eligible_at().unwrap();
    assert_eq!(lifted.to_rfc3339(), "2026-11-29T10:00:00+07:00");
    // Deciding again at that moment, with the same history, no longer refuses for the limit.
    let mut later = with(&[("/history", two_recent_vouchers())]);
    common::set(&mut later, "/now", json!(lifted.to_rfc3339()));
    common::set(
        &mut later,
        "/order/placed_at",
        json!("2026-11-29T08:10:00+07:00"),
    );
    common::set(
        &mut later,
        "/order/delivered_at",
        json!("2026-11-29T08:55:00+07:00"),
    );
    common::set(
        &mut later,
        "/complaint/reported_at",
        json!("2026-11-29T09:30:00+07:00"),
    );
    let again = common::try_decide(&later).unwrap();
    assert_eq!(again.outcome(), Outcome::Granted, "{:?}", again.reasons());
    // A claim too late is final: no date.
    let late = common::try_decide(&with(&[
        ("/order/placed_at", json!("2026-11-20T08:10:00+07:00")),
        ("/order/delivered_at", json!("2026-11-20T08:55:00+07:00")),
    ]))
    .unwrap();
    assert_eq!(late.verdict().next_eligible_at(), None);
}
