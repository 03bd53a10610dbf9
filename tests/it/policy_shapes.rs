//! The optional shapes of a policy: several limits per tier, account age, caps relative to the
//! order, per-category rules, evidence deadlines, fault parties, customer lists and several
//! markets. The engine against the reference model of every shape (`reference_shapes.rs`) on
//! generated policies and cases, and each shape on the edges of its windows.

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use voucher_policy::{
    Case, Code, Decision, Engine, LimitFact, MarketName, Markets, Outcome, Party, Policy,
};

use crate::common::{base, secs_ago, set};
use crate::{generators, reference_shapes};

/// The parts of a decision the model predicts, from the engine.
fn observed(decision: &Decision) -> reference_shapes::Expected {
    let verdict = decision.verdict();
    let voucher = match decision.outcome() {
        Outcome::Escalated => verdict
            .recommendation()
            .and_then(|recommendation| recommendation.voucher().copied()),
        _ => decision.voucher().copied(),
    };
    reference_shapes::Expected {
        outcome: decision.outcome().as_str(),
        reasons: decision
            .reasons()
            .iter()
            .map(|reason| reason.as_str())
            .collect(),
        escalate_to: verdict.escalate_to().map(|target| target.as_str()),
        flags: verdict.flags().iter().map(|flag| flag.as_str()).collect(),
        alternatives: verdict
            .alternatives()
            .iter()
            .map(|way| way.as_str())
            .collect(),
        recommendation: verdict
            .recommendation()
            .map(|recommendation| recommendation.outcome().as_str()),
        amount: voucher.map(|voucher| reference_shapes::micro(voucher.amount())),
        valid_until: voucher.map(|voucher| voucher.valid_until()),
        cost_borne_by: verdict.cost_borne_by().map(|party| party.as_str()),
        next_eligible_at: verdict.next_eligible_at(),
        follow_up_by: verdict.follow_up_by(),
    }
}

/// Decides a case on a policy with the engine and with the model, and checks they agree.
fn agree(policy: &Policy, json: &Value) -> Result<(), TestCaseError> {
    let Ok(case) = Case::from_json(&json.to_string()) else {
        return Ok(());
    };
    let engine = Engine::new(policy.clone());
    match (
        engine.decide_case(&case),
        reference_shapes::decide(policy, &case),
    ) {
        (Ok(decision), Ok(expected)) => {
            let observed = observed(&decision);
            prop_assert_eq!(
                &observed,
                &expected,
                "\n{}",
                serde_json::to_string(&decision).unwrap()
            );
            for (got, want) in [
                (observed.valid_until, expected.valid_until),
                (observed.next_eligible_at, expected.next_eligible_at),
                (observed.follow_up_by, expected.follow_up_by),
            ] {
                if let (Some(got), Some(want)) = (got, want) {
                    prop_assert_eq!(got.offset(), want.offset());
                }
            }
        }
        (Err(error), Err(faults)) => prop_assert!(
            faults.iter().any(|fault| fault == error.field()),
            "the engine names {}, the model finds {faults:?}",
            error.field()
        ),
        (Ok(decision), Err(faults)) => prop_assert!(
            false,
            "decided a case the model finds at fault in {faults:?}: {}",
            serde_json::to_string(&decision).unwrap()
        ),
        (Err(error), Ok(expected)) => prop_assert!(
            false,
            "refused a case the model decides ({expected:?}): {error}"
        ),
    }
    Ok(())
}

