//! Nothing is lost and nothing recorded twice when the service is killed mid-load: every voucher
//! granted before the kill is stored exactly once, and sending every request again with the same
//! idempotency key replays the stored decisions.
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

use common::{Answer, Ask, Postgres, Service, SqliteFile, client, fire, post};
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

/// Fires the load at `bases` (16 in flight) and SIGKILLs the process `victim` once `KILL_AFTER`
/// answers have come back. Returns the answers; `None` where the connection died.
async fn fire_and_kill(
    requests: Vec<(Value, Option<String>)>,
    bases: &[String],
    victim: &Service,
) -> Vec<Option<Answer>> {
    let client = client();
    let answered = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(tokio::sync::Notify::new());
    let permits = Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, (body, key)) in requests.into_iter().enumerate() {
        let client = client.clone();
        let base = bases[index % bases.len()].clone();
        let (answered, killed, permits) = (
            Arc::clone(&answered),
            Arc::clone(&killed),
            Arc::clone(&permits),
        );
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("a permit");
            let answer = post(&client, &base, &body, key.as_deref()).await.ok();
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
