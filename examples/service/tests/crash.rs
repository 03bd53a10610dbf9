//! Nothing is lost and nothing recorded twice when the service is killed mid-load: every voucher
//! granted before the kill is stored exactly once, and sending every request again with the same
//! idempotency key replays the stored decisions. The same holds for approvals: every approval
//! answered before the kill is stored once, and approving again answers it (409) instead of
//! approving twice.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{
    Answer, Ask, Postgres, SUPERVISOR_2_TOKEN, SUPERVISOR_TOKEN, Service, SqliteFile, approve,
    client, client_as, fire, post,
};
use serde_json::Value;
use sqlx::AnyPool;

const CUSTOMERS: usize = 20;
const ORDERS: usize = 10;
/// The kill comes after this many answers, with more requests in flight.
const KILL_AFTER: usize = 60;

/// The load: every customer asks about each of their orders, each request with its own key.
fn load() -> Vec<(Value, Option<String>)> {
    let tiers = ["new", "regular", "silver", "gold"];
    let mut requests = Vec::new();
    for order in 0..ORDERS {
        for customer in 0..CUSTOMERS {
            let tier = tiers[customer % tiers.len()];
            let ask = Ask::new(
                &format!("K-{customer}"),
                tier,
                &format!("{customer}-{order}"),
            );
            requests.push((ask.body(), Some(format!("crash-{customer}-{order}"))));
        }
    }
    requests
}

/// The tier limits of the embedded default policy: vouchers per 7 days, value per 30 days.
fn limits(tier: &str) -> (usize, i64) {
    match tier {
        "new" => (1, 50_000),
        "regular" => (2, 100_000),
        "silver" => (2, 150_000),
        "gold" => (3, 250_000),
        other => panic!("no tier {other}"),
    }
}

/// What the load sends: decision requests (with their idempotency keys), or approvals of
/// decisions by id.
#[derive(Clone)]
enum Call {
    Decide(Value, Option<String>),
    Approve(String),
}

/// Sends one call: decisions as agent `A-1`, approvals as supervisor `S-1`, at the service's
/// clock.
async fn send(
    call: &Call,
    decider: &reqwest::Client,
    approver: &reqwest::Client,
    base: &str,
) -> Option<Answer> {
    match call {
        Call::Decide(body, key) => post(decider, base, body, key.as_deref()).await.ok(),
        Call::Approve(id) => approve(approver, base, id, None, None).await.ok(),
    }
}

/// Fires the load at `bases` (16 in flight) and SIGKILLs the process `victim` once `KILL_AFTER`
/// answers have come back. Returns the answers; `None` where the connection died.
async fn fire_and_kill(
    requests: Vec<(Value, Option<String>)>,
    bases: &[String],
    victim: &Service,
) -> Vec<Option<Answer>> {
    let calls = requests
        .into_iter()
        .map(|(body, key)| Call::Decide(body, key))
        .collect();
    fire_calls_and_kill(calls, bases, victim).await
}

/// [`fire_and_kill`] for any calls.
async fn fire_calls_and_kill(
    calls: Vec<Call>,
    bases: &[String],
    victim: &Service,
) -> Vec<Option<Answer>> {
    let (decider, approver) = (client(), client_as(Some(SUPERVISOR_TOKEN)));
    let answered = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(tokio::sync::Notify::new());
    let permits = Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, call) in calls.into_iter().enumerate() {
        let (decider, approver) = (decider.clone(), approver.clone());
        let base = bases[index % bases.len()].clone();
        let (answered, killed, permits) = (
            Arc::clone(&answered),
            Arc::clone(&killed),
            Arc::clone(&permits),
        );
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("a permit");
            let answer = send(&call, &decider, &approver, &base).await;
            if answer.is_some() && answered.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                killed.notify_one();
            }
            (index, answer)
        });
    }
    killed.notified().await;
    victim.signal("KILL");
    let mut answers = vec![None; tasks.len()];
    while let Some(joined) = tasks.join_next().await {
        let (index, answer) = joined.expect("a request task");
        answers[index] = answer;
    }
    answers
}

/// Every stored voucher: its idempotency key, customer, order and amount.
async fn stored_vouchers(url: &str) -> Vec<(String, String, String, i64)> {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(url).await.expect("open the database");
    let rows: Vec<(Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT d.idempotency_key, v.customer_id, v.order_id, v.amount FROM vouchers v \
         JOIN decisions d ON d.customer_id = v.customer_id AND d.number = v.decision_number",
    )
    .fetch_all(&pool)
    .await
    .expect("read the vouchers");
    pool.close().await;
    rows.into_iter()
        .map(|(key, customer, order, amount)| {
            (
                key.expect("every test request has a key"),
                customer,
                order,
                amount.parse().expect("a whole amount"),
            )
        })
        .collect()
}

