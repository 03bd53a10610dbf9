//! What would change a refusal: each action decided again, purely, with what it would bring.

use serde::{Deserialize, Serialize};

use crate::{Outcome, Voucher};

/// Something the customer or the agent can do that would change a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RemedyAction {
    /// The customer sends a photo of the problem now (for `evidence_required`, or evidence
    /// that came too late).
    ProvidePhoto,
}

crate::wire_name::wire_names!(RemedyAction, "remedy action" {
    ProvidePhoto => "provide_photo",
});

/// An action that would change a refusal, and the decision it would bring: found by deciding
/// the same request again with the action taken, at the same moment.
///
/// Its wire form is `{"action", "outcome", "voucher"}`; `voucher` is the one granted, or
/// recommended when the action would bring an escalation.
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, Outcome, PastVoucher, RemedyAction, Request, TierName};
///
/// let at = |s| DateTime::parse_from_rfc3339(s);
/// let rina = CustomerId::new("C-7");
/// let request = Request::new(
///     Customer::new(rina.clone(), TierName::new("regular")),
///     Order::new(OrderId::new("88"), rina, 200_000, Currency::IDR, at("2026-11-24T08:00:00+07:00")?)
///         .with_delivered_at(at("2026-11-24T09:00:00+07:00")?),
///     Complaint::new("damaged_item", at("2026-11-24T09:30:00+07:00")?),
/// );
/// let decision = Engine::default().decide(&request, PastVoucher::NONE, at("2026-11-24T10:00:00+07:00")?)?;
/// assert_eq!(decision.outcome(), Outcome::Refused);
/// let photo = decision.remedies().first().ok_or("no remedy")?;
/// assert_eq!(photo.action(), RemedyAction::ProvidePhoto);
/// assert_eq!(photo.outcome(), Outcome::Granted);
/// assert_eq!(photo.voucher().map(|voucher| voucher.amount()), Some(100_000.into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remedy {
    action: RemedyAction,
    outcome: Outcome,
    voucher: Option<Voucher>,
}

impl Remedy {
    pub(crate) fn new(action: RemedyAction, outcome: Outcome, voucher: Option<Voucher>) -> Self {
        Remedy {
            action,
            outcome,
            voucher,
        }
    }

    /// What would be done.
    pub fn action(&self) -> RemedyAction {
        self.action
    }

    /// The outcome it would bring: `Granted`, or `Escalated` when someone else would then
    /// decide.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The voucher it would bring: granted, or recommended on an escalation.
    pub fn voucher(&self) -> Option<&Voucher> {
        self.voucher.as_ref()
    }
}
