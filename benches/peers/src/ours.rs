//! voucher-policy itself, on its embedded default policy.

use voucher_policy::{Case, Engine, RequestError, Verdict};

use crate::Answer;

/// The default engine, deciding without the script (the peers write none).
#[derive(Debug, Default)]
pub struct Ours {
    engine: Engine,
}

impl Ours {
    /// The engine on the embedded default policy.
    pub fn new() -> Ours {
        Ours::default()
    }

    /// Decides a case: every check, the amount, the outcome, the reasons, the facts.
    pub fn decide(&self, case: &Case) -> Result<Verdict, RequestError> {
        self.engine
            .verdict(&case.request(), &case.history(), case.now())
    }

    /// The answer to a case.
    pub fn answer(&self, case: &Case) -> Answer {
        let verdict = self
            .decide(case)
            .unwrap_or_else(|e| panic!("a generated case is valid: {e}"));
        Answer::of_verdict(&verdict)
    }
}
