//! Deciding a batch of queued requests in one transaction, so that they share one commit (one
//! flush of the disk) instead of paying one each.
//!
//! The transaction runs the steps of [`Store::decide`] for the whole batch at once, in a fixed
//! number of statements whatever its size:
//!
//! 1. **Claim every customer of the batch**, in sorted order: one upsert that writes each row
//!    (taking its lock in PostgreSQL, the database's write lock in SQLite) and reads how many
//!    decisions it has. Locking in one order everywhere means two batches (of two instances, or
//!    two writers) wait for each other but never deadlock.
//! 2. **Read the stored decisions of the batch's idempotency keys**, and **the history of every
//!    customer**, both now unable to change under us.
//! 3. **Decide each request in arrival order** on its customer's history, kept in memory and
//!    grown by each voucher the batch grants: a customer twice in one batch is decided the second
//!    time on a history holding the first voucher, exactly as if the first had committed. A key
//!    or a case already decided (stored, or earlier in the batch) replays that decision.
//! 4. **Record** every decision, every voucher and the customers' new counts, then commit once.
//!
//! A request the library rejects is answered as rejected and records nothing, without touching
//! the rest of the batch. When a statement fails (a key or case recorded by another instance at
//! the same moment, a deadlock the server broke), the transaction rolls back and the caller
//! decides each request again on its own; when the commit fails, nothing is known to be
//! recorded and every request of the batch gets the error.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use sqlx::AssertSqlSafe;
use voucher_policy::PastVoucher;

use crate::store::{Backend, HistoryRow, Recorded, Ruling, Store, StoreError, replay};

/// How a request of a batch is decided on its customer's history. Callable more than once: a
/// batch that fails is decided again request by request.
pub type Decide<E> = Box<dyn Fn(Vec<PastVoucher>) -> Result<Ruling, E> + Send + Sync>;

/// One request of a batch: what [`crate::store::Ticket`] holds, owned, and how to decide it.
pub struct Item<E> {
    /// Whose history to lock, read and add to.
    pub customer_id: String,
    /// The idempotency key, when the caller gave one.
    pub idempotency_key: Option<String>,
    /// The request as received (canonical JSON).
    pub request: String,
    /// Decides the request on the customer's history.
    pub decide: Decide<E>,
}

/// Why a batch recorded nothing.
#[derive(Debug)]
pub enum BatchFailed {
    /// A statement failed and the transaction rolled back: nothing of the batch was recorded,
    /// and each request may be decided again on its own.
    RolledBack(StoreError),
    /// The commit itself failed: whether it took effect is unknown, so nothing may be retried.
    Commit(StoreError),
}

impl From<sqlx::Error> for BatchFailed {
    fn from(error: sqlx::Error) -> Self {
        BatchFailed::RolledBack(error.into())
    }
}

impl From<StoreError> for BatchFailed {
    fn from(error: StoreError) -> Self {
        BatchFailed::RolledBack(error)
    }
}

/// A decision of the batch, waiting for the statement that records them all.
struct Row<'a> {
    customer: &'a str,
    number: i64,
    key: Option<&'a str>,
    request: &'a str,
    ruling: Ruling,
}

/// One voucher row of a customer of the batch, as stored.
#[derive(sqlx::FromRow)]
struct CustomerVoucher {
    customer_id: String,
    #[sqlx(flatten)]
    voucher: HistoryRow,
}

impl Store {
    /// Decides `items` in order in one transaction and commits once; returns what became of
    /// each, in the same order, only after the commit. On failure nothing is answered: see
    /// [`BatchFailed`] for what the caller may do.
    pub async fn decide_batch<E>(
        &self,
        items: &[Item<E>],
    ) -> Result<Vec<Recorded<E>>, BatchFailed> {
        let customers: BTreeSet<&str> =
            items.iter().map(|item| item.customer_id.as_str()).collect();
        let keys: BTreeSet<&str> = items
            .iter()
            .filter_map(|item| item.idempotency_key.as_deref())
            .collect();
        let backend = self.backend();
        // Dropped without a commit on any early return, which rolls the transaction back.
        let mut tx = self.pool().begin().await?;

        let mut claim =
            sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(claim_sql(backend, customers.len())))
                .persistent(kept(backend));
        for customer in &customers {
            claim = claim.bind(*customer);
        }
        let mut numbers: BTreeMap<String, i64> =
            claim.fetch_all(&mut *tx).await?.into_iter().collect();

