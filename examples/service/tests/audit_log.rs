//! The audit log: `GET /decisions?since&until` streams every stored decision of a period,
//! oldest first, as JSON lines the simulator reads as they are; decisions recorded before
//! decision ids (migration 0001 only) are kept, filled in and logged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{
    Ask, NOW, Postgres, SUPERVISOR_TOKEN, Service, SqliteFile, approve, audit_log, client,
    client_as, fire, get, history, post,
};
use serde_json::{Value, json};
use sqlx::AnyPool;
use voucher_policy::{Engine, PastVoucher};
use voucher_policy_sim::LogEntry;

/// Decisions at moments out of the order they are sent, an escalation and its approval: the log
/// has each once, oldest first, the request as decided beside the decision, and only those of
/// the period asked for.
async fn the_log_is_every_decision_of_the_period(bases: &[String]) {
    let agent = client();
    let base = &bases[0];
    let mut sent = Vec::new();
    for (customer, at) in [
        ("L-2", "2026-11-24T10:02:00+07:00"),
        ("L-0", "2026-11-24T10:00:00+07:00"),
        ("L-1", "2026-11-24T10:01:00+07:00"),
    ] {
        let answer = post(
            &agent,
            base,
            &Ask::new(customer, "gold", "1").body_at(at),
            None,
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 200, "{}", answer.text);
        sent.push(answer);
    }
    let escalated = post(
        &agent,
        bases.last().unwrap(),
        &Ask::insisting("L-3", "gold", "1").body_at("2026-11-24T10:03:00+07:00"),
        None,
    )
    .await
    .unwrap();
    let approved = approve(
        &client_as(Some(SUPERVISOR_TOKEN)),
        base,
        &escalated.id(),
        None,
        Some("2026-11-24T10:04:00+07:00"),
    )
    .await
    .unwrap();
    assert_eq!(approved.status, 200, "{}", approved.text);

    let log = audit_log(
        base,
        "2026-11-24T09:00:00+07:00",
        "2026-11-25T00:00:00+07:00",
    )
    .await;
    let ids: Vec<&str> = log
        .iter()
        .map(|line| line["decision"]["id"].as_str().unwrap())
        .collect();
    let want = [
        sent[1].id(),
        sent[2].id(),
        sent[0].id(),
        escalated.id(),
        approved.id(),
    ];
    assert_eq!(ids, want, "every decision once, oldest first");
    for (line, answer) in log
        .iter()
        .zip([&sent[1], &sent[2], &sent[0], &escalated, &approved])
    {
        let fields: BTreeSet<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, BTreeSet::from(["decision", "request"]));
        assert_eq!(line["decision"], answer.json(), "the decision as answered");
        let request = &line["request"];
        assert_eq!(request["now"], line["decision"]["decided_at"], "{line}");
        assert_eq!(request["customer"]["id"], line["decision"]["customer_id"]);
        assert_eq!(request["agent"]["id"], "A-1", "who asked: {line}");
        assert!(request.get("history").is_none(), "{line}");
    }
    assert_eq!(
        log[4]["decision"]["approval"]["of"],
        escalated.id().as_str()
    );
    assert_eq!(log[4]["decision"]["approval"]["approver"], "S-1");

    // The period is half-open: [10:01, 10:03) holds two; any instance answers the same.
    let log = audit_log(
        bases.last().unwrap(),
        "2026-11-24T10:01:00+07:00",
        "2026-11-24T03:03:00Z",
    )
    .await;
    let ids: Vec<&str> = log
        .iter()
        .map(|line| line["decision"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [sent[2].id(), sent[0].id()]);
    assert!(audit_log(base, NOW, NOW).await.is_empty());

    // Each line is the simulator's input as it is, and decides as production decided: the
    // first decision of each customer had no history, and gets the same id again.
    let log = audit_log(
        base,
        "2026-11-24T09:00:00+07:00",
        "2026-11-25T00:00:00+07:00",
    )
    .await;
    let engine = Engine::default();
    for line in log.iter().take(3) {
        let entry = LogEntry::from_json(line.to_string().as_bytes()).unwrap();
        let decision = engine
            .decide(&entry.request, PastVoucher::NONE, entry.now)
            .unwrap();
        assert_eq!(
            decision.id().to_string(),
            line["decision"]["id"].as_str().unwrap()
        );
        assert_eq!(serde_json::to_value(&decision).unwrap(), line["decision"]);
    }
    let entry = LogEntry::from_json(log[4].to_string().as_bytes()).unwrap();
    assert_eq!(entry.request.customer().id().as_str(), "L-3");
}

