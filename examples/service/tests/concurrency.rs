//! Many requests for one customer at the same moment never grant more than the policy allows:
//! the count and value limits hold exactly, on SQLite and on PostgreSQL with two instances.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{Ask, Postgres, Service, SqliteFile, fire, vouchers};

/// Requests per customer, all fired at once.
const PER_CUSTOMER: usize = 50;

/// One customer's burst and what the embedded default policy allows them exactly.
struct Burst {
    customer: &'static str,
    ask: fn(&str, usize) -> Ask,
    /// The vouchers granted, in the order the limits cut them.
    granted: &'static [i64],
}

fn bursts() -> [Burst; 4] {
    [
        // new: 1 voucher per 7 days. A moderate complaint on 100,000 is worth 25,000.
        Burst {
            customer: "N-1",
            ask: |customer, n| Ask::new(customer, "new", &format!("N{n}")),
            granted: &[25_000],
        },
        // regular: 2 per 7 days, 100,000 per 30 days; 160,000 x 50% = 80,000, then the 20,000
        // left of the value limit.
        Burst {
            customer: "R-1",
            ask: |customer, n| Ask::major(customer, "regular", &format!("R{n}"), "160000"),
            granted: &[80_000, 20_000],
        },
        // silver: 2 per 7 days, 150,000 per 30 days; 180,000 x 50% x 1.1 = 99,000, then 51,000.
        Burst {
            customer: "S-1",
            ask: |customer, n| Ask::major(customer, "silver", &format!("S{n}"), "180000"),
            granted: &[99_000, 51_000],
        },
        // gold: 3 per 7 days, 250,000 per 30 days; 160,000 x 50% x 1.25 = 100,000 (the agent's
        // authority), twice, then the 50,000 left.
        Burst {
            customer: "G-1",
            ask: |customer, n| Ask::major(customer, "gold", &format!("G{n}"), "160000"),
            granted: &[100_000, 100_000, 50_000],
        },
    ]
}

/// Fires every burst at once, interleaved, spread over the instances at `bases`, and checks
/// the answers and the stored history of every customer.
async fn limits_hold(bases: &[String]) {
    let bursts = bursts();
    let mut requests = Vec::new();
    for n in 0..PER_CUSTOMER {
        for burst in &bursts {
            requests.push(((burst.ask)(burst.customer, n).body(), None));
        }
    }
    let answers = fire(requests, bases, 64).await;

    for (index, burst) in bursts.iter().enumerate() {
        let mine: Vec<_> = answers
            .iter()
            .skip(index)
            .step_by(bursts.len())
            .map(|answer| answer.clone().expect("every request is answered"))
            .collect();
        assert_eq!(mine.len(), PER_CUSTOMER);
        assert!(
            mine.iter().all(|answer| answer.status == 200),
            "{}: every request is decided: {:?}",
            burst.customer,
            mine.iter().find(|answer| answer.status != 200)
        );
        let mut granted: Vec<i64> = mine.iter().filter_map(|answer| answer.amount()).collect();
        granted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(
            granted, burst.granted,
            "{}: the vouchers granted",
            burst.customer
        );
        let refused = mine
            .iter()
            .filter(|answer| answer.outcome() == "refused")
            .count();
        assert_eq!(refused, PER_CUSTOMER - burst.granted.len());

        // The stored history says the same, whichever instance is asked.
        for base in bases {
            let mut stored: Vec<i64> = vouchers(base, burst.customer)
                .await
                .into_iter()
                .map(|(_, amount)| amount)
                .collect();
            stored.sort_unstable_by(|a, b| b.cmp(a));
            assert_eq!(
                stored, burst.granted,
                "{}: the stored vouchers",
                burst.customer
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_parallel_requests_for_one_customer_never_pass_the_limits() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    limits_hold(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_with_a_pool_of_many_connections_still_serialises_each_customer() {
    // More connections than SQLite has writers: writers then wait in SQLite's busy handler
    // instead of the pool, and the limits must hold all the same.
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &["--max-connections", "8"]);
    limits_hold(std::slice::from_ref(&service.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_instances_sharing_one_server_never_pass_the_limits() {
    let Some(server) = Postgres::start() else {
        return;
    };
    let url = server.url("limits");
    let first = Service::start(&url, &[]);
    let second = Service::start(&url, &[]);
    limits_hold(&[first.base.clone(), second.base.clone()]).await;
}
