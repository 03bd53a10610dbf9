//! The customer-facing scripts: every outcome and every reason in both locales reads as a
//! complete, kind script that names the customer and the order, states the voucher in the
//! locale's own money and date forms, thanks only the tiers that are thanked, and never says an
//! accusing word, an internal code or an internal number.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::{Value, json};
use voucher_policy::{Alternative, Case, Code, Decision, Engine, Flag, Outcome, Reason};

const NOW: &str = "2026-11-24T10:00:00+07:00";

const LOCALES: [&str; 2] = ["id", "en"];

/// A case the default policy grants: a `silver` customer's own order of 120,000 delivered 35
/// minutes before a `late_delivery` complaint, the company at fault, no history.
/// Policy amount: 120,000 x 25% x 1.10 = 33,000, valid until 24 December 2026.
fn base() -> Value {
    json!({
        "now": NOW,
        "locale": "id",
        "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "silver"},
        "order": {
            "id": "3449",
            "customer_id": "C-1001",
            "total": "120000",
            "currency": "IDR",
            "placed_at": "2026-11-24T08:10:00+07:00",
            "delivered_at": "2026-11-24T08:55:00+07:00"
        },
        "complaint": {
            "category": "late_delivery",
            "reported_at": "2026-11-24T09:30:00+07:00",
            "company_at_fault": true,
            "evidence": "none"
        },
        "history": []
    })
}

/// A past voucher `days` days before `NOW`.
fn past(order_id: &str, days: i64, amount: &str, severity: &str) -> Value {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let at = now - chrono::TimeDelta::days(days);
    json!({
        "order_id": order_id,
        "granted_at": at.to_rfc3339(),
        "amount": amount,
        "currency": "IDR",
        "severity": severity
    })
}

fn set(case: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    case.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {parent}"))
        .insert(key.to_owned(), value);
}

fn decide(case: &Value, locale: &str) -> Decision {
    let mut case = case.clone();
    set(&mut case, "/locale", json!(locale));
    let case = Case::from_json(&case.to_string()).unwrap();
    Engine::default().decide_case(&case).unwrap()
}

/// One scenario per reason code, each firing that reason on the default policy.
fn scenarios() -> Vec<(Reason, Outcome, Value)> {
    let case = |changes: &[(&str, Value)]| {
        let mut case = base();
        for (pointer, value) in changes {
            set(&mut case, pointer, value.clone());
        }
        case
    };
    let history = |entries: Vec<Value>| ("/history", Value::Array(entries));
    use Outcome::*;
    use Reason::*;
    vec![
        (
            PhysicalThreat,
            Escalated,
            case(&[("/conduct", json!({"threat": "physical"}))]),
        ),
        (
            LegalThreat,
            Escalated,
            case(&[("/conduct", json!({"threat": "legal"}))]),
        ),
        (
            CriticalComplaint,
            Escalated,
            case(&[("/complaint/category", json!("food_safety"))]),
        ),
        (
            SupervisorRequested,
            Escalated,
            case(&[("/conduct", json!({"insists_on_supervisor": true}))]),
        ),
        (
            AbusiveLanguage,
            Granted,
            case(&[("/conduct", json!({"abusive_language": true}))]),
        ),
        (
            PersonalAdvances,
            Granted,
            case(&[("/conduct", json!({"personal_advances": true}))]),
        ),
        (
            OrderCustomerMismatch,
            Refused,
            case(&[("/order/customer_id", json!("C-2002"))]),
        ),
        (
            OrderAlreadyCompensated,
            Refused,
            case(&[history(vec![past("3449", 2, "10000", "moderate")])]),
        ),
        (
            ClaimWindowExpired,
            Refused,
            case(&[
                ("/order/placed_at", json!("2026-11-21T08:10:00+07:00")),
                ("/order/delivered_at", json!("2026-11-21T08:55:00+07:00")),
            ]),
        ),
        (
            NotCompanyFault,
            Refused,
            case(&[("/complaint/company_at_fault", json!(false))]),
        ),
        (
            EvidenceRequired,
            Refused,
            case(&[("/complaint/category", json!("wrong_item"))]),
        ),
        (
            VoucherLimitReached,
            Refused,
            case(&[history(vec![
                past("3401", 2, "10000", "moderate"),
                past("3417", 4, "10000", "moderate"),
            ])]),
        ),
        (
            VoucherValueLimitReached,
            Refused,
            case(&[history(vec![past("3301", 20, "148000", "major")])]),
        ),
        (
            ReducedToValueLimit,
            Granted,
            case(&[history(vec![past("3301", 20, "130000", "major")])]),
        ),
        (
            MinorComplaintRecentVoucher,
            Refused,
            case(&[
                ("/complaint/category", json!("food_not_hot")),
                history(vec![past("3401", 3, "10000", "moderate")]),
            ]),
        ),
        (
            RepeatedMinorComplaints,
            Refused,
            case(&[
                ("/complaint/category", json!("food_not_hot")),
                history(vec![
                    past("3301", 10, "10000", "minor"),
                    past("3302", 15, "10000", "minor"),
                    past("3303", 20, "10000", "minor"),
                ]),
            ]),
        ),
        (
            ReducedToPolicyAmount,
            Granted,
            case(&[("/requested_amount", json!("50000"))]),
        ),
        (
            AboveAgentAuthority,
            Escalated,
            case(&[
                ("/order/total", json!("1000000")),
                ("/complaint/category", json!("wrong_item")),
                ("/complaint/evidence", json!("photo")),
            ]),
        ),
        (ValidComplaint, Granted, base()),
    ]
}

