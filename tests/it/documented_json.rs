//! The JSON examples of the README and of docs/json.md are what the engine answers: each shows a
//! request, then its decision, and the decision shown must be the one `decide` gives for that
//! request. A shown decision may leave things out: a string `"..."` stands for any value, and a
//! key `"..."` for the fields not shown.

use serde_json::Value;
use voucher_policy::{Case, Engine};

/// The JSON blocks of a document, in order.
fn json_blocks(document: &str) -> Vec<Value> {
    let path = format!("{}/{document}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    text.split("```json\n")
        .skip(1)
        .map(|block| {
            let json = block.split("```").next().unwrap_or_default();
            serde_json::from_str(json).unwrap_or_else(|error| panic!("{document}: {error}\n{json}"))
        })
        .collect()
}

/// Whether `actual` is what `shown` shows, wildcards aside; the path of the first difference.
fn shows(shown: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (shown, actual) {
        (Value::String(wildcard), _) if wildcard == "..." => Ok(()),
        (Value::Object(shown), Value::Object(actual)) => {
            let partial = shown.contains_key("...");
            for (key, value) in shown.iter().filter(|(key, _)| *key != "...") {
                let field = format!("{path}.{key}");
                let Some(actual) = actual.get(key) else {
                    return Err(format!("{field} is shown but the decision has none"));
                };
                shows(value, actual, &field)?;
            }
            if !partial {
                if let Some(missing) = actual.keys().find(|key| !shown.contains_key(*key)) {
                    return Err(format!("{path}.{missing} is in the decision but not shown"));
                }
            }
            Ok(())
        }
        _ if shown == actual => Ok(()),
        _ => Err(format!("{path}: shown {shown}, decided {actual}")),
    }
}

fn check(document: &str) {
    let blocks = json_blocks(document);
    let [request, decision, ..] = blocks.as_slice() else {
        panic!("{document} has no request and decision");
    };
    let case = Case::from_json(&request.to_string()).unwrap();
    let decided = serde_json::to_value(Engine::default().decide_case(&case).unwrap()).unwrap();
    if let Err(difference) = shows(decision, &decided, "decision") {
        panic!("{document}: {difference}\n{decided:#}");
    }
}

#[test]
fn the_readme_shows_the_decision_of_its_request() {
    check("README.md");
}

#[test]
fn the_json_guide_shows_the_decision_of_its_request() {
    check("docs/json.md");
}

#[test]
fn a_wrong_decision_is_not_shown() {
    let decided = serde_json::json!({"outcome": "granted", "reasons": ["valid_complaint"], "x": 1});
    let shown = serde_json::json!({"outcome": "refused", "...": "..."});
    assert!(shows(&shown, &decided, "d").is_err());
    let shown = serde_json::json!({"outcome": "granted", "reasons": "..."});
    assert!(
        shows(&shown, &decided, "d").is_err(),
        "a field left out without \"...\""
    );
    let shown = serde_json::json!({"outcome": "granted", "...": "..."});
    assert!(shows(&shown, &decided, "d").is_ok());
}
