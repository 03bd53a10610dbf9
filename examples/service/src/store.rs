//! The decision store: the customers' voucher history and every decision made, in SQLite or
//! PostgreSQL through one code path.
//!
//! `POST /decisions` records its decisions in batches, many to a transaction (see
//! [`crate::batch`], which runs the steps below for a whole batch); [`Store::decide`] runs them
//! for one request, when a batch rolled back. A decision's transaction:
//!
//! 1. **Claim the customer.** An upsert that always writes the customer's row. In PostgreSQL it
//!    takes that row's lock until commit, so two requests for one customer (on any number of
//!    instances) run one after the other while other customers go on in parallel; in SQLite the
//!    first write takes the database's single write lock, which serialises every writer.
//! 2. **Replay** the stored answer if the idempotency key was seen before.
//! 3. **Load the history**, which now cannot change under us, and decide.
//! 4. **Record** the decision (under its id) and, when granted, the voucher, then commit. The
//!    caller answers only after the commit, so a granted voucher is durable before anyone hears
//!    of it.
//!
//! An approval is one transaction too, under the same customer lock: it finds the pending
//! decision, claims its customer, reads the history as it is then, and records the approval's
//! decision, its voucher and the `approvals` row whose primary key lets a pending decision be
//! approved once.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::MigrateDatabase;
use sqlx::{Any, AnyPool, Executor};
use voucher_policy::{Currency, DecisionId, OrderId, PastVoucher, Severity};

/// The SQL databases the service runs on, told apart by the URL's scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A file on disk; one instance.
    Sqlite,
    /// A server shared by any number of instances.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnknownScheme(
                url.split(':').next().unwrap_or_default().to_owned(),
            ))
        }
    }

    /// How the backend is named in logs and in `GET /health`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// How many connections a pool keeps unless told otherwise. SQLite has a single writer, so
    /// one connection queues writers fairly in the pool instead of in SQLite's busy loop.
    pub fn default_connections(self) -> u32 {
        match self {
            Backend::Sqlite => 1,
            Backend::Postgres => 16,
        }
    }
}

/// The storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no backend the service speaks.
    #[error("unsupported database URL scheme {0:?}: use sqlite: or postgres:")]
    UnknownScheme(String),
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migrating the schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The decision writer ended without answering (the runtime is shutting down).
    #[error("the decision writer ended without answering; whether it was recorded is unknown")]
    Unanswered,
    /// A batch failed as a whole: each request of it gets the same failure.
    #[error("{0}")]
    Shared(std::sync::Arc<StoreError>),
    /// A stored row does not read back (written by something else, or damaged).
    #[error("stored row of customer {customer:?} unreadable: {problem}")]
    Corrupt {
        /// Whose row it is.
        customer: String,
        /// What did not read.
        problem: String,
    },
}

/// What a request brings to the store besides its decision.
#[derive(Debug, Clone, Copy)]
pub struct Ticket<'a> {
    /// Whose history to lock, read and add to.
    pub customer_id: &'a str,
    /// The idempotency key, when the caller gave one.
    pub idempotency_key: Option<&'a str>,
    /// The request as received (canonical JSON), stored with the decision and compared when the
    /// key comes again.
    pub request: &'a str,
}

/// A decision ready to record.
#[derive(Debug, Clone)]
pub struct Ruling {
    /// The decision's id (32 hex digits), which it is stored and found under.
    pub id: String,
    /// The order the decision is about.
    pub order_id: String,
    /// `granted`, `refused` or `escalated`.
    pub outcome: &'static str,
    /// The moment of the decision; a granted voucher's `granted_at`.
    pub decided_at: DateTime<FixedOffset>,
    /// The decision in its wire form, answered now and to every replay.
    pub response: String,
    /// The decision's reasons, counted by the metrics once it is committed.
    pub reasons: Vec<&'static str>,
    /// The request as decided: the wire case without history (`now` and the request's fields).
    pub decided_request: String,
    /// The voucher, when granted.
    pub voucher: Option<Granted>,
}

