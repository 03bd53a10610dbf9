//! Why a decision came out as it did: the stable reason codes.

use serde::{Deserialize, Serialize};

use crate::code_set::{CodeSet, codes};

/// A check that fired. The codes are stable: new ones are added, none is ever renamed.
///
/// Every check runs on every request, and each one that fires adds its reason; the outcome is
/// derived from the reasons (see [`Reason::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// The customer threatened physical harm: escalate to security.
    PhysicalThreat,
    /// The customer threatened legal action: escalate to legal.
    LegalThreat,
    /// The complaint is critical (such as food safety): escalate to a supervisor.
    CriticalComplaint,
    /// The customer insists on someone more senior: escalate to a supervisor.
    SupervisorRequested,
    /// The customer kept making personal advances after the policy's warnings: escalate to a
    /// supervisor.
    PersistentPersonalAdvances,
    /// The customer is on a list the policy hands to someone else (a review list): escalate
    /// to whoever the list says.
    CustomerListed,
    /// The customer used abusive language; the outcome is unchanged.
    AbusiveLanguage,
    /// The customer kept using abusive language after the policy's warnings: the outcome is
    /// unchanged, and the conversation closes (flag `close_conversation`).
    RepeatedAbusiveLanguage,
    /// The customer made personal advances toward the agent; the outcome is unchanged.
    PersonalAdvances,
    /// The customer offered the agent a gift, which the script declines; the outcome is
    /// unchanged.
    GiftOffered,
    /// The customer asked for the agent's personal details, which the script declines; the
    /// outcome is unchanged.
    PersonalInformationRequested,
    /// The order belongs to another customer.
    OrderCustomerMismatch,
    /// This order was already compensated.
    OrderAlreadyCompensated,
    /// The complaint came after the claim window had closed.
    ClaimWindowExpired,
    /// The company was assessed not at fault, or the party at fault is one the policy does not
    /// compensate.
    NotCompanyFault,
    /// The customer was at fault (an agreed term ignored, a wrong address given).
    CustomerAtFault,
    /// The complaint needs a photo or a verification first (a major complaint, a category that
    /// always needs one, a young account).
    EvidenceRequired,
    /// The only evidence came after the category's deadline for it.
    EvidenceTooLate,
    /// The tier's voucher count for the rolling count window is used up.
    VoucherLimitReached,
    /// What is left of the tier's value limit is below the minimum voucher.
    VoucherValueLimitReached,
    /// A young account already had as many vouchers as the policy allows it in all.
    YoungAccountLimitReached,
    /// The voucher was cut to what is left of the tier's value limit.
    ReducedToValueLimit,
    /// A minor complaint soon after another voucher.
    MinorComplaintRecentVoucher,
    /// Too many minor-complaint vouchers in the pattern window.
    RepeatedMinorComplaints,
    /// The amount asked for was above what the policy gives, and was cut to it.
    ReducedToPolicyAmount,
    /// The voucher is below the amount asked for only because that amount was not a whole
    /// number of the policy's steps: it was rounded down to one.
    RoundedToStep,
    /// The voucher is above what the agent may grant alone: escalate to a supervisor.
    AboveAgentAuthority,
    /// The voucher would take the deciding agent past their role's daily budget: escalate to a
    /// supervisor.
    AgentBudgetExceeded,
    /// The complaint is valid and a voucher is granted.
    ValidComplaint,
}

codes!(Reason, "reason" {
    PhysicalThreat => "physical_threat",
    LegalThreat => "legal_threat",
    CriticalComplaint => "critical_complaint",
    SupervisorRequested => "supervisor_requested",
    PersistentPersonalAdvances => "persistent_personal_advances",
    CustomerListed => "customer_listed",
    AbusiveLanguage => "abusive_language",
    RepeatedAbusiveLanguage => "repeated_abusive_language",
    PersonalAdvances => "personal_advances",
    GiftOffered => "gift_offered",
    PersonalInformationRequested => "personal_information_requested",
    OrderCustomerMismatch => "order_customer_mismatch",
    OrderAlreadyCompensated => "order_already_compensated",
    ClaimWindowExpired => "claim_window_expired",
    NotCompanyFault => "not_company_fault",
    CustomerAtFault => "customer_at_fault",
    EvidenceRequired => "evidence_required",
    EvidenceTooLate => "evidence_too_late",
    VoucherLimitReached => "voucher_limit_reached",
    VoucherValueLimitReached => "voucher_value_limit_reached",
    YoungAccountLimitReached => "young_account_limit_reached",
    ReducedToValueLimit => "reduced_to_value_limit",
    MinorComplaintRecentVoucher => "minor_complaint_recent_voucher",
    RepeatedMinorComplaints => "repeated_minor_complaints",
    ReducedToPolicyAmount => "reduced_to_policy_amount",
    RoundedToStep => "rounded_to_step",
    AboveAgentAuthority => "above_agent_authority",
    AgentBudgetExceeded => "agent_budget_exceeded",
    ValidComplaint => "valid_complaint",
});

