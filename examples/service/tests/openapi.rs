//! `GET /openapi.json`: served, an OpenAPI 3.1 document listing every route the router serves
//! with its bearer authentication, and its schemas match what the service reads and answers
//! (the README's example requests, a decision, an error).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Ask, Service, SqliteFile, client, client_as, get, post};
use serde_json::{Value, json};

/// Every route the service serves, by method and path pattern: the router and the document
/// are built from one list, and this pins that list.
const ROUTES: [(&str, &str); 9] = [
    ("get", "/customers/{id}/vouchers"),
    ("get", "/decisions"),
    ("post", "/decisions"),
    ("get", "/decisions/{id}"),
    ("post", "/decisions/{id}/approval"),
    ("get", "/health"),
    ("get", "/metrics"),
    ("get", "/openapi.json"),
    ("get", "/shadow"),
];

/// The document as the service serves it.
async fn document(base: &str) -> Value {
    let answer = get(&client(), base, "/openapi.json").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()
}

/// A validator of the document's schema `name`, references resolved within the document.
fn validator(document: &Value, name: &str) -> jsonschema::Validator {
    let schema = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": document["components"],
    });
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|error| panic!("the schema {name} compiles: {error}"))
}

/// Panics with every problem unless `value` matches the document's schema `name`.
fn assert_matches(document: &Value, name: &str, value: &Value) {
    let validator = validator(document, name);
    let problems: Vec<String> = validator
        .iter_errors(value)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{value} does not match {name}: {problems:#?}"
    );
}

#[tokio::test]
async fn the_document_is_served_and_lists_every_route_with_its_authentication() {
    let db = SqliteFile::new();
    let service = Service::start(&db.url(), &[]);
    let response = client()
        .get(service.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let document: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        document["openapi"]
    );

    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    assert_eq!(documented, expected);

    // The bearer scheme, required everywhere but /health.
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"]["bearer"]["description"]})
    );
    assert_eq!(document["security"], json!([{"bearer": []}]));
    for (method, path) in ROUTES {
        let operation = &document["paths"][path][method];
        let responses = operation["responses"].as_object().unwrap();
        assert!(responses.contains_key("200"), "{method} {path}");
        if path == "/health" {
            assert_eq!(operation["security"], json!([{}]), "{method} {path}");
        } else {
            assert!(operation.get("security").is_none(), "{method} {path}");
            assert!(responses.contains_key("401"), "{method} {path}");
        }
        // Every error answer is the service's error body.
        for (status, response) in responses.iter().filter(|(status, _)| *status != "200") {
            let schema = match response.get("$ref") {
                Some(reference) => {
                    let name = reference.as_str().unwrap().rsplit('/').next().unwrap();
                    &document["components"]["responses"][name]["content"]["application/json"]["schema"]
                }
                None => &response["content"]["application/json"]["schema"],
            };
            assert_eq!(
                schema["$ref"], "#/components/schemas/ErrorBody",
                "{method} {path} {status}"
            );
        }
    }
}

#[tokio::test]
async fn every_documented_route_is_served_and_needs_a_key_but_health() {
    let db = SqliteFile::new();
    let service = Service::start(&db.url(), &[]);
    let anonymous = client_as(None);
    for (method, path) in ROUTES {
        let url = service.url(&path.replace("{id}", "0123456789abcdef0123456789abcdef"));
        let request = |client: &reqwest::Client| match method {
            "get" => client.get(&url),
            _ => client.post(&url),
        };
        // Not the router's fallback: the route exists and answers for itself.
        let answer = common::answer(request(&client()).send().await.unwrap())
            .await
            .unwrap();
        assert_ne!(answer.status, 405, "{method} {path}: {}", answer.text);
        assert!(
            !answer.text.contains("no such resource"),
            "{method} {path}: {}",
            answer.text
        );
        let without_key = request(&anonymous).send().await.unwrap();
        let status = without_key.status().as_u16();
        if path == "/health" {
            assert_eq!(status, 200);
        } else {
            assert_eq!(status, 401, "{method} {path}");
        }
    }
}

/// The JSON bodies of the README's `curl ... -d '...'` examples.
fn readme_bodies() -> Vec<Value> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("read the README");
    readme
        .split("-d '")
        .skip(1)
        .map(|rest| {
            let body = rest.split('\'').next().unwrap();
            serde_json::from_str(body)
                .unwrap_or_else(|error| panic!("a README body is JSON ({error}): {body}"))
        })
        .collect()
}

#[tokio::test]
async fn the_documented_schemas_match_the_examples_and_the_answers() {
    let db = SqliteFile::new();
    let service = Service::start(&db.url(), &[]);
    let document = document(&service.base).await;

    let bodies = readme_bodies();
    assert!(bodies.len() >= 3, "the README's examples: {bodies:?}");
    for body in &bodies {
        let schema = if body.get("override_reason").is_some() {
            "ApprovalRequest"
        } else {
            "DecisionRequest"
        };
        assert_matches(&document, schema, body);
    }

    // The library's own example request, without the history the service keeps itself.
    let json_md =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/json.md"))
            .expect("read docs/json.md");
    let example = json_md
        .split("## The request\n\n```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("docs/json.md has an example request");
    let mut request: Value = serde_json::from_str(example).unwrap();
    request.as_object_mut().unwrap().remove("history");
    assert_matches(&document, "DecisionRequest", &request);
    // The schema refuses what the service refuses: a history, an unknown field.
    for (field, value) in [("history", json!([])), ("colour", json!("blue"))] {
        let mut wrong = request.clone();
        wrong[field] = value;
        assert!(
            !validator(&document, "DecisionRequest").is_valid(&wrong),
            "{field}"
        );
    }

    // What the service answers matches what the document says it answers.
    let client = client();
    let decided = post(
        &client,
        &service.base,
        &Ask::new("C-1", "gold", "1").body(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(decided.status, 200, "{}", decided.text);
    assert_matches(&document, "Decision", &decided.json());
    let escalated = post(
        &client,
        &service.base,
        &Ask::insisting("C-2", "gold", "2").body(),
        None,
    )
    .await
    .unwrap();
    assert_matches(&document, "Decision", &escalated.json());
    let refused = post(&client, &service.base, &json!({"locale": "en"}), None)
        .await
        .unwrap();
    assert_eq!(refused.status, 422);
    assert_matches(&document, "ErrorBody", &refused.json());
    let health = get(&client, &service.base, "/health").await;
    assert_matches(&document, "Health", &health.json());
    let vouchers = get(&client, &service.base, "/customers/C-1/vouchers").await;
    assert_matches(&document, "Vouchers", &vouchers.json());
    let log = common::audit_log(
        &service.base,
        "2026-11-24T00:00:00Z",
        "2026-11-25T00:00:00Z",
    )
    .await;
    assert_eq!(log.len(), 2);
    for line in &log {
        assert_matches(&document, "LogLine", line);
    }
    let shadow = get(&client, &service.base, "/shadow").await;
    assert_matches(&document, "ShadowSummary", &shadow.json());
}
