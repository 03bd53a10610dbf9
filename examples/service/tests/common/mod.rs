//! What the service's tests share: the service binary as a child process, a throwaway
//! PostgreSQL server, requests, and firing many of them at once.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The moment every test request is decided at (the service runs with `--accept-request-now`).
pub const NOW: &str = "2026-11-24T10:00:00+07:00";

/// The bearer token of agent `A-1` (role `agent`), which [`client`] sends.
pub const AGENT_TOKEN: &str = "test-token-agent-A-1";
/// The bearer token of supervisor `S-1`.
pub const SUPERVISOR_TOKEN: &str = "test-token-supervisor-S-1";
/// The bearer token of supervisor `S-2`.
pub const SUPERVISOR_2_TOKEN: &str = "test-token-supervisor-S-2";
/// The bearer token of `AU-1`, whose role `auditor` the policy does not know: it may only read.
pub const AUDITOR_TOKEN: &str = "test-token-auditor-AU-1";

/// The API-keys file of the tests: `(id, role, token)` each.
pub const KEYS: [(&str, &str, &str); 4] = [
    ("A-1", "agent", AGENT_TOKEN),
    ("S-1", "supervisor", SUPERVISOR_TOKEN),
    ("S-2", "supervisor", SUPERVISOR_2_TOKEN),
    ("AU-1", "auditor", AUDITOR_TOKEN),
];

/// The text of an API-keys file for `keys`: the SHA-256 of each token, never the token.
pub fn keys_file(keys: &[(&str, &str, &str)]) -> String {
    keys.iter()
        .map(|(id, role, token)| {
            format!(
                "[[key]]\nid = \"{id}\"\nrole = \"{role}\"\nsha256 = \"{}\"\n\n",
                voucher_service::token_sha256(token)
            )
        })
        .collect()
}

/// A temporary directory holding the tests' API-keys file.
pub struct KeysFile {
    dir: TempDir,
}

impl KeysFile {
    /// The file of [`KEYS`].
    pub fn new() -> KeysFile {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("keys.toml"), keys_file(&KEYS)).expect("write keys.toml");
        KeysFile { dir }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("keys.toml")
    }
}

