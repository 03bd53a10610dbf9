//! What an operator sees: `GET /metrics` in the Prometheus text format, counting exactly the
//! decisions made; who may read it; one JSON log line per request, carrying the decision and
//! never the token; and a SIGTERM that lets a request in flight be answered and recorded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ChildStderr;
use std::time::{Duration, Instant};

use common::{
    AGENT_TOKEN, AUDITOR_TOKEN, Ask, NOW, Postgres, SUPERVISOR_TOKEN, Service, SqliteFile, approve,
    client, client_as, get, post,
};
use serde_json::Value;

/// One sample of the exposition.
#[derive(Debug, Clone)]
struct Sample {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
}

impl Sample {
    fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(label, _)| label == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A metric or label name: `[a-zA-Z_:][a-zA-Z0-9_:]*` (labels without `:`).
fn is_name(text: &str, colon: bool) -> bool {
    let ok = |c: char, first: bool| {
        c.is_ascii_alphabetic() || c == '_' || (colon && c == ':') || (!first && c.is_ascii_digit())
    };
    let mut chars = text.chars();
    chars.next().is_some_and(|c| ok(c, true)) && chars.all(|c| ok(c, false))
}

/// A sample value: a float, `+Inf`, `-Inf` or `NaN`.
fn value(text: &str) -> Option<f64> {
    match text {
        "+Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ => text.parse().ok(),
    }
}

/// Parses the text exposition format 0.0.4 line by line, panicking at the first line that
/// breaks its grammar: `# HELP name text`, `# TYPE name type` (once, before the family's
/// samples), and `name{label="value",...} value [timestamp]` with only `\\`, `\"` and `\n`
/// escaped in a label value. Every sample must belong to a family with a `# TYPE`.
fn parse_exposition(text: &str) -> Vec<Sample> {
    assert!(text.ends_with('\n'), "the exposition ends with a line feed");
    let mut types: Vec<(String, String)> = Vec::new();
    let mut helps = HashSet::new();
    let mut samples = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let at = format!("line {}: {line:?}", number + 1);
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, _help) = rest.split_once(' ').expect(&at);
            assert!(is_name(name, true), "{at}");
            assert!(helps.insert(name.to_owned()), "a second HELP, {at}");
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect(&at);
            assert!(is_name(name, true), "{at}");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{at}"
            );
            assert!(types.iter().all(|(n, _)| n != name), "a second TYPE, {at}");
            types.push((name.to_owned(), kind.to_owned()));
            continue;
        }
        assert!(!line.starts_with('#'), "only HELP and TYPE comments, {at}");
        assert!(!line.is_empty(), "no empty lines, {at}");
        let name_end = line.find(['{', ' ']).unwrap_or(line.len());
        let name = &line[..name_end];
        assert!(is_name(name, true), "{at}");
        let mut rest = &line[name_end..];
        let mut labels = Vec::new();
        if let Some(inner) = rest.strip_prefix('{') {
            let mut chars = inner.char_indices().peekable();
            let close;
            loop {
                let start = chars.peek().expect(&at).0;
                if inner[start..].starts_with('}') {
                    close = start;
                    break;
                }
                let eq = inner[start..].find('=').expect(&at) + start;
                let label = &inner[start..eq];
                assert!(is_name(label, false), "label name, {at}");
                while chars.peek().is_some_and(|(i, _)| *i <= eq) {
                    chars.next();
                }
                assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "{at}");
                let mut value_text = String::new();
                loop {
                    match chars.next().expect(&at).1 {
                        '"' => break,
                        '\\' => match chars.next().expect(&at).1 {
                            '\\' => value_text.push('\\'),
                            '"' => value_text.push('"'),
                            'n' => value_text.push('\n'),
                            other => panic!("escape \\{other}, {at}"),
                        },
                        '\n' => panic!("a raw line feed, {at}"),
                        c => value_text.push(c),
                    }
                }
                labels.push((label.to_owned(), value_text));
                match chars.peek().map(|(_, c)| *c) {
                    Some(',') => {
                        chars.next();
                    }
                    Some('}') => {}
                    other => panic!("after a label {other:?}, {at}"),
                }
            }
            rest = &inner[close + 1..];
        }
        let mut fields = rest.strip_prefix(' ').expect(&at).split(' ');
        let sample_value = value(fields.next().expect(&at)).expect(&at);
        if let Some(timestamp) = fields.next() {
            timestamp.parse::<i64>().expect(&at);
        }
        assert!(fields.next().is_none(), "{at}");
        let family = types.iter().find(|(family, kind)| {
            family == name
                || (kind == "histogram"
                    && ["_bucket", "_sum", "_count"]
                        .iter()
                        .any(|suffix| name.strip_suffix(suffix) == Some(family)))
        });
        assert!(family.is_some(), "a sample before its TYPE, {at}");
        samples.push(Sample {
            name: name.to_owned(),
            labels,
            value: sample_value,
        });
    }
    samples
}

