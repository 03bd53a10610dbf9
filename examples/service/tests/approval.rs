//! After the decision: a supervisor approves an escalation (or overrides a refusal with a
//! reason) over HTTP. The request is decided again on the history as it is then, the approval is
//! recorded once however many try at once, and the voucher it grants joins the history under the
//! approval's id. On SQLite, and on PostgreSQL with two instances.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{
    AGENT_TOKEN, AUDITOR_TOKEN, Answer, Ask, Postgres, SUPERVISOR_2_TOKEN, SUPERVISOR_TOKEN,
    Service, SqliteFile, approve, client, client_as, get, history, post,
};
use serde_json::{Value, json};

/// An hour after [`NOW`]: when the tests' approvals are given.
const LATER: &str = "2026-11-24T11:00:00+07:00";

fn supervisor() -> reqwest::Client {
    client_as(Some(SUPERVISOR_TOKEN))
}

fn supervisor_2() -> reqwest::Client {
    client_as(Some(SUPERVISOR_2_TOKEN))
}

/// The last instance: approvals go to another instance than decisions when there are two.
fn other(bases: &[String]) -> &str {
    bases.last().expect("an instance")
}

fn reasons(decision: &Value) -> Vec<String> {
    decision["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|reason| reason.as_str().expect("a reason").to_owned())
        .collect()
}

#[track_caller]
fn assert_decided(answer: &Answer, outcome: &str) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.text);
    let decision = answer.json();
    assert_eq!(decision["outcome"], outcome, "{decision}");
    decision
}

#[track_caller]
fn assert_refused(answer: &Answer, status: u16, kind: &str, field: Option<&str>) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(answer.kind(), kind, "{}", answer.text);
    assert_eq!(
        answer.json()["error"]["field"].as_str(),
        field,
        "{}",
        answer.text
    );
}

/// Decide, escalate, approve: the approval grants, its voucher carries its id, the decision
/// reads back by id, and a second approval gets 409 with the first one's decision.
async fn an_escalation_is_approved_once(bases: &[String]) {
    let agent = client();
    let escalated = post(
        &agent,
        &bases[0],
        &Ask::insisting("P-1", "gold", "1").body(),
        None,
    )
    .await
    .unwrap();
    let decision = assert_decided(&escalated, "escalated");
    assert_eq!(decision["escalate_to"], "supervisor");
    let id = escalated.id();

    // Stored under its id, answered byte for byte by any instance.
    let stored = get(&agent, other(bases), &format!("/decisions/{id}")).await;
    assert_eq!(stored.status, 200, "{}", stored.text);
    assert_eq!(stored.text, escalated.text);

    let approved = approve(&supervisor(), other(bases), &id, None, Some(LATER))
        .await
        .unwrap();
    let approval = assert_decided(&approved, "granted");
    assert_eq!(approved.amount(), Some(31_000));
    assert_eq!(approval["decided_at"], LATER);
    assert_eq!(approval["approval"]["of"], id.as_str());
    assert_eq!(approval["approval"]["approver"], "S-1");
    assert_eq!(approval["approval"]["role"], "supervisor");
    assert_eq!(approval["approval"]["override_reason"], Value::Null);
    assert!(
        approval["approval"]["handled"]
            .as_array()
            .unwrap()
            .contains(&json!("supervisor_requested")),
        "{approval}"
    );
    let approval_id = approved.id();
    assert_ne!(approval_id, id, "the approval is a decision of its own");
    assert_eq!(
        get(&agent, &bases[0], &format!("/decisions/{approval_id}"))
            .await
            .text,
        approved.text
    );

    // The voucher is in the history, carrying the approval's id.
    let entries = history(&bases[0], "P-1").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["order_id"], "1");
    assert_eq!(entries[0]["amount"], "31000");
    assert_eq!(entries[0]["decision_id"], approval_id.as_str());
    assert_eq!(entries[0]["granted_at"], LATER);

    // Approved once: the second approval, by anyone, gets the first one's decision.
    for (approver, base) in [(supervisor_2(), &bases[0]), (supervisor(), &bases[0])] {
        let again = approve(
            &approver,
            base,
            &id,
            None,
            Some("2026-11-24T12:00:00+07:00"),
        )
        .await
        .unwrap();
        assert_refused(&again, 409, "already_approved", Some("id"));
        assert_eq!(again.json()["decision"], approved.json());
        assert_eq!(again.json()["error"]["value"], id.as_str());
    }
    assert_eq!(history(other(bases), "P-1").await.len(), 1);
}

