//! The decision store: the customers' voucher history and every decision made, in SQLite or
//! PostgreSQL through one code path.
//!
//! Every decision is one transaction:
//!
//! 1. **Claim the customer.** An upsert that always writes the customer's row. In PostgreSQL it
//!    takes that row's lock until commit, so two requests for one customer (on any number of
//!    instances) run one after the other while other customers go on in parallel; in SQLite the
//!    first write takes the database's single write lock, which serialises every writer.
//! 2. **Replay** the stored answer if the idempotency key was seen before.
//! 3. **Load the history**, which now cannot change under us, and decide.
//! 4. **Record** the decision and, when granted, the voucher, then commit. The caller answers only
//!    after the commit, so a granted voucher is durable before anyone hears of it.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::MigrateDatabase;
use sqlx::{Any, AnyPool, Executor};
use voucher_policy::{Currency, OrderId, PastVoucher, Severity};

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
    /// A stored row does not read back (written by something else, or damaged).
    #[error("stored voucher of customer {customer:?} unreadable: {problem}")]
    Corrupt {
        /// Whose history it is.
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
    /// The order the decision is about.
    pub order_id: String,
    /// `granted`, `refused` or `escalated`.
    pub outcome: &'static str,
    /// The moment of the decision; a granted voucher's `granted_at`.
    pub decided_at: DateTime<FixedOffset>,
    /// The decision in its wire form, answered now and to every replay.
    pub response: String,
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
    /// Decided now, recorded and committed: the decision's wire form.
    Decided(String),
    /// The key was seen before with the same request: the decision stored then, unchanged.
    Replayed(String),
    /// The key was seen before with a different request; nothing was decided.
    KeyReused,
    /// The decision function refused the request; nothing was recorded.
    Rejected(E),
}

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

const HISTORY: &str = "\
    SELECT order_id, granted_at, amount, currency, severity FROM vouchers \
    WHERE customer_id = $1 ORDER BY decision_number";

const RECORD_DECISION: &str = "\
    INSERT INTO decisions \
    (customer_id, number, idempotency_key, order_id, outcome, decided_at, request, response) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

const RECORD_VOUCHER: &str = "\
    INSERT INTO vouchers \
    (customer_id, decision_number, order_id, granted_at, amount, currency, severity, valid_until) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

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
        Ok(Store { pool, backend })
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
        let rows: Vec<HistoryRow> = sqlx::query_as(HISTORY)
            .bind(ticket.customer_id)
            .fetch_all(&mut *tx)
            .await?;
        let history = rows
            .into_iter()
            .map(|row| row.into_past_voucher(ticket.customer_id))
            .collect::<Result<Vec<_>, _>>()?;
        let ruling = match decide(history) {
            Ok(ruling) => ruling,
            Err(rejection) => {
                tx.rollback().await?;
                return Ok(Recorded::Rejected(rejection));
            }
        };
        let decided_at = ruling.decided_at.to_rfc3339();
        let recorded = sqlx::query(RECORD_DECISION)
            .bind(ticket.customer_id)
            .bind(number)
            .bind(ticket.idempotency_key)
            .bind(&ruling.order_id)
            .bind(ruling.outcome)
            .bind(&decided_at)
            .bind(ticket.request)
            .bind(&ruling.response)
            .execute(&mut *tx)
            .await;
        match (recorded, ticket.idempotency_key) {
            (Ok(_), _) => {}
            // The same key, sent for another customer at the same moment, won the race: answer as
            // a replay of whatever it recorded.
            (Err(sqlx::Error::Database(error)), Some(key)) if error.is_unique_violation() => {
                tx.rollback().await?;
                return self.replay_committed(key, ticket.request).await;
            }
            (Err(error), _) => return Err(error.into()),
        }
        if let Some(voucher) = &ruling.voucher {
            sqlx::query(RECORD_VOUCHER)
                .bind(ticket.customer_id)
                .bind(number)
                .bind(&ruling.order_id)
                .bind(&decided_at)
                .bind(voucher.amount.to_string())
                .bind(voucher.currency.as_str())
                .bind(voucher.severity.as_str())
                .bind(voucher.valid_until.to_rfc3339())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Recorded::Decided(ruling.response))
    }

    /// The decision stored under `key` by a transaction that has committed.
    async fn replay_committed<E>(
        &self,
        key: &str,
        request: &str,
    ) -> Result<Recorded<E>, StoreError> {
        let stored: (String, String) = sqlx::query_as(STORED_DECISION)
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(replay(stored, request))
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

/// The stored decision when the request is the one it answered.
fn replay<E>((stored_request, response): (String, String), request: &str) -> Recorded<E> {
    if stored_request == request {
        Recorded::Replayed(response)
    } else {
        Recorded::KeyReused
    }
}

/// One voucher row, as stored.
#[derive(sqlx::FromRow)]
struct HistoryRow {
    order_id: String,
    granted_at: String,
    amount: String,
    currency: String,
    severity: Option<String>,
}

impl HistoryRow {
    fn into_past_voucher(self, customer: &str) -> Result<PastVoucher, StoreError> {
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
        let voucher = PastVoucher::new(OrderId::new(self.order_id), amount, currency, granted_at);
        Ok(match severity {
            Some(severity) => voucher.with_severity(severity),
            None => voucher,
        })
    }
}