/// `GET /metrics` with `token` (or none): the status and the text.
async fn metrics(base: &str, token: Option<&str>) -> (u16, String) {
    let response = client_as(token)
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("GET /metrics");
    let status = response.status().as_u16();
    if status == 200 {
        assert_eq!(
            response.headers()["content-type"],
            "text/plain; version=0.0.4; charset=utf-8"
        );
    }
    (status, response.text().await.expect("the metrics"))
}

/// The sum of the samples named `name` whose labels include every one of `labels`.
fn total(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|sample| sample.name == name)
        .filter(|sample| {
            labels
                .iter()
                .all(|(label, value)| sample.label(label) == Some(value))
        })
        .map(|sample| sample.value)
        .sum()
}

#[test]
fn the_parser_rejects_what_the_format_does_not_allow() {
    // The parser is what the exposition is checked with: it must fail on broken lines.
    let good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"q\\\"\\\\\\n\"} 1\n";
    let samples = parse_exposition(good);
    assert_eq!(samples[0].label("x"), Some("q\"\\\n"));
    for bad in [
        "a_total 1\n",                                                 // no TYPE
        "# TYPE a_total counter\na_total{x=\"\\t\"} 1\n",              // a bad escape
        "# TYPE a_total counter\na_total{x=\"1\"}\n",                  // no value
        "# TYPE a_total counter\na_total one\n",                       // not a number
        "# TYPE a_total counter\n# TYPE a_total counter\na_total 1\n", // a second TYPE
        "# TYPE a_total bucket\na_total 1\n",                          // no such type
    ] {
        let parsed = std::panic::catch_unwind(|| parse_exposition(bad));
        assert!(parsed.is_err(), "accepted {bad:?}");
    }
}