/// Approving a refusal overrides it: without a reason (or with a blank one) it is refused with
/// 422, with one it grants and records the reason and what it set aside.
async fn an_override_needs_a_reason_and_is_marked(bases: &[String]) {
    let refused = post(
        &client(),
        &bases[0],
        &Ask::without_photo("P-2", "gold", "1").body(),
        None,
    )
    .await
    .unwrap();
    let decision = assert_decided(&refused, "refused");
    assert_eq!(reasons(&decision), ["evidence_required"]);
    let id = refused.id();

    let without = approve(&supervisor(), other(bases), &id, None, Some(LATER))
        .await
        .unwrap();
    assert_refused(
        &without,
        422,
        "override_reason_required",
        Some("override_reason"),
    );
    assert!(without.text.contains("needs a reason"), "{}", without.text);
    let blank = approve(&supervisor(), other(bases), &id, Some("   "), Some(LATER))
        .await
        .unwrap();
    assert_refused(
        &blank,
        422,
        "override_reason_required",
        Some("override_reason"),
    );
    assert!(
        history(&bases[0], "P-2").await.is_empty(),
        "nothing recorded"
    );

    let reason = "The courier's photo of the crushed box is in ticket 88123";
    let overridden = approve(&supervisor(), other(bases), &id, Some(reason), Some(LATER))
        .await
        .unwrap();
    let approval = assert_decided(&overridden, "granted");
    assert_eq!(approval["approval"]["override_reason"], reason);
    assert_eq!(
        approval["approval"]["overridden"],
        json!(["evidence_required"])
    );
    let entries = history(&bases[0], "P-2").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["decision_id"], overridden.id().as_str());

    let again = approve(&supervisor_2(), &bases[0], &id, Some("again"), Some(LATER))
        .await
        .unwrap();
    assert_refused(&again, 409, "already_approved", Some("id"));
    assert_eq!(again.json()["decision"], overridden.json());
}

/// The limits are checked again at approval: a voucher granted between the escalation and its
/// approval counts, and the approval is refused. That refusal can itself be overridden.
async fn the_limits_are_checked_again_at_approval(bases: &[String]) {
    let agent = client();
    // `new`: one voucher per 7 days.
    let escalated = post(
        &agent,
        &bases[0],
        &Ask::insisting("P-3", "new", "1").body(),
        None,
    )
    .await
    .unwrap();
    assert_decided(&escalated, "escalated");
    let between = post(
        &agent,
        other(bases),
        &Ask::new("P-3", "new", "2").body_at("2026-11-24T10:10:00+07:00"),
        None,
    )
    .await
    .unwrap();
    assert_decided(&between, "granted");

    let approved = approve(&supervisor(), &bases[0], &escalated.id(), None, Some(LATER))
        .await
        .unwrap();
    let approval = assert_decided(&approved, "refused");
    assert!(
        reasons(&approval).contains(&"voucher_limit_reached".to_owned()),
        "{approval}"
    );
    assert_eq!(approval["facts"]["vouchers_in_count_window"], 1);
    assert_eq!(history(&bases[0], "P-3").await.len(), 1);

    // The refused approval is pending in turn: a supervisor may override it, with a reason.
    let overridden = approve(
        &supervisor_2(),
        other(bases),
        &approved.id(),
        Some("Second incident this week, the customer is right"),
        Some("2026-11-24T11:30:00+07:00"),
    )
    .await
    .unwrap();
    let chained = assert_decided(&overridden, "granted");
    assert_eq!(chained["approval"]["of"], approved.id().as_str());
    assert_eq!(
        chained["approval"]["overridden"],
        json!(["voucher_limit_reached"])
    );
    let entries = history(&bases[0], "P-3").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["decision_id"], overridden.id().as_str());
}

