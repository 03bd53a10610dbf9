//! After the decision: the audit record (id, fingerprint, decided at, whose), the history entry
//! a grant gives, roles with their authority and daily budget, approvals and what would change
//! a refusal.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, TimeDelta};
use serde_json::{Value, json};
use voucher_policy::{
    Agent, AgentId, Approval, ApprovalError, Decision, DecisionId, Engine, EscalationTarget,
    Outcome, PastVoucher, Policy, Problem, Reason, RemedyAction, RoleName,
};

use crate::common::{self, NOW, base, case, days_ago, past, set, with};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// An hour after [`NOW`]: when approvals are given.
fn later() -> DateTime<FixedOffset> {
    at(NOW) + TimeDelta::hours(1)
}

fn supervisor() -> Agent {
    Agent::new(AgentId::new("S-2")).with_role(RoleName::new("supervisor"))
}

fn decide(engine: &Engine, json: &Value) -> Decision {
    engine.decide_case(&case(json)).unwrap()
}

/// Approves the decision of `json` (decided on `engine`) with `history` as it is an hour later.
fn approve(
    engine: &Engine,
    json: &Value,
    history: &[PastVoucher],
    approval: &Approval<'_>,
) -> Result<Decision, ApprovalError> {
    engine.approve(case(json).request(), history, approval, later())
}

fn codes(decision: &Decision) -> Vec<&'static str> {
    decision.reasons().iter().map(|r| r.as_str()).collect()
}

fn amount(decision: &Decision) -> Option<String> {
    decision.voucher().map(|v| v.amount().to_string())
}

/// A platinum customer's major complaint on a large order, with a photo: the policy gives the
/// maximum voucher, 150,000, above the agent's authority of 100,000.
fn above_authority() -> Value {
    with(&[
        ("/customer/loyalty", json!("platinum")),
        ("/order/total", json!("1000000")),
        ("/complaint/category", json!("damaged_item")),
        ("/complaint/evidence", json!("photo")),
    ])
}

// ---------------------------------------------------------------------------------------------
// The audit record.

