//! Policies load from TOML and JSON files, and the shipped files decide as they should.

use serde_json::json;
use voucher_policy::{Case, Engine, Outcome, Policy, PolicyError, Reason};

fn shipped(name: &str) -> Policy {
    Policy::load(format!(
        "{}/examples/policies/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// A case on the default policy's categories and tiers, with `history` vouchers of `amount`,
/// one a day before `now`.
fn case(tier: &str, category: &str, total: &str, history: usize, amount: &str) -> Case {
    let history: Vec<_> = (1..=history)
        .map(|day| {
            json!({"order_id": format!("H{day}"), "granted_at": format!("2026-11-{:02}T09:00:00+07:00", 24 - day),
                   "amount": amount, "currency": "IDR", "severity": if day % 2 == 0 { "minor" } else { "moderate" }})
        })
        .collect();
    let value = json!({
        "now": "2026-11-24T10:00:00+07:00",
        "customer": {"id": "C-1", "name": "Dewi", "loyalty": tier},
        "order": {"id": "9001", "customer_id": "C-1", "total": total, "currency": "IDR",
                  "placed_at": "2026-11-24T08:00:00+07:00", "delivered_at": "2026-11-24T08:40:00+07:00"},
        "complaint": {"category": category, "reported_at": "2026-11-24T09:00:00+07:00", "evidence": "photo"},
        "history": history,
    });
    Case::from_json(&value.to_string()).unwrap()
}

#[test]
fn default_toml_is_the_embedded_default_policy() {
    assert_eq!(shipped("default.toml"), Policy::default());
}

#[test]
fn default_toml_decides_byte_for_byte_like_the_embedded_default() {
    let from_file = Engine::new(shipped("default.toml"));
    let embedded = Engine::default();
    let mut compared = 0;
    for tier in ["new", "regular", "silver", "gold", "platinum"] {
        for category in ["food_not_hot", "late_delivery", "wrong_item", "food_safety"] {
            for history in [0, 1, 2, 3, 5] {
                for total in ["8500", "85000", "420000", "1999999"] {
                    let case = case(tier, category, total, history, "20000");
                    let a = serde_json::to_string(&from_file.decide_case(&case).unwrap()).unwrap();
                    let b = serde_json::to_string(&embedded.decide_case(&case).unwrap()).unwrap();
                    assert_eq!(a, b, "{tier} {category} {history} {total}");
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 400);
}

#[test]
fn a_policy_survives_toml_and_json_round_trips() {
    for name in ["default.toml", "strict.toml", "usd.toml"] {
        let policy = shipped(name);
        assert_eq!(
            Policy::from_toml_str(&policy.to_toml_string().unwrap()).unwrap(),
            policy,
            "{name} via TOML"
        );
        assert_eq!(
            Policy::from_json_str(&policy.to_json_string().unwrap()).unwrap(),
            policy,
            "{name} via JSON"
        );
    }
}

#[test]
fn a_json_file_loads_by_its_extension() {
    let path = std::env::temp_dir().join(format!("voucher-policy-{}.json", std::process::id()));
    std::fs::write(&path, Policy::default().to_json_string().unwrap()).unwrap();
    let loaded = Policy::load(&path);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(loaded.unwrap(), Policy::default());
}

#[test]
fn a_missing_file_names_the_path() {
    let error = Policy::load("no/such/policy.toml").unwrap_err();
    assert!(matches!(error, PolicyError::Io { .. }));
    assert!(
        error.to_string().starts_with("no/such/policy.toml: "),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_toml_says_so_with_its_path() {
    let path = std::env::temp_dir().join(format!("voucher-policy-{}.toml", std::process::id()));
    std::fs::write(&path, "this is = = not toml").unwrap();
    let error = Policy::load(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(error, PolicyError::Syntax(_)));
    assert!(error.to_string().contains("not a policy file"), "{error}");
}

#[test]
fn every_decision_reports_the_policy_that_made_it() {
    let decision = Engine::new(shipped("strict.toml"))
        .decide_case(&case("gold", "late_delivery", "85000", 0, "1000"))
        .unwrap();
    assert_eq!(decision.verdict().policy().name(), "strict");
    assert_eq!(decision.verdict().policy().version(), "2027-01");
    let wire = serde_json::to_value(&decision).unwrap();
    let fingerprint = shipped("strict.toml").fingerprint().to_string();
    assert_eq!(
        wire["policy"],
        json!({"name": "strict", "version": "2027-01", "fingerprint": fingerprint})
    );
    assert_eq!(fingerprint.len(), 64);
    assert!(
        fingerprint
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
}

#[test]
fn the_strict_policy_refuses_a_second_voucher_the_default_grants() {
    // Gold: two vouchers in the last 14 days. The default allows 3 per 7 days (2 of the 7-day
    // window are used); strict allows 2 per 14 days.
    let case = case("gold", "late_delivery", "85000", 2, "10000");
    let default = Engine::default().decide_case(&case).unwrap();
    let strict = Engine::new(shipped("strict.toml"))
        .decide_case(&case)
        .unwrap();
    assert_eq!(default.outcome(), Outcome::Granted);
    assert_eq!(strict.outcome(), Outcome::Refused);
    assert!(strict.reasons().contains(Reason::VoucherLimitReached));
    assert_eq!(strict.verdict().facts().count_limit, 2);
}

#[test]
fn the_strict_policy_gives_smaller_amounts_and_escalates_sooner() {
    // Moderate on 300,000 for silver: default 25% x 1.10 = 82,500 -> 82,000 granted;
    // strict 20% x 1.05 = 63,000, above its 50,000 authority.
    let case = case("silver", "late_delivery", "300000", 0, "1000");
    let default = Engine::default().decide_case(&case).unwrap();
    let strict = Engine::new(shipped("strict.toml"))
        .decide_case(&case)
        .unwrap();
    assert_eq!(default.voucher().unwrap().amount().to_string(), "82000");
    assert_eq!(strict.outcome(), Outcome::Escalated);
    let recommended = strict
        .verdict()
        .recommendation()
        .unwrap()
        .voucher()
        .unwrap();
    assert_eq!(recommended.amount().to_string(), "63000");
    assert!(strict.reasons().contains(Reason::AboveAgentAuthority));
}

fn usd_case(tier: &str, category: &str, total: &str, locale: &str) -> Case {
    let value = json!({
        "now": "2026-11-24T15:00:00Z",
        "locale": locale,
        "customer": {"id": "U-77", "name": "Jordan Lee", "loyalty": tier},
        "order": {"id": "A-1009", "customer_id": "U-77", "total": total, "currency": "USD",
                  "placed_at": "2026-11-24T12:00:00Z", "delivered_at": "2026-11-24T13:10:00Z"},
        "complaint": {"category": category, "reported_at": "2026-11-24T14:00:00Z"},
        "history": [{"order_id": "A-0950", "granted_at": "2026-11-10T12:00:00Z", "amount": "4.50", "currency": "USD", "severity": "minor"}]
    });
    Case::from_json(&value.to_string()).unwrap()
}

#[test]
fn the_usd_policy_rounds_down_to_the_cent_with_its_own_tiers_and_categories() {
    let engine = Engine::new(shipped("usd.toml"));
    // 23.45 x 20% (moderate) x 1.20 (premium) = 5.628 -> 5.62
    let decision = engine
        .decide_case(&usd_case("premium", "late_delivery", "23.45", "en"))
        .unwrap();
    assert_eq!(decision.outcome(), Outcome::Granted);
    let voucher = decision.voucher().unwrap();
    assert_eq!(voucher.amount().to_string(), "5.62");
    assert_eq!(voucher.currency().as_str(), "USD");
    // 60 days from 15:00Z, written at the store's -05:00.
    assert_eq!(
        voucher.valid_until().to_rfc3339(),
        "2027-01-23T10:00:00-05:00"
    );
    assert!(
        decision.script().text().contains("USD 5.62"),
        "{}",
        decision.script().text()
    );
    let indonesian = engine
        .decide_case(&usd_case("premium", "late_delivery", "23.45", "id"))
        .unwrap();
    assert!(
        indonesian.script().text().contains("USD 5,62"),
        "{}",
        indonesian.script().text()
    );
}

#[test]
fn the_usd_policy_knows_its_own_categories_and_not_the_default_ones() {
    let engine = Engine::new(shipped("usd.toml"));
    let decision = engine
        .decide_case(&usd_case("basic", "cold_food", "18.00", "en"))
        .unwrap();
    // Minor, with a voucher 14 days ago: exactly at the edge of the 14-day cool-down, so outside.
    assert_eq!(decision.outcome(), Outcome::Granted);
    assert_eq!(decision.voucher().unwrap().amount().to_string(), "2.00");
    let error = engine
        .decide_case(&usd_case("basic", "food_not_hot", "18.00", "en"))
        .unwrap_err();
    assert_eq!(error.field(), "complaint.category");
    let error = engine
        .decide_case(&usd_case("gold", "cold_food", "18.00", "en"))
        .unwrap_err();
    assert_eq!(error.field(), "customer.loyalty");
}

#[test]
fn the_shipped_policies_have_no_lint_warnings() {
    for name in ["default.toml", "strict.toml", "usd.toml"] {
        assert_eq!(shipped(name).lint(), [], "{name}");
    }
}