/// A grant has nothing to approve, an unknown id is 404, a malformed one 400, a role that does
/// not approve 403, a body with other fields 422; none of it records anything.
async fn what_cannot_be_approved(bases: &[String]) {
    let granted = post(
        &client(),
        &bases[0],
        &Ask::new("P-4", "gold", "1").body(),
        None,
    )
    .await
    .unwrap();
    assert_decided(&granted, "granted");
    let answer = approve(
        &supervisor(),
        other(bases),
        &granted.id(),
        None,
        Some(LATER),
    )
    .await
    .unwrap();
    assert_refused(&answer, 422, "nothing_to_approve", Some("id"));

    let unknown = "0123456789abcdef0123456789abcdef";
    let answer = approve(&supervisor(), other(bases), unknown, None, Some(LATER))
        .await
        .unwrap();
    assert_refused(&answer, 404, "not_found", Some("id"));
    let answer = get(&client(), &bases[0], &format!("/decisions/{unknown}")).await;
    assert_refused(&answer, 404, "not_found", Some("id"));
    let answer = approve(&supervisor(), other(bases), "not-an-id", None, Some(LATER))
        .await
        .unwrap();
    assert_refused(&answer, 400, "invalid_decision_id", Some("id"));
    assert_eq!(answer.json()["error"]["value"], "not-an-id");
    let answer = get(&client(), &bases[0], "/decisions/0123").await;
    assert_refused(&answer, 400, "invalid_decision_id", Some("id"));

    let escalated = post(
        &client(),
        &bases[0],
        &Ask::insisting("P-4", "gold", "2").body(),
        None,
    )
    .await
    .unwrap();
    let id = escalated.id();
    for token in [AGENT_TOKEN, AUDITOR_TOKEN] {
        let answer = approve(
            &client_as(Some(token)),
            other(bases),
            &id,
            None,
            Some(LATER),
        )
        .await
        .unwrap();
        assert_refused(&answer, 403, "forbidden", Some("role"));
        assert!(answer.text.contains("may not approve"), "{}", answer.text);
    }
    let sent = |body: Value| {
        let base = other(bases).to_owned();
        let id = id.clone();
        async move {
            let response = supervisor()
                .post(format!("{base}/decisions/{id}/approval"))
                .json(&body)
                .send()
                .await
                .unwrap();
            common::answer(response).await.unwrap()
        }
    };
    let answer = sent(json!({"override_reason": null, "approver": "S-9"})).await;
    assert_refused(&answer, 422, "invalid_request", Some("approver"));
    let answer = sent(json!({"override_reason": 5})).await;
    assert_refused(&answer, 422, "invalid_request", Some("override_reason"));
    let answer = sent(json!(["yes"])).await;
    assert_refused(&answer, 422, "invalid_request", None);
    assert!(history(&bases[0], "P-4").await.len() == 1);

    // None of that recorded an approval: the supervisor still can, without a body at all.
    let response = supervisor()
        .post(format!("{}/decisions/{id}/approval", other(bases)))
        .send()
        .await
        .unwrap();
    let approved = common::answer(response).await.unwrap();
    assert_decided(&approved, "granted");
    assert_eq!(history(&bases[0], "P-4").await.len(), 2);
}