/// Writes a whole IDR amount the way the locale reads it: `Rp33.000` or `IDR 33,000`.
fn rupiah(amount: &str, locale: &str) -> String {
    let digits: Vec<char> = amount.chars().collect();
    let mut grouped = String::new();
    for (index, digit) in digits.iter().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(if locale == "id" { '.' } else { ',' });
        }
        grouped.push(*digit);
    }
    match locale {
        "id" => format!("Rp{grouped}"),
        _ => format!("IDR {grouped}"),
    }
}

/// The voucher's last day as the locale writes it.
fn valid_until(locale: &str) -> &'static str {
    match locale {
        "id" => "24 Desember 2026",
        _ => "24 December 2026",
    }
}

/// Words a script must never say: accusations, internal vocabulary, tier names, and every
/// stable code (reasons, flags, alternatives).
fn banned() -> Vec<String> {
    let words = [
        "abuse",
        "fraud",
        "hunter",
        "suspicious",
        "suspicion",
        "penyalahgunaan",
        "disalahgunakan",
        "curang",
        "kecurangan",
        "pemburu",
        "flag",
        "review",
        "policy engine",
        "gold",
        "silver",
        "platinum",
        "security",
    ];
    let mut banned: Vec<String> = words.iter().map(|word| (*word).to_owned()).collect();
    banned.extend(Reason::ALL.iter().map(|code| code.as_str().to_owned()));
    banned.extend(Flag::ALL.iter().map(|code| code.as_str().to_owned()));
    banned.extend(Alternative::ALL.iter().map(|code| code.as_str().to_owned()));
    banned
}

