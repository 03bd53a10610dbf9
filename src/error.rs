//! Input that cannot be decided, named by field and value.

use std::fmt;

use crate::Currency;
use crate::money::{AmountFault, MAX_AMOUNT};

/// A request, history entry or moment that cannot be decided, with the field at fault (a JSON
/// path such as `history[2].amount`), the value found there and what is wrong with it.
///
/// A request the policy merely refuses is never an error: it is a [`Decision`](crate::Decision).
///
/// ```
/// use voucher_policy::RequestError;
///
/// fn explain(error: &RequestError) -> String {
///     format!("{} = {:?}: {}", error.field(), error.value(), error.problem())
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {value} {problem}")]
pub struct RequestError {
    field: String,
    value: String,
    problem: Problem,
}

impl RequestError {
    pub(crate) fn new(
        field: impl Into<String>,
        value: impl fmt::Display,
        problem: Problem,
    ) -> Self {
        RequestError {
            field: field.into(),
            value: value.to_string(),
            problem,
        }
    }

    /// The field at fault, as a path into the JSON request (`order.currency`,
    /// `history[3].granted_at`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The offending value as it was given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The amount is in another currency than the policy's.
    #[error("is not the policy currency {expected}")]
    WrongCurrency {
        /// The policy's currency.
        expected: String,
    },
    /// The amount must be greater than zero.
    #[error("is not a positive amount")]
    NotPositive,
    /// The amount has more decimal places than its currency has (trailing zeros aside).
    #[error("has more decimal places than {currency} has ({places})")]
    TooPrecise {
        /// The currency.
        currency: String,
        /// How many decimal places its amounts may have.
        places: u32,
    },
    /// The amount is below the policy's smallest unit, so no voucher could ever be worth it.
    #[error("is below the currency step {step}")]
    BelowStep {
        /// The policy's step.
        step: String,
    },
    /// The moment comes before another one it must follow.
    #[error("is before {other_field} {other_value}")]
    Before {
        /// The field it must not precede.
        other_field: String,
        /// That field's value.
        other_value: String,
    },
    /// The moment is after the moment of the decision.
    #[error("is after now {now}")]
    AfterNow {
        /// The moment of the decision.
        now: String,
    },
    /// The policy has no loyalty tier of this name.
    #[error("is not a loyalty tier of the policy (known: {known})")]
    UnknownTier {
        /// The policy's tier names, comma separated.
        known: String,
    },
    /// The policy has no complaint category of this name and the complaint has no severity.
    #[error(
        "is not a complaint category of the policy; give complaint.severity or use one of: {known}"
    )]
    UnknownCategory {
        /// The policy's category names, comma separated.
        known: String,
    },
    /// There is no script catalog for the locale.
    #[error("has no script catalog (loaded: {loaded})")]
    NoCatalog {
        /// The locales there are catalogs for, comma separated.
        loaded: String,
    },
    /// The value is too large to compute with.
    #[error("is too large (at most {limit})")]
    TooLarge {
        /// The largest value accepted.
        limit: String,
    },
}

impl Problem {
    /// What is wrong with an amount that cannot be counted in a policy's units.
    pub(crate) fn of_amount(fault: AmountFault, currency: Currency, places: u32) -> Problem {
        match fault {
            AmountFault::NotPositive => Problem::NotPositive,
            AmountFault::TooPrecise => Problem::TooPrecise {
                currency: currency.to_string(),
                places,
            },
            AmountFault::TooLarge => Problem::TooLarge {
                limit: MAX_AMOUNT.to_string(),
            },
        }
    }
}

/// Problems listed one a line, each indented as `  - problem` (a policy's, a catalog's).
pub(crate) struct ProblemList<'a, T>(pub &'a [T]);

impl<T: fmt::Display> fmt::Display for ProblemList<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "  - {problem}")?;
        }
        Ok(())
    }
}
