//! Approving a decision: someone with more authority decides the same request again, at the
//! moment of approval, against the history as it is then.

use serde::{Deserialize, Serialize};

use crate::{Agent, AgentId, Decision, DecisionId, Outcome, Reasons, RequestError, RoleName};

/// An approval about to be given: which decision, by whom, and (to override a refusal) why.
///
/// Hand it to [`Engine::approve`](crate::Engine::approve) with the original request and the
/// history as it is at approval time.
///
/// ```
/// use voucher_policy::{Agent, AgentId, Approval, RoleName};
/// # use chrono::DateTime;
/// # use voucher_policy::{Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, PastVoucher, Request, TierName};
/// # let at = |s| DateTime::parse_from_rfc3339(s);
/// # let rina = CustomerId::new("C-7");
/// # let request = Request::new(
/// #     Customer::new(rina.clone(), TierName::new("regular")),
/// #     Order::new(OrderId::new("88"), rina, 200_000, Currency::IDR, at("2026-11-24T08:00:00+07:00")?),
/// #     Complaint::new("late_delivery", at("2026-11-24T09:30:00+07:00")?),
/// # );
/// # let decision = Engine::default().decide(&request, PastVoucher::NONE, at("2026-11-24T10:00:00+07:00")?)?;
/// let supervisor = Agent::new(AgentId::new("S-2")).with_role(RoleName::new("supervisor"));
/// let approval = Approval::of(&decision, supervisor)
///     .with_override_reason("Courier confirmed the parcel sat in the rain for two days");
/// assert_eq!(approval.override_reason(), Some("Courier confirmed the parcel sat in the rain for two days"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Approval<'a> {
    pub(crate) of: &'a Decision,
    pub(crate) by: Agent,
    pub(crate) override_reason: Option<String>,
}

impl<'a> Approval<'a> {
    /// `by` approves `decision` (an escalation, or a refusal to override).
    pub fn of(decision: &'a Decision, by: Agent) -> Self {
        Approval {
            of: decision,
            by,
            override_reason: None,
        }
    }

    /// The same approval, setting aside the refusals an approver may set aside (every one but
    /// an order of another account or one already compensated), for the written `reason`.
    /// Approving a refusal needs one.
    pub fn with_override_reason(mut self, reason: impl Into<String>) -> Self {
        self.override_reason = Some(reason.into());
        self
    }

    /// The decision approved.
    pub fn decision(&self) -> &Decision {
        self.of
    }

    /// Who approves.
    pub fn approver(&self) -> &Agent {
        &self.by
    }

    /// Why a refusal is overridden, when it is.
    pub fn override_reason(&self) -> Option<&str> {
        self.override_reason.as_deref()
    }
}

/// What a decision made by approving another records: which decision, who approved it in which
/// role, why a refusal was overridden, and what the approval set aside.
///
/// Its wire form is `{"of", "approver", "role", "override_reason", "handled", "overridden"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRecord {
    of: DecisionId,
    approver: AgentId,
    role: RoleName,
    override_reason: Option<String>,
    #[serde(default)]
    handled: Reasons,
    #[serde(default)]
    overridden: Reasons,
}

impl ApprovalRecord {
    pub(crate) fn new(approval: &Approval<'_>, handled: Reasons, overridden: Reasons) -> Self {
        ApprovalRecord {
            of: approval.of.id(),
            approver: approval.by.id.clone(),
            role: approval.by.role.clone(),
            override_reason: approval.override_reason.clone(),
            handled,
            overridden,
        }
    }

    /// The decision approved.
    pub fn of(&self) -> DecisionId {
        self.of
    }

    /// Who approved.
    pub fn approver(&self) -> &AgentId {
        &self.approver
    }

    /// The approver's role.
    pub fn role(&self) -> &RoleName {
        &self.role
    }

    /// Why a refusal was overridden, when the approver gave a reason.
    pub fn override_reason(&self) -> Option<&str> {
        self.override_reason.as_deref()
    }

    /// The escalation reasons the approver settled (a request for a supervisor, a customer
    /// on a supervisor's list), which the approved decision no longer carries.
    pub fn handled(&self) -> Reasons {
        self.handled
    }

    /// The refusal reasons the override set aside.
    pub fn overridden(&self) -> Reasons {
        self.overridden
    }
}

/// Why an approval cannot be given. Each names what is wrong with the values involved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ApprovalError {
    /// The request cannot be decided (it names an unknown role, a bad amount, ...).
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The decision was a grant: there is nothing to approve.
    #[error("decision {id} was granted: there is nothing to approve")]
    NothingToApprove {
        /// The decision's id.
        id: DecisionId,
    },
    /// The request is not the one the decision was made on.
    #[error("{field}: {given:?} is not the decision's {decided:?}")]
    AnotherRequest {
        /// `customer.id` or `order.id`.
        field: &'static str,
        /// The decision's value.
        decided: String,
        /// The request's value.
        given: String,
    },
    /// The approver's role does not approve.
    #[error("approver.role: {role:?} may not approve (the policy's role does not approve)")]
    MayNotApprove {
        /// The approver's role.
        role: RoleName,
    },
    /// Approving a refusal overrides it, which needs a written reason.
    #[error("override_reason: approving refused decision {id} overrides it, and needs a reason")]
    ReasonRequired {
        /// The refused decision's id.
        id: DecisionId,
    },
    /// The override's reason is blank.
    #[error("override_reason: {given:?} is blank; write why the refusal is overridden")]
    BlankReason {
        /// The reason given.
        given: String,
    },
}

impl ApprovalError {
    /// Whether the approval was refused for the approver's role (a service answers 403).
    pub fn is_forbidden(&self) -> bool {
        matches!(self, ApprovalError::MayNotApprove { .. })
    }
}

impl Approval<'_> {
    /// What must hold before the request is decided again: something to approve, the same
    /// request, a reason for an override.
    pub(crate) fn check(&self, request: &crate::Request) -> Result<(), ApprovalError> {
        let of = self.of;
        if of.outcome() == Outcome::Granted {
            return Err(ApprovalError::NothingToApprove { id: of.id() });
        }
        if request.customer.id != *of.customer_id() {
            return Err(ApprovalError::AnotherRequest {
                field: "customer.id",
                decided: of.customer_id().to_string(),
                given: request.customer.id.to_string(),
            });
        }
        if request.order.id != *of.order_id() {
            return Err(ApprovalError::AnotherRequest {
                field: "order.id",
                decided: of.order_id().to_string(),
                given: request.order.id.to_string(),
            });
        }
        match &self.override_reason {
            Some(reason) if reason.trim().is_empty() => Err(ApprovalError::BlankReason {
                given: reason.clone(),
            }),
            None if of.outcome() == Outcome::Refused => {
                Err(ApprovalError::ReasonRequired { id: of.id() })
            }
            _ => Ok(()),
        }
    }
}
