//! SIGHUP reloads the policy file while requests keep coming: none is dropped, each is decided
//! whole on one policy, and a file that does not load leaves the policy in force.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use common::{Answer, Ask, Service, SqliteFile, client, post};
use serde_json::Value;

/// The embedded default policy's file, with its version replaced.
fn default_policy_with_version(version: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/default.toml");
    let text = std::fs::read_to_string(&file).expect("read examples/policies/default.toml");
    assert!(
        text.contains("\nversion = \"1\"\n"),
        "default.toml has `version = \"1\"`"
    );
    text.replacen(
        "\nversion = \"1\"\n",
        &format!("\nversion = \"{version}\"\n"),
        1,
    )
}

async fn policy_version(base: &str) -> String {
    let health: Value = client()
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("GET /health")
        .json()
        .await
        .expect("health JSON");
    health["policy"]["version"]
        .as_str()
        .expect("a version")
        .to_owned()
}

/// Polls `/health` until the policy in force has `version`.
async fn wait_for_version(base: &str, version: &str) {
    for _ in 0..200 {
        if policy_version(base).await == version {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the policy never reached version {version}");
}

/// Requests sent one after the other by `workers` tasks, until stopped.
struct Load {
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicUsize>,
    workers: Vec<tokio::task::JoinHandle<Vec<Option<Answer>>>>,
}

impl Load {
    fn start(base: &str, workers: usize) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicUsize::new(0));
        let workers = (0..workers)
            .map(|_| {
                let (base, stop, sent, client) = (
                    base.to_owned(),
                    Arc::clone(&stop),
                    Arc::clone(&sent),
                    client(),
                );
                tokio::spawn(async move {
                    let mut answers = Vec::new();
                    while !stop.load(Ordering::SeqCst) {
                        let n = sent.fetch_add(1, Ordering::SeqCst);
                        let body = Ask::new(&format!("L-{n}"), "gold", "1").body();
                        answers.push(post(&client, &base, &body, None).await.ok());
                    }
                    answers
                })
            })
            .collect();
        Load {
            stop,
            sent,
            workers,
        }
    }

    /// Waits until `count` more requests have been sent.
    async fn pass(&self, count: usize) {
        let target = self.sent.load(Ordering::SeqCst) + count;
        while self.sent.load(Ordering::SeqCst) < target {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn stop(self) -> Vec<Option<Answer>> {
        self.stop.store(true, Ordering::SeqCst);
        let mut answers = Vec::new();
        for worker in self.workers {
            answers.extend(worker.await.expect("a load worker"));
        }
        answers
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sighup_under_load_reloads_the_policy_and_drops_no_request() {
    let database = SqliteFile::new();
    let policy = database.path("policy.toml");
    std::fs::write(&policy, default_policy_with_version("1")).unwrap();
    let service = Service::start(&database.url(), &["--policy", policy.to_str().unwrap()]);
    assert_eq!(policy_version(&service.base).await, "1");

    // Keep the service busy while the policy changes under it, twice, and once for the worse.
    let load = Load::start(&service.base, 16);
    load.pass(50).await;
    std::fs::write(&policy, default_policy_with_version("2")).unwrap();
    service.signal("HUP");
    wait_for_version(&service.base, "2").await;
    load.pass(50).await;
    std::fs::write(&policy, "name = \"broken\"\nversion = \"3\"\n").unwrap();
    service.signal("HUP");
    load.pass(50).await;
    std::fs::write(&policy, default_policy_with_version("4")).unwrap();
    service.signal("HUP");
    wait_for_version(&service.base, "4").await;
    load.pass(50).await;
    let answers = load.stop().await;

    let mut versions = std::collections::BTreeSet::new();
    for answer in &answers {
        let answer = answer.as_ref().expect("no request is dropped");
        assert_eq!(answer.status, 200, "{}", answer.text);
        let version = answer.json()["policy"]["version"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            ["1", "2", "4"].contains(&version.as_str()),
            "decided on a policy that was in force, not {version}"
        );
        versions.insert(version);
    }
    assert!(
        versions.contains("1") && versions.contains("4"),
        "the load spanned the reloads: {versions:?}"
    );

    // A file that does not load leaves the policy in force, and the service keeps deciding.
    std::fs::write(&policy, "this is not a policy").unwrap();
    service.signal("HUP");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(policy_version(&service.base).await, "4");
    let load = Load::start(&service.base, 4);
    load.pass(20).await;
    for answer in load.stop().await {
        let answer = answer.expect("answered");
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json()["policy"]["version"], "4");
    }
}

#[tokio::test]
async fn sigterm_lets_the_service_stop_cleanly() {
    let database = SqliteFile::new();
    let mut service = Service::start(&database.url(), &[]);
    service.signal("TERM");
    assert!(service.wait(), "the service exits with success on SIGTERM");
}