/// Many approvals of the same escalations at once, from two supervisors on every instance:
/// each escalation is approved once, everyone else gets 409 with that approval. And an approval
/// racing a new request of the same customer is serialised with it: a `new` customer gets one
/// voucher, whichever comes first.
async fn concurrent_approvals_grant_once(bases: &[String]) {
    const ESCALATIONS: usize = 10;
    const TRIES: usize = 8;
    let agent = client();
    let mut ids = Vec::new();
    for n in 0..ESCALATIONS {
        let escalated = post(
            &agent,
            &bases[0],
            &Ask::insisting(&format!("Q-{n}"), "gold", "1").body(),
            None,
        )
        .await
        .unwrap();
        assert_decided(&escalated, "escalated");
        ids.push(escalated.id());
    }

    let mut tasks = tokio::task::JoinSet::new();
    for attempt in 0..TRIES {
        for (n, id) in ids.iter().enumerate() {
            let approver = if attempt % 2 == 0 {
                supervisor()
            } else {
                supervisor_2()
            };
            let base = bases[(attempt + n) % bases.len()].clone();
            let id = id.clone();
            tasks.spawn(async move {
                let answer = approve(&approver, &base, &id, None, Some(LATER)).await;
                (n, answer.expect("answered"))
            });
        }
    }
    let mut answers: BTreeMap<usize, Vec<Answer>> = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (n, answer) = joined.unwrap();
        answers.entry(n).or_default().push(answer);
    }
    for (n, answers) in &answers {
        let granted: Vec<&Answer> = answers.iter().filter(|a| a.status == 200).collect();
        assert_eq!(granted.len(), 1, "Q-{n}: approved exactly once");
        let first = granted[0].json();
        assert_eq!(first["outcome"], "granted");
        for answer in answers.iter().filter(|a| a.status != 200) {
            assert_refused(answer, 409, "already_approved", Some("id"));
            assert_eq!(
                answer.json()["decision"],
                first,
                "Q-{n}: the first approval"
            );
        }
        let entries = history(&bases[0], &format!("Q-{n}")).await;
        assert_eq!(entries.len(), 1, "Q-{n}: one voucher");
        assert_eq!(entries[0]["decision_id"], first["id"]);
    }

    // An approval and a new request of one `new` customer at the same moment: one voucher.
    let mut races = Vec::new();
    for n in 0..ESCALATIONS {
        let customer = format!("R-{n}");
        let escalated = post(
            &agent,
            &bases[0],
            &Ask::insisting(&customer, "new", "1").body(),
            None,
        )
        .await
        .unwrap();
        races.push((customer, escalated.id()));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (customer, id)) in races.iter().enumerate() {
        let base = bases[n % bases.len()].clone();
        let (customer, id) = (customer.clone(), id.clone());
        let other_base = other(bases).to_owned();
        tasks.spawn(async move {
            let body = Ask::new(&customer, "new", "2").body_at(LATER);
            let (approver, agent) = (supervisor(), client());
            let (approved, decided) = tokio::join!(
                approve(&approver, &base, &id, None, Some(LATER)),
                post(&agent, &other_base, &body, None)
            );
            (customer, approved.unwrap(), decided.unwrap())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (customer, approved, decided) = joined.unwrap();
        assert_eq!(approved.status, 200, "{}", approved.text);
        assert_eq!(decided.status, 200, "{}", decided.text);
        let grants = [&approved, &decided]
            .iter()
            .filter(|answer| answer.outcome() == "granted")
            .count();
        assert_eq!(grants, 1, "{customer}: one voucher for a `new` customer");
        assert_eq!(history(&bases[0], &customer).await.len(), 1, "{customer}");
    }
}

/// The embedded default policy's file with the supervisor's daily budget cut to 40,000.
fn policy_with_small_supervisor_budget() -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/default.toml");
    let text = std::fs::read_to_string(&file).expect("read examples/policies/default.toml");
    let budget = "authority = 300000\ndaily_budget = 5000000\n";
    assert!(
        text.contains(budget),
        "default.toml gives the supervisor {budget:?}"
    );
    text.replacen(budget, "authority = 300000\ndaily_budget = 40000\n", 1)
}

