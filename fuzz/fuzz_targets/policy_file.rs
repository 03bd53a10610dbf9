//! Policy loading: any bytes, read as a TOML and as a JSON policy file. Nothing may panic; a
//! policy that loads must write itself back as TOML and JSON that load as the same policy, and
//! must decide a case.
#![no_main]

use libfuzzer_sys::fuzz_target;
use voucher_policy::{Case, Engine, Policy};

fn check(policy: Policy) {
    let toml = Policy::from_toml_str(&policy.to_toml_string().unwrap());
    assert_eq!(toml.as_ref().ok(), Some(&policy), "{toml:?}");
    let json = Policy::from_json_str(&policy.to_json_string().unwrap());
    assert_eq!(json.as_ref().ok(), Some(&policy), "{json:?}");
    let _ = policy.lint();
    let tier = policy
        .tiers()
        .first()
        .map(|tier| tier.name.clone())
        .unwrap_or_default();
    let category = policy
        .categories()
        .first()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let case = format!(
        r#"{{"now": "2026-11-24T10:00:00+07:00",
            "customer": {{"id": "C", "name": "N", "loyalty": {tier:?}}},
            "order": {{"id": "1", "customer_id": "C", "total": "85000", "currency": "{}",
                       "placed_at": "2026-11-24T08:00:00+07:00"}},
            "complaint": {{"category": {category:?}, "reported_at": "2026-11-24T09:00:00+07:00"}}}}"#,
        policy.currency()
    );
    if let Ok(case) = Case::from_json(&case) {
        let _ = Engine::new(policy).decide_case(&case);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for read in [Policy::from_toml_str, Policy::from_json_str] {
        match read(&text) {
            Ok(policy) => check(policy),
            Err(error) => assert!(!error.to_string().is_empty()),
        }
    }
});
