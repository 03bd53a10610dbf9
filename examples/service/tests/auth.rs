//! API keys: every endpoint but `/health` needs one, a request is decided as the key's holder,
//! a role may only do what the policy lets it, the file is reloaded on SIGHUP, and the service
//! does not start without keys unless told `--no-auth`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{
    AGENT_TOKEN, AUDITOR_TOKEN, Ask, KEYS, NOW, Postgres, SUPERVISOR_TOKEN, Service, SqliteFile,
    audit_log, client, client_as, get, keys_file, post,
};
use serde_json::{Value, json};

/// Every route, with a body where it takes one: `(method, path, body)`.
fn routes() -> Vec<(reqwest::Method, String, Option<Value>)> {
    let id = "0123456789abcdef0123456789abcdef";
    vec![
        (
            reqwest::Method::POST,
            "/decisions".to_owned(),
            Some(Ask::new("U-1", "gold", "1").body()),
        ),
        (
            reqwest::Method::POST,
            format!("/decisions/{id}/approval"),
            Some(json!({"override_reason": null})),
        ),
        (reqwest::Method::GET, format!("/decisions/{id}"), None),
        (
            reqwest::Method::GET,
            "/decisions?since=2026-11-24T00:00:00Z&until=2026-11-25T00:00:00Z".to_owned(),
            None,
        ),
        (
            reqwest::Method::GET,
            "/customers/U-1/vouchers".to_owned(),
            None,
        ),
        (reqwest::Method::GET, "/nowhere".to_owned(), None),
    ]
}

/// Sends `route` with `token` (or none) and returns the status, the challenge and the body.
async fn call(
    base: &str,
    token: Option<&str>,
    (method, path, body): &(reqwest::Method, String, Option<Value>),
) -> (u16, Option<String>, Value) {
    let mut request = client_as(token).request(method.clone(), format!("{base}{path}"));
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|value| value.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, challenge, body)
}