        let mut stored: BTreeMap<String, (String, String)> = BTreeMap::new();
        if !keys.is_empty() {
            let mut lookup = sqlx::query_as::<_, (String, String, String)>(AssertSqlSafe(
                stored_sql(backend, keys.len()),
            ))
            .persistent(kept(backend));
            for key in &keys {
                lookup = lookup.bind(*key);
            }
            for (key, request, response) in lookup.fetch_all(&mut *tx).await? {
                stored.insert(key, (request, response));
            }
        }

        let mut read = sqlx::query_as::<_, CustomerVoucher>(AssertSqlSafe(history_sql(
            backend,
            customers.len(),
        )))
        .persistent(kept(backend));
        for customer in &customers {
            read = read.bind(*customer);
        }
        let mut histories: BTreeMap<String, Vec<PastVoucher>> = BTreeMap::new();
        for row in read.fetch_all(&mut *tx).await? {
            let voucher = row.voucher.into_past_voucher(&row.customer_id)?;
            histories.entry(row.customer_id).or_default().push(voucher);
        }

        let mut results = Vec::with_capacity(items.len());
        let mut rows: Vec<Row<'_>> = Vec::new();
        // The decisions of this batch by id: deciding the same case again replays the first.
        let mut decided: BTreeMap<String, String> = BTreeMap::new();
        for item in items {
            let customer = item.customer_id.as_str();
            let key = item.idempotency_key.as_deref();
            if let Some(earlier) = key.and_then(|key| stored.get(key)) {
                results.push(replay(earlier.clone(), &item.request));
                continue;
            }
            let history = histories.get(customer).cloned().unwrap_or_default();
            let ruling = match (item.decide)(history) {
                Ok(ruling) => ruling,
                Err(rejection) => {
                    results.push(Recorded::Rejected(rejection));
                    continue;
                }
            };
            if let Some(earlier) = decided.get(&ruling.id) {
                results.push(Recorded::Replayed(earlier.clone()));
                continue;
            }
            let number = numbers.entry(customer.to_owned()).or_insert(0);
            *number += 1;
            if let Some(voucher) = granted(customer, &ruling)? {
                histories
                    .entry(customer.to_owned())
                    .or_default()
                    .push(voucher);
            }
            if let Some(key) = key {
                stored.insert(
                    key.to_owned(),
                    (item.request.clone(), ruling.response.clone()),
                );
            }
            decided.insert(ruling.id.clone(), ruling.response.clone());
            rows.push(Row {
                customer,
                number: *number,
                key,
                request: &item.request,
                ruling: ruling.clone(),
            });
            results.push(Recorded::Decided(ruling));
        }

        if !rows.is_empty() {
            record_all(&mut tx, backend, &rows).await?;
            // Only the customers the batch recorded a decision of: the others keep their count.
            let recorded: BTreeSet<&str> = rows.iter().map(|row| row.customer).collect();
            let mut counts = sqlx::query(AssertSqlSafe(counts_sql(backend, recorded.len())))
                .persistent(kept(backend));
            for customer in recorded {
                let number = numbers.get(customer).copied().unwrap_or_default();
                counts = counts.bind(customer).bind(number);
            }
            counts.execute(&mut *tx).await?;
        }
        tx.commit()
            .await
            .map_err(|error| BatchFailed::Commit(error.into()))?;
        Ok(results)
    }
}