#[test]
fn a_decision_says_who_when_and_under_which_policy() {
    let decision = decide(&Engine::default(), &base());
    let wire = common::to_json(&decision);
    assert_eq!(wire["customer_id"], "C-1001");
    assert_eq!(wire["order_id"], "3449");
    assert_eq!(wire["decided_at"], NOW);
    assert_eq!(
        wire["policy"]["fingerprint"],
        json!(Policy::default().fingerprint().to_string())
    );
    let id = wire["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    assert_eq!(DecisionId::from_str(id).unwrap(), decision.id());
}

#[test]
fn the_same_case_has_the_same_id_and_any_change_another() {
    let engine = Engine::default();
    let mut history = base();
    set(
        &mut history,
        "/history",
        json!([
            past("1", &days_ago(2), "10000", Some("minor")),
            past("2", &days_ago(20), "15000", None)
        ]),
    );
    let id = decide(&engine, &history).id();
    assert_eq!(decide(&engine, &history).id(), id, "deciding again");

    // What does not change the decision does not change the id.
    let mut reordered = history.clone();
    let entries = reordered["history"].as_array_mut().unwrap();
    entries.reverse();
    assert_eq!(decide(&engine, &reordered).id(), id, "the history's order");
    let mut moved = history.clone();
    set(&mut moved, "/now", json!(common::in_offset(NOW, 0)));
    set(&mut moved, "/order/total", json!("100000.00"));
    assert_eq!(
        decide(&engine, &moved).id(),
        id,
        "an offset, trailing zeros"
    );

    // Anything that could change it does.
    let changes: [(&str, Value); 7] = [
        ("/now", json!("2026-11-24T10:00:01+07:00")),
        ("/order/total", json!("100001")),
        ("/customer/name", json!("Budi")),
        ("/locale", json!("en")),
        ("/history/0/amount", json!("11000")),
        ("/complaint/evidence", json!("photo")),
        ("/conduct/abusive_language", json!(true)),
    ];
    for (pointer, value) in changes {
        let mut changed = history.clone();
        set(&mut changed, pointer, value);
        assert_ne!(decide(&engine, &changed).id(), id, "{pointer}");
    }
    // The same case under another policy is another decision.
    let strict = Engine::new(Policy::load("examples/policies/strict.toml").unwrap());
    assert_ne!(decide(&strict, &history).id(), id, "another policy");
}

/// The id is a function of the case's values alone: the same on every machine and in every
/// build, so it is pinned here.
#[test]
fn the_id_of_a_case_is_the_same_on_every_machine() {
    let decision = decide(&Engine::default(), &base());
    assert_eq!(
        decision.id().to_string(),
        "558618047c0a97f14ef657bd763e7bc2",
        "the id of the base case changed: every stored id would change with it"
    );
}

#[test]
fn the_fingerprint_is_of_the_rules_not_of_how_they_are_written() {
    let text = std::fs::read_to_string("examples/policies/default.toml").unwrap();
    let toml = Policy::from_toml_str(&text).unwrap();
    let json = Policy::from_json_str(&toml.to_json_string().unwrap()).unwrap();
    assert_eq!(toml.fingerprint(), Policy::default().fingerprint());
    assert_eq!(json.fingerprint(), toml.fingerprint());

    // Without its comments, with its categories and roles in another order.
    let bare: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let reordered = bare.replace("food_not_hot = \"minor\"\n", "").replace(
        "food_safety = \"critical\"\n",
        "food_safety = \"critical\"\nfood_not_hot = \"minor\"\n",
    );
    assert_ne!(reordered, bare, "the category moved");
    let reordered = Policy::from_toml_str(&reordered).unwrap();
    assert_eq!(reordered.fingerprint(), toml.fingerprint());

    // Amounts written with trailing zeros are the same amounts.
    let zeros = bare.replace("minimum_voucher = 5000", "minimum_voucher = \"5000.00\"");
    assert_ne!(zeros, bare);
    assert_eq!(
        Policy::from_toml_str(&zeros).unwrap().fingerprint(),
        toml.fingerprint()
    );

    // A changed rule, name or version is another policy.
    for changed in [
        Policy::default()
            .to_builder()
            .minimum_voucher(6_000)
            .build()
            .unwrap(),
        Policy::default().to_builder().version("2").build().unwrap(),
        Policy::default()
            .to_builder()
            .role("supervisor", 250_000, None)
            .build()
            .unwrap(),
    ] {
        assert_ne!(changed.fingerprint(), toml.fingerprint());
    }
}

#[test]
fn a_decision_reads_back_from_its_json() {
    let engine = Engine::default();
    let escalated = decide(&engine, &above_authority());
    let approved = engine
        .approve(
            case(&above_authority()).request(),
            PastVoucher::NONE,
            &Approval::of(&escalated, supervisor()),
            later(),
        )
        .unwrap();
    let refused = decide(
        &engine,
        &with(&[("/complaint/category", json!("damaged_item"))]),
    );
    for decision in [decide(&engine, &base()), escalated, approved, refused] {
        let text = decision.to_json();
        assert_eq!(Decision::from_json(&text).unwrap(), decision, "{text}");
    }
    // A verdict is not a decision, nor the other way round.
    let verdict = engine
        .verdict(case(&base()).request(), PastVoucher::NONE, at(NOW))
        .unwrap();
    let error = Decision::from_json(&serde_json::to_string(&verdict).unwrap()).unwrap_err();
    assert!(error.to_string().contains("verdict"), "{error}");
    let error =
        serde_json::from_str::<voucher_policy::Verdict>(&decide(&engine, &base()).to_json())
            .unwrap_err();
    assert!(error.to_string().contains("decision"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Recording a grant.

#[test]
fn a_grant_gives_the_history_entry_to_store() {
    let engine = Engine::default();
    let decision = decide(&engine, &base());
    let entry = decision.history_entry().unwrap();
    assert_eq!(entry.order_id().as_str(), "3449");
    assert_eq!(entry.amount(), decision.voucher().unwrap().amount());
    assert_eq!(entry.granted_at(), at(NOW));
    assert_eq!(entry.severity(), Some(voucher_policy::Severity::Moderate));
    assert_eq!(entry.decision_id(), Some(decision.id()));
    let stored = serde_json::to_value(&entry).unwrap();
    assert_eq!(stored["decision_id"], json!(decision.id().to_string()));
    let read: PastVoucher = serde_json::from_value(stored).unwrap();
    assert_eq!(read, entry);

    // Recorded, it counts: the same order is not compensated twice.
    let again = engine
        .decide(case(&base()).request(), &[entry], at(NOW))
        .unwrap();
    assert_eq!(codes(&again), ["order_already_compensated"]);

    let refused = decide(
        &engine,
        &with(&[("/complaint/category", json!("damaged_item"))]),
    );
    assert_eq!(refused.history_entry(), None);
    assert_eq!(decide(&engine, &above_authority()).history_entry(), None);
}

// ---------------------------------------------------------------------------------------------
// Roles, authority and budgets.

#[test]
fn the_default_policy_has_an_agent_and_a_supervisor() {
    let policy = Policy::default();
    let names: Vec<&str> = policy.roles().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["agent", "supervisor"]);
    let agent = policy.role("agent").unwrap();
    assert_eq!(agent.authority, 100_000.into());
    assert_eq!(agent.daily_budget, Some(1_000_000.into()));
    assert!(!agent.approves);
    let supervisor = policy.role("supervisor").unwrap();
    assert_eq!(supervisor.authority, 300_000.into());
    assert_eq!(supervisor.daily_budget, Some(5_000_000.into()));
    assert!(supervisor.approves);
}

#[test]
fn a_grant_past_the_agents_daily_budget_escalates() {
    let agent = |granted: &str| {
        with(&[(
            "/agent",
            json!({"id": "A-17", "role": "agent", "granted_today": granted}),
        )])
    };
    // 975,000 + 25,000 is the budget exactly.
    let within = decide(&Engine::default(), &agent("975000"));
    assert_eq!(within.outcome(), Outcome::Granted);
    let decision = decide(&Engine::default(), &agent("976000"));
    assert_eq!(decision.outcome(), Outcome::Escalated);
    assert_eq!(
        decision.verdict().escalate_to(),
        Some(EscalationTarget::Supervisor)
    );
    assert_eq!(
        codes(&decision),
        ["agent_budget_exceeded", "valid_complaint"]
    );
    assert_eq!(
        decision.verdict().facts().daily_budget_left,
        Some(24_000.into())
    );
    let note = decision.agent_note().unwrap().text();
    assert!(note.contains("24000 IDR"), "{note}");
    assert!(
        !decision.script().text().contains("anggaran"),
        "no budget talk to the customer"
    );

    // A supervisor deciding has their own authority and budget.
    let supervisor = with(&[(
        "/agent",
        json!({"id": "S-2", "role": "supervisor", "granted_today": "976000"}),
    )]);
    assert_eq!(
        decide(&Engine::default(), &supervisor).outcome(),
        Outcome::Granted
    );
}

#[test]
fn a_bad_agent_is_an_error_naming_the_field() {
    let cases = [
        (json!({"id": "A-1", "role": "boss"}), "agent.role", "boss"),
        (json!({"id": " ", "role": "agent"}), "agent.id", " "),
        (
            json!({"id": "A-1", "role": "agent", "granted_today": "-5"}),
            "agent.granted_today",
            "-5",
        ),
    ];
    for (agent, field, value) in cases {
        let error = common::error(&with(&[("/agent", agent)]));
        assert_eq!(error.field(), field, "{error}");
        assert!(error.to_string().contains(value), "{error}");
    }
    let error = common::error(&with(&[("/agent", json!({"id": "A-1", "role": "boss"}))]));
    assert!(
        matches!(error.problem(), Problem::UnknownRole { known } if known == &["agent", "supervisor"]),
        "{error}"
    );
}

#[test]
fn roles_are_validated_with_their_paths() {
    let base = "extends = \"default\"\nname = \"x\"\nversion = \"1\"\n";
    let error = Policy::from_toml_str(&format!("{base}[roles.agent]\nauthority = 5000\n"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("roles.agent.authority"), "{error}");
    let error = Policy::from_toml_str(&format!("{base}[roles.lead]\ndaily_budget = -1\n"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("roles.lead.daily_budget"), "{error}");
    // Without roles, the agent has the agent authority and a supervisor the maximum voucher.
    let policy =
        Policy::from_toml_str(&std::fs::read_to_string("examples/policies/strict.toml").unwrap())
            .unwrap();
    let supervisor = policy.role("supervisor").unwrap();
    assert_eq!(supervisor.authority, policy.maximum_voucher());
    assert_eq!(supervisor.daily_budget, None);
    assert_eq!(
        policy.role("agent").unwrap().authority,
        policy.agent_authority()
    );
}

// ---------------------------------------------------------------------------------------------
// Approvals.

#[test]
fn a_supervisor_approves_what_was_above_the_agents_authority() {
    let engine = Engine::default();
    let json = above_authority();
    let escalated = decide(&engine, &json);
    assert_eq!(
        codes(&escalated),
        ["above_agent_authority", "valid_complaint"]
    );
    let approved = approve(&engine, &json, &[], &Approval::of(&escalated, supervisor())).unwrap();
    assert_eq!(approved.outcome(), Outcome::Granted);
    assert_eq!(amount(&approved).as_deref(), Some("150000"));
    assert_eq!(codes(&approved), ["valid_complaint"]);
    let record = approved.approval().unwrap();
    assert_eq!(record.of(), escalated.id());
    assert_eq!(record.approver().as_str(), "S-2");
    assert_eq!(record.role().as_str(), "supervisor");
    assert_eq!(record.override_reason(), None);
    assert_eq!(approved.decided_at(), later());
    assert_ne!(approved.id(), escalated.id());
    assert_eq!(
        approved.history_entry().unwrap().decision_id(),
        Some(approved.id())
    );
    let wire = common::to_json(&approved);
    assert_eq!(wire["approval"]["of"], json!(escalated.id().to_string()));
    assert_eq!(wire["approval"]["approver"], "S-2");
}

#[test]
fn an_approval_beyond_the_approvers_authority_escalates_further() {
    let policy = Policy::default()
        .to_builder()
        .role("supervisor", 120_000, None)
        .build()
        .unwrap();
    let engine = Engine::new(policy);
    let json = above_authority();
    let escalated = decide(&engine, &json);
    let approved = approve(&engine, &json, &[], &Approval::of(&escalated, supervisor())).unwrap();
    assert_eq!(approved.outcome(), Outcome::Escalated);
    assert_eq!(
        codes(&approved),
        ["above_agent_authority", "valid_complaint"]
    );
    assert_eq!(approved.verdict().facts().agent_authority, 120_000.into());
    assert!(approved.approval().is_some());
}

#[test]
fn a_supervisor_settles_a_request_for_a_supervisor_but_not_a_legal_threat() {
    let engine = Engine::default();
    let json = with(&[("/conduct/insists_on_supervisor", json!(true))]);
    let escalated = decide(&engine, &json);
    assert_eq!(
        codes(&escalated),
        ["supervisor_requested", "valid_complaint"]
    );
    let approved = approve(&engine, &json, &[], &Approval::of(&escalated, supervisor())).unwrap();
    assert_eq!(approved.outcome(), Outcome::Granted);
    assert_eq!(codes(&approved), ["valid_complaint"]);
    let handled: Vec<Reason> = approved.approval().unwrap().handled().iter().collect();
    assert_eq!(handled, [Reason::SupervisorRequested]);

    let json = with(&[
        ("/conduct/insists_on_supervisor", json!(true)),
        ("/conduct/threat", json!("legal")),
    ]);
    let escalated = decide(&engine, &json);
    let approved = approve(&engine, &json, &[], &Approval::of(&escalated, supervisor())).unwrap();
    assert_eq!(approved.outcome(), Outcome::Escalated);
    assert_eq!(
        approved.verdict().escalate_to(),
        Some(EscalationTarget::Legal)
    );
}

#[test]
fn an_approval_counts_what_was_granted_in_between() {
    let engine = Engine::default();
    // One voucher this week; the regular tier allows two.
    let mut json = with(&[("/conduct/insists_on_supervisor", json!(true))]);
    set(
        &mut json,
        "/history",
        json!([past("1", &days_ago(2), "10000", None)]),
    );
    let escalated = decide(&engine, &json);
    assert_eq!(
        escalated.verdict().recommendation().unwrap().outcome(),
        Outcome::Granted
    );

    // Before the approval, another order of the customer's was compensated.
    let mut history = case(&json).history().to_vec();
    history.push(PastVoucher::new(
        voucher_policy::OrderId::new("2"),
        10_000,
        voucher_policy::Currency::IDR,
        at(NOW) + TimeDelta::minutes(30),
    ));
    let approved = approve(
        &engine,
        &json,
        &history,
        &Approval::of(&escalated, supervisor()),
    )
    .unwrap();
    assert_eq!(approved.outcome(), Outcome::Refused);
    assert_eq!(codes(&approved), ["voucher_limit_reached"]);
    assert!(approved.verdict().next_eligible_at().is_some());
}

#[test]
fn an_approval_never_grants_twice_for_one_order() {
    let engine = Engine::default();
    let json = above_authority();
    let escalated = decide(&engine, &json);
    let approval = Approval::of(&escalated, supervisor());
    let first = approve(&engine, &json, &[], &approval).unwrap();
    let entry = first.history_entry().unwrap();
    let second = approve(&engine, &json, std::slice::from_ref(&entry), &approval).unwrap();
    assert_eq!(second.outcome(), Outcome::Refused);
    assert_eq!(codes(&second), ["order_already_compensated"]);
    // Not even as an override.
    let overriding = Approval::of(&escalated, supervisor()).with_override_reason("goodwill");
    let third = approve(&engine, &json, &[entry], &overriding).unwrap();
    assert_eq!(third.outcome(), Outcome::Refused);
}

#[test]
fn overriding_a_refusal_needs_a_written_reason_and_is_recorded() {
    let engine = Engine::default();
    let mut json = base();
    set(
        &mut json,
        "/history",
        json!([
            past("1", &days_ago(1), "10000", None),
            past("2", &days_ago(3), "10000", None)
        ]),
    );
    let refused = decide(&engine, &json);
    assert_eq!(codes(&refused), ["voucher_limit_reached"]);

    let history = case(&json).history().to_vec();
    let error = approve(
        &engine,
        &json,
        &history,
        &Approval::of(&refused, supervisor()),
    )
    .unwrap_err();
    assert!(
        matches!(error, ApprovalError::ReasonRequired { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("override_reason"), "{error}");
    let blank = Approval::of(&refused, supervisor()).with_override_reason("  ");
    let error = approve(&engine, &json, &history, &blank).unwrap_err();
    assert!(
        matches!(error, ApprovalError::BlankReason { .. }),
        "{error}"
    );

    let reason = "Third late delivery this week; courier fault confirmed";
    let overriding = Approval::of(&refused, supervisor()).with_override_reason(reason);
    let approved = approve(&engine, &json, &history, &overriding).unwrap();
    assert_eq!(approved.outcome(), Outcome::Granted);
    assert_eq!(amount(&approved).as_deref(), Some("25000"));
    let record = approved.approval().unwrap();
    assert_eq!(record.override_reason(), Some(reason));
    let overridden: Vec<Reason> = record.overridden().iter().collect();
    assert_eq!(overridden, [Reason::VoucherLimitReached]);
    assert_eq!(
        common::to_json(&approved)["approval"]["overridden"],
        json!(["voucher_limit_reached"])
    );
}

#[test]
fn only_a_role_that_approves_may_approve_a_pending_decision_of_the_same_request() {
    let engine = Engine::default();
    let json = above_authority();
    let escalated = decide(&engine, &json);
    let agent = Agent::new(AgentId::new("A-17"));
    let error = approve(&engine, &json, &[], &Approval::of(&escalated, agent)).unwrap_err();
    assert!(error.is_forbidden(), "{error}");
    assert!(error.to_string().contains("approver.role"), "{error}");

    let unknown = Agent::new(AgentId::new("X")).with_role(RoleName::new("director"));
    let error = approve(&engine, &json, &[], &Approval::of(&escalated, unknown)).unwrap_err();
    assert!(error.to_string().contains("approver.role"), "{error}");
    assert!(!error.is_forbidden());

    let granted = decide(&engine, &base());
    let error = approve(&engine, &base(), &[], &Approval::of(&granted, supervisor())).unwrap_err();
    assert!(
        matches!(error, ApprovalError::NothingToApprove { .. }),
        "{error}"
    );

    let other = with(&[
        ("/order/id", json!("9999")),
        ("/customer/loyalty", json!("platinum")),
    ]);
    let error = approve(
        &engine,
        &other,
        &[],
        &Approval::of(&escalated, supervisor()),
    )
    .unwrap_err();
    assert!(error.to_string().contains("order.id"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// What would change a refusal.

#[test]
fn a_refusal_for_missing_evidence_names_the_photo_that_would_change_it() {
    let engine = Engine::default();
    let refused = decide(
        &engine,
        &with(&[("/complaint/category", json!("damaged_item"))]),
    );
    assert_eq!(codes(&refused), ["evidence_required"]);
    let remedies = refused.remedies();
    assert_eq!(remedies.len(), 1);
    assert_eq!(remedies[0].action(), RemedyAction::ProvidePhoto);
    assert_eq!(remedies[0].outcome(), Outcome::Granted);
    // Major: 100,000 x 50%.
    assert_eq!(
        remedies[0].voucher().map(|v| v.amount()),
        Some(50_000.into())
    );
    assert_eq!(
        common::to_json(&refused)["remedies"],
        json!([{"action": "provide_photo", "outcome": "granted", "voucher": {
            "amount": "50000", "currency": "IDR", "valid_until": common::VALID_UNTIL
        }}])
    );

    // A photo would not lift a claim that is also too late.
    let late = with(&[
        ("/complaint/category", json!("damaged_item")),
        ("/order/placed_at", json!(days_ago(6))),
        ("/order/delivered_at", json!(days_ago(5))),
        ("/complaint/reported_at", json!(days_ago(1))),
    ]);
    assert!(decide(&engine, &late).remedies().is_empty());
    // Nor is there one for a grant.
    assert!(decide(&engine, &base()).remedies().is_empty());
}
