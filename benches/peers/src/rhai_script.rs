//! Rhai, deciding with the script `policy.rhai`: the same rules, written as a script.

use std::collections::BTreeSet;

use rhai::{AST, Array, Dynamic, Engine, Map, OptimizationLevel, Scope};
use voucher_policy::Case;

use crate::zen::wire;
use crate::{Answer, whole};

/// The script of the default policy.
pub const SCRIPT: &str = include_str!("../policy.rhai");

/// A Rhai engine and the script, compiled once with full optimisation.
pub struct Rhai {
    engine: Engine,
    ast: AST,
}

/// A request as the script takes it: maps named as the JSON wire form names them, times as
/// Unix seconds. The values are shared (reference-counted), so putting them in a scope for an
/// evaluation copies no map: the fastest way to hand Rhai data it only reads.
#[derive(Clone)]
pub struct RhaiInput {
    customer: Dynamic,
    order: Dynamic,
    complaint: Dynamic,
    conduct: Dynamic,
    requested_amount: Dynamic,
    history: Dynamic,
    now: i64,
}

impl Rhai {
    /// Compiles the script.
    pub fn new() -> Rhai {
        let mut engine = Engine::new();
        engine.set_optimization_level(OptimizationLevel::Full);
        let ast = engine.compile(SCRIPT).expect("policy.rhai compiles");
        Rhai { engine, ast }
    }

    /// The request of a case as the script takes it.
    pub fn input(case: &Case) -> RhaiInput {
        let request = &case.request();
        let (order, complaint, conduct) =
            (&request.order(), &request.complaint(), &request.conduct());
        let optional = |value: Option<Dynamic>| value.unwrap_or(Dynamic::UNIT);
        let text = |text: &str| Dynamic::from(text.to_owned());
        let map = |entries: Vec<(&str, Dynamic)>| {
            let map: Map = entries.into_iter().map(|(k, v)| (k.into(), v)).collect();
            Dynamic::from_map(map).into_shared()
        };
        let history: Array = case
            .history()
            .iter()
            .map(|past| {
                map(vec![
                    ("order_id", text(past.order_id().as_str())),
                    (
                        "granted_at",
                        Dynamic::from_int(past.granted_at().timestamp()),
                    ),
                    ("amount", Dynamic::from_int(whole(past.amount()))),
                    (
                        "severity",
                        optional(past.severity().map(|s| text(s.as_str()))),
                    ),
                ])
            })
            .collect();
        RhaiInput {
            customer: map(vec![
                ("id", text(request.customer().id().as_str())),
                ("loyalty", text(request.customer().loyalty().as_str())),
            ]),
            order: map(vec![
                ("id", text(order.id().as_str())),
                ("customer_id", text(order.customer_id().as_str())),
                ("total", Dynamic::from_int(whole(order.total()))),
                (
                    "placed_at",
                    Dynamic::from_int(order.placed_at().timestamp()),
                ),
                (
                    "delivered_at",
                    optional(
                        order
                            .delivered_at()
                            .map(|at| Dynamic::from_int(at.timestamp())),
                    ),
                ),
            ]),
            complaint: map(vec![
                ("category", text(&complaint.category())),
                (
                    "severity",
                    optional(complaint.severity().map(|s| text(s.as_str()))),
                ),
                (
                    "reported_at",
                    Dynamic::from_int(complaint.reported_at().timestamp()),
                ),
                (
                    "company_at_fault",
                    optional(complaint.company_at_fault().map(Dynamic::from_bool)),
                ),
                ("evidence", text(&wire(&complaint.evidence()))),
            ]),
            conduct: map(vec![
                (
                    "abusive_language",
                    Dynamic::from_bool(conduct.abusive_language()),
                ),
                (
                    "threat",
                    optional(conduct.threat().map(|t| text(&wire(&t)))),
                ),
                (
                    "insists_on_supervisor",
                    Dynamic::from_bool(conduct.insists_on_supervisor()),
                ),
                (
                    "personal_advances",
                    Dynamic::from_bool(conduct.personal_advances()),
                ),
            ]),
            requested_amount: optional(
                request
                    .requested_amount()
                    .map(|a| Dynamic::from_int(whole(a))),
            ),
            history: Dynamic::from_array(history).into_shared(),
            now: case.now().timestamp(),
        }
    }

    /// Runs the script on one input.
    pub fn decide(&self, input: &RhaiInput) -> Map {
        let mut scope = Scope::new();
        scope
            .push_dynamic("customer", input.customer.clone())
            .push_dynamic("order", input.order.clone())
            .push_dynamic("complaint", input.complaint.clone())
            .push_dynamic("conduct", input.conduct.clone())
            .push_dynamic("requested_amount", input.requested_amount.clone())
            .push_dynamic("history", input.history.clone())
            .push("now", input.now);
        self.engine
            .eval_ast_with_scope::<Map>(&mut scope, &self.ast)
            .unwrap_or_else(|e| panic!("policy.rhai failed: {e}"))
    }

    /// Rhai's answer to a case.
    pub fn answer(&self, case: &Case) -> Answer {
        let result = self.decide(&Rhai::input(case));
        let get = |key: &str| {
            result
                .get(key)
                .cloned()
                .unwrap_or_else(|| panic!("no {key} in {result:?}"))
        };
        let codes = |key: &str| -> BTreeSet<String> {
            get(key)
                .into_array()
                .unwrap_or_else(|_| panic!("{key} is not an array"))
                .into_iter()
                .map(|code| code.into_string().expect("a code"))
                .collect()
        };
        let optional_text = |key: &str| get(key).into_string().ok();
        Answer {
            outcome: get("outcome").into_string().expect("an outcome"),
            reasons: codes("reasons"),
            flags: codes("flags"),
            escalate_to: optional_text("escalate_to"),
            amount: get("amount").as_int().ok().map(rust_decimal::Decimal::from),
        }
    }
}

impl Default for Rhai {
    fn default() -> Self {
        Rhai::new()
    }
}
