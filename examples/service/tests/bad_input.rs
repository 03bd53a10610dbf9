//! Bad input gets a 4xx with a JSON error naming the problem, and the service keeps serving.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{Ask, Service, SqliteFile, client};
use serde_json::Value;

/// A valid request without `now`: the service's clock decides.
fn good_body() -> Value {
    Ask::new("B-1", "gold", "1").body_on_the_clock()
}

/// Sends a raw POST /decisions and returns the status and the JSON error.
async fn send(
    base: &str,
    content_type: Option<&str>,
    key: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let mut request = client().post(format!("{base}/decisions")).body(body);
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/json", "every answer is JSON");
    (status, response.json().await.expect("a JSON body"))
}

async fn send_json(base: &str, body: &Value) -> (u16, Value) {
    send(base, Some("application/json"), None, body.to_string()).await
}

/// Asserts an error answer: status, kind, the field named, and words of the message.
#[track_caller]
fn assert_error(
    (status, body): &(u16, Value),
    want_status: u16,
    kind: &str,
    field: Option<&str>,
    says: &[&str],
) {
    assert_eq!(*status, want_status, "{body}");
    let error = &body["error"];
    assert_eq!(error["kind"], kind, "{body}");
    assert_eq!(error["field"].as_str(), field, "{body}");
    let message = error["message"].as_str().expect("a message");
    for words in says {
        assert!(message.contains(words), "{message:?} says {words:?}");
    }
}

/// A good body changed in one field, and the error that must name it.
struct BadField {
    change: fn(&mut Value),
    kind: &'static str,
    field: &'static str,
    value: Option<&'static str>,
    says: &'static [&'static str],
}

