//! A valid policy that is probably wrong gets warnings, not errors.

use voucher_policy::Policy;

fn default_with(changes: &[(&str, &str)]) -> Policy {
    let mut text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/policies/default.toml"
    ))
    .unwrap();
    for (old, new) in changes {
        assert!(text.contains(old), "{old}");
        text = text.replacen(old, new, 1);
    }
    Policy::from_toml_str(&text).unwrap()
}

fn warnings(policy: &Policy) -> Vec<String> {
    policy.lint().iter().map(ToString::to_string).collect()
}

#[test]
fn the_default_policy_has_no_warnings() {
    assert_eq!(Policy::default().lint(), []);
}

#[test]
fn a_tier_with_no_vouchers_can_never_receive_one() {
    let policy = default_with(&[(
        "name = \"new\"\nvoucher_limit = 1",
        "name = \"new\"\nvoucher_limit = 0",
    )]);
    assert_eq!(
        warnings(&policy),
        ["tiers.new.voucher_limit: is 0: customers of this tier can never receive a voucher"]
    );
}

#[test]
fn a_tier_whose_value_limit_is_below_the_minimum_voucher_can_never_receive_one() {
    let policy = default_with(&[("value_limit = 50000", "value_limit = 4000")]);
    assert_eq!(
        warnings(&policy),
        [
            "tiers.new.value_limit: 4000 is below minimum_voucher 5000: customers of this tier can never receive a voucher"
        ]
    );
}

#[test]
fn an_agent_authority_below_the_minimum_voucher_escalates_every_grant() {
    let policy = default_with(&[("agent_authority = 100000", "agent_authority = 4000")]);
    assert_eq!(
        warnings(&policy),
        [
            "agent_authority: 4000 is below minimum_voucher 5000: every grant escalates to a supervisor"
        ]
    );
}

#[test]
fn a_higher_tier_with_lower_limits_than_the_tier_below_is_suspicious() {
    let policy = default_with(&[(
        "name = \"gold\"\nvoucher_limit = 3\nvalue_limit = 250000",
        "name = \"gold\"\nvoucher_limit = 1\nvalue_limit = 120000",
    )]);
    assert_eq!(
        warnings(&policy),
        [
            "tiers.gold.voucher_limit: 1 is lower than 2 of the tier below it (silver): tiers are listed lowest first",
            "tiers.gold.value_limit: 120000 is lower than 150000 of the tier below it (silver): tiers are listed lowest first",
            "tiers.platinum.voucher_limit: 3 is lower than 1 of the tier below it (gold): tiers are listed lowest first",
        ]
        .into_iter()
        .filter(|w| !w.starts_with("tiers.platinum"))
        .collect::<Vec<_>>()
    );
}

#[test]
fn a_window_shorter_than_the_cooldown_is_outlasted_by_it() {
    let policy = default_with(&[("count_window = \"7d\"", "count_window = \"3d\"")]);
    assert_eq!(
        warnings(&policy),
        [
            "count_window: 3d is shorter than minor_cooldown 7d: the cool-down outlasts the window it guards"
        ]
    );
}

#[test]
fn warnings_do_not_stop_a_policy_from_loading() {
    let policy = default_with(&[
        ("agent_authority = 100000", "agent_authority = 1000"),
        ("count_window = \"7d\"", "count_window = \"1d\""),
    ]);
    assert_eq!(policy.lint().len(), 2);
}