fn load(file: &Value) -> Policy {
    Policy::from_json_str(&file.to_string())
        .unwrap_or_else(|error| panic!("a generated policy does not load: {error}\n{file}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(generators::cases_divided_by(1) * 4))]

    /// On policies that use every shape and cases on the edges of their windows, the engine and
    /// the model decide the same.
    #[test]
    fn the_engine_agrees_with_the_model_of_every_shape((file, case) in generators::shaped_scenario()) {
        agree(&load(&file), &case)?;
    }

    /// The model of every shape decides the default policy as the engine does too.
    #[test]
    fn the_model_of_every_shape_agrees_on_the_default_policy(case in generators::case()) {
        agree(&Policy::default(), &case)?;
    }

    /// A policy of every shape reads back from its own TOML and JSON as the same policy.
    #[test]
    fn a_shaped_policy_survives_a_round_trip(file in generators::shaped_policy()) {
        let policy = load(&file);
        prop_assert_eq!(&Policy::from_toml_str(&policy.to_toml_string().unwrap()).unwrap(), &policy);
        prop_assert_eq!(&Policy::from_json_str(&policy.to_json_string().unwrap()).unwrap(), &policy);
    }
}

// ---- each shape on the edges of its windows ------------------------------------------------

/// The default policy with `toml` added (it `extends` the default).
fn policy(toml: &str) -> Policy {
    Policy::from_toml_str(&format!("extends = \"default\"\n{toml}")).unwrap()
}

fn decide(policy: &Policy, case: &Value) -> Decision {
    Engine::new(policy.clone())
        .decide_case(&Case::from_json(&case.to_string()).unwrap())
        .unwrap()
}

fn reasons(decision: &Decision) -> Vec<&'static str> {
    decision
        .reasons()
        .iter()
        .map(|reason| reason.as_str())
        .collect()
}

/// A past voucher of another order, `seconds` ago.
fn voucher_ago(index: usize, seconds: i64, amount: &str) -> Value {
    json!({"order_id": format!("P{index}"), "granted_at": secs_ago(seconds), "amount": amount,
           "currency": "IDR", "severity": "moderate"})
}

/// The base case (a gold customer's late delivery, decided at `now`) with this history.
fn with_history(history: Vec<Value>) -> Value {
    let mut case = base();
    set(&mut case, "/customer/loyalty", json!("gold"));
    set(&mut case, "/history", json!(history));
    case
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

#[test]
fn a_further_count_limit_counts_a_voucher_exactly_its_window_old_as_outside() {
    let policy = policy(
        r#"[[tiers]]
name = "gold"
limits = [{ vouchers = 1, window = "24h" }]"#,
    );
    let inside = decide(
        &policy,
        &with_history(vec![voucher_ago(0, DAY - 1, "10000")]),
    );
    assert_eq!(reasons(&inside), ["voucher_limit_reached"]);
    let facts = inside.verdict().facts();
    assert_eq!(facts.further_limits.len(), 1);
    let fact = facts.further_limits.iter().next().unwrap();
    assert!(matches!(
        fact,
        LimitFact::Vouchers {
            limit: 1,
            used: 1,
            ..
        }
    ));
    assert!(fact.reached());
    let outside = decide(&policy, &with_history(vec![voucher_ago(0, DAY, "10000")]));
    assert_eq!(outside.outcome(), Outcome::Granted);
    assert!(
        !outside
            .verdict()
            .facts()
            .further_limits
            .iter()
            .next()
            .unwrap()
            .reached()
    );
}

#[test]
fn a_further_value_limit_cuts_or_refuses_at_its_window_edge() {
    // Gold may get Rp40.000 a day; Rp30.000 of it used a second inside the day leaves Rp10.000.
    let policy = policy(
        r#"[[tiers]]
name = "gold"
limits = [{ value = 40000, window = "1d" }]"#,
    );
    let mut case = with_history(vec![voucher_ago(0, DAY - 1, "30000")]);
    set(&mut case, "/order/total", json!("200000"));
    let cut = decide(&policy, &case);
    assert_eq!(reasons(&cut), ["reduced_to_value_limit", "valid_complaint"]);
    assert_eq!(cut.voucher().unwrap().amount(), Decimal::from(10_000));
    // A second older, the day's value is untouched.
    let mut case = with_history(vec![voucher_ago(0, DAY, "30000")]);
    set(&mut case, "/order/total", json!("200000"));
    assert_eq!(
        decide(&policy, &case).voucher().unwrap().amount(),
        Decimal::from(40_000)
    );
    // Rp36.000 used leaves less than the minimum voucher: refused.
    let case = with_history(vec![voucher_ago(0, DAY - 1, "36000")]);
    assert_eq!(
        reasons(&decide(&policy, &case)),
        ["voucher_value_limit_reached"]
    );
}

/// A case of a customer whose account was made `age` seconds before now.
fn young_case(age: i64, history: Vec<Value>) -> Value {
    let mut case = with_history(history);
    set(&mut case, "/customer/since", json!(secs_ago(age)));
    set(&mut case, "/complaint/evidence", json!("photo"));
    case
}

#[test]
fn a_young_account_s_rules_apply_until_exactly_its_age() {
    let policy = policy(
        r#"[young_accounts]
younger_than = "30d"
lifetime_vouchers = 1
evidence_required = true"#,
    );
    let old_voucher = || vec![voucher_ago(0, 20 * DAY, "10000")];
    let young = decide(&policy, &young_case(30 * DAY - 1, old_voucher()));
    assert_eq!(reasons(&young), ["young_account_limit_reached"]);
    let account = young.verdict().facts().account.clone().unwrap();
    assert!(account.young);
    assert_eq!(
        (account.vouchers_ever, account.lifetime_vouchers),
        (1, Some(1))
    );
    let grown = decide(&policy, &young_case(30 * DAY, old_voucher()));
    assert_eq!(grown.outcome(), Outcome::Granted);
    // A young account's claim needs evidence, even for a moderate complaint.
    let mut case = young_case(DAY, Vec::new());
    set(&mut case, "/complaint/evidence", json!("none"));
    assert_eq!(reasons(&decide(&policy, &case)), ["evidence_required"]);
    // Without `since`, no account is young.
    let mut case = with_history(old_voucher());
    set(&mut case, "/complaint/evidence", json!("none"));
    assert_eq!(decide(&policy, &case).outcome(), Outcome::Granted);
}

#[test]
fn a_share_of_the_order_caps_the_voucher_and_a_category_s_share_goes_beyond_it() {
    let policy = policy(
        r#"[maximum_share]
moderate = 0.2

[categories.gift_card]
severity = "moderate"
maximum_share = 1.5
rate = 1"#,
    );
    // 120000 x 0.25 x 1.25 = 37500, capped at a fifth of the order: 24000.
    let mut case = base();
    set(&mut case, "/customer/loyalty", json!("gold"));
    set(&mut case, "/order/total", json!("120000"));
    let capped = decide(&policy, &case);
    assert_eq!(capped.voucher().unwrap().amount(), Decimal::from(24_000));
    assert_eq!(
        capped.verdict().facts().maximum_share,
        Some(Decimal::new(2, 1))
    );
    // A gift card of Rp60.000: 60000 x 1 x 1.25 = 75000, above the order, within 150%.
    set(&mut case, "/order/total", json!("60000"));
    set(&mut case, "/complaint/category", json!("gift_card"));
    let gift = decide(&policy, &case);
    assert_eq!(gift.voucher().unwrap().amount(), Decimal::from(75_000));
    assert_eq!(gift.outcome(), Outcome::Granted);
}

#[test]
fn a_category_s_claim_window_ends_exactly_its_length_after_delivery() {
    let policy = policy(
        r#"[categories.hot_food]
severity = "minor"
claim_window = "2h""#,
    );
    let mut case = base();
    set(&mut case, "/complaint/category", json!("hot_food"));
    set(&mut case, "/order/placed_at", json!(secs_ago(3 * HOUR)));
    set(&mut case, "/order/delivered_at", json!(secs_ago(2 * HOUR)));
    set(&mut case, "/complaint/reported_at", json!(secs_ago(0)));
    let on_time = decide(&policy, &case);
    assert_eq!(on_time.outcome(), Outcome::Granted);
    assert_eq!(
        on_time.verdict().facts().claim_window.as_seconds(),
        2 * HOUR
    );
    set(
        &mut case,
        "/order/delivered_at",
        json!(secs_ago(2 * HOUR + 1)),
    );
    assert_eq!(reasons(&decide(&policy, &case)), ["claim_window_expired"]);
}

#[test]
fn evidence_counts_only_until_exactly_its_deadline() {
    let policy = policy(
        r#"[categories.spilled_drink]
severity = "moderate"
evidence = "required"
claim_window = "6h"
evidence_within = "6h""#,
    );
    let mut case = base();
    set(&mut case, "/complaint/category", json!("spilled_drink"));
    set(
        &mut case,
        "/order/delivered_at",
        json!(secs_ago(6 * HOUR + 1)),
    );
    set(&mut case, "/order/placed_at", json!(secs_ago(7 * HOUR)));
    set(&mut case, "/complaint/reported_at", json!(secs_ago(HOUR)));
    set(&mut case, "/complaint/evidence", json!("photo"));
    set(&mut case, "/complaint/evidence_at", json!(secs_ago(1)));
    let in_time = decide(&policy, &case);
    assert_eq!(in_time.outcome(), Outcome::Granted);
    let evidence = in_time.verdict().facts().evidence.clone().unwrap();
    assert_eq!(evidence.elapsed_seconds, 6 * HOUR);
    set(&mut case, "/complaint/evidence_at", json!(secs_ago(0)));
    let late = decide(&policy, &case);
    assert_eq!(reasons(&late), ["evidence_too_late"]);
    assert_eq!(
        late.verdict()
            .alternatives()
            .iter()
            .map(|way| way.as_str())
            .collect::<Vec<_>>(),
        ["priority_support"]
    );
    // No photo at all is the other refusal; a photo without its time cannot be decided.
    set(&mut case, "/complaint/evidence", json!("none"));
    assert_eq!(reasons(&decide(&policy, &case)), ["evidence_required"]);
    set(&mut case, "/complaint/evidence", json!("photo"));
    crate::common::remove(&mut case, "/complaint/evidence_at");
    let error = Engine::new(policy)
        .decide_case(&Case::from_json(&case.to_string()).unwrap())
        .unwrap_err();
    assert_eq!(error.field(), "complaint.evidence_at");
    assert_eq!(
        error.to_string(),
        "complaint.evidence_at: null is not given, and category spilled_drink counts evidence only within 6h of the delivery"
    );
}

#[test]
fn the_party_at_fault_decides_who_is_compensated_and_who_pays() {
    let policy = policy(
        r#"[fault]
compensated = ["merchant", "courier", "unknown"]
cost_borne_by = { unknown = "courier" }"#,
    );
    let mut case = base();
    for (party, outcome, bearer) in [
        ("merchant", Outcome::Granted, Some(Party::Merchant)),
        ("courier", Outcome::Granted, Some(Party::Courier)),
        ("unknown", Outcome::Granted, Some(Party::Courier)),
        ("platform", Outcome::Refused, None),
        ("customer", Outcome::Refused, None),
    ] {
        set(&mut case, "/complaint/fault", json!(party));
        let decision = decide(&policy, &case);
        assert_eq!(decision.outcome(), outcome, "{party}");
        assert_eq!(decision.verdict().cost_borne_by(), bearer, "{party}");
    }
    // The customer's own fault has its own reason, and no "so it does not happen again".
    let own = decide(&policy, &case);
    assert_eq!(reasons(&own), ["customer_at_fault"]);
    let script = own.script().text();
    assert!(!script.contains("teruskan ke tim terkait"), "{script}");
    set(&mut case, "/complaint/fault", json!("platform"));
    assert_eq!(reasons(&decide(&policy, &case)), ["not_company_fault"]);
}

#[test]
fn a_review_list_escalates_and_a_recovery_list_lifts_the_cool_down() {
    let policy = policy(
        r#"[lists.review]
escalate_to = "supervisor"

[lists.recovery]
waive = ["minor_complaint_recent_voucher"]"#,
    );
    let mut case = with_history(vec![voucher_ago(0, 7 * DAY - 1, "10000")]);
    set(&mut case, "/complaint/category", json!("packaging"));
    assert_eq!(
        reasons(&decide(&policy, &case)),
        ["minor_complaint_recent_voucher"]
    );
    set(&mut case, "/customer/lists", json!(["recovery"]));
    let recovered = decide(&policy, &case);
    assert_eq!(recovered.outcome(), Outcome::Granted);
    assert_eq!(
        recovered
            .verdict()
            .facts()
            .waived
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
        ["minor_complaint_recent_voucher"]
    );
    set(&mut case, "/customer/lists", json!(["review"]));
    let reviewed = decide(&policy, &case);
    assert_eq!(reviewed.outcome(), Outcome::Escalated);
    assert_eq!(
        reasons(&reviewed),
        ["customer_listed", "minor_complaint_recent_voucher"]
    );
    // The script never names the list.
    let script = reviewed.script().text().to_lowercase();
    assert!(
        !script.contains("review") && !script.contains("daftar"),
        "{script}"
    );
    set(&mut case, "/customer/lists", json!(["vip"]));
    let error = Engine::new(policy)
        .decide_case(&Case::from_json(&case.to_string()).unwrap())
        .unwrap_err();
    assert_eq!(error.field(), "customer.lists[0]");
}

#[test]
fn each_market_decides_on_its_own_policy() {
    let markets = Markets::load("examples/policies/three_markets.toml").unwrap();
    let engine = Engine::for_markets(markets);
    let mut case = base();
    let indonesia = decide_on(&engine, &case);
    assert_eq!(indonesia.verdict().policy().name(), "indonesia");
    set(&mut case, "/market", json!("sg"));
    set(&mut case, "/customer/loyalty", json!("plus"));
    set(&mut case, "/order/currency", json!("SGD"));
    set(&mut case, "/order/total", json!("42.50"));
    let singapore = decide_on(&engine, &case);
    assert_eq!(singapore.verdict().policy().name(), "singapore");
    // 42.50 x 0.20 x 1.10 = 9.35, rounded down to the 0.50 step.
    assert_eq!(singapore.voucher().unwrap().amount(), Decimal::new(900, 2));
    assert_eq!(
        singapore
            .voucher()
            .unwrap()
            .valid_until()
            .offset()
            .local_minus_utc(),
        8 * 3_600
    );
    set(&mut case, "/market", json!("th"));
    let error = engine
        .decide_case(&Case::from_json(&case.to_string()).unwrap())
        .unwrap_err();
    assert_eq!(error.field(), "market");
    assert_eq!(
        engine
            .policy_of(&MarketName::new("my"))
            .map(|policy| policy.currency()),
        Some(voucher_policy::Currency::MYR)
    );
}

fn decide_on(engine: &Engine, case: &Value) -> Decision {
    engine
        .decide_case(&Case::from_json(&case.to_string()).unwrap())
        .unwrap()
}

#[test]
fn a_markets_file_names_each_problem_with_its_market() {
    let error = Markets::from_toml_str(
        r#"[markets.id]
extends = "default"

[markets.my]
extends = "default"
currency = "MYR"
step = -1"#,
    )
    .unwrap_err();
    let paths: Vec<&str> = error
        .problems()
        .iter()
        .map(|problem| problem.path())
        .collect();
    assert!(paths.contains(&"markets.my.step"), "{paths:?}");
    assert!(Markets::from_toml_str("").is_err());
}

#[test]
fn the_example_policies_load_without_warnings() {
    for file in ["marketplace", "food_delivery"] {
        let policy = Policy::load(format!("examples/policies/{file}.toml")).unwrap();
        assert_eq!(policy.lint(), [], "{file}");
    }
    let markets = Markets::load("examples/policies/three_markets.toml").unwrap();
    for (name, policy) in markets.iter() {
        assert_eq!(policy.lint(), [], "{name}");
    }
}