/// Kills an instance mid-load, restarts it, sends everything again, and checks the store.
async fn nothing_lost_nothing_twice(url: &str, instances: usize) {
    let mut services: Vec<Service> = (0..instances).map(|_| Service::start(url, &[])).collect();
    let bases: Vec<String> = services
        .iter()
        .map(|service| service.base.clone())
        .collect();
    let requests = load();
    let before = fire_and_kill(requests.clone(), &bases, &services[0]).await;

    let answered = before.iter().flatten().count();
    assert!(
        answered >= KILL_AFTER && answered < requests.len(),
        "the kill came mid-load: {answered} of {} answered",
        requests.len()
    );
    assert!(before.iter().flatten().all(|answer| answer.status == 200));
    let granted_before: BTreeSet<String> = before
        .iter()
        .zip(&requests)
        .filter_map(|(answer, (_, key))| {
            answer
                .as_ref()
                .filter(|answer| answer.outcome() == "granted")
                .map(|_| key.clone().expect("a key"))
        })
        .collect();
    assert!(!granted_before.is_empty());

    // Durable before the response: every grant answered before the kill is stored.
    let stored: BTreeSet<String> = stored_vouchers(url)
        .await
        .into_iter()
        .map(|(key, ..)| key)
        .collect();
    assert!(
        granted_before.is_subset(&stored),
        "granted but not stored: {:?}",
        granted_before.difference(&stored).collect::<Vec<_>>()
    );

    // Restart on the same database and send every request again, with the same keys.
    services[0] = Service::start(url, &[]);
    let bases: Vec<String> = services
        .iter()
        .map(|service| service.base.clone())
        .collect();
    let after = fire(requests.clone(), &bases, 16).await;
    for ((first, again), (_, key)) in before.iter().zip(&after).zip(&requests) {
        let again = again
            .as_ref()
            .expect("every request is answered after the restart");
        assert_eq!(again.status, 200, "{key:?}: {}", again.text);
        if let Some(first) = first {
            assert!(again.replayed, "{key:?} is answered from the store");
            assert_eq!(again.text, first.text, "{key:?} replays the same decision");
        }
    }

    // Exactly one voucher per granted decision: none lost, none twice.
    let vouchers = stored_vouchers(url).await;
    let keys: BTreeSet<&str> = vouchers.iter().map(|(key, ..)| key.as_str()).collect();
    assert_eq!(keys.len(), vouchers.len(), "a key recorded twice");
    let orders: BTreeSet<(&str, &str)> = vouchers
        .iter()
        .map(|(_, customer, order, _)| (customer.as_str(), order.as_str()))
        .collect();
    assert_eq!(orders.len(), vouchers.len(), "an order compensated twice");
    let granted_after: BTreeSet<&str> = after
        .iter()
        .zip(&requests)
        .filter(|(answer, _)| answer.as_ref().is_some_and(|a| a.outcome() == "granted"))
        .map(|(_, (_, key))| key.as_deref().expect("a key"))
        .collect();
    assert_eq!(
        keys, granted_after,
        "the stored vouchers are the granted decisions"
    );

    // And the limits held through it all.
    let mut per_customer: BTreeMap<&str, (usize, i64)> = BTreeMap::new();
    for (_, customer, _, amount) in &vouchers {
        let entry = per_customer.entry(customer.as_str()).or_default();
        entry.0 += 1;
        entry.1 += amount;
    }
    let tiers = ["new", "regular", "silver", "gold"];
    for customer in 0..CUSTOMERS {
        let (count, value) = per_customer
            .get(format!("K-{customer}").as_str())
            .copied()
            .unwrap_or_default();
        let (count_limit, value_limit) = limits(tiers[customer % tiers.len()]);
        assert_eq!(count, count_limit, "K-{customer} got exactly its limit");
        assert!(
            value <= value_limit,
            "K-{customer} stayed in its value limit"
        );
    }
}

/// Every approval stored: the decision approved, the approval's decision, its outcome, and the
/// decision id of the voucher it granted, if any.
async fn stored_approvals(url: &str) -> Vec<(String, String, String, Option<String>)> {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(url).await.expect("open the database");
    let rows = sqlx::query_as(
        "SELECT a.approved_id, a.decision_id, d.outcome, v.decision_id FROM approvals a \
         JOIN decisions d ON d.id = a.decision_id \
         LEFT JOIN vouchers v ON v.decision_id = a.decision_id",
    )
    .fetch_all(&pool)
    .await
    .expect("read the approvals");
    pool.close().await;
    rows
}

