//! Past its queue the service sheds load instead of making everyone wait: more requests at once
//! than the queue holds get some 503s with `Retry-After` at once, the others are answered in a
//! bounded time, and nothing is lost or recorded twice. Retried after the delay, every shed
//! request is decided once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{AGENT_TOKEN, AUDITOR_TOKEN, Answer, Ask, Service, SqliteFile, audit_log, client_as};
use serde_json::Value;
use sqlx::AnyPool;

/// Requests fired at once, far more than the queue holds.
const REQUESTS: usize = 400;
/// The queue of the service under test.
const QUEUE: &str = "8";
/// The longest an answered request may take: with at most 8 requests queued and 8 in a batch,
/// a request waits for at most two commits, which take milliseconds, besides the service's
/// share of reading 400 bodies at once (about 0.15 s for the slowest, in a debug build); a
/// second leaves a wide margin for a loaded machine.
const BOUND: Duration = Duration::from_secs(1);

/// The day of `common::NOW`, which every request is decided at: the audit log's period.
const DAY: (&str, &str) = ("2026-11-24T00:00:00+07:00", "2026-11-25T00:00:00+07:00");

/// One request per customer and order: 40 customers of every tier, 10 orders each.
fn load() -> Vec<(Value, String)> {
    let tiers = ["new", "regular", "silver", "gold"];
    (0..REQUESTS)
        .map(|n| {
            let customer = n % 40;
            let ask = Ask::new(
                &format!("O-{customer}"),
                tiers[customer % tiers.len()],
                &format!("{customer}-{}", n / 40),
            );
            (ask.body(), format!("overload-{n}"))
        })
        .collect()
}

/// A request's answer, the `Retry-After` it carried and how long it took.
struct Timed {
    answer: Answer,
    retry_after: Option<String>,
    took: Duration,
}

/// An agent's client that keeps a connection per request open, so that a request's time is the
/// service's, not that of opening a connection.
fn agent() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {AGENT_TOKEN}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(REQUESTS)
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Opens `count` connections to the service (each answering `GET /health`) and leaves them in
/// `client`'s pool.
async fn warm_up(client: &reqwest::Client, base: &str, count: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let (client, url) = (client.clone(), format!("{base}/health"));
        tasks.spawn(async move { client.get(url).send().await?.bytes().await });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.unwrap().unwrap();
    }
}

/// Sends the requests with `client`, `concurrency` at a time, and times each.
async fn fire_all(
    client: &reqwest::Client,
    requests: &[(Value, String)],
    base: &str,
    concurrency: usize,
) -> Vec<Timed> {
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, (body, key)) in requests.iter().cloned().enumerate() {
        let client = client.clone();
        let url = format!("{base}/decisions");
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("a permit");
            let started = Instant::now();
            let response = client
                .post(url)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .expect("every request gets an answer");
            let retry_after = response
                .headers()
                .get("retry-after")
                .map(|value| value.to_str().unwrap().to_owned());
            let answer = common::answer(response).await.expect("a readable answer");
            let took = started.elapsed();
            (
                index,
                Timed {
                    answer,
                    retry_after,
                    took,
                },
            )
        });
    }
    let mut timed: BTreeMap<usize, Timed> = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (index, answer) = joined.expect("a request task");
        timed.insert(index, answer);
    }
    timed.into_values().collect()
}

/// Every decision stored: its idempotency key, id, and the decision id of its voucher if any.
async fn stored(url: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(url).await.expect("open the database");
    let rows = sqlx::query_as(
        "SELECT d.idempotency_key, d.id, v.decision_id FROM decisions d \
         LEFT JOIN vouchers v ON v.customer_id = d.customer_id AND v.decision_number = d.number",
    )
    .fetch_all(&pool)
    .await
    .expect("read the decisions");
    pool.close().await;
    rows
}

