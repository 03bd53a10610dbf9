//! The shadow policy (`--shadow-policy`): decided on every request without any effect on the
//! answer; a shadow identical to the live policy never disagrees, even under a burst of
//! concurrent requests; a stricter one disagrees in the expected ways, each stored with both
//! decisions; SIGHUP reloads it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Ask, Postgres, Service, SqliteFile, client, fire, get, post};
use serde_json::Value;

/// A policy file of `examples/policies`.
fn policy(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../policies/{name}"))
}

/// `GET /shadow`, with `limit` when given.
async fn summary(base: &str, limit: Option<u32>) -> Value {
    let path = match limit {
        Some(limit) => format!("/shadow?limit={limit}"),
        None => "/shadow".to_owned(),
    };
    let answer = get(&client(), base, &path).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()
}

/// The disagreements of a summary that are not zero, by kind.
fn disagreements(summary: &Value) -> BTreeMap<String, u64> {
    summary["disagreements"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(kind, count)| (kind.clone(), count.as_u64().unwrap()))
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// The value of a sample line of `/metrics`.
async fn metric(base: &str, line_start: &str) -> u64 {
    let metrics = get(&client(), base, "/metrics").await;
    metrics
        .text
        .lines()
        .find_map(|line| line.strip_prefix(line_start))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {line_start} in {}", metrics.text))
}

/// A mix of cases: grants, refusals past the limits, escalations, major complaints.
fn mixed_requests(count: usize) -> Vec<Value> {
    (0..count)
        .map(|n| {
            let customer = format!("C-{}", n % 60);
            let order = format!("O-{n}");
            let ask = match n % 4 {
                0 => Ask::new(&customer, "regular", &order),
                1 => Ask::insisting(&customer, "gold", &order),
                2 => Ask::major(&customer, "silver", &order, "180000"),
                _ => Ask::without_photo(&customer, "new", &order),
            };
            ask.body()
        })
        .collect()
}

#[tokio::test]
async fn a_shadow_identical_to_the_live_policy_never_disagrees_under_load() {
    const REQUESTS: usize = 400;
    let db = SqliteFile::new();
    let shadow = policy("default.toml");
    let service = Service::start(&db.url(), &["--shadow-policy", shadow.to_str().unwrap()]);
    let requests = mixed_requests(REQUESTS)
        .into_iter()
        .map(|body| (body, None))
        .collect();
    let answers = fire(requests, std::slice::from_ref(&service.base), 64).await;
    let mut outcomes = BTreeMap::<String, usize>::new();
    for answer in answers {
        let answer = answer.expect("every request is answered");
        assert_eq!(answer.status, 200, "{}", answer.text);
        *outcomes.entry(answer.outcome()).or_default() += 1;
    }
    assert_eq!(outcomes.len(), 3, "every outcome is compared: {outcomes:?}");

    let summary = summary(&service.base, None).await;
    assert_eq!(summary["compared"], REQUESTS, "{summary:#}");
    assert_eq!(summary["agreed"], REQUESTS, "{summary:#}");
    assert_eq!(disagreements(&summary), BTreeMap::new(), "{summary:#}");
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["latest"], Value::Array(Vec::new()));
    // The same rules as the embedded default: the same fingerprint as the live policy's.
    let log = get(
        &client(),
        &service.base,
        "/decisions?since=2026-11-24T00:00:00Z&until=2026-11-25T00:00:00Z",
    )
    .await;
    let first: Value = serde_json::from_str(log.text.lines().next().unwrap()).unwrap();
    assert_eq!(
        summary["policy"]["fingerprint"],
        first["decision"]["policy"]["fingerprint"]
    );
    assert_eq!(
        metric(&service.base, "voucher_shadow_decisions_compared_total ").await,
        REQUESTS as u64
    );
    assert_eq!(
        metric(
            &service.base,
            "voucher_shadow_disagreements_total{kind=\"granted_to_refused\"} "
        )
        .await,
        0
    );
}