/// Three decisions (one of each outcome), a replay of the first, an approval and a request
/// without a key; then the metrics must say exactly that.
async fn metrics_count_what_happened(base: &str) {
    let agent = client();
    let granted = post(
        &agent,
        base,
        &Ask::new("M-1", "gold", "1").body(),
        Some("m-1"),
    )
    .await
    .unwrap();
    assert_eq!(granted.outcome(), "granted", "{}", granted.text);
    let replay = post(
        &agent,
        base,
        &Ask::new("M-1", "gold", "1").body(),
        Some("m-1"),
    )
    .await
    .unwrap();
    assert!(replay.replayed);
    let refused = post(
        &agent,
        base,
        &Ask::without_photo("M-2", "gold", "2").body(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(refused.outcome(), "refused", "{}", refused.text);
    let escalated = post(
        &agent,
        base,
        &Ask::insisting("M-3", "gold", "3").body(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(escalated.outcome(), "escalated", "{}", escalated.text);
    let approval = approve(
        &client_as(Some(SUPERVISOR_TOKEN)),
        base,
        &escalated.id(),
        None,
        Some(NOW),
    )
    .await
    .unwrap();
    assert_eq!(approval.status, 200, "{}", approval.text);
    let again = approve(
        &client_as(Some(SUPERVISOR_TOKEN)),
        base,
        &escalated.id(),
        None,
        Some(NOW),
    )
    .await
    .unwrap();
    assert_eq!(again.status, 409);
    let anonymous = client_as(None)
        .get(format!("{base}/decisions/{}", granted.id()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);

    let (status, text) = metrics(base, Some(AUDITOR_TOKEN)).await;
    assert_eq!(status, 200, "{text}");
    let samples = parse_exposition(&text);

    let decisions = "voucher_decisions_total";
    for outcome in ["granted", "refused", "escalated"] {
        assert_eq!(
            total(&samples, decisions, &[("outcome", outcome)]),
            1.0,
            "{outcome}: {text}"
        );
    }
    assert_eq!(
        total(&samples, decisions, &[]),
        3.0,
        "the replay is not a decision"
    );
    assert_eq!(
        total(&samples, "voucher_decisions_replayed_total", &[]),
        1.0
    );
    let reasons_of = |answer: &common::Answer| {
        answer.json()["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|reason| reason.as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let mut expected_reasons = Vec::new();
    for answer in [&granted, &refused, &escalated] {
        expected_reasons.extend(reasons_of(answer));
    }
    for reason in &expected_reasons {
        let expected = expected_reasons.iter().filter(|r| *r == reason).count() as f64;
        assert_eq!(
            total(
                &samples,
                "voucher_decision_reasons_total",
                &[("reason", reason)]
            ),
            expected,
            "{reason}: {text}"
        );
    }
    assert_eq!(
        total(&samples, "voucher_decision_reasons_total", &[]),
        expected_reasons.len() as f64
    );

    let approvals = "voucher_approvals_total";
    assert_eq!(
        total(&samples, approvals, &[("result", &approval.outcome())]),
        1.0,
        "{text}"
    );
    assert_eq!(
        total(&samples, approvals, &[("result", "already_approved")]),
        1.0
    );
    assert_eq!(total(&samples, approvals, &[]), 2.0);

    let requests = "voucher_http_requests_total";
    let decided = [
        ("route", "/decisions"),
        ("method", "POST"),
        ("status", "2xx"),
    ];
    assert_eq!(total(&samples, requests, &decided), 4.0, "{text}");
    let approved = [("route", "/decisions/{id}/approval"), ("status", "2xx")];
    assert_eq!(total(&samples, requests, &approved), 1.0);
    let conflict = [("route", "/decisions/{id}/approval"), ("status", "4xx")];
    assert_eq!(total(&samples, requests, &conflict), 1.0);
    let unauthorized = [("route", "/decisions/{id}"), ("status", "4xx")];
    assert_eq!(total(&samples, requests, &unauthorized), 1.0);

    // The histogram of POST /decisions (and the approval's, on its own route): cumulative
    // buckets from 1 ms to 5 s, +Inf equal to the count.
    let route = "/decisions";
    let buckets: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.name == "voucher_request_duration_seconds_bucket")
        .filter(|s| s.label("route") == Some(route))
        .collect();
    assert_eq!(buckets.first().unwrap().label("le"), Some("0.001"));
    assert_eq!(buckets[buckets.len() - 2].label("le"), Some("5"));
    assert_eq!(buckets.last().unwrap().label("le"), Some("+Inf"));
    assert!(
        buckets
            .windows(2)
            .all(|pair| pair[0].value <= pair[1].value)
    );
    let count = total(
        &samples,
        "voucher_request_duration_seconds_count",
        &[("route", route)],
    );
    assert_eq!(buckets.last().unwrap().value, count);
    assert_eq!(count, 4.0);
    assert!(
        total(
            &samples,
            "voucher_request_duration_seconds_sum",
            &[("route", route)]
        ) > 0.0
    );

    assert_eq!(total(&samples, "voucher_database_errors_total", &[]), 0.0);

    // The four POST /decisions went through the writer one at a time (each answered before the
    // next was sent): four batches of one, nothing queued now, nothing shed.
    let batches: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.name == "voucher_batch_size_bucket")
        .collect();
    assert_eq!(batches.first().unwrap().label("le"), Some("1"), "{text}");
    assert_eq!(batches.first().unwrap().value, 4.0, "{text}");
    assert_eq!(batches.last().unwrap().label("le"), Some("+Inf"));
    assert!(batches.iter().all(|bucket| bucket.value == 4.0));
    assert_eq!(total(&samples, "voucher_batch_size_count", &[]), 4.0);
    assert_eq!(total(&samples, "voucher_batch_size_sum", &[]), 4.0);
    assert_eq!(total(&samples, "voucher_queue_depth", &[]), 0.0);
    assert_eq!(total(&samples, "voucher_queue_capacity", &[]), 512.0);
    assert_eq!(total(&samples, "voucher_requests_shed_total", &[]), 0.0);

    let policy = &granted.json()["policy"];
    let info: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.name == "voucher_policy_info")
        .collect();
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].value, 1.0);
    assert_eq!(info[0].label("name"), policy["name"].as_str());
    assert_eq!(info[0].label("version"), policy["version"].as_str());
    assert_eq!(info[0].label("fingerprint"), policy["fingerprint"].as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_metrics_parse_and_count_exactly_the_decisions_made() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    metrics_count_what_happened(&service.base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_metrics_parse_and_count_exactly_the_decisions_made() {
    let Some(server) = Postgres::start() else {
        return;
    };
    let service = Service::start(&server.url("metrics"), &[]);
    metrics_count_what_happened(&service.base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_a_key_unless_the_service_opens_them() {
    let database = SqliteFile::new();
    let service = Service::start(&database.url(), &[]);
    assert_eq!(metrics(&service.base, None).await.0, 401);
    assert_eq!(metrics(&service.base, Some("not-a-key")).await.0, 401);
    // Any valid key reads them, even one that may not decide.
    assert_eq!(metrics(&service.base, Some(AUDITOR_TOKEN)).await.0, 200);
    assert_eq!(metrics(&service.base, Some(AGENT_TOKEN)).await.0, 200);
    drop(service);

    let open = Service::start(&database.url(), &["--open-metrics"]);
    let (status, text) = metrics(&open.base, None).await;
    assert_eq!(status, 200);
    parse_exposition(&text);
    // Opening the metrics opens nothing else.
    let decisions = get(
        &client_as(None),
        &open.base,
        "/decisions/00000000000000000000000000000000",
    )
    .await;
    assert_eq!(decisions.status, 401);
}

/// Reads the service's stderr to its end (the service must have stopped) as lines.
fn read_log(stderr: ChildStderr) -> Vec<String> {
    BufReader::new(stderr)
        .lines()
        .map(|line| line.expect("a log line"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_per_line_with_the_decision_and_never_the_token() {
    let database = SqliteFile::new();
    let (mut service, stderr) = Service::start_logging(&database.url(), &["--log-format", "json"]);
    let decided = post(
        &client(),
        &service.base,
        &Ask::insisting("L-1", "gold", "1").body(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(decided.outcome(), "escalated");
    let approval = approve(
        &client_as(Some(SUPERVISOR_TOKEN)),
        &service.base,
        &decided.id(),
        None,
        Some(NOW),
    )
    .await
    .unwrap();
    assert_eq!(approval.status, 200, "{}", approval.text);
    let secret = "secret-token-that-must-not-be-logged";
    let refused = client_as(Some(secret))
        .get(service.url("/customers/L-1/vouchers"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    service.signal("TERM");
    assert!(service.wait());

    let lines = read_log(stderr);
    let objects: Vec<Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line:?}")))
        .collect();
    assert!(objects.iter().all(|object| object.is_object()
        && object["timestamp"].is_string()
        && object["level"].is_string()));
    assert!(lines.iter().all(|line| !line.contains(secret)
        && !line.contains(AGENT_TOKEN)
        && !line.contains(SUPERVISOR_TOKEN)));
    let requests: Vec<&Value> = objects
        .iter()
        .filter(|object| object["target"] == "voucher_service::request")
        .collect();
    assert_eq!(requests.len(), 3, "one line per request: {lines:#?}");

    let decision = requests
        .iter()
        .find(|object| object["decision_id"] == decided.id().as_str())
        .expect("the decision's line");
    assert_eq!(decision["route"], "/decisions");
    assert_eq!(decision["method"], "POST");
    assert_eq!(decision["status"], 200);
    assert_eq!(decision["outcome"], "escalated");
    assert_eq!(decision["customer_id"], "L-1");
    assert_eq!(decision["replayed"], false);
    assert!(decision["latency_ms"].as_f64().unwrap() >= 0.0);

    let approved = requests
        .iter()
        .find(|object| object["decision_id"] == approval.id().as_str())
        .expect("the approval's line");
    assert_eq!(approved["route"], "/decisions/{id}/approval");
    assert_eq!(approved["approved"], decided.id().as_str());
    assert_eq!(approved["outcome"], approval.outcome().as_str());
    assert_eq!(approved["customer_id"], "L-1");

    let unauthorized = requests
        .iter()
        .find(|object| object["status"] == 401)
        .expect("the 401's line");
    assert_eq!(unauthorized["route"], "/customers/{id}/vouchers");
    assert!(unauthorized.get("decision_id").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_logs_stay_the_default() {
    let database = SqliteFile::new();
    let (mut service, stderr) = Service::start_logging(&database.url(), &[]);
    let decided = post(
        &client(),
        &service.base,
        &Ask::new("T-1", "gold", "1").body(),
        None,
    )
    .await
    .unwrap();
    service.signal("TERM");
    assert!(service.wait());
    let lines = read_log(stderr);
    let line = lines
        .iter()
        .find(|line| line.contains(&format!("decision_id=\"{}\"", decided.id())))
        .unwrap_or_else(|| panic!("no line names the decision: {lines:#?}"));
    assert!(serde_json::from_str::<Value>(line).is_err(), "{line}");
    assert!(line.contains("customer_id=\"T-1\""), "{line}");
}

/// Whether a new connection to `address` is refused (the service stopped accepting).
fn refuses(address: &str) -> bool {
    TcpStream::connect_timeout(&address.parse().unwrap(), Duration::from_millis(200)).is_err()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_at_sigterm_is_answered_and_recorded() {
    let database = SqliteFile::new();
    let mut service = Service::start(&database.url(), &[]);
    let address = service.base.strip_prefix("http://").unwrap().to_owned();
    let body = serde_json::to_vec(&Ask::new("G-1", "gold", "1").body()).unwrap();
    let (first, rest) = body.split_at(body.len() / 2);

    // The head and half the body: the handler is reading the body when the signal comes.
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let head = format!(
        "POST /decisions HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {AGENT_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(first).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    service.signal("TERM");

    // The service stops accepting while the request is still in flight.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !refuses(&address) {
        assert!(Instant::now() < deadline, "still accepting after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }

    stream.write_all(rest).unwrap();
    stream.flush().unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    let (_, json) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let decision: Value = serde_json::from_str(json).unwrap();
    assert_eq!(decision["outcome"], "granted");
    assert!(
        service.wait(),
        "the service exits with success after answering"
    );

    // Recorded: a new instance on the same database has it.
    let again = Service::start(&database.url(), &[]);
    let id = decision["id"].as_str().unwrap();
    let stored = get(&client(), &again.base, &format!("/decisions/{id}")).await;
    assert_eq!(stored.status, 200);
    assert_eq!(stored.text, json);
}