/// Everything every script must be, whatever the case.
fn check_script(label: &str, case: &Value, decision: &Decision, locale: &str) {
    let script = decision.script();
    let text = script.text();
    assert_eq!(script.locale().as_str(), locale, "{label}");
    assert!(!text.trim().is_empty(), "{label}: empty script");
    let name = case["customer"]["name"].as_str().unwrap();
    let order = case["order"]["id"].as_str().unwrap();
    assert!(text.contains(name), "{label}: no name in\n{text}");
    assert!(text.contains(order), "{label}: no order id in\n{text}");

    let lower = text.to_lowercase();
    for word in banned() {
        assert!(!lower.contains(&word), "{label}: says {word:?} in\n{text}");
    }
    assert!(!text.contains('_'), "{label}: a code-like word in\n{text}");

    // No internal numbers: once the customer's own text, the voucher and its date are taken
    // out, no digit is left.
    let mut rest = text.replace(name, "").replace(order, "");
    if let Some(voucher) = decision.voucher() {
        let amount = rupiah(&voucher.amount().to_string(), locale);
        assert!(text.contains(&amount), "{label}: no {amount} in\n{text}");
        assert!(
            text.contains(valid_until(locale)),
            "{label}: no date in\n{text}"
        );
        rest = rest.replace(&amount, "").replace(valid_until(locale), "");
    }
    assert!(
        !rest.chars().any(|c| c.is_ascii_digit()),
        "{label}: an internal number in\n{text}"
    );

    // Empathy first, an offer of help last.
    let (hello, help) = match locale {
        "id" => ("Halo Kak", "Apakah ada hal lain yang bisa saya bantu, Kak?"),
        _ => ("Hi ", "Is there anything else I can help you with?"),
    };
    assert!(text.starts_with(hello), "{label}: no greeting in\n{text}");
    assert!(text.ends_with(help), "{label}: no offer of help in\n{text}");
}

fn thanks_loyalty(text: &str, locale: &str) -> bool {
    match locale {
        "id" => text.contains("pelanggan setia"),
        _ => text.contains("loyal customer"),
    }
}

#[test]
fn every_reason_has_a_complete_script_in_both_locales() {
    for (reason, outcome, case) in scenarios() {
        for locale in LOCALES {
            let label = format!("{reason} ({locale})");
            let decision = decide(&case, locale);
            assert!(decision.reasons().contains(reason), "{label}: did not fire");
            assert_eq!(decision.outcome(), outcome, "{label}");
            check_script(&label, &case, &decision, locale);
        }
    }
}