/// The voucher a ruling grants, as the customer's history will read it back from its row.
fn granted(customer: &str, ruling: &Ruling) -> Result<Option<PastVoucher>, StoreError> {
    let Some(voucher) = &ruling.voucher else {
        return Ok(None);
    };
    // Through the row's own reading, so that the in-memory history is exactly the stored one
    // (and a decision's id, which hashes its history, is the same either way).
    let row = HistoryRow {
        order_id: ruling.order_id.clone(),
        granted_at: ruling.decided_at.to_rfc3339(),
        amount: voucher.amount.to_string(),
        currency: voucher.currency.as_str().to_owned(),
        severity: Some(voucher.severity.as_str().to_owned()),
        decision_id: Some(ruling.id.clone()),
    };
    row.into_past_voucher(customer).map(Some)
}

/// Inserts every decision of the batch in one statement, and every voucher in another.
async fn record_all(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    rows: &[Row<'_>],
) -> Result<(), sqlx::Error> {
    let mut decisions = sqlx::query(AssertSqlSafe(values_sql(
        backend,
        "INSERT INTO decisions (customer_id, number, idempotency_key, order_id, outcome, \
         decided_at, request, response, id, decided_at_us, decided_request) VALUES ",
        rows.len(),
        11,
    )))
    .persistent(kept(backend));
    for row in rows {
        let ruling = &row.ruling;
        decisions = decisions
            .bind(row.customer)
            .bind(row.number)
            .bind(row.key)
            .bind(ruling.order_id.as_str())
            .bind(ruling.outcome)
            .bind(ruling.decided_at.to_rfc3339())
            .bind(row.request)
            .bind(ruling.response.as_str())
            .bind(ruling.id.as_str())
            .bind(ruling.decided_at.timestamp_micros())
            .bind(ruling.decided_request.as_str());
    }
    decisions.execute(&mut **tx).await?;

    let granted: Vec<&Row<'_>> = rows
        .iter()
        .filter(|row| row.ruling.voucher.is_some())
        .collect();
    if granted.is_empty() {
        return Ok(());
    }
    let mut vouchers = sqlx::query(AssertSqlSafe(values_sql(
        backend,
        "INSERT INTO vouchers (customer_id, decision_number, order_id, granted_at, amount, \
         currency, severity, valid_until, decision_id) VALUES ",
        granted.len(),
        9,
    )))
    .persistent(kept(backend));
    for row in granted {
        let ruling = &row.ruling;
        if let Some(voucher) = &ruling.voucher {
            vouchers = vouchers
                .bind(row.customer)
                .bind(row.number)
                .bind(ruling.order_id.as_str())
                .bind(ruling.decided_at.to_rfc3339())
                .bind(voucher.amount.to_string())
                .bind(voucher.currency.as_str())
                .bind(voucher.severity.as_str())
                .bind(voucher.valid_until.to_rfc3339())
                .bind(ruling.id.as_str());
        }
    }
    vouchers.execute(&mut **tx).await?;
    Ok(())
}

/// Whether a batch statement is kept prepared on its connection. PostgreSQL then parses and
/// plans it once per connection and batch size (sqlx keeps 100 per connection, which holds the
/// common sizes), saving a round trip and a plan per statement: about a sixth of the server's
/// and the service's CPU per decision on the load test. SQLite parses a statement in
/// microseconds, and a batch's statements are too many sizes to keep.
fn kept(backend: Backend) -> bool {
    backend == Backend::Postgres
}

/// The `n`th parameter (from 1) of a statement whose parameters are bound in order. SQLite
/// numbers a bare `?` as it parses, whereas it looks each `$n` up by name, which costs time
/// quadratic in a batch's hundreds of parameters; PostgreSQL takes only `$n`.
fn param(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_owned(),
        Backend::Postgres => format!("${n}"),
    }
}

/// The parameters `1..=count`, separated by commas.
fn list(backend: Backend, count: usize) -> String {
    let params: Vec<String> = (1..=count).map(|n| param(backend, n)).collect();
    params.join(", ")
}