/// The value of a sample without labels in a Prometheus exposition.
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn past_the_queue_requests_are_shed_at_once_and_none_is_lost_or_doubled() {
    let database = SqliteFile::new();
    let service = Service::start(
        &database.url(),
        &["--queue-depth", QUEUE, "--batch-max", QUEUE],
    );
    let requests = load();
    let client = agent();
    warm_up(&client, &service.base, REQUESTS).await;
    let first = fire_all(&client, &requests, &service.base, REQUESTS).await;

    // Some requests were shed: 503 at once, with Retry-After and the service's JSON error.
    let shed: Vec<usize> = (0..REQUESTS)
        .filter(|&n| first[n].answer.status == 503)
        .collect();
    assert!(
        !shed.is_empty(),
        "{REQUESTS} requests at once against a queue of {QUEUE}: some are shed"
    );
    for &n in &shed {
        let timed = &first[n];
        assert_eq!(timed.answer.kind(), "overloaded", "{}", timed.answer.text);
        assert_eq!(timed.retry_after.as_deref(), Some("1"));
    }
    // Every other request was decided, in a bounded time.
    let mut answered: Vec<Duration> = Vec::new();
    for (n, timed) in first.iter().enumerate() {
        if timed.answer.status != 503 {
            assert_eq!(timed.answer.status, 200, "{n}: {}", timed.answer.text);
            assert!(!timed.answer.replayed, "{n} is decided, not replayed");
            answered.push(timed.took);
        }
    }
    assert!(!answered.is_empty(), "some requests are decided");
    answered.sort_unstable();
    let p99 = answered[(answered.len() * 99).div_ceil(100) - 1];
    eprintln!(
        "{} of {REQUESTS} shed, {} answered, p99 {p99:?}, slowest {:?}",
        shed.len(),
        answered.len(),
        answered.last().unwrap()
    );
    assert!(
        p99 <= BOUND,
        "p99 of the {} answered requests is {p99:?}, above {BOUND:?}",
        answered.len()
    );

    // What was stored is exactly what was answered 200: every decision once, every granted one
    // with its voucher, nothing of a shed request.
    let rows = stored(&database.url()).await;
    let by_key: BTreeMap<&str, (&str, bool)> = rows
        .iter()
        .map(|(key, id, voucher)| (key.as_str(), (id.as_str(), voucher.is_some())))
        .collect();
    assert_eq!(by_key.len(), rows.len(), "a key recorded twice");
    assert_eq!(by_key.len(), answered.len(), "one decision per 200 answer");
    for (n, timed) in first.iter().enumerate() {
        let key = requests[n].1.as_str();
        match by_key.get(key) {
            Some((id, voucher)) => {
                assert_eq!(timed.answer.status, 200, "{key} is stored but was shed");
                assert_eq!(*id, timed.answer.id(), "{key}: the decision answered");
                assert_eq!(*voucher, timed.answer.outcome() == "granted", "{key}");
            }
            None => assert_eq!(timed.answer.status, 503, "{key} was answered, not stored"),
        }
    }
    let ids: BTreeSet<String> = audit_log(&service.base, DAY.0, DAY.1)
        .await
        .iter()
        .map(|line| line["decision"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids.len(),
        answered.len(),
        "the audit log has each decision once"
    );

    // The metrics count the shed requests and the batches.
    let metrics = common::get(&client_as(Some(AUDITOR_TOKEN)), &service.base, "/metrics").await;
    assert_eq!(
        metric(&metrics.text, "voucher_requests_shed_total"),
        shed.len() as f64
    );
    assert_eq!(
        metric(&metrics.text, "voucher_batch_size_sum"),
        answered.len() as f64,
        "every decided request went through one batch"
    );
    assert_eq!(metric(&metrics.text, "voucher_queue_depth"), 0.0);
    assert!(
        metric(&metrics.text, "voucher_batch_size_count") < answered.len() as f64,
        "requests queued together share a commit"
    );

    // Retried after the delay with the same keys, by a client that now keeps to the queue's
    // size, every shed request is decided, once.
    let mut waiting = shed;
    let mut rounds = 0;
    while !waiting.is_empty() {
        rounds += 1;
        assert!(
            rounds <= 50,
            "shed requests still refused after {rounds} rounds"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        let retried: Vec<(Value, String)> = waiting.iter().map(|&n| requests[n].clone()).collect();
        let again = fire_all(&client, &retried, &service.base, 8).await;
        let mut still = Vec::new();
        for (&n, timed) in waiting.iter().zip(&again) {
            match timed.answer.status {
                503 => still.push(n),
                200 => assert!(!timed.answer.replayed, "{n} was never decided before"),
                other => panic!("{n}: {other} {}", timed.answer.text),
            }
        }
        waiting = still;
    }
    eprintln!("every shed request decided after {rounds} rounds of retries");
    let rows = stored(&database.url()).await;
    let keys: BTreeSet<&str> = rows.iter().map(|(key, ..)| key.as_str()).collect();
    assert_eq!(keys.len(), rows.len(), "a key recorded twice");
    assert_eq!(
        keys.len(),
        REQUESTS,
        "every request decided once in the end"
    );
    let log = audit_log(&service.base, DAY.0, DAY.1).await;
    assert_eq!(
        log.len(),
        REQUESTS,
        "the audit log has every request's decision once"
    );
}
