//! The three deciders agree: on generated requests of every kind (short and long histories,
//! recent ones, every outcome and reason), voucher-policy, ZEN with `policy.jdm.json` and Rhai
//! with `policy.rhai` give the same outcome, the same reasons and flags, the same escalation
//! target and the same amount. Without this, the benchmark would compare different work.

use std::collections::BTreeMap;

use voucher_policy::{Case, Code, Reason};
use voucher_policy_peers::generated::{self, HistoryLen, SEED};
use voucher_policy_peers::ours::Ours;
use voucher_policy_peers::rhai_script::Rhai;
use voucher_policy_peers::zen::Zen;

fn requests() -> Vec<Case> {
    let mut cases = generated::cases(SEED, 10_000, HistoryLen::UpTo(40));
    cases.extend(generated::cases(SEED + 1, 2_000, HistoryLen::Recent(20)));
    cases.extend(generated::cases(SEED + 2, 50, HistoryLen::Exactly(1_000)));
    cases
}

#[test]
fn the_three_agree_on_every_generated_request() {
    let (ours, zen, rhai) = (Ours::new(), Zen::new(), Rhai::new());
    let cases = requests();
    let mut outcomes = BTreeMap::<String, usize>::new();
    let mut reasons = BTreeMap::<String, usize>::new();
    for case in &cases {
        let expected = ours.answer(case);
        let request = || serde_json::to_string(case).unwrap();
        assert_eq!(zen.answer(case), expected, "ZEN disagrees on {}", request());
        assert_eq!(
            rhai.answer(case),
            expected,
            "Rhai disagrees on {}",
            request()
        );
        *outcomes.entry(expected.outcome.clone()).or_default() += 1;
        for reason in expected.reasons {
            *reasons.entry(reason).or_default() += 1;
        }
    }
    assert!(cases.len() >= 10_000);
    assert_eq!(outcomes.len(), 3, "every outcome: {outcomes:?}");
    // The peers model the embedded default policy on the generated requests: every reason but
    // those of the optional shapes and of conduct the requests never show (warnings already
    // given, gifts, questions about the agent) or of an agent's daily budget (no request names its
    // agent).
    let shaped = [
        Reason::CustomerListed,
        Reason::CustomerAtFault,
        Reason::EvidenceTooLate,
        Reason::YoungAccountLimitReached,
        Reason::PersistentPersonalAdvances,
        Reason::RepeatedAbusiveLanguage,
        Reason::GiftOffered,
        Reason::PersonalInformationRequested,
        Reason::AgentBudgetExceeded,
    ];
    assert_eq!(
        reasons.len(),
        Reason::ALL.len() - shaped.len(),
        "every reason: {reasons:?}"
    );
    println!("{} requests agreed; outcomes {outcomes:?}", cases.len());
}