/// What a supervisor granted by approvals today counts against their daily budget: the second
/// approval of the day goes past it and escalates further; another supervisor, or the same one
/// the next day, grants.
async fn an_approvers_daily_budget_counts_their_approvals(bases: &[String]) {
    let agent = client();
    let mut ids = Vec::new();
    for n in 0..3 {
        let escalated = post(
            &agent,
            &bases[0],
            &Ask::insisting(&format!("T-{n}"), "gold", "1").body(),
            None,
        )
        .await
        .unwrap();
        ids.push(escalated.id());
    }
    let first = approve(&supervisor(), &bases[0], &ids[0], None, Some(LATER))
        .await
        .unwrap();
    assert_decided(&first, "granted");
    let second = approve(&supervisor(), other(bases), &ids[1], None, Some(LATER))
        .await
        .unwrap();
    let beyond = assert_decided(&second, "escalated");
    assert!(
        reasons(&beyond).contains(&"agent_budget_exceeded".to_owned()),
        "{beyond}"
    );
    assert!(history(&bases[0], "T-1").await.is_empty());
    let by_another = approve(&supervisor_2(), &bases[0], &second.id(), None, Some(LATER))
        .await
        .unwrap();
    assert_decided(&by_another, "granted");
    let next_day = approve(
        &supervisor(),
        other(bases),
        &ids[2],
        None,
        Some("2026-11-25T09:00:00+07:00"),
    )
    .await
    .unwrap();
    assert_decided(&next_day, "granted");
}

/// Every scenario but the budget's, on one set of instances.
async fn scenarios(bases: &[String]) {
    an_escalation_is_approved_once(bases).await;
    an_override_needs_a_reason_and_is_marked(bases).await;
    the_limits_are_checked_again_at_approval(bases).await;
    what_cannot_be_approved(bases).await;
    concurrent_approvals_grant_once(bases).await;
}

fn sqlite_service(database: &SqliteFile) -> Service {
    Service::start(&database.url(), &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_escalation_is_approved_once() {
    let database = SqliteFile::new();
    let service = sqlite_service(&database);
    an_escalation_is_approved_once(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_override_needs_a_reason_and_is_marked() {
    let database = SqliteFile::new();
    let service = sqlite_service(&database);
    an_override_needs_a_reason_and_is_marked(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_limits_are_checked_again_at_approval() {
    let database = SqliteFile::new();
    let service = sqlite_service(&database);
    the_limits_are_checked_again_at_approval(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_what_cannot_be_approved() {
    let database = SqliteFile::new();
    let service = sqlite_service(&database);
    what_cannot_be_approved(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_concurrent_approvals_grant_once() {
    let database = SqliteFile::new();
    let service = sqlite_service(&database);
    concurrent_approvals_grant_once(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_with_many_connections_concurrent_approvals_still_grant_once() {
    // More connections than SQLite has writers: the approvals wait in SQLite's busy handler
    // instead of the pool, and each must still be given once.
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &["--max-connections", "8"]);
    concurrent_approvals_grant_once(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_approvers_daily_budget_counts_their_approvals() {
    let database = SqliteFile::new();
    let policy = database.path("policy.toml");
    std::fs::write(&policy, policy_with_small_supervisor_budget()).unwrap();
    let service = Service::start(&database.url(), &["--policy", policy.to_str().unwrap()]);
    an_approvers_daily_budget_counts_their_approvals(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_instances_approve_each_decision_once() {
    let Some(server) = Postgres::start() else {
        return;
    };
    let url = server.url("approvals");
    let first = Service::start(&url, &[]);
    let second = Service::start(&url, &[]);
    scenarios(&[first.base.clone(), second.base.clone()]).await;

    let url = server.url("budgets");
    let policy_dir = tempfile::tempdir().unwrap();
    let policy = policy_dir.path().join("policy.toml");
    std::fs::write(&policy, policy_with_small_supervisor_budget()).unwrap();
    let policy = policy.to_str().unwrap();
    let first = Service::start(&url, &["--policy", policy]);
    let second = Service::start(&url, &["--policy", policy]);
    an_approvers_daily_budget_counts_their_approvals(&[first.base.clone(), second.base.clone()])
        .await;
}