/// The service binary, running as a child process; killed when dropped.
pub struct Service {
    child: Child,
    /// Held open: the service may write more.
    _stdout: BufReader<ChildStdout>,
    /// The API-keys file, while the service may read it again.
    keys: Option<KeysFile>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Service {
    /// Starts the service on `database_url` with `--accept-request-now`, the tests' API keys and
    /// any `extra` arguments, listening on a free loopback port, and waits until it listens.
    pub fn start(database_url: &str, extra: &[&str]) -> Service {
        let mut args = vec!["--accept-request-now"];
        args.extend_from_slice(extra);
        Service::on_the_clock(database_url, &args)
    }

    /// Starts the service on `database_url` with the tests' API keys and any `extra`
    /// arguments, deciding on its own clock (no `--accept-request-now`).
    pub fn on_the_clock(database_url: &str, extra: &[&str]) -> Service {
        let keys = KeysFile::new();
        let path = keys.path().display().to_string();
        let mut args = vec![
            "--database-url",
            database_url,
            "--listen",
            "127.0.0.1:0",
            "--api-keys",
            &path,
        ];
        args.extend_from_slice(extra);
        let mut service = Service::start_with(&args);
        service.keys = Some(keys);
        service
    }

    /// The API-keys file the service reads (on start and on SIGHUP).
    pub fn keys_path(&self) -> PathBuf {
        self.keys.as_ref().expect("started with API keys").path()
    }

    /// Starts the service with exactly these arguments and waits until it listens.
    pub fn start_with(args: &[&str]) -> Service {
        Service::spawn(args, "warn", Stdio::inherit())
    }

    /// Starts the service on `database_url` like [`Service::start`], logging at `info` to a
    /// pipe: returns the service and its stderr, to read the log from.
    pub fn start_logging(database_url: &str, extra: &[&str]) -> (Service, ChildStderr) {
        let keys = KeysFile::new();
        let path = keys.path().display().to_string();
        let mut args = vec![
            "--accept-request-now",
            "--database-url",
            database_url,
            "--listen",
            "127.0.0.1:0",
            "--api-keys",
            &path,
        ];
        args.extend_from_slice(extra);
        let mut service = Service::spawn(&args, "info", Stdio::piped());
        service.keys = Some(keys);
        let stderr = service.child.stderr.take().expect("the service's stderr");
        (service, stderr)
    }

    fn spawn(args: &[&str], log: &str, stderr: Stdio) -> Service {
        let mut child = Command::new(env!("CARGO_BIN_EXE_voucher-service"))
            .args(args)
            .env("RUST_LOG", log)
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start the service binary");
        let stdout = child.stdout.take().expect("the service's stdout");
        let mut stdout = BufReader::new(stdout);
        let mut first_line = String::new();
        stdout
            .read_line(&mut first_line)
            .expect("read the service's first line");
        let base = first_line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                let status = child.wait().map(|status| status.to_string());
                panic!("the service did not start ({status:?}); it printed {first_line:?}")
            })
            .to_owned();
        Service {
            child,
            _stdout: stdout,
            keys: None,
            base,
        }
    }

    /// The service's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGKILL: the process dies at once, mid-request, with no chance to clean up.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the service");
        self.child.wait().expect("reap the service");
    }

    /// Sends a signal by name (`HUP`, `TERM`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits for the process to end by itself and returns whether it exited successfully.
    pub fn wait(&mut self) -> bool {
        self.child.wait().expect("wait for the service").success()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A SQLite database file in a fresh temporary directory.
pub struct SqliteFile {
    dir: TempDir,
}

impl SqliteFile {
    pub fn new() -> SqliteFile {
        SqliteFile {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("service.db").display())
    }

    /// A file beside the database.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// A throwaway PostgreSQL server: a cluster made by `initdb` in a temporary directory, listening
/// on a free loopback port, stopped and removed when dropped.
pub struct Postgres {
    bin: PathBuf,
    data: PathBuf,
    as_user: Option<String>,
    port: u16,
    _dir: TempDir,
}

impl Postgres {
    /// Starts a server, or returns `None` (after saying why) when PostgreSQL is not installed.
    /// `.ci/run` installs it, so in CI these tests always run.
    pub fn start() -> Option<Postgres> {
        let Some(bin) = postgres_bin() else {
            eprintln!(
                "SKIPPED: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); \
                 `apt-get install postgresql` to run the PostgreSQL tests"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("a temporary directory");
        // initdb refuses to run as root: run the server as the `postgres` user the Debian
        // package creates, in a directory it owns.
        let as_user = is_root().then(|| "postgres".to_owned());
        if let Some(user) = &as_user {
            let owner = Command::new("chown")
                .arg(format!("{user}:"))
                .arg(dir.path())
                .status()
                .expect("run chown");
            assert!(owner.success(), "chown the cluster directory to {user}");
        }
        let data = dir.path().join("data");
        let port = free_port();
        let server = Postgres {
            bin,
            data,
            as_user,
            port,
            _dir: dir,
        };
        server.run(
            "initdb",
            &[
                "-D",
                &server.data.display().to_string(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            server.socket_dir().display()
        );
        let log = server.data.join("server.log").display().to_string();
        server.run(
            "pg_ctl",
            &[
                "-D",
                &server.data.display().to_string(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        Some(server)
    }

    /// The URL of database `name` on this server (the service creates it when missing).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    fn socket_dir(&self) -> &Path {
        self.data.parent().expect("the cluster directory")
    }

    /// Runs one of the server's programs as the server's user, and insists that it succeeds.
    fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let output = match &self.as_user {
            Some(user) => Command::new("runuser")
                .args(["-u", user, "--"])
                .arg(&path)
                .args(args)
                .output(),
            None => Command::new(&path).args(args).output(),
        }
        .unwrap_or_else(|error| panic!("run {}: {error}", path.display()));
        assert!(
            output.status.success(),
            "{program} failed: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let path = self.bin.join("pg_ctl");
        let _ = match &self.as_user {
            Some(user) => Command::new("runuser")
                .args(["-u", user, "--"])
                .arg(&path)
                .args(["-D", &data, "-m", "immediate", "-w", "stop"])
                .output(),
            None => Command::new(&path)
                .args(["-D", &data, "-m", "immediate", "-w", "stop"])
                .output(),
        };
    }
}

/// The newest `/usr/lib/postgresql/VERSION/bin` holding `initdb`.
fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// What one request asks for.
#[derive(Debug, Clone)]
pub struct Ask {
    pub customer: String,
    pub loyalty: String,
    pub order: String,
    pub total: String,
    pub category: String,
    pub evidence: String,
    /// The customer insists on a supervisor: the policy escalates.
    pub insists_on_supervisor: bool,
}

impl Ask {
    /// A moderate complaint (late delivery) about a 100,000 IDR order, reported in time.
    pub fn new(customer: &str, loyalty: &str, order: &str) -> Ask {
        Ask {
            customer: customer.to_owned(),
            loyalty: loyalty.to_owned(),
            order: order.to_owned(),
            total: "100000".to_owned(),
            category: "late_delivery".to_owned(),
            evidence: "none".to_owned(),
            insists_on_supervisor: false,
        }
    }

    /// A moderate complaint whose customer insists on a supervisor: escalated, with a
    /// recommendation to grant (31,000 for gold on 100,000).
    pub fn insisting(customer: &str, loyalty: &str, order: &str) -> Ask {
        Ask {
            insists_on_supervisor: true,
            ..Ask::new(customer, loyalty, order)
        }
    }

    /// A major complaint (damaged item) without the photo it needs: refused
    /// (`evidence_required`), which only an override grants.
    pub fn without_photo(customer: &str, loyalty: &str, order: &str) -> Ask {
        Ask {
            evidence: "none".to_owned(),
            ..Ask::major(customer, loyalty, order, "100000")
        }
    }

    /// The request body, decided at `now` (RFC 3339).
    pub fn body_at(&self, now: &str) -> Value {
        let at = DateTime::parse_from_rfc3339(now).expect("an RFC 3339 time");
        let mut body = self.body_before(at);
        body["now"] = now.into();
        body
    }

    /// A major complaint (damaged item, with a photo) about an order of `total`.
    pub fn major(customer: &str, loyalty: &str, order: &str, total: &str) -> Ask {
        Ask {
            total: total.to_owned(),
            category: "damaged_item".to_owned(),
            evidence: "photo".to_owned(),
            ..Ask::new(customer, loyalty, order)
        }
    }

    /// The request body, decided at [`NOW`].
    pub fn body(&self) -> Value {
        let now = DateTime::parse_from_rfc3339(NOW).expect("NOW is RFC 3339");
        let mut body = self.body_before(now);
        body["now"] = NOW.into();
        body
    }

    /// The request body without `now`, for a service deciding on its own clock: the order was
    /// placed two hours ago, delivered one hour ago, and the complaint came half an hour ago.
    pub fn body_on_the_clock(&self) -> Value {
        self.body_before(Utc::now().fixed_offset())
    }

    fn body_before(&self, now: DateTime<FixedOffset>) -> Value {
        let ago = |minutes: i64| (now - TimeDelta::minutes(minutes)).to_rfc3339();
        let mut body = json!({
            "locale": "en",
            "customer": {"id": self.customer, "name": "Test Customer", "loyalty": self.loyalty},
            "order": {"id": self.order, "customer_id": self.customer, "total": self.total,
                      "currency": "IDR", "placed_at": ago(120), "delivered_at": ago(60)},
            "complaint": {"category": self.category, "reported_at": ago(30),
                          "company_at_fault": true, "evidence": self.evidence}
        });
        if self.insists_on_supervisor {
            body["conduct"] = json!({"insists_on_supervisor": true});
        }
        body
    }
}

/// What the service answered one request.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub replayed: bool,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("the answer is not JSON ({error}): {}", self.text))
    }

    pub fn outcome(&self) -> String {
        self.json()["outcome"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The granted voucher's amount, as a whole number of rupiah.
    pub fn amount(&self) -> Option<i64> {
        self.json()["voucher"]["amount"]
            .as_str()
            .map(|amount| amount.parse().expect("an amount"))
    }

    /// The decision's id.
    pub fn id(&self) -> String {
        self.json()["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no decision id in {}", self.text))
            .to_owned()
    }

    /// The error's `kind`, for an error answer.
    pub fn kind(&self) -> String {
        self.json()["error"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// An HTTP client for the tests, sending agent `A-1`'s API key: many connections, no proxy, a
/// generous timeout.
pub fn client() -> reqwest::Client {
    client_as(Some(AGENT_TOKEN))
}

/// An HTTP client sending `token` as its bearer token, or no `Authorization` at all.
pub fn client_as(token: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = token {
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse().expect("a header value"),
        );
    }
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(64)
        .default_headers(headers)
        .build()
        .expect("an HTTP client")
}

/// Reads a response into an [`Answer`].
pub async fn answer(response: reqwest::Response) -> Result<Answer, reqwest::Error> {
    let status = response.status().as_u16();
    let replayed = response.headers().contains_key("idempotent-replayed");
    let text = response.text().await?;
    Ok(Answer {
        status,
        replayed,
        text,
    })
}

/// Approves decision `id` with `client`'s key: the body gives the override reason and, when
/// given, the approval's `now` (the service runs with `--accept-request-now`).
pub async fn approve(
    client: &reqwest::Client,
    base: &str,
    id: &str,
    override_reason: Option<&str>,
    now: Option<&str>,
) -> Result<Answer, reqwest::Error> {
    let mut body = json!({"override_reason": override_reason});
    if let Some(now) = now {
        body["now"] = now.into();
    }
    let response = client
        .post(format!("{base}/decisions/{id}/approval"))
        .json(&body)
        .send()
        .await?;
    answer(response).await
}

/// `GET path` with `client`, read into an [`Answer`].
pub async fn get(client: &reqwest::Client, base: &str, path: &str) -> Answer {
    let response = client
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap_or_else(|error| panic!("GET {path}: {error}"));
    answer(response).await.expect("a readable answer")
}

/// The audit log of `[since, until)`: each line's JSON, in the order given.
pub async fn audit_log(base: &str, since: &str, until: &str) -> Vec<Value> {
    // A `+` of an offset must be escaped in a query string, where it means a space.
    let escape = |time: &str| time.replace('+', "%2B");
    let response = client()
        .get(format!(
            "{base}/decisions?since={}&until={}",
            escape(since),
            escape(until)
        ))
        .send()
        .await
        .expect("GET /decisions");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/x-ndjson",
        "the log is JSON lines"
    );
    let text = response.text().await.expect("the log");
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// The customer's history as `GET /customers/{id}/vouchers` lists it: each entry's JSON.
pub async fn history(base: &str, customer: &str) -> Vec<Value> {
    let listing = get(&client(), base, &format!("/customers/{customer}/vouchers")).await;
    assert_eq!(listing.status, 200, "{}", listing.text);
    listing.json()["history"]
        .as_array()
        .expect("a history array")
        .clone()
}

/// Posts one decision request, with an idempotency key when given.
pub async fn post(
    client: &reqwest::Client,
    base: &str,
    body: &Value,
    key: Option<&str>,
) -> Result<Answer, reqwest::Error> {
    let mut request = client.post(format!("{base}/decisions")).json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    answer(request.send().await?).await
}

/// Sends every request at once (`concurrency` in flight at a time), each to the base chosen by
/// `route(index)`, and returns the answers in the order of `requests` (`None` for a request that
/// got no answer: the connection failed).
pub async fn fire(
    requests: Vec<(Value, Option<String>)>,
    bases: &[String],
    concurrency: usize,
) -> Vec<Option<Answer>> {
    let client = client();
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, (body, key)) in requests.into_iter().enumerate() {
        let client = client.clone();
        let base = bases[index % bases.len()].clone();
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("a permit");
            let answer = post(&client, &base, &body, key.as_deref()).await.ok();
            (index, answer)
        });
    }
    let mut answers = vec![None; tasks.len()];
    while let Some(joined) = tasks.join_next().await {
        let (index, answer) = joined.expect("a request task");
        answers[index] = answer;
    }
    answers
}

/// The customer's vouchers, from `GET /customers/{id}/vouchers`: `(order_id, amount)` each.
pub async fn vouchers(base: &str, customer: &str) -> Vec<(String, i64)> {
    let response = client()
        .get(format!("{base}/customers/{customer}/vouchers"))
        .send()
        .await
        .expect("GET vouchers");
    assert_eq!(response.status().as_u16(), 200);
    let listing: Value = response.json().await.expect("a JSON listing");
    assert_eq!(listing["customer_id"], customer);
    listing["history"]
        .as_array()
        .expect("a history array")
        .iter()
        .map(|entry| {
            (
                entry["order_id"].as_str().expect("an order id").to_owned(),
                entry["amount"]
                    .as_str()
                    .expect("an amount")
                    .parse()
                    .expect("a whole amount"),
            )
        })
        .collect()
}