/// `prefix` followed by `rows` tuples of `columns` parameters each.
fn values_sql(backend: Backend, prefix: &str, rows: usize, columns: usize) -> String {
    let mut text = String::from(prefix);
    for row in 0..rows {
        if row > 0 {
            text.push_str(", ");
        }
        text.push('(');
        for column in 1..=columns {
            if column > 1 {
                text.push_str(", ");
            }
            text.push_str(&param(backend, row * columns + column));
        }
        text.push(')');
    }
    text
}

/// Claims `count` customers (bound in sorted order): writes each row, creating it with no
/// decisions yet, and returns every customer's count.
fn claim_sql(backend: Backend, count: usize) -> String {
    let mut text = String::from("INSERT INTO customers (id, decisions) VALUES ");
    for n in 1..=count {
        if n > 1 {
            text.push_str(", ");
        }
        let _ = write!(text, "({}, 0)", param(backend, n));
    }
    text.push_str(
        " ON CONFLICT (id) DO UPDATE SET decisions = customers.decisions RETURNING id, decisions",
    );
    text
}

/// The stored request and decision of `count` idempotency keys.
fn stored_sql(backend: Backend, count: usize) -> String {
    format!(
        "SELECT idempotency_key, request, response FROM decisions WHERE idempotency_key IN ({})",
        list(backend, count)
    )
}

/// The vouchers of `count` customers, each customer's oldest first.
fn history_sql(backend: Backend, count: usize) -> String {
    format!(
        "SELECT customer_id, order_id, granted_at, amount, currency, severity, decision_id \
         FROM vouchers WHERE customer_id IN ({}) ORDER BY customer_id, decision_number",
        list(backend, count)
    )
}

