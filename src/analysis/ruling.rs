//! What a policy does with one case, as an analysis compares it: the voucher granted, a
//! refusal, an escalation and to whom, or a request it cannot decide.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::{Decision, EscalationTarget, Outcome, RequestError, Verdict};

/// What one policy does with one case, reduced to what a comparison looks at: the voucher
/// granted (escalations and refusals grant nothing), and where an escalation goes.
///
/// ```
/// use rust_decimal::Decimal;
/// use voucher_policy::Ruling;
///
/// assert_eq!(Ruling::Granted(Decimal::from(33_000)).granted(), Decimal::from(33_000));
/// assert_eq!(Ruling::Refused.granted(), Decimal::ZERO);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Ruling {
    /// A voucher of this amount is granted.
    Granted(Decimal),
    /// No voucher.
    Refused,
    /// Someone else takes over.
    Escalated(EscalationTarget),
    /// The policy cannot decide the request (an unknown tier, category, list or role): the
    /// error, as it reads.
    Undecidable(String),
}

impl Ruling {
    /// The voucher granted: nothing unless [`Ruling::Granted`].
    pub fn granted(&self) -> Decimal {
        match self {
            Ruling::Granted(amount) => *amount,
            _ => Decimal::ZERO,
        }
    }

    /// The ruling of a decision, or of a request that could not be decided.
    pub fn of(decided: &Result<Decision, RequestError>) -> Ruling {
        match decided {
            Ok(decision) => Ruling::of_verdict(decision.verdict()),
            Err(error) => Ruling::Undecidable(error.to_string()),
        }
    }

    /// The ruling of a verdict ([`Engine::verdict`](crate::Engine::verdict)).
    pub fn of_verdict(verdict: &Verdict) -> Ruling {
        match verdict.outcome() {
            Outcome::Granted => Ruling::Granted(
                verdict
                    .voucher()
                    .map(|voucher| voucher.amount())
                    .unwrap_or_default(),
            ),
            Outcome::Refused => Ruling::Refused,
            Outcome::Escalated => Ruling::Escalated(
                verdict
                    .escalate_to()
                    .unwrap_or(EscalationTarget::Supervisor),
            ),
        }
    }

    /// The rule this ruling stands for.
    pub(super) fn rule(&self) -> Rule {
        match self {
            Ruling::Granted(amount) => Rule::Granted(units(*amount)),
            Ruling::Refused => Rule::Refused,
            Ruling::Escalated(target) => Rule::Escalated(*target),
            Ruling::Undecidable(_) => Rule::Undecidable,
        }
    }
}

impl fmt::Display for Ruling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ruling::Granted(amount) => write!(f, "grants {amount}"),
            Ruling::Refused => f.write_str("refuses"),
            Ruling::Escalated(target) => write!(f, "escalates to {}", target.as_str()),
            Ruling::Undecidable(error) => write!(f, "cannot decide ({error})"),
        }
    }
}

/// A ruling in whole units of the analysis' scale, cheap to compare in the inner loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Rule {
    Granted(i128),
    Refused,
    Escalated(EscalationTarget),
    /// The request cannot be decided; the reason is kept beside, where the rule came from.
    Undecidable,
}

/// Decimal places every amount of an analysis is counted in: finer than any policy's or
/// request's amount, and still far inside `i128` for the largest amount a request carries.
const PLACES: u32 = 12;

/// An amount in units of [`PLACES`] decimal places (finer digits dropped, which no valid
/// amount has).
pub(super) fn units(amount: Decimal) -> i128 {
    let scale = amount.scale();
    if scale <= PLACES {
        amount
            .mantissa()
            .saturating_mul(10_i128.pow(PLACES - scale))
    } else {
        amount.mantissa() / 10_i128.pow(scale - PLACES)
    }
}
