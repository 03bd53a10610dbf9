//! The JSON Schema checked into `examples/policies/` is the one the policy types generate.

use voucher_policy::Policy;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/policies/policy.schema.json"
);

#[test]
fn the_checked_in_schema_is_up_to_date() {
    let generated = Policy::json_schema().unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(SCHEMA, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(SCHEMA).unwrap_or_default();
    assert!(
        checked_in == generated,
        "examples/policies/policy.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test --features schema --test it policy_schema` and commit it"
    );
}

#[test]
fn the_schema_describes_every_top_level_field_of_the_default_policy() {
    let schema: serde_json::Value = serde_json::from_str(&Policy::json_schema().unwrap()).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    let default: serde_json::Value =
        serde_json::from_str(&Policy::default().to_json_string().unwrap()).unwrap();
    for field in default.as_object().unwrap().keys() {
        assert!(
            properties.contains_key(field),
            "{field} is not in the schema"
        );
    }
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
}

#[test]
fn the_schema_describes_every_optional_shape() {
    let schema: serde_json::Value = serde_json::from_str(&Policy::json_schema().unwrap()).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    for file in ["marketplace", "food_delivery"] {
        let policy = Policy::load(format!("examples/policies/{file}.toml")).unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&policy.to_json_string().unwrap()).unwrap();
        for field in written.as_object().unwrap().keys() {
            assert!(
                properties.contains_key(field),
                "{file}: {field} is not in the schema"
            );
        }
    }
    for shape in [
        "maximum_share",
        "young_accounts",
        "fault",
        "lists",
        "locale",
    ] {
        assert!(properties.contains_key(shape), "{shape}");
    }
    let definitions = schema["$defs"].as_object().unwrap();
    for definition in [
        "LimitFile",
        "CategoryFile",
        "YoungAccountsFile",
        "FaultFile",
        "ListFile",
    ] {
        assert!(definitions.contains_key(definition), "{definition}");
    }
}