/// A granted voucher, as the history keeps it.
#[derive(Debug, Clone, Copy)]
pub struct Granted {
    /// Its value.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
    /// The severity of the complaint it answered.
    pub severity: Severity,
    /// The last moment it can be used.
    pub valid_until: DateTime<FixedOffset>,
}

/// What became of a request.
#[derive(Debug)]
pub enum Recorded<E> {
    /// Decided now, recorded and committed: the decision (its wire form in `response`).
    Decided(Ruling),
    /// The key was seen before with the same request: the decision stored then, unchanged.
    Replayed(String),
    /// The key was seen before with a different request; nothing was decided.
    KeyReused,
    /// The decision function refused the request; nothing was recorded.
    Rejected(E),
}

/// What an approval brings to the store besides its decision.
#[derive(Debug, Clone, Copy)]
pub struct ApprovalTicket<'a> {
    /// The id of the decision to approve.
    pub approved_id: &'a str,
    /// Who approves (the API key's holder).
    pub approver_id: &'a str,
    /// In which role.
    pub approver_role: &'a str,
    /// The approval's body as received (canonical JSON), stored with its decision.
    pub request: &'a str,
    /// The approver's day, `[start, end)` in microseconds since the epoch: what they granted
    /// by approvals in it is their `granted_today`.
    pub day_us: (i64, i64),
}

/// What an approval decides on, read under the customer's lock.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The decision to approve, as stored (its wire form).
    pub decision: String,
    /// The request it decided (the wire case without history).
    pub request: String,
    /// The customer's history as it is now.
    pub history: Vec<PastVoucher>,
    /// What the approver granted by approvals in their day so far.
    pub granted_today: Decimal,
}

/// What became of an approval.
#[derive(Debug)]
pub enum Approving<E> {
    /// Approved now, recorded and committed: the approval's decision, in its wire form.
    Approved(String),
    /// The decision was approved before: that approval's decision, unchanged.
    AlreadyApproved(String),
    /// No decision has that id.
    NotFound,
    /// The approval function refused; nothing was recorded.
    Rejected(E),
}

/// One decision of the audit log, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogRow {
    /// The moment of the decision, microseconds since the epoch (the log's order).
    pub decided_at_us: i64,
    /// The customer (the order's tie-break).
    pub customer_id: String,
    /// The customer's decision number (the last tie-break).
    pub number: i64,
    /// The request as decided: the wire case without history.
    pub decided_request: Option<String>,
    /// The decision's wire form.
    pub response: String,
}

/// Where a page of the audit log starts: after this row.
pub type LogCursor = (i64, String, i64);

/// The decision store, shared by every request (cloning shares the pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

const CLAIM_CUSTOMER: &str = "\
    INSERT INTO customers (id, decisions) VALUES ($1, 1) \
    ON CONFLICT (id) DO UPDATE SET decisions = customers.decisions + 1 \
    RETURNING decisions";

const STORED_DECISION: &str = "SELECT request, response FROM decisions WHERE idempotency_key = $1";

const STORED_BY_ID: &str = "SELECT response FROM decisions WHERE id = $1";

const PENDING: &str = "SELECT customer_id, decided_request, response FROM decisions WHERE id = $1";

const APPROVAL_OF: &str = "\
    SELECT d.response FROM approvals a JOIN decisions d ON d.id = a.decision_id \
    WHERE a.approved_id = $1";

const GRANTED_BY_APPROVER: &str = "\
    SELECT v.amount FROM approvals a JOIN vouchers v ON v.decision_id = a.decision_id \
    WHERE a.approver_id = $1 AND a.decided_at_us >= $2 AND a.decided_at_us < $3";

const HISTORY: &str = "\
    SELECT order_id, granted_at, amount, currency, severity, decision_id FROM vouchers \
    WHERE customer_id = $1 ORDER BY decision_number";