/// Bad parameters get 400 naming the parameter; an unescaped `+` in an offset is read as one.
async fn the_period_is_checked(base: &str) {
    let agent = client();
    for (query, field) in [
        ("", "since"),
        ("since=2026-11-24T00:00:00Z", "until"),
        ("since=2026-11-24&until=2026-11-25T00:00:00Z", "since"),
        ("since=2026-11-24T00:00:00Z&until=tomorrow", "until"),
        (
            "since=2026-11-25T00:00:00Z&until=2026-11-24T00:00:00Z",
            "until",
        ),
        (
            "since=2026-11-24T00:00:00Z&until=2026-11-25T00:00:00Z&customer=L-1",
            "customer",
        ),
    ] {
        let answer = get(&agent, base, &format!("/decisions?{query}")).await;
        assert_eq!(answer.status, 400, "{query}: {}", answer.text);
        assert_eq!(answer.kind(), "invalid_query", "{query}");
        assert_eq!(
            answer.json()["error"]["field"],
            field,
            "{query}: {}",
            answer.text
        );
    }
    let answer = get(
        &agent,
        base,
        "/decisions?since=2026-11-24T00:00:00+07:00&until=2026-11-25T00:00:00+07:00",
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

/// More decisions at one moment than a page holds: the log pages through them, each once, in
/// the order of customer and decision number.
async fn the_log_pages_through_many_decisions(bases: &[String]) {
    const DECISIONS: usize = 1_234;
    let requests = (0..DECISIONS)
        .map(|n| (Ask::new(&format!("M-{n:05}"), "gold", "1").body(), None))
        .collect();
    let answers = fire(requests, bases, 32).await;
    assert!(
        answers
            .iter()
            .all(|answer| answer.as_ref().unwrap().status == 200)
    );
    let log = audit_log(&bases[0], NOW, "2026-11-24T10:00:01+07:00").await;
    let customers: Vec<&str> = log
        .iter()
        .map(|line| line["decision"]["customer_id"].as_str().unwrap())
        .filter(|customer| customer.starts_with("M-"))
        .collect();
    let want: Vec<String> = (0..DECISIONS).map(|n| format!("M-{n:05}")).collect();
    assert_eq!(customers, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_log_is_every_decision_of_the_period() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    let bases = std::slice::from_ref(&service.base);
    the_log_is_every_decision_of_the_period(bases).await;
    the_period_is_checked(&service.base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_the_log_pages_through_many_decisions() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    the_log_pages_through_many_decisions(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_instances_log_every_decision_once() {
    let Some(server) = Postgres::start() else {
        return;
    };
    let url = server.url("log");
    let first = Service::start(&url, &[]);
    let second = Service::start(&url, &[]);
    let bases = [first.base.clone(), second.base.clone()];
    the_log_is_every_decision_of_the_period(&bases).await;
    the_period_is_checked(&second.base).await;
    the_log_pages_through_many_decisions(&bases).await;
}

/// A database made by the service before decision ids (migration 0001 alone), with one decision
/// and its voucher in it: the service migrates it on start, keeps the voucher in the history,
/// and logs the decision with its request as decided.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_recorded_before_ids_are_kept_and_logged() {
    let database = SqliteFile::new();
    let url = database.url();
    let first_migration = database.path("migrations-0001");
    std::fs::create_dir(&first_migration).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/0001_decisions.sql"),
        first_migration.join("0001_decisions.sql"),
    )
    .unwrap();
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&format!("{url}?mode=rwc")).await.unwrap();
    sqlx::migrate::Migrator::new(first_migration.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let old_request = Ask::new("O-1", "gold", "77").body_on_the_clock();
    let mut old_request = old_request.as_object().unwrap().clone();
    old_request.remove("now");
    let old_response = json!({"outcome": "granted", "voucher": {"amount": "31000"}});
    let decided_at = "2026-11-20T10:00:00+07:00";
    for statement in [
        "INSERT INTO customers (id, decisions) VALUES ('O-1', 1)",
        "INSERT INTO decisions (customer_id, number, idempotency_key, order_id, outcome, \
         decided_at, request, response) VALUES ('O-1', 1, 'old-key', '77', 'granted', $1, $2, $3)",
        "INSERT INTO vouchers (customer_id, decision_number, order_id, granted_at, amount, \
         currency, severity, valid_until) \
         VALUES ('O-1', 1, '77', $1, '31000', 'IDR', 'moderate', '2026-12-20T10:00:00+07:00')",
    ] {
        let mut query = sqlx::query(statement);
        if statement.contains("$1") {
            query = query.bind(decided_at);
        }
        if statement.contains("$2") {
            query = query
                .bind(Value::Object(old_request.clone()).to_string())
                .bind(old_response.to_string());
        }
        query.execute(&pool).await.unwrap();
    }
    pool.close().await;

    let service = Service::start(&url, &[]);
    let entries = history(&service.base, "O-1").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["order_id"], "77");
    assert!(entries[0].get("decision_id").is_none(), "{:?}", entries[0]);

    let log = audit_log(
        &service.base,
        "2026-11-20T00:00:00Z",
        "2026-11-21T00:00:00Z",
    )
    .await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["decision"], old_response);
    assert_eq!(
        log[0]["request"]["now"], decided_at,
        "filled in from decided_at"
    );
    assert_eq!(log[0]["request"]["order"]["id"], "77");
    let entry = LogEntry::from_json(log[0].to_string().as_bytes()).unwrap();
    assert_eq!(entry.now.to_rfc3339(), decided_at);

    // The old voucher counts: the same order is not compensated again.
    let again = post(
        &client(),
        &service.base,
        &Ask::new("O-1", "gold", "77").body(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(again.outcome(), "refused", "{}", again.text);
    assert_eq!(again.json()["reasons"][0], "order_already_compensated");
}