/// Sets the decision counts of `count` customers, bound as `(id, count)` pairs.
fn counts_sql(backend: Backend, count: usize) -> String {
    let mut text = values_sql(
        backend,
        "INSERT INTO customers (id, decisions) VALUES ",
        count,
        2,
    );
    text.push_str(" ON CONFLICT (id) DO UPDATE SET decisions = excluded.decisions");
    text
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;
    use std::sync::Arc;

    use chrono::DateTime;
    use rust_decimal::Decimal;
    use voucher_policy::{Currency, Severity};

    use super::*;
    use crate::metrics::Metrics;
    use crate::store::Granted;
    use crate::writer::{Writer, WriterSettings};

    /// A stand-in for the library: grants the customer's first order, refuses every later one
    /// and every order starting with `e`, rejects the order `bad`; the decision's id is the
    /// order's and the history's length.
    fn item(customer: &str, order: &str, key: Option<&str>, request: &str) -> Item<String> {
        let (customer_id, order) = (customer.to_owned(), order.to_owned());
        Item {
            customer_id,
            idempotency_key: key.map(str::to_owned),
            request: request.to_owned(),
            decide: Box::new(move |history: Vec<PastVoucher>| {
                if order == "bad" {
                    return Err(format!("order {order:?} rejected"));
                }
                let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+07:00").unwrap();
                let first = history.is_empty() && !order.starts_with('e');
                let id = format!("{:0>30}{:02}", order, history.len());
                Ok(Ruling {
                    id: id.clone(),
                    order_id: order.clone(),
                    outcome: if first { "granted" } else { "refused" },
                    decided_at: at,
                    response: format!("{{\"id\":\"{id}\",\"history\":{}}}", history.len()),
                    decided_request: "{}".to_owned(),
                    reasons: Vec::new(),
                    voucher: first.then(|| Granted {
                        amount: Decimal::from(25_000),
                        currency: Currency::from_str("IDR").unwrap(),
                        severity: Severity::Moderate,
                        valid_until: at,
                    }),
                })
            }),
        }
    }

    fn response<E: std::fmt::Debug>(recorded: &Recorded<E>) -> String {
        match recorded {
            Recorded::Decided(ruling) => format!("decided {}", ruling.response),
            Recorded::Replayed(response) => format!("replayed {response}"),
            other => format!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_batch_decides_in_order_as_if_each_had_committed_alone() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("batch.db").display());
        let store = Store::open(&url, None).await.unwrap();
        let items = vec![
            item("A", "1", Some("k1"), "r1"),
            // The same customer again: decided on a history holding the first voucher.
            item("A", "2", Some("k2"), "r2"),
            // The first key again, same request: the first decision; another request: refused.
            item("A", "1", Some("k1"), "r1"),
            item("A", "9", Some("k1"), "other"),
            // Rejected by the library: answered so, recorded nothing, the batch goes on.
            item("B", "bad", None, "rb"),
            item("C", "e3", None, "r3"),
            // The same case again (refused, so the same history and id): the first decision.
            item("C", "e3", None, "r3"),
        ];
        let results = store.decide_batch(&items).await.unwrap();
        let answers: Vec<String> = results.iter().map(response).collect();
        assert_eq!(
            answers,
            [
                "decided {\"id\":\"00000000000000000000000000000100\",\"history\":0}",
                "decided {\"id\":\"00000000000000000000000000000201\",\"history\":1}",
                "replayed {\"id\":\"00000000000000000000000000000100\",\"history\":0}",
                "KeyReused",
                "Rejected(\"order \\\"bad\\\" rejected\")",
                "decided {\"id\":\"0000000000000000000000000000e300\",\"history\":0}",
                "replayed {\"id\":\"0000000000000000000000000000e300\",\"history\":0}",
            ]
        );
        assert_eq!(store.history("A").await.unwrap().len(), 1);
        assert!(store.history("C").await.unwrap().is_empty());
        let counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT id, decisions FROM customers ORDER BY id")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let counts: Vec<(&str, i64)> = counts.iter().map(|(id, n)| (id.as_str(), *n)).collect();
        assert_eq!(counts, [("A", 2), ("B", 0), ("C", 1)]);

        // A case already stored makes the batch roll back (its id is taken); the writer then
        // decides each request alone, and the others of the batch are recorded all the same.
        let writer: Writer<String> = Writer::start(
            store.clone(),
            WriterSettings {
                queue_depth: 8,
                batch_max: 8,
                writers: 1,
            },
            Arc::new(Metrics::new()),
        );
        let (again, fresh, replay) = tokio::join!(
            writer.decide(item("C", "e3", None, "r3")),
            writer.decide(item("D", "4", Some("k4"), "r4")),
            writer.decide(item("A", "1", Some("k1"), "r1")),
        );
        assert_eq!(
            response(&again.unwrap()),
            "replayed {\"id\":\"0000000000000000000000000000e300\",\"history\":0}"
        );
        assert_eq!(
            response(&fresh.unwrap()),
            "decided {\"id\":\"00000000000000000000000000000400\",\"history\":0}"
        );
        assert_eq!(
            response(&replay.unwrap()),
            "replayed {\"id\":\"00000000000000000000000000000100\",\"history\":0}"
        );
        writer.stop().await;
        assert_eq!(store.history("D").await.unwrap().len(), 1);
        assert!(matches!(
            writer.decide(item("E", "5", None, "r5")).await,
            Err(crate::writer::WriteError::Stopped)
        ));
    }

    #[test]
    fn statements_number_their_parameters_as_each_database_reads_them() {
        assert_eq!(list(Backend::Postgres, 3), "$1, $2, $3");
        assert_eq!(list(Backend::Sqlite, 3), "?, ?, ?");
        assert_eq!(
            values_sql(Backend::Postgres, "V ", 2, 2),
            "V ($1, $2), ($3, $4)"
        );
        assert_eq!(values_sql(Backend::Sqlite, "V ", 2, 2), "V (?, ?), (?, ?)");
        assert!(claim_sql(Backend::Postgres, 2).starts_with(
            "INSERT INTO customers (id, decisions) VALUES ($1, 0), ($2, 0) ON CONFLICT"
        ));
        assert!(counts_sql(Backend::Postgres, 1).ends_with(
            "VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET decisions = excluded.decisions"
        ));
    }
}