const RECORD_DECISION: &str = "\
    INSERT INTO decisions \
    (customer_id, number, idempotency_key, order_id, outcome, decided_at, request, response, \
     id, decided_at_us, decided_request) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

const RECORD_VOUCHER: &str = "\
    INSERT INTO vouchers \
    (customer_id, decision_number, order_id, granted_at, amount, currency, severity, valid_until, \
     decision_id) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

const RECORD_APPROVAL: &str = "\
    INSERT INTO approvals (approved_id, decision_id, approver_id, approver_role, decided_at_us) \
    VALUES ($1, $2, $3, $4, $5)";

const LOG_FIRST_PAGE: &str = "\
    SELECT decided_at_us, customer_id, number, decided_request, response FROM decisions \
    WHERE decided_at_us >= $1 AND decided_at_us < $2 \
    ORDER BY decided_at_us, customer_id, number LIMIT $3";

const LOG_NEXT_PAGE: &str = "\
    SELECT decided_at_us, customer_id, number, decided_request, response FROM decisions \
    WHERE decided_at_us < $2 AND (decided_at_us > $1 OR (decided_at_us = $1 AND \
        (customer_id > $3 OR (customer_id = $3 AND number > $4)))) \
    ORDER BY decided_at_us, customer_id, number LIMIT $5";

/// Rows recorded before decisions had ids, whose time and request are filled in on start. Both
/// are always written together, so the indexed one finds them without reading the whole table.
const UNFILLED: &str = "\
    SELECT customer_id, number, decided_at, request FROM decisions \
    WHERE decided_at_us IS NULL";

const FILL: &str = "\
    UPDATE decisions SET decided_at_us = $1, decided_request = $2 \
    WHERE customer_id = $3 AND number = $4";

/// SQLite settings of every connection: write-ahead log (readers never block the writer), a
/// commit is on disk (fsync) before it returns, and references are enforced.
const SQLITE_SETTINGS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

/// PostgreSQL settings of every connection: a session that sits inside a transaction for 30 s
/// (an instance frozen mid-decision) is ended by the server, so it cannot hold a customer's lock
/// for ever. Commits are durable by the server's default (`synchronous_commit = on`).
const POSTGRES_SETTINGS: &str = "SET idle_in_transaction_session_timeout = '30s'";

impl Store {
    /// Opens the database at `url` (creating it when it does not exist: the SQLite file, or the
    /// PostgreSQL database) and brings its schema up to date.
    pub async fn open(url: &str, max_connections: Option<u32>) -> Result<Store, StoreError> {
        let backend = Backend::of_url(url)?;
        install_default_drivers();
        if !Any::database_exists(url).await? {
            // Another instance starting at the same moment may create it first: fine.
            if let Err(error) = Any::create_database(url).await
                && !Any::database_exists(url).await?
            {
                return Err(error.into());
            }
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.unwrap_or(backend.default_connections()))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    let settings = match backend {
                        Backend::Sqlite => SQLITE_SETTINGS,
                        Backend::Postgres => POSTGRES_SETTINGS,
                    };
                    connection.execute(sqlx::raw_sql(settings)).await?;
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        // Two instances starting together on PostgreSQL take turns: the migrator holds a lock.
        sqlx::migrate!("./migrations").run(&pool).await?;
        let store = Store { pool, backend };
        store.fill_older_rows().await?;
        Ok(store)
    }