async fn keys_are_required(base: &str) {
    for route in routes() {
        let (status, challenge, body) = call(base, None, &route).await;
        assert_eq!(status, 401, "{} {} without a key: {body}", route.0, route.1);
        assert_eq!(
            challenge.as_deref(),
            Some("Bearer realm=\"voucher-service\""),
            "{} {}",
            route.0,
            route.1
        );
        assert_eq!(body["error"]["kind"], "unauthorized");
        assert_eq!(body["error"]["field"], "Authorization");

        let (status, challenge, body) = call(base, Some("not-a-key"), &route).await;
        assert_eq!(
            status, 401,
            "{} {} with a bad key: {body}",
            route.0, route.1
        );
        assert!(
            challenge.unwrap().contains("error=\"invalid_token\""),
            "{} {}",
            route.0,
            route.1
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("not valid"),
            "{body}"
        );
    }
    // Not a bearer token: 401 as well, saying why.
    let response = reqwest::Client::new()
        .get(format!("{base}/customers/U-1/vouchers"))
        .header("Authorization", format!("Basic {AGENT_TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Bearer"),
        "{body}"
    );

    // /health is open, for load balancers.
    let (status, challenge, body) = call(
        base,
        None,
        &(reqwest::Method::GET, "/health".to_owned(), None),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(challenge, None);

    // Nothing was decided without a key.
    let listing = get(&client(), base, "/customers/U-1/vouchers").await;
    assert_eq!(listing.json()["history"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_but_health_needs_a_valid_key() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    keys_are_required(&service.base).await;
}

/// A request is decided as the key's holder: their id and role, never the body's; the body's
/// `granted_today` counts; a role the policy does not know may read but not decide.
async fn a_key_decides_as_its_holder(base: &str) {
    let agent = client();
    let granted = post(&agent, base, &Ask::new("H-1", "gold", "1").body(), None)
        .await
        .unwrap();
    assert_eq!(granted.outcome(), "granted", "{}", granted.text);

    // The body may not name someone else.
    for (field, value) in [("id", "A-99"), ("role", "supervisor")] {
        let mut body = Ask::new("H-1", "gold", "2").body();
        body["agent"] = json!({ field: value });
        let answer = post(&agent, base, &body, None).await.unwrap();
        assert_eq!(answer.status, 403, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], format!("agent.{field}"));
        assert!(answer.text.contains("key's holder"), "{}", answer.text);
    }
    let mut body = Ask::new("H-1", "gold", "2").body();
    body["agent"] = json!({"id": "A-1", "nickname": "Budi"});
    let answer = post(&agent, base, &body, None).await.unwrap();
    assert_eq!(answer.status, 422, "{}", answer.text);
    assert_eq!(answer.json()["error"]["field"], "agent.nickname");

    // What the agent granted today, as the body says, counts against their daily budget.
    let mut body = Ask::new("H-2", "gold", "1").body();
    body["agent"] = json!({"id": "A-1", "granted_today": "990000"});
    let over_budget = post(&agent, base, &body, None).await.unwrap();
    assert_eq!(over_budget.outcome(), "escalated", "{}", over_budget.text);
    assert!(
        over_budget.json()["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!("agent_budget_exceeded")),
        "{}",
        over_budget.text
    );

    // The role is the key's: 150,000 is above an agent's authority, within a supervisor's.
    let big = Ask::major("H-3", "gold", "1", "400000").body();
    let by_agent = post(&agent, base, &big, None).await.unwrap();
    assert_eq!(by_agent.outcome(), "escalated", "{}", by_agent.text);
    let by_supervisor = post(&client_as(Some(SUPERVISOR_TOKEN)), base, &big, None)
        .await
        .unwrap();
    assert_eq!(by_supervisor.outcome(), "granted", "{}", by_supervisor.text);
    assert_eq!(by_supervisor.amount(), Some(150_000));

    // The log records who decided each.
    let log = audit_log(base, "2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z").await;
    let agents: Vec<(String, Value)> = log
        .iter()
        .map(|line| {
            (
                line["decision"]["id"].as_str().unwrap().to_owned(),
                line["request"]["agent"].clone(),
            )
        })
        .collect();
    let agent_of = |id: String| {
        agents
            .iter()
            .find(|(logged, _)| *logged == id)
            .map(|(_, agent)| agent.clone())
            .unwrap()
    };
    assert_eq!(
        agent_of(granted.id()),
        json!({"id": "A-1", "role": "agent", "granted_today": "0"})
    );
    assert_eq!(
        agent_of(over_budget.id()),
        json!({"id": "A-1", "role": "agent", "granted_today": "990000"})
    );
    assert_eq!(agent_of(by_supervisor.id())["id"], "S-1");

    // An idempotency key names one request of one holder: the same body and key from
    // someone else is not theirs to replay.
    let body = Ask::new("H-4", "gold", "1").body();
    let first = post(&agent, base, &body, Some("h-4-key")).await.unwrap();
    assert_eq!(first.status, 200);
    let other = post(
        &client_as(Some(SUPERVISOR_TOKEN)),
        base,
        &body,
        Some("h-4-key"),
    )
    .await
    .unwrap();
    assert_eq!(other.status, 422, "{}", other.text);
    assert_eq!(other.kind(), "idempotency_key_reused");

    // An auditor may read everything and decide nothing.
    let auditor = client_as(Some(AUDITOR_TOKEN));
    let answer = post(&auditor, base, &Ask::new("H-5", "gold", "1").body(), None)
        .await
        .unwrap();
    assert_eq!(answer.status, 403, "{}", answer.text);
    assert_eq!(answer.json()["error"]["field"], "role");
    assert_eq!(answer.json()["error"]["value"], "auditor");
    let read = get(&auditor, base, &format!("/decisions/{}", granted.id())).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.text, granted.text);
    let listing = get(&auditor, base, "/customers/H-1/vouchers").await;
    assert_eq!(listing.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_key_decides_as_its_holder() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    a_key_decides_as_its_holder(&service.base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keys_are_required_and_decide_as_their_holder() {
    let Some(server) = Postgres::start() else {
        return;
    };
    let service = Service::start(&server.url("auth"), &[]);
    keys_are_required(&service.base).await;
    a_key_decides_as_its_holder(&service.base).await;
}

/// Runs the binary with `args`, expecting it to exit at once: its status code and stderr.
fn fails_to_start(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_voucher-service"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("VOUCHER_API_KEYS")
        .env_remove("VOUCHER_NO_AUTH")
        .stdin(Stdio::null())
        .output()
        .expect("run the service binary");
    assert!(
        !output.status.success(),
        "the service started with {args:?}"
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_keys_the_service_starts_only_when_told_no_auth() {
    let database = SqliteFile::new();
    let url = database.url();
    let base_args = ["--database-url", url.as_str(), "--listen", "127.0.0.1:0"];

    let (_, stderr) = fails_to_start(&base_args);
    assert!(
        stderr.contains("--api-keys") && stderr.contains("--no-auth"),
        "{stderr}"
    );

    let keys = database.path("keys.toml");
    std::fs::write(
        &keys,
        "[[key]]\nid = \"A-1\"\nrole = \"agent\"\nsha256 = \"abc\"\n",
    )
    .unwrap();
    let keys = keys.to_str().unwrap();
    let (_, stderr) = fails_to_start(&[&base_args[..], &["--api-keys", keys]].concat());
    assert!(
        stderr.contains("key[0].sha256") && stderr.contains("64 hex digits"),
        "{stderr}"
    );
    let (code, stderr) =
        fails_to_start(&[&base_args[..], &["--api-keys", keys, "--no-auth"]].concat());
    assert_eq!(code, Some(2), "a command-line error: {stderr}");

    // With --no-auth, anyone decides (as the body's agent), and nobody approves.
    let service =
        Service::start_with(&[&base_args[..], &["--no-auth", "--accept-request-now"]].concat());
    let anyone = client_as(None);
    let escalated = post(
        &anyone,
        &service.base,
        &Ask::insisting("N-1", "gold", "1").body(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(escalated.outcome(), "escalated", "{}", escalated.text);
    let approved = common::approve(&anyone, &service.base, &escalated.id(), None, None)
        .await
        .unwrap();
    assert_eq!(approved.status, 403, "{}", approved.text);
    assert!(approved.text.contains("--no-auth"), "{}", approved.text);
    let read = get(
        &anyone,
        &service.base,
        &format!("/decisions/{}", escalated.id()),
    )
    .await;
    assert_eq!(read.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_the_keys_and_a_bad_file_leaves_them() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    let status = |token: &'static str| {
        let base = service.base.clone();
        async move {
            get(&client_as(Some(token)), &base, "/customers/Z-1/vouchers")
                .await
                .status
        }
    };
    assert_eq!(status(AGENT_TOKEN).await, 200);

    // The agent's key is replaced by a new one; the others stay.
    let mut rotated: Vec<(&str, &str, &str)> = KEYS[1..].to_vec();
    rotated.push(("A-1", "agent", "rotated-token-A-1"));
    std::fs::write(service.keys_path(), keys_file(&rotated)).unwrap();
    service.signal("HUP");
    let mut reloaded = false;
    for _ in 0..200 {
        if status("rotated-token-A-1").await == 200 {
            reloaded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(reloaded, "the new key works after SIGHUP");
    assert_eq!(status(AGENT_TOKEN).await, 401, "the old key no longer does");
    assert_eq!(status(SUPERVISOR_TOKEN).await, 200);

    // A file that does not load leaves the keys in force.
    std::fs::write(service.keys_path(), "[[key]]\nid = 3\n").unwrap();
    service.signal("HUP");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(status("rotated-token-A-1").await, 200);
    let decided = post(
        &client_as(Some("rotated-token-A-1")),
        &service.base,
        &Ask::new("Z-1", "gold", "1").body_at(NOW),
        None,
    )
    .await
    .unwrap();
    assert_eq!(decided.outcome(), "granted", "{}", decided.text);
}