#[tokio::test]
async fn sqlite_a_stricter_shadow_disagrees_as_expected_and_changes_no_answer() {
    let plain_db = SqliteFile::new();
    let shadowed_db = SqliteFile::new();
    stricter_shadow(&plain_db.url(), &shadowed_db.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_a_stricter_shadow_disagrees_as_expected_and_changes_no_answer() {
    let Some(server) = Postgres::start() else {
        return;
    };
    stricter_shadow(&server.url("plain"), &server.url("shadowed")).await;
}

/// Sends the same requests to a service without a shadow on `plain_url` and to one with the
/// strict policy as its shadow on `shadowed_url`, and checks the answers and what the shadow
/// found.
async fn stricter_shadow(plain_url: &str, shadowed_url: &str) {
    let plain = Service::start(plain_url, &[]);
    let strict = policy("strict.toml");
    let shadowed = Service::start(shadowed_url, &["--shadow-policy", strict.to_str().unwrap()]);

    // One after the other, so that both services see every customer's history grow alike.
    let requests = [
        // A moderate complaint: 25% under the default, 20% under strict.
        Ask::new("R-1", "regular", "1"),
        // A second voucher in a week: the default allows two, strict one.
        Ask::new("R-1", "regular", "2"),
        // 160,000 x 50% x 1.25 = 100,000, the agent's authority; strict's is 50,000.
        Ask::major("G-1", "gold", "3", "160000"),
        // Escalated by both: the customer insists on a supervisor.
        Ask::insisting("G-2", "gold", "4"),
    ];
    let client = client();
    let mut live = Vec::new();
    for ask in &requests {
        let body = ask.body();
        let without = post(&client, &plain.base, &body, None).await.unwrap();
        let with = post(&client, &shadowed.base, &body, None).await.unwrap();
        assert_eq!(without.status, 200, "{}", without.text);
        assert_eq!(
            with.text, without.text,
            "the shadow changes nothing in the answer"
        );
        live.push(with);
    }

    let expected: BTreeMap<String, u64> = [
        ("amount_lower", 1),
        ("granted_to_refused", 1),
        ("granted_to_escalated", 1),
    ]
    .into_iter()
    .map(|(kind, count)| (kind.to_owned(), count))
    .collect();
    let summary = summary(&shadowed.base, None).await;
    assert_eq!(summary["compared"], requests.len(), "{summary:#}");
    assert_eq!(disagreements(&summary), expected, "{summary:#}");
    assert_eq!(summary["agreed"], 1);
    assert_eq!(summary["policy"]["name"], "strict");

    // Stored in the background: wait for the three rows.
    let mut stored = Value::Null;
    for _ in 0..200 {
        stored = summary_latest(&shadowed.base).await;
        if stored.as_array().unwrap().len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let stored = stored.as_array().unwrap();
    assert_eq!(stored.len(), 3, "{stored:#?}");
    for row in stored {
        let id = row["decision_id"].as_str().unwrap();
        let answered = live
            .iter()
            .find(|answer| answer.id() == id)
            .unwrap_or_else(|| panic!("{id} is one of the live decisions"));
        assert_eq!(
            row["live"],
            answered.json(),
            "the live decision as answered"
        );
        assert_eq!(row["shadow"]["policy"]["name"], "strict");
        assert_eq!(row["shadow_fingerprint"], summary["policy"]["fingerprint"]);
        assert!(
            expected.contains_key(row["kind"].as_str().unwrap()),
            "{row}"
        );
    }
    let limited = get(&client, &shadowed.base, "/shadow?limit=1").await;
    assert_eq!(limited.json()["latest"].as_array().unwrap().len(), 1);
    let bad = get(&client, &shadowed.base, "/shadow?limit=1000").await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"]["field"], "limit");

    assert_eq!(
        metric(
            &shadowed.base,
            "voucher_shadow_disagreements_total{kind=\"amount_lower\"} "
        )
        .await,
        1
    );
    // A replay is not decided again, so not compared again.
    let body = Ask::new("N-1", "new", "5").body();
    let first = post(&client, &shadowed.base, &body, Some("shadow-key-1"))
        .await
        .unwrap();
    let again = post(&client, &shadowed.base, &body, Some("shadow-key-1"))
        .await
        .unwrap();
    assert!(!first.replayed && again.replayed);
    assert_eq!(
        summary_compared(&shadowed.base).await,
        requests.len() as u64 + 1
    );
}

async fn summary_latest(base: &str) -> Value {
    summary(base, None).await["latest"].clone()
}

async fn summary_compared(base: &str) -> u64 {
    summary(base, None).await["compared"].as_u64().unwrap()
}

#[tokio::test]
async fn sighup_reloads_the_shadow_policy() {
    let db = SqliteFile::new();
    let file = db.path("shadow.toml");
    std::fs::copy(policy("default.toml"), &file).unwrap();
    let service = Service::start(&db.url(), &["--shadow-policy", file.to_str().unwrap()]);
    let client = client();
    let before = summary(&service.base, None).await;
    assert_eq!(before["policy"]["name"], "default");
    post(
        &client,
        &service.base,
        &Ask::new("C-1", "regular", "1").body(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(summary_compared(&service.base).await, 1);

    std::fs::copy(policy("strict.toml"), &file).unwrap();
    service.signal("HUP");
    let mut after = Value::Null;
    for _ in 0..200 {
        after = summary(&service.base, None).await;
        if after["policy"]["name"] == "strict" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(after["policy"]["name"], "strict", "{after:#}");
    assert_ne!(
        after["policy"]["fingerprint"],
        before["policy"]["fingerprint"]
    );
    // The summary is of the candidate in force: it starts again with other rules.
    assert_eq!(after["compared"], 0);
    post(
        &client,
        &service.base,
        &Ask::new("C-1", "regular", "2").body(),
        None,
    )
    .await
    .unwrap();
    let reloaded = summary(&service.base, None).await;
    assert_eq!(reloaded["compared"], 1);
    assert_eq!(
        disagreements(&reloaded),
        [("granted_to_refused".to_owned(), 1)].into_iter().collect()
    );

    // A file that no longer loads leaves the shadow in force.
    std::fs::write(&file, "this is not a policy").unwrap();
    service.signal("HUP");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        summary(&service.base, None).await["policy"]["name"],
        "strict"
    );
}

#[tokio::test]
async fn without_a_shadow_policy_the_summary_is_empty() {
    let db = SqliteFile::new();
    let service = Service::start(&db.url(), &[]);
    post(
        &client(),
        &service.base,
        &Ask::new("C-1", "regular", "1").body(),
        None,
    )
    .await
    .unwrap();
    let summary = summary(&service.base, None).await;
    assert_eq!(summary["policy"], Value::Null);
    assert_eq!(summary["compared"], 0);
    assert_eq!(disagreements(&summary), BTreeMap::new());
}

#[tokio::test]
async fn a_shadow_policy_that_does_not_load_stops_the_start() {
    let db = SqliteFile::new();
    let file = db.path("broken.toml");
    std::fs::write(&file, "name = ").unwrap();
    let keys = common::KeysFile::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_voucher-service"))
        .args([
            "--database-url",
            &db.url(),
            "--listen",
            "127.0.0.1:0",
            "--api-keys",
            keys.path().to_str().unwrap(),
            "--shadow-policy",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("shadow policy:"), "{stderr}");
}