    /// Gives the decisions recorded before migration 0002 their time in microseconds and
    /// their request as decided, so that the audit log has them. Their id stays unknown: the
    /// library did not give one then. Setting the same values twice is harmless, so instances
    /// starting together may both do it.
    async fn fill_older_rows(&self) -> Result<(), StoreError> {
        let rows: Vec<(String, i64, String, String)> =
            sqlx::query_as(UNFILLED).fetch_all(&self.pool).await?;
        if rows.is_empty() {
            return Ok(());
        }
        tracing::info!(
            rows = rows.len(),
            "filling in decisions recorded before decision ids"
        );
        for (customer, number, decided_at, request) in rows {
            let corrupt = |problem: String| StoreError::Corrupt {
                customer: customer.clone(),
                problem,
            };
            let at = DateTime::parse_from_rfc3339(&decided_at)
                .map_err(|error| corrupt(format!("decided_at {decided_at:?}: {error}")))?;
            let mut fields: serde_json::Map<String, Value> = serde_json::from_str(&request)
                .map_err(|error| corrupt(format!("request of decision {number}: {error}")))?;
            // A request decided on the service's clock was stored without `now`.
            fields
                .entry("now")
                .or_insert_with(|| Value::String(at.to_rfc3339()));
            sqlx::query(FILL)
                .bind(at.timestamp_micros())
                .bind(Value::Object(fields).to_string())
                .bind(&customer)
                .bind(number)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// The connection pool, for the decision writer's batches and for what keeps its own
    /// tables beside the decisions (the shadow policy's disagreements).
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Decides a request in one transaction, holding the customer's lock: replays the stored
    /// decision when the key was seen, otherwise calls `decide` with the customer's history and
    /// records what it rules. Returns only after the commit.
    pub async fn decide<E>(
        &self,
        ticket: Ticket<'_>,
        decide: impl FnOnce(Vec<PastVoucher>) -> Result<Ruling, E>,
    ) -> Result<Recorded<E>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let number: i64 = sqlx::query_scalar(CLAIM_CUSTOMER)
            .bind(ticket.customer_id)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(key) = ticket.idempotency_key {
            let stored: Option<(String, String)> = sqlx::query_as(STORED_DECISION)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(stored) = stored {
                tx.rollback().await?;
                return Ok(replay(stored, ticket.request));
            }
        }
        let history = read_history(&mut tx, ticket.customer_id).await?;
        let ruling = match decide(history) {
            Ok(ruling) => ruling,
            Err(rejection) => {
                tx.rollback().await?;
                return Ok(Recorded::Rejected(rejection));
            }
        };
        let recorded = record(
            &mut tx,
            ticket.customer_id,
            number,
            ticket.idempotency_key,
            ticket.request,
            &ruling,
        )
        .await;
        match recorded {
            Ok(()) => {}
            // The same key, sent for another customer at the same moment, won the race; or the
            // same case was decided before (same request, history, moment and policy: the same
            // id), which is the same decision. Either way, answer what is stored.
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                tx.rollback().await?;
                if let Some(key) = ticket.idempotency_key
                    && let Some(stored) = self.stored_by_key(key).await?
                {
                    return Ok(replay(stored, ticket.request));
                }
                return match self.decision(&ruling.id).await? {
                    Some(stored) => Ok(Recorded::Replayed(stored)),
                    None => Err(sqlx::Error::Database(error).into()),
                };
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        Ok(Recorded::Decided(ruling))
    }

    /// Approves the decision `ticket.approved_id` in one transaction, holding its customer's
    /// lock: answers the earlier approval when there is one, otherwise calls `approve` with the
    /// pending decision, its request, the history as it is now and what the approver granted
    /// today, and records what it rules with the approval. Returns only after the commit.
    pub async fn approve<E>(
        &self,
        ticket: ApprovalTicket<'_>,
        approve: impl FnOnce(Pending) -> Result<Ruling, E>,
    ) -> Result<Approving<E>, StoreError> {
        // Read before the transaction: a stored decision never changes, and in SQLite a
        // transaction that reads before it writes cannot wait for the write lock (it fails with
        // "database is locked" when another writer went first); claiming the customer must be
        // its first statement, as in `decide`.
        let found: Option<(String, Option<String>, String)> = sqlx::query_as(PENDING)
            .bind(ticket.approved_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some((customer, request, decision)) = found else {
            return Ok(Approving::NotFound);
        };
        let request = request.ok_or_else(|| StoreError::Corrupt {
            customer: customer.clone(),
            problem: format!("decision {} has no decided_request", ticket.approved_id),
        })?;
        let mut tx = self.pool.begin().await?;
        let number: i64 = sqlx::query_scalar(CLAIM_CUSTOMER)
            .bind(&customer)
            .fetch_one(&mut *tx)
            .await?;
        let earlier: Option<String> = sqlx::query_scalar(APPROVAL_OF)
            .bind(ticket.approved_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(earlier) = earlier {
            tx.rollback().await?;
            return Ok(Approving::AlreadyApproved(earlier));
        }
        let history = read_history(&mut tx, &customer).await?;
        let amounts: Vec<String> = sqlx::query_scalar(GRANTED_BY_APPROVER)
            .bind(ticket.approver_id)
            .bind(ticket.day_us.0)
            .bind(ticket.day_us.1)
            .fetch_all(&mut *tx)
            .await?;
        let mut granted_today = Decimal::ZERO;
        for amount in amounts {
            let amount = Decimal::from_str(&amount).map_err(|error| StoreError::Corrupt {
                customer: customer.clone(),
                problem: format!(
                    "a voucher approved by {:?} today has the amount {amount:?}: {error}",
                    ticket.approver_id
                ),
            })?;
            granted_today = granted_today.saturating_add(amount);
        }
        let pending = Pending {
            decision,
            request,
            history,
            granted_today,
        };
        let ruling = match approve(pending) {
            Ok(ruling) => ruling,
            Err(rejection) => {
                tx.rollback().await?;
                return Ok(Approving::Rejected(rejection));
            }
        };
        let recorded = match record(&mut tx, &customer, number, None, ticket.request, &ruling).await
        {
            Ok(()) => sqlx::query(RECORD_APPROVAL)
                .bind(ticket.approved_id)
                .bind(&ruling.id)
                .bind(ticket.approver_id)
                .bind(ticket.approver_role)
                .bind(ruling.decided_at.timestamp_micros())
                .execute(&mut *tx)
                .await
                .map(drop),
            Err(error) => Err(error),
        };
        match recorded {
            Ok(()) => {}
            // Another approval of the same decision committed first (the customer's lock makes
            // this rare; the primary key makes it harmless): answer that one.
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                tx.rollback().await?;
                let earlier: Option<String> = sqlx::query_scalar(APPROVAL_OF)
                    .bind(ticket.approved_id)
                    .fetch_optional(&self.pool)
                    .await?;
                return match earlier {
                    Some(earlier) => Ok(Approving::AlreadyApproved(earlier)),
                    None => Err(sqlx::Error::Database(error).into()),
                };
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        Ok(Approving::Approved(ruling.response))
    }

    /// The stored decision with this id, in its wire form.
    pub async fn decision(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(STORED_BY_ID)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Up to `limit` decisions of the audit log decided in `[since_us, until_us)`, oldest
    /// first, after `cursor` (the last row of the previous page) when given.
    pub async fn log_page(
        &self,
        since_us: i64,
        until_us: i64,
        cursor: Option<&LogCursor>,
        limit: i64,
    ) -> Result<Vec<LogRow>, StoreError> {
        let rows = match cursor {
            None => {
                sqlx::query_as(LOG_FIRST_PAGE)
                    .bind(since_us)
                    .bind(until_us)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            Some((at, customer, number)) => {
                sqlx::query_as(LOG_NEXT_PAGE)
                    .bind(*at)
                    .bind(until_us)
                    .bind(customer)
                    .bind(*number)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        Ok(rows)
    }

    /// The request and decision stored under `key` by a transaction that has committed.
    async fn stored_by_key(&self, key: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(sqlx::query_as(STORED_DECISION)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Every voucher granted to the customer, oldest first, as the wire contract's history.
    pub async fn history(&self, customer_id: &str) -> Result<Vec<PastVoucher>, StoreError> {
        let rows: Vec<HistoryRow> = sqlx::query_as(HISTORY)
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|row| row.into_past_voucher(customer_id))
            .collect()
    }

    /// Waits for every connection to close.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The customer's vouchers, read inside the transaction that holds their lock.
async fn read_history(
    tx: &mut sqlx::Transaction<'_, Any>,
    customer: &str,
) -> Result<Vec<PastVoucher>, StoreError> {
    let rows: Vec<HistoryRow> = sqlx::query_as(HISTORY)
        .bind(customer)
        .fetch_all(&mut **tx)
        .await?;
    rows.into_iter()
        .map(|row| row.into_past_voucher(customer))
        .collect()
}

/// Writes a decision and, when granted, its voucher, inside the caller's transaction. The
/// error is sqlx's own, so that the caller can tell a unique violation apart.
async fn record(
    tx: &mut sqlx::Transaction<'_, Any>,
    customer: &str,
    number: i64,
    idempotency_key: Option<&str>,
    request: &str,
    ruling: &Ruling,
) -> Result<(), sqlx::Error> {
    let decided_at = ruling.decided_at.to_rfc3339();
    sqlx::query(RECORD_DECISION)
        .bind(customer)
        .bind(number)
        .bind(idempotency_key)
        .bind(&ruling.order_id)
        .bind(ruling.outcome)
        .bind(&decided_at)
        .bind(request)
        .bind(&ruling.response)
        .bind(&ruling.id)
        .bind(ruling.decided_at.timestamp_micros())
        .bind(&ruling.decided_request)
        .execute(&mut **tx)
        .await?;
    if let Some(voucher) = &ruling.voucher {
        sqlx::query(RECORD_VOUCHER)
            .bind(customer)
            .bind(number)
            .bind(&ruling.order_id)
            .bind(&decided_at)
            .bind(voucher.amount.to_string())
            .bind(voucher.currency.as_str())
            .bind(voucher.severity.as_str())
            .bind(voucher.valid_until.to_rfc3339())
            .bind(&ruling.id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The stored decision when the request is the one it answered.
pub(crate) fn replay<E>(
    (stored_request, response): (String, String),
    request: &str,
) -> Recorded<E> {
    if stored_request == request {
        Recorded::Replayed(response)
    } else {
        Recorded::KeyReused
    }
}

/// One voucher row, as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct HistoryRow {
    pub(crate) order_id: String,
    pub(crate) granted_at: String,
    pub(crate) amount: String,
    pub(crate) currency: String,
    pub(crate) severity: Option<String>,
    pub(crate) decision_id: Option<String>,
}

impl HistoryRow {
    /// The voucher a row is, exactly as the library reads it back.
    pub(crate) fn into_past_voucher(self, customer: &str) -> Result<PastVoucher, StoreError> {
        let corrupt = |problem: String| StoreError::Corrupt {
            customer: customer.to_owned(),
            problem,
        };
        let granted_at = DateTime::parse_from_rfc3339(&self.granted_at)
            .map_err(|error| corrupt(format!("granted_at {:?}: {error}", self.granted_at)))?;
        let amount = Decimal::from_str(&self.amount)
            .map_err(|error| corrupt(format!("amount {:?}: {error}", self.amount)))?;
        let currency = Currency::from_str(&self.currency)
            .map_err(|error| corrupt(format!("currency: {error}")))?;
        let severity = self
            .severity
            .map(|text| {
                Severity::from_str(&text)
                    .map_err(|error| corrupt(format!("severity {text:?}: {error}")))
            })
            .transpose()?;
        let decision_id = self
            .decision_id
            .map(|text| {
                DecisionId::from_str(&text)
                    .map_err(|error| corrupt(format!("decision_id: {error}")))
            })
            .transpose()?;
        let mut voucher =
            PastVoucher::new(OrderId::new(self.order_id), amount, currency, granted_at);
        if let Some(severity) = severity {
            voucher = voucher.with_severity(severity);
        }
        if let Some(id) = decision_id {
            voucher = voucher.with_decision_id(id);
        }
        Ok(voucher)
    }
}