#[test]
fn every_outcome_and_tier_thanks_only_the_tiers_that_are_thanked() {
    let policy = Engine::default().policy().clone();
    for (reason, _, case) in scenarios() {
        for tier in policy.tiers() {
            for locale in LOCALES {
                let mut case = case.clone();
                set(&mut case, "/customer/loyalty", json!(tier.name));
                let decision = decide(&case, locale);
                let label = format!("{reason}, {} ({locale})", tier.name);
                check_script(&label, &case, &decision, locale);
                let text = decision.script().text();
                assert_eq!(
                    thanks_loyalty(text, locale),
                    tier.thank_loyalty,
                    "{label}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn loyalty_is_thanked_for_gold_and_not_for_new_or_regular() {
    for locale in LOCALES {
        for (tier, thanked) in [("gold", true), ("new", false), ("regular", false)] {
            let mut case = base();
            set(&mut case, "/customer/loyalty", json!(tier));
            let text = decide(&case, locale).script().text().to_owned();
            assert_eq!(
                thanks_loyalty(&text, locale),
                thanked,
                "{tier} ({locale}):\n{text}"
            );
        }
    }
}

#[test]
fn grants_state_the_amount_and_date_in_the_locale_forms() {
    let id = decide(&base(), "id");
    assert!(id.script().text().contains("Rp33.000"));
    assert!(id.script().text().contains("24 Desember 2026"));
    let en = decide(&base(), "en");
    assert!(en.script().text().contains("IDR 33,000"));
    assert!(en.script().text().contains("24 December 2026"));
}

#[test]
fn customer_text_is_inserted_verbatim_never_interpreted() {
    for name in ["Rina {amount}", "{0} {{name}} %s", "Dewi\u{a0}Lestari"] {
        for locale in LOCALES {
            for (reason, _, case) in scenarios() {
                let mut case = case.clone();
                set(&mut case, "/customer/name", json!(name));
                set(&mut case, "/order/id", json!("ORD-{id}-7"));
                let decision = decide(&case, locale);
                let text = decision.script().text();
                assert!(text.contains(name), "{reason} ({locale}):\n{text}");
                assert!(text.contains("ORD-{id}-7"), "{reason} ({locale}):\n{text}");
            }
        }
    }
}

#[test]
fn a_blank_name_still_greets_the_customer() {
    let mut case = base();
    set(&mut case, "/customer/name", json!(" "));
    assert!(
        decide(&case, "id")
            .script()
            .text()
            .starts_with("Halo Kak, ")
    );
    assert!(
        decide(&case, "en")
            .script()
            .text()
            .starts_with("Hi there, ")
    );
}

#[test]
fn an_order_on_another_account_explains_nothing_else_about_it() {
    let mut case = base();
    set(&mut case, "/order/customer_id", json!("C-2002"));
    set(
        &mut case,
        "/history",
        json!([past("3449", 2, "10000", "moderate")]),
    );
    let decision = decide(&case, "en");
    assert!(decision.reasons().contains(Reason::OrderAlreadyCompensated));
    let text = decision.script().text();
    assert!(text.contains("isn't registered on the account"), "{text}");
    assert!(!text.contains("already received compensation"), "{text}");
}

#[test]
fn limits_from_history_are_explained_once() {
    // Limit reached and a recent voucher on a minor complaint: one honest reason, not two.
    let case = article_case();
    let id = decide(&case, "id");
    assert!(id.reasons().contains(Reason::MinorComplaintRecentVoucher));
    assert!(id.script().text().contains("batas voucher"));
    assert!(!id.script().text().contains("belum lama ini"));
    let en = decide(&case, "en");
    assert!(en.script().text().contains("voucher limit"));
    assert!(!en.script().text().contains("so soon"));
}

#[test]
fn escalations_never_promise_the_recommended_voucher() {
    for (reason, outcome, case) in scenarios() {
        if outcome != Outcome::Escalated {
            continue;
        }
        for locale in LOCALES {
            let decision = decide(&case, locale);
            let text = decision.script().text();
            assert!(
                !text.contains("Rp") && !text.contains("IDR"),
                "{reason}:\n{text}"
            );
            assert!(
                !text.to_lowercase().contains("voucher"),
                "{reason}:\n{text}"
            );
        }
    }
}

#[test]
fn conduct_lines_come_with_every_outcome() {
    for (reason, _, case) in scenarios() {
        for locale in LOCALES {
            let mut case = case.clone();
            let mut conduct = case.get("conduct").cloned().unwrap_or(json!({}));
            set(&mut conduct, "/abusive_language", json!(true));
            set(&mut conduct, "/personal_advances", json!(true));
            set(&mut case, "/conduct", conduct);
            let decision = decide(&case, locale);
            let text = decision.script().text();
            let (respectful, boundary) = match locale {
                "id" => ("bahasa yang sopan", "hanya dapat membahas"),
                _ => ("respectful", "keep our conversations to your order"),
            };
            assert!(text.contains(respectful), "{reason} ({locale}):\n{text}");
            assert!(text.contains(boundary), "{reason} ({locale}):\n{text}");
            check_script(
                &format!("{reason} with conduct ({locale})"),
                &case,
                &decision,
                locale,
            );
        }
    }
}

#[test]
fn scripts_are_deterministic() {
    for (_, _, case) in scenarios() {
        for locale in LOCALES {
            assert_eq!(decide(&case, locale), decide(&case, locale));
        }
    }
}

// ---- snapshots ----------------------------------------------------------------------------

/// The article's case: gold customer Budi Santoso, order 3449, food not hot, three vouchers
/// already this week.
fn article_case() -> Value {
    json!({
        "now": NOW,
        "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "gold"},
        "order": {"id": "3449", "customer_id": "C-1001", "total": "85000", "currency": "IDR",
                  "placed_at": "2026-11-24T08:10:00+07:00",
                  "delivered_at": "2026-11-24T08:55:00+07:00"},
        "complaint": {"category": "food_not_hot", "reported_at": "2026-11-24T09:30:00+07:00",
                      "company_at_fault": true, "evidence": "none"},
        "requested_amount": "50000",
        "history": [
            {"order_id": "3401", "granted_at": "2026-11-18T12:00:00+07:00", "amount": "10000",
             "currency": "IDR", "severity": "minor"},
            {"order_id": "3417", "granted_at": "2026-11-20T12:00:00+07:00", "amount": "10000",
             "currency": "IDR", "severity": "minor"},
            {"order_id": "3430", "granted_at": "2026-11-22T12:00:00+07:00", "amount": "15000",
             "currency": "IDR", "severity": "minor"}
        ]
    })
}

fn scenario(reason: Reason) -> Value {
    scenarios()
        .into_iter()
        .find(|(fired, _, _)| *fired == reason)
        .map(|(_, _, case)| case)
        .unwrap()
}

fn snapshot(name: &str, case: &Value, outcome: Outcome) {
    for locale in LOCALES {
        let decision = decide(case, locale);
        assert_eq!(decision.outcome(), outcome, "{name} ({locale})");
        check_script(name, case, &decision, locale);
        insta::assert_snapshot!(format!("{name}_{locale}"), decision.script().text());
    }
}

#[test]
fn snapshot_article_case_refused() {
    let case = article_case();
    let decision = decide(&case, "id");
    assert!(decision.reasons().contains(Reason::VoucherLimitReached));
    snapshot("article_case", &case, Outcome::Refused);
}

#[test]
fn snapshot_fair_grant() {
    snapshot("fair_grant", &base(), Outcome::Granted);
}

#[test]
fn snapshot_grant_reduced_to_policy_amount() {
    snapshot(
        "grant_reduced_to_policy_amount",
        &scenario(Reason::ReducedToPolicyAmount),
        Outcome::Granted,
    );
}

#[test]
fn snapshot_grant_reduced_to_value_limit() {
    snapshot(
        "grant_reduced_to_value_limit",
        &scenario(Reason::ReducedToValueLimit),
        Outcome::Granted,
    );
}

#[test]
fn snapshot_escalation_physical_threat() {
    snapshot(
        "escalation_physical_threat",
        &scenario(Reason::PhysicalThreat),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_legal_threat() {
    snapshot(
        "escalation_legal_threat",
        &scenario(Reason::LegalThreat),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_critical_complaint() {
    snapshot(
        "escalation_critical_complaint",
        &scenario(Reason::CriticalComplaint),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_supervisor_requested() {
    snapshot(
        "escalation_supervisor_requested",
        &scenario(Reason::SupervisorRequested),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_above_agent_authority() {
    snapshot(
        "escalation_above_agent_authority",
        &scenario(Reason::AboveAgentAuthority),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_abusive_language_on_a_grant() {
    snapshot(
        "abusive_language_grant",
        &scenario(Reason::AbusiveLanguage),
        Outcome::Granted,
    );
}

#[test]
fn snapshot_personal_advances_on_a_refusal() {
    let mut case = scenario(Reason::VoucherLimitReached);
    set(&mut case, "/conduct", json!({"personal_advances": true}));
    snapshot("personal_advances_refusal", &case, Outcome::Refused);
}

#[test]
fn snapshot_evidence_required() {
    snapshot(
        "evidence_required",
        &scenario(Reason::EvidenceRequired),
        Outcome::Refused,
    );
}

#[test]
fn snapshot_refusals_with_two_reasons() {
    let mut case = scenario(Reason::EvidenceRequired);
    set(&mut case, "/complaint/company_at_fault", json!(false));
    snapshot(
        "not_company_fault_and_evidence_required",
        &case,
        Outcome::Refused,
    );
}

#[test]
fn snapshot_every_other_refusal() {
    for reason in [
        Reason::OrderCustomerMismatch,
        Reason::OrderAlreadyCompensated,
        Reason::ClaimWindowExpired,
        Reason::NotCompanyFault,
        Reason::VoucherValueLimitReached,
        Reason::MinorComplaintRecentVoucher,
        Reason::RepeatedMinorComplaints,
    ] {
        snapshot(
            &format!("refused_{reason}"),
            &scenario(reason),
            Outcome::Refused,
        );
    }
}
