//! GoRules ZEN (`zen-engine`), deciding with the JDM decision graph `policy.jdm.json`: three
//! decision tables (loyalty tiers, complaint severity, severity rates) and an expression node
//! with the windows, every check, the amount and the outcome.

use std::collections::BTreeSet;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::runtime::Runtime;
use voucher_policy::{Case, Severity};
use zen_engine::model::GraphContent;
use zen_engine::{Decision, Variable};

use crate::{Answer, whole};

/// The JDM graph of the default policy.
pub const GRAPH: &str = include_str!("../policy.jdm.json");

/// A compiled ZEN decision and the runtime that drives its (async) evaluation.
pub struct Zen {
    decision: Decision,
    runtime: Runtime,
}

impl Zen {
    /// Loads the graph and compiles it ahead of time (expressions to bytecode, table indexes),
    /// ZEN's fastest way to evaluate.
    pub fn new() -> Zen {
        let mut content: GraphContent =
            serde_json::from_str(GRAPH).expect("policy.jdm.json is a JDM graph");
        content.compile();
        let decision = Decision::from(Arc::new(content));
        decision
            .validate()
            .expect("policy.jdm.json is a valid graph");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime");
        Zen { decision, runtime }
    }

    /// The request of a case as ZEN takes it: its JSON, with times as Unix seconds.
    pub fn input(case: &Case) -> Variable {
        let request = &case.request();
        let (order, complaint, conduct) =
            (&request.order(), &request.complaint(), &request.conduct());
        let history: Vec<Value> = case
            .history()
            .iter()
            .map(|past| {
                json!({
                    "orderId": past.order_id(),
                    "grantedAt": past.granted_at().timestamp(),
                    "amount": whole(past.amount()),
                    "severity": past.severity().map(|s| s.as_str()),
                })
            })
            .collect();
        json!({
            "now": case.now().timestamp(),
            "customer": {"id": request.customer().id(), "loyalty": request.customer().loyalty()},
            "order": {
                "id": order.id(),
                "customerId": order.customer_id(),
                "total": whole(order.total()),
                "placedAt": order.placed_at().timestamp(),
                "deliveredAt": order.delivered_at().map(|at| at.timestamp()),
            },
            "complaint": {
                "category": complaint.category(),
                "severity": complaint.severity().map(|s: Severity| s.as_str()),
                "reportedAt": complaint.reported_at().timestamp(),
                "companyAtFault": complaint.company_at_fault(),
                "evidence": wire(&complaint.evidence()),
            },
            "conduct": {
                "abusiveLanguage": conduct.abusive_language(),
                "threat": conduct.threat().map(|t| wire(&t)),
                "insistsOnSupervisor": conduct.insists_on_supervisor(),
                "personalAdvances": conduct.personal_advances(),
            },
            "requestedAmount": request.requested_amount().map(whole),
            "history": history,
        })
        .into()
    }

    /// Evaluates the graph on one input.
    pub fn decide(&self, input: &Variable) -> Variable {
        self.runtime
            .block_on(self.decision.evaluate(input.clone()))
            .unwrap_or_else(|e| panic!("ZEN could not evaluate: {e:?}"))
            .result
    }

    /// ZEN's answer to a case.
    pub fn answer(&self, case: &Case) -> Answer {
        let result = self.decide(&Zen::input(case)).to_value();
        let codes = |key: &str| -> BTreeSet<String> {
            result[key]
                .as_array()
                .unwrap_or_else(|| panic!("{key} is not a list: {result}"))
                .iter()
                .map(|code| code.as_str().expect("a code").to_owned())
                .collect()
        };
        Answer {
            outcome: result["outcome"].as_str().expect("an outcome").to_owned(),
            reasons: codes("reasons"),
            flags: codes("flags"),
            escalate_to: result["escalateTo"].as_str().map(str::to_owned),
            amount: number(&result["amount"]["granted"]),
        }
    }
}

impl Default for Zen {
    fn default() -> Self {
        Zen::new()
    }
}

/// A JSON number as an exact decimal (ZEN computes in decimals), or `None` for null.
fn number(value: &Value) -> Option<Decimal> {
    match value {
        Value::Null => None,
        Value::Number(n) => Some(
            n.to_string()
                .parse::<Decimal>()
                .unwrap_or_else(|e| panic!("{n}: {e}"))
                .normalize(),
        ),
        other => panic!("not a number: {other}"),
    }
}

/// The wire name of a request enum (`photo`, `legal`), as the JSON form writes it.
pub(crate) fn wire(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        other => panic!("not a wire name: {other:?}"),
    }
}