fn bad_fields() -> Vec<BadField> {
    vec![
        // JSON that is not a request: by the path of the field.
        BadField {
            change: |body| drop(body["order"].as_object_mut().unwrap().remove("total")),
            kind: "invalid_request",
            field: "order.total",
            value: None,
            says: &["missing field `total`"],
        },
        BadField {
            change: |body| drop(body.as_object_mut().unwrap().remove("complaint")),
            kind: "invalid_request",
            field: "complaint",
            value: None,
            says: &["missing field `complaint`"],
        },
        BadField {
            change: |body| body["order"]["placed_at"] = "yesterday".into(),
            kind: "invalid_request",
            field: "order.placed_at",
            value: None,
            says: &["order.placed_at"],
        },
        BadField {
            change: |body| body["complaint"]["mood"] = "angry".into(),
            kind: "invalid_request",
            field: "complaint.mood",
            value: None,
            says: &["unknown field `mood`"],
        },
        // The service owns the history and the clock.
        BadField {
            change: |body| body["history"] = serde_json::json!([]),
            kind: "invalid_request",
            field: "history",
            value: None,
            says: &["database"],
        },
        BadField {
            change: |body| body["now"] = common::NOW.into(),
            kind: "invalid_request",
            field: "now",
            value: None,
            says: &["--accept-request-now"],
        },
        // Readable, but not decidable: the library's error, naming the field and the value.
        BadField {
            change: |body| body["order"]["currency"] = "USD".into(),
            kind: "undecidable_request",
            field: "order.currency",
            value: Some("USD"),
            says: &["USD", "IDR"],
        },
        BadField {
            change: |body| body["customer"]["loyalty"] = "diamond".into(),
            kind: "undecidable_request",
            field: "customer.loyalty",
            value: Some("diamond"),
            says: &["diamond"],
        },
        BadField {
            change: |body| body["customer"]["name"] = " ".into(),
            kind: "undecidable_request",
            field: "customer.name",
            value: Some("\" \""),
            says: &["blank"],
        },
        BadField {
            change: |body| body["order"]["id"] = "34\n49".into(),
            kind: "undecidable_request",
            field: "order.id",
            value: Some("\"34\\n49\""),
            says: &["line break"],
        },
        BadField {
            change: |body| body["order"]["total"] = "85000.001".into(),
            kind: "undecidable_request",
            field: "order.total",
            value: Some("85000.001"),
            says: &["decimal places"],
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_request_is_named_and_the_service_keeps_serving() {
    let database = SqliteFile::new();
    let url = database.url();
    let service = Service::on_the_clock(&url, &[]);
    let base = service.base.as_str();
    let good = good_body();

    // The content type.
    assert_error(
        &send(base, Some("text/plain"), None, good.to_string()).await,
        415,
        "unsupported_media_type",
        None,
        &["application/json", "text/plain"],
    );
    assert_error(
        &send(base, None, None, good.to_string()).await,
        415,
        "unsupported_media_type",
        None,
        &["no Content-Type"],
    );

    // Too large: refused before it is read whole.
    let huge = format!("{{\"padding\": \"{}\"}}", "x".repeat(200 * 1024));
    assert_error(
        &send(base, Some("application/json"), None, huge).await,
        413,
        "body_too_large",
        None,
        &["65536"],
    );

    // Malformed JSON, with where it broke.
    assert_error(
        &send(base, Some("application/json"), None, "{\"customer\": ").await,
        400,
        "malformed_json",
        None,
        &["line 1 column 13"],
    );
    assert_error(
        &send(base, Some("application/json"), None, vec![0xff, 0xfe]).await,
        400,
        "malformed_json",
        None,
        &["not valid JSON"],
    );
    assert_error(
        &send_json(base, &serde_json::json!([1, 2])).await,
        422,
        "invalid_request",
        None,
        &["JSON object", "array"],
    );

    // Fields: missing, ill-formed, unknown, not the caller's to give, or not decidable.
    for bad in bad_fields() {
        let mut body = good.clone();
        (bad.change)(&mut body);
        let answer = send_json(base, &body).await;
        assert_error(&answer, 422, bad.kind, Some(bad.field), bad.says);
        if let Some(value) = bad.value {
            assert_eq!(answer.1["error"]["value"], value, "{}", answer.1);
        }
    }

    // Idempotency keys: well formed, and one request each.
    let too_long = "k".repeat(300);
    assert_error(
        &send(
            base,
            Some("application/json"),
            Some(&too_long),
            good.to_string(),
        )
        .await,
        400,
        "invalid_idempotency_key",
        Some("Idempotency-Key"),
        &["255"],
    );
    let (status, _) = send(
        base,
        Some("application/json"),
        Some("key-1"),
        good.to_string(),
    )
    .await;
    assert_eq!(status, 200);
    let mut other = good.clone();
    other["order"]["id"] = "2".into();
    assert_error(
        &send(
            base,
            Some("application/json"),
            Some("key-1"),
            other.to_string(),
        )
        .await,
        422,
        "idempotency_key_reused",
        Some("Idempotency-Key"),
        &["different request"],
    );

    // Unknown resources and methods.
    for (method, path, status, kind) in [
        (
            reqwest::Method::DELETE,
            "/decisions",
            405,
            "method_not_allowed",
        ),
        (
            reqwest::Method::GET,
            "/decisions/0123456789abcdef0123456789abcdef/approval",
            405,
            "method_not_allowed",
        ),
        (reqwest::Method::GET, "/nowhere", 404, "not_found"),
    ] {
        let response = client()
            .request(method.clone(), format!("{base}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{method} {path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["kind"], kind, "{method} {path}");
    }

    // And after all that, the service still decides.
    let mut fresh = good.clone();
    fresh["customer"]["id"] = "B-2".into();
    fresh["order"]["customer_id"] = "B-2".into();
    let (status, decision) = send_json(base, &fresh).await;
    assert_eq!(status, 200, "{decision}");
    assert_eq!(decision["outcome"], "granted");
}

/// An amount written as a JSON number is read from its text, digit for digit: a total no float
/// holds is named with every digit, and an ordinary one is decided.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amounts_written_as_numbers_are_read_exactly() {
    let database = SqliteFile::new();
    let url = database.url();
    let service = Service::on_the_clock(&url, &[]);
    let base = service.base.as_str();
    let with_total = |total: &str| {
        let mut body = Ask::new("N-1", "gold", "N1").body_on_the_clock();
        body["order"]["total"] = "TOTAL".into();
        body.to_string().replace("\"TOTAL\"", total)
    };
    assert_error(
        &send(
            base,
            Some("application/json"),
            None,
            with_total("85000.123456789012345678901"),
        )
        .await,
        422,
        "undecidable_request",
        Some("order.total"),
        &["85000.123456789012345678901", "decimal places"],
    );
    let (status, decision) = send(base, Some("application/json"), None, with_total("120000")).await;
    assert!(status < 300, "{status}: {decision}");
    assert_eq!(decision["facts"]["order_total"], "120000", "{decision}");
}