/// Escalates every order of the load, then approves every escalation while an instance is
/// killed; restarts it and approves everything again. Every approval answered before the kill
/// is stored, each escalation ends approved exactly once, and the limits hold.
async fn approvals_survive_a_kill(url: &str, instances: usize) {
    let mut services: Vec<Service> = (0..instances).map(|_| Service::start(url, &[])).collect();
    let bases: Vec<String> = services
        .iter()
        .map(|service| service.base.clone())
        .collect();
    let tiers = ["new", "regular", "silver", "gold"];
    let mut escalations = Vec::new();
    for order in 0..ORDERS / 2 {
        for customer in 0..CUSTOMERS {
            let tier = tiers[customer % tiers.len()];
            let ask = Ask::insisting(
                &format!("K-{customer}"),
                tier,
                &format!("{customer}-{order}"),
            );
            escalations.push((ask.body(), None));
        }
    }
    let escalated = fire(escalations, &bases, 16).await;
    let ids: Vec<String> = escalated
        .iter()
        .map(|answer| {
            let answer = answer.as_ref().expect("every escalation is answered");
            assert_eq!(answer.outcome(), "escalated", "{}", answer.text);
            answer.id()
        })
        .collect();

    let calls: Vec<Call> = ids.iter().cloned().map(Call::Approve).collect();
    let before = fire_calls_and_kill(calls, &bases, &services[0]).await;
    let answered = before.iter().flatten().count();
    assert!(
        answered >= KILL_AFTER && answered < ids.len(),
        "the kill came mid-load: {answered} of {} answered",
        ids.len()
    );

    // Durable before the response: every approval answered is stored, with its voucher.
    let stored = stored_approvals(url).await;
    for (answer, id) in before.iter().zip(&ids) {
        let Some(answer) = answer else { continue };
        assert_eq!(answer.status, 200, "{id}: {}", answer.text);
        let row = stored
            .iter()
            .find(|(approved, ..)| approved == id)
            .unwrap_or_else(|| panic!("{id} was approved in an answer but is not stored"));
        assert_eq!(
            row.1,
            answer.id(),
            "{id}: the approval answered is the one stored"
        );
        assert_eq!(row.2, answer.outcome());
        assert_eq!(
            row.3.is_some(),
            answer.outcome() == "granted",
            "{id}: a voucher exactly when granted"
        );
    }

    // Restart, and approve everything again, as the other supervisor.
    services[0] = Service::start(url, &[]);
    let bases: Vec<String> = services
        .iter()
        .map(|service| service.base.clone())
        .collect();
    let other = client_as(Some(SUPERVISOR_2_TOKEN));
    let mut again = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        let base = &bases[index % bases.len()];
        again.push(
            approve(&other, base, id, None, None)
                .await
                .expect("answered"),
        );
    }
    for ((first, again), id) in before.iter().zip(&again).zip(&ids) {
        match first {
            Some(first) => {
                assert_eq!(
                    again.status, 409,
                    "{id} was approved before: {}",
                    again.text
                );
                assert_eq!(
                    again.json()["decision"],
                    first.json(),
                    "{id}: the first approval"
                );
            }
            // Not answered before the kill: approved now, or committed before the kill and
            // answered now from the store.
            None => assert!(
                again.status == 200 || again.status == 409,
                "{id}: {}",
                again.text
            ),
        }
    }

    // Each escalation approved exactly once; each granted approval has one voucher.
    let stored = stored_approvals(url).await;
    let approved: BTreeSet<&str> = stored.iter().map(|(id, ..)| id.as_str()).collect();
    assert_eq!(approved.len(), stored.len(), "an escalation approved twice");
    assert_eq!(
        approved,
        ids.iter().map(String::as_str).collect(),
        "every escalation approved"
    );
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(url).await.expect("open the database");
    let vouchers: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT customer_id, order_id, decision_id FROM vouchers")
            .fetch_all(&pool)
            .await
            .expect("read the vouchers");
    pool.close().await;
    let orders: BTreeSet<(&str, &str)> = vouchers
        .iter()
        .map(|(customer, order, _)| (customer.as_str(), order.as_str()))
        .collect();
    assert_eq!(orders.len(), vouchers.len(), "an order compensated twice");
    let granted: BTreeSet<Option<&str>> = stored
        .iter()
        .filter(|row| row.3.is_some())
        .map(|row| Some(row.1.as_str()))
        .collect();
    let voucher_decisions: BTreeSet<Option<&str>> =
        vouchers.iter().map(|(.., id)| id.as_deref()).collect();
    assert_eq!(
        voucher_decisions.len(),
        vouchers.len(),
        "a decision with two vouchers"
    );
    assert_eq!(
        granted, voucher_decisions,
        "one voucher per granted approval, no other"
    );
    let mut per_customer: BTreeMap<&str, usize> = BTreeMap::new();
    for (customer, ..) in &vouchers {
        *per_customer.entry(customer.as_str()).or_default() += 1;
    }
    for customer in 0..CUSTOMERS {
        let count = per_customer
            .get(format!("K-{customer}").as_str())
            .copied()
            .unwrap_or_default();
        let (count_limit, _) = limits(tiers[customer % tiers.len()]);
        assert_eq!(count, count_limit, "K-{customer} got exactly its limit");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_kill_mid_approvals_approves_each_escalation_once() {
    let database = SqliteFile::new();
    approvals_survive_a_kill(&database.url(), 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_kill_one_of_two_instances_mid_approvals_approves_each_once() {
    let Some(server) = Postgres::start() else {
        return;
    };
    approvals_survive_a_kill(&server.url("approvals"), 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_kill_mid_load_loses_nothing_and_records_nothing_twice() {
    let database = SqliteFile::new();
    nothing_lost_nothing_twice(&database.url(), 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_kill_one_of_two_instances_mid_load_loses_nothing() {
    let Some(server) = Postgres::start() else {
        return;
    };
    nothing_lost_nothing_twice(&server.url("crash"), 2).await;
}
