//! An idempotency key names one request: sent again, even many times at once, it replays the
//! decision stored the first time and records nothing more. And without a `now` of its own, a
//! request is decided on the service's clock against the stored history.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{Ask, Service, SqliteFile, client, fire, post, vouchers};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_key_sent_many_times_at_once_is_decided_once() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    let body = Ask::new("I-1", "gold", "100").body();
    let requests = vec![(body.clone(), Some("same-key".to_owned())); 30];
    let answers: Vec<_> = fire(requests, std::slice::from_ref(&service.base), 30)
        .await
        .into_iter()
        .map(|answer| answer.expect("answered"))
        .collect();

    assert!(answers.iter().all(|answer| answer.status == 200));
    assert_eq!(
        answers.iter().filter(|answer| !answer.replayed).count(),
        1,
        "decided once, replayed to everyone else"
    );
    assert!(answers.iter().all(|answer| answer.text == answers[0].text));
    assert_eq!(answers[0].outcome(), "granted");
    assert_eq!(
        vouchers(&service.base, "I-1").await,
        [("100".to_owned(), 31_000)]
    );

    // The same key later, after more vouchers changed the history: still the first decision.
    for order in ["101", "102"] {
        let other = Ask::new("I-1", "gold", order).body();
        post(&client(), &service.base, &other, None).await.unwrap();
    }
    let again = post(&client(), &service.base, &body, Some("same-key"))
        .await
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.text, answers[0].text);
    assert_eq!(vouchers(&service.base, "I-1").await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_sent_again_without_a_key_is_not_compensated_twice() {
    // Without a key the service cannot tell a retry from a new request, so it decides again:
    // the library then refuses the order that was already compensated.
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    let body = Ask::new("I-2", "gold", "200").body();
    let first = post(&client(), &service.base, &body, None).await.unwrap();
    let second = post(&client(), &service.base, &body, None).await.unwrap();
    assert_eq!(first.outcome(), "granted");
    assert_eq!(second.outcome(), "refused");
    assert!(!second.replayed);
    assert_eq!(
        second.json()["reasons"][0],
        "order_already_compensated",
        "{}",
        second.text
    );
    assert_eq!(vouchers(&service.base, "I-2").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_clock_the_history_in_the_database_decides() {
    let database = SqliteFile::new();
    let url = database.url();
    let service = Service::on_the_clock(&url, &[]);
    let client = client();
    let first = Ask::new("I-3", "new", "300").body_on_the_clock();
    let second = Ask::new("I-3", "new", "301").body_on_the_clock();

    let granted = post(&client, &service.base, &first, None).await.unwrap();
    assert_eq!(granted.status, 200, "{}", granted.text);
    assert_eq!(granted.outcome(), "granted");
    let refused = post(&client, &service.base, &second, None).await.unwrap();
    assert_eq!(refused.outcome(), "refused");
    let decision = refused.json();
    assert_eq!(decision["reasons"][0], "voucher_limit_reached");
    assert_eq!(decision["facts"]["vouchers_in_count_window"], 1);

    // The history is stored, and read back on a restart.
    drop(service);
    let service = Service::on_the_clock(&url, &[]);
    assert_eq!(
        vouchers(&service.base, "I-3").await,
        [("300".to_owned(), 25_000)]
    );
    let third = Ask::new("I-3", "new", "302").body_on_the_clock();
    let refused = post(&client, &service.base, &third, None).await.unwrap();
    assert_eq!(refused.outcome(), "refused");
}