/// The part a reason plays in the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReasonKind {
    /// Safety or conduct that hands the case to someone else, whatever its merits.
    Escalation,
    /// Conduct that is noted and answered in the script, without changing the outcome.
    Conduct,
    /// A fact, validity or limit check that refuses the voucher.
    Refusal,
    /// A change to the voucher amount, or (above the agent's authority) a hand-off for approval.
    Adjustment,
    /// The complaint deserves the voucher.
    Grant,
}

impl Reason {
    /// This reason's bit in a [`Reasons`] set, for a constant set worked out at compile time.
    pub(crate) const fn bit(self) -> u64 {
        // The discriminant is the position in `ALL` (`codes!` checks it), and so the bit.
        1 << (self as u32)
    }
}

impl ReasonKind {
    /// Every reason of this kind, as a constant: `ReasonKind::Refusal.reasons()` is
    /// worked out once, at compile time, where a constant is made of it.
    pub(crate) const fn reasons(self) -> Reasons {
        let mut bits = 0_u64;
        let mut left = <Reason as crate::Code>::ALL;
        while let [reason, rest @ ..] = left {
            // A fieldless enum's discriminant, the only comparison a `const fn` can make.
            if reason.kind() as u8 == self as u8 {
                bits |= 1 << (*reason as u32);
            }
            left = rest;
        }
        Reasons::from_bits(bits)
    }
}

impl Reason {
    /// The part this reason plays in the outcome.
    ///
    /// ```
    /// use voucher_policy::{Reason, ReasonKind};
    ///
    /// assert_eq!(Reason::VoucherLimitReached.kind(), ReasonKind::Refusal);
    /// assert_eq!(Reason::LegalThreat.kind(), ReasonKind::Escalation);
    /// ```
    pub const fn kind(&self) -> ReasonKind {
        use Reason::*;
        match self {
            PhysicalThreat
            | LegalThreat
            | CriticalComplaint
            | SupervisorRequested
            | PersistentPersonalAdvances
            | CustomerListed => ReasonKind::Escalation,
            AbusiveLanguage
            | RepeatedAbusiveLanguage
            | PersonalAdvances
            | GiftOffered
            | PersonalInformationRequested => ReasonKind::Conduct,
            OrderCustomerMismatch
            | OrderAlreadyCompensated
            | ClaimWindowExpired
            | NotCompanyFault
            | CustomerAtFault
            | EvidenceRequired
            | EvidenceTooLate
            | VoucherLimitReached
            | VoucherValueLimitReached
            | YoungAccountLimitReached
            | MinorComplaintRecentVoucher
            | RepeatedMinorComplaints => ReasonKind::Refusal,
            ReducedToValueLimit
            | ReducedToPolicyAmount
            | RoundedToStep
            | AboveAgentAuthority
            | AgentBudgetExceeded => ReasonKind::Adjustment,
            ValidComplaint => ReasonKind::Grant,
        }
    }

    /// The wire code, such as `voucher_limit_reached`.
    pub fn as_str(&self) -> &'static str {
        crate::Code::as_str(self)
    }
}

/// The reasons behind a decision, listed in the fixed order of [`Reason`].
pub type Reasons = CodeSet<Reason>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reasons_of_a_kind_are_those_whose_kind_it_is() {
        for kind in [
            ReasonKind::Escalation,
            ReasonKind::Conduct,
            ReasonKind::Refusal,
            ReasonKind::Adjustment,
            ReasonKind::Grant,
        ] {
            let expected: Vec<Reason> = <Reason as crate::Code>::ALL
                .iter()
                .copied()
                .filter(|reason| reason.kind() == kind)
                .collect();
            assert!(!expected.is_empty(), "{kind:?}");
            let reasons: Vec<Reason> = kind.reasons().iter().collect();
            assert_eq!(reasons, expected, "{kind:?}");
        }
    }
}
