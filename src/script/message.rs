//! Every message a script can be made of, as a catalog file names it (`refusal.intro`), and the
//! placeholders each one may use.
//!
//! Messages are resolved to a [`MessageId`] when a catalog loads; rendering indexes an array
//! with it and never looks a key up by its text.

use super::template::Placeholder;
use crate::{Alternative, Reason};

/// A value a message can insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The customer's name, verbatim (only in the greeting).
    Name,
    /// The order id, verbatim.
    Order,
    /// The form of address before a name: `Kak`, `Pak`, or nothing.
    Title,
    /// The form of address in the body of a sentence, for "you": `Kakak`, `Anda`, `Ibu`.
    You,
    /// How the customer is greeted: the title and the name (`Kak Budi`, `Budi Santoso`).
    Called,
    /// The greeting (`empathy.greeting`).
    Greeting,
    /// What went wrong: the complaint category's label.
    Issue,
    /// The voucher's amount, in the locale's money format.
    Amount,
    /// The voucher's last day, in the locale's date format.
    ValidUntil,
    /// How long after delivery (or placement) a complaint is compensated.
    ClaimWindow,
    /// How long after delivery evidence counts.
    EvidenceWithin,
    /// The day from which the customer may get a voucher again.
    NextEligible,
    /// How soon an escalated case is followed up.
    FollowUp,
}

impl Placeholder for Slot {
    const NAMES: &'static [(Self, &'static str)] = &[
        (Slot::Name, "name"),
        (Slot::Order, "order"),
        (Slot::Title, "title"),
        (Slot::You, "you"),
        (Slot::Called, "called"),
        (Slot::Greeting, "greeting"),
        (Slot::Issue, "issue"),
        (Slot::Amount, "amount"),
        (Slot::ValidUntil, "valid_until"),
        (Slot::ClaimWindow, "claim_window"),
        (Slot::EvidenceWithin, "evidence_within"),
        (Slot::NextEligible, "next_eligible"),
        (Slot::FollowUp, "follow_up"),
    ];
}

/// A set of [`Slot`]s, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slots(u16);

impl Slots {
    const fn of(slots: &[Slot]) -> Slots {
        match slots {
            [] => Slots(0),
            [first, rest @ ..] => Slots(1 << *first as u16 | Slots::of(rest).0),
        }
    }

    /// Whether the set holds the slot.
    pub fn contains(self, slot: Slot) -> bool {
        self.0 & (1 << slot as u16) != 0
    }
}

/// Every message may name the order and address the customer.
const PLAIN: Slots = Slots::of(&[Slot::Order, Slot::Title, Slot::You]);
const GREETING: Slots = Slots::of(&[
    Slot::Order,
    Slot::Title,
    Slot::You,
    Slot::Name,
    Slot::Called,
]);
const EMPATHY: Slots = Slots::of(&[
    Slot::Order,
    Slot::Title,
    Slot::You,
    Slot::Greeting,
    Slot::Issue,
]);
const GRANT: Slots = Slots::of(&[
    Slot::Order,
    Slot::Title,
    Slot::You,
    Slot::Amount,
    Slot::ValidUntil,
]);
const CLAIM: Slots = Slots::of(&[Slot::Order, Slot::Title, Slot::You, Slot::ClaimWindow]);
const EVIDENCE: Slots = Slots::of(&[Slot::Order, Slot::Title, Slot::You, Slot::EvidenceWithin]);
const ELIGIBLE: Slots = Slots::of(&[Slot::Order, Slot::Title, Slot::You, Slot::NextEligible]);
const WAIT: Slots = Slots::of(&[Slot::Order, Slot::Title, Slot::You, Slot::FollowUp]);

/// The part of the script a message belongs to, which is also its section in a catalog file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Empathy,
    Conduct,
    Grant,
    Refusal,
    WayForward,
    Handoff,
    Closing,
    Channel,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Empathy,
        Section::Conduct,
        Section::Grant,
        Section::Refusal,
        Section::WayForward,
        Section::Handoff,
        Section::Closing,
        Section::Channel,
    ];

    /// The table name in a catalog file.
    pub fn name(self) -> &'static str {
        match self {
            Section::Empathy => "empathy",
            Section::Conduct => "conduct",
            Section::Grant => "grant",
            Section::Refusal => "refusal",
            Section::WayForward => "way_forward",
            Section::Handoff => "handoff",
            Section::Closing => "closing",
            Section::Channel => "channel",
        }
    }
}

/// Declares the messages once: the id, its section and key in a catalog file, and the
/// placeholders it may use.
macro_rules! messages {
    ($($id:ident => $section:ident . $key:literal, $slots:expr;)+) => {
        /// A message of the catalog.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum MessageId {
            $($id),+
        }

        impl MessageId {
            /// Every message, in catalog file order.
            pub const ALL: &'static [MessageId] = &[$(MessageId::$id),+];

            /// How many messages a complete catalog has.
            pub const COUNT: usize = MessageId::ALL.len();

            /// The section of the catalog file the message is in.
            pub fn section(self) -> Section {
                match self {
                    $(MessageId::$id => Section::$section),+
                }
            }

            /// The key inside its section.
            pub fn key(self) -> &'static str {
                match self {
                    $(MessageId::$id => $key),+
                }
            }

            /// The placeholders it may use, before the catalog's own limits (a catalog without
            /// forms of address has no `{title}` nor `{you}`).
            pub fn slots(self) -> Slots {
                match self {
                    $(MessageId::$id => $slots),+
                }
            }
        }
    };
}

messages! {
    Greeting => Empathy."greeting", GREETING;
    EmpathyCalm => Empathy."calm", EMPATHY;
    EmpathyHeated => Empathy."heated", EMPATHY;
    EmpathyThreat => Empathy."threat", EMPATHY;
    EmpathyWellbeing => Empathy."wellbeing", EMPATHY;
    AbusiveLanguage => Conduct."abusive_language", PLAIN;
    PersonalAdvances => Conduct."personal_advances", PLAIN;
    GiftOffered => Conduct."gift_offered", PLAIN;
    PersonalInformationRequested => Conduct."personal_information_requested", PLAIN;
    GrantVoucher => Grant."voucher", GRANT;
    ReducedToValueLimit => Grant."reduced_to_value_limit", GRANT;
    ReducedToPolicyAmount => Grant."reduced_to_policy_amount", GRANT;
    RoundedToStep => Grant."rounded_to_step", GRANT;
    RefusalFinal => Refusal."final", PLAIN;
    RefusalForNow => Refusal."for_now", PLAIN;
    OrderCustomerMismatch => Refusal."order_customer_mismatch", PLAIN;
    OrderAlreadyCompensated => Refusal."order_already_compensated", PLAIN;
    ClaimWindowExpired => Refusal."claim_window_expired", CLAIM;
    ClaimWindowExpiredPlaced => Refusal."claim_window_expired_placed", CLAIM;
    NotCompanyFault => Refusal."not_company_fault", PLAIN;
    CustomerAtFault => Refusal."customer_at_fault", PLAIN;
    EvidenceRequired => Refusal."evidence_required", PLAIN;
    EvidenceTooLate => Refusal."evidence_too_late", EVIDENCE;
    VoucherLimitReached => Refusal."voucher_limit_reached", PLAIN;
    VoucherValueLimitReached => Refusal."voucher_value_limit_reached", PLAIN;
    YoungAccountLimitReached => Refusal."young_account_limit_reached", PLAIN;
    MinorComplaintRecentVoucher => Refusal."minor_complaint_recent_voucher", PLAIN;
    RepeatedMinorComplaints => Refusal."repeated_minor_complaints", PLAIN;
    EligibleAgain => Refusal."eligible_again", ELIGIBLE;
    WayForwardIntro => WayForward."intro", PLAIN;
    SendPhoto => WayForward."send_photo", PLAIN;
    AccountCheck => WayForward."account_check", PLAIN;
    Replacement => WayForward."replacement", PLAIN;
    FeedbackForwarded => WayForward."feedback_forwarded", PLAIN;
    PrioritySupport => WayForward."priority_support", PLAIN;
    HandoffSafety => Handoff."safety", PLAIN;
    HandoffLegal => Handoff."legal", PLAIN;
    HandoffSerious => Handoff."serious", PLAIN;
    HandoffKeepEvidence => Handoff."keep_evidence", PLAIN;
    HandoffRequested => Handoff."requested", PLAIN;
    HandoffApproval => Handoff."approval", PLAIN;
    HandoffListed => Handoff."personal_review", PLAIN;
    HandoffPersistentAdvances => Handoff."persistent_advances", PLAIN;
    HandoffWait => Handoff."wait", WAIT;
    LoyaltyThanks => Closing."loyalty_thanks", PLAIN;
    FurtherHelp => Closing."further_help", PLAIN;
    ConversationClosed => Closing."conversation_closed", PLAIN;
    EmailSignOff => Channel."email_sign_off", PLAIN;
    PublicReply => Channel."public_reply", PLAIN;
}

impl MessageId {
    /// The message a section's key names, if any.
    pub fn find(section: Section, key: &str) -> Option<MessageId> {
        MessageId::ALL
            .iter()
            .copied()
            .find(|id| id.section() == section && id.key() == key)
    }

    /// The position of the message in a catalog's array of messages.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The honest explanation of a refusal reason; `None` for a reason that does not refuse.
    pub fn refusal(reason: Reason) -> Option<MessageId> {
        Some(match reason {
            Reason::OrderCustomerMismatch => MessageId::OrderCustomerMismatch,
            Reason::OrderAlreadyCompensated => MessageId::OrderAlreadyCompensated,
            Reason::ClaimWindowExpired => MessageId::ClaimWindowExpired,
            Reason::NotCompanyFault => MessageId::NotCompanyFault,
            Reason::CustomerAtFault => MessageId::CustomerAtFault,
            Reason::EvidenceRequired => MessageId::EvidenceRequired,
            Reason::EvidenceTooLate => MessageId::EvidenceTooLate,
            Reason::VoucherLimitReached => MessageId::VoucherLimitReached,
            Reason::VoucherValueLimitReached => MessageId::VoucherValueLimitReached,
            Reason::YoungAccountLimitReached => MessageId::YoungAccountLimitReached,
            Reason::MinorComplaintRecentVoucher => MessageId::MinorComplaintRecentVoucher,
            Reason::RepeatedMinorComplaints => MessageId::RepeatedMinorComplaints,
            _ => return None,
        })
    }

    /// The offer of a way forward.
    pub fn way_forward(way: Alternative) -> MessageId {
        match way {
            Alternative::SendPhoto => MessageId::SendPhoto,
            Alternative::AccountCheck => MessageId::AccountCheck,
            Alternative::Replacement => MessageId::Replacement,
            Alternative::FeedbackForwarded => MessageId::FeedbackForwarded,
            Alternative::PrioritySupport => MessageId::PrioritySupport,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use crate::reason::ReasonKind;

    #[test]
    fn every_refusal_reason_and_every_way_forward_has_its_message_under_its_own_code() {
        for reason in Reason::ALL {
            let message = MessageId::refusal(*reason);
            assert_eq!(
                message.is_some(),
                reason.kind() == ReasonKind::Refusal,
                "{reason}"
            );
            if let Some(message) = message {
                assert_eq!(message.section(), Section::Refusal);
                assert_eq!(message.key(), reason.as_str());
            }
        }
        for way in Alternative::ALL {
            let message = MessageId::way_forward(*way);
            assert_eq!(message.section(), Section::WayForward);
            assert_eq!(message.key(), way.as_str());
        }
    }

    #[test]
    fn keys_are_unique_and_indices_follow_the_list() {
        for (index, id) in MessageId::ALL.iter().enumerate() {
            assert_eq!(id.index(), index);
            assert_eq!(MessageId::find(id.section(), id.key()), Some(*id));
        }
    }

    #[test]
    fn only_the_greeting_names_the_customer_and_only_empathy_nests_it() {
        for id in MessageId::ALL {
            for slot in [Slot::Name, Slot::Called] {
                assert_eq!(
                    id.slots().contains(slot),
                    *id == MessageId::Greeting,
                    "{id:?}"
                );
            }
            let empathy = matches!(
                id,
                MessageId::EmpathyCalm
                    | MessageId::EmpathyHeated
                    | MessageId::EmpathyThreat
                    | MessageId::EmpathyWellbeing
            );
            assert_eq!(id.slots().contains(Slot::Greeting), empathy, "{id:?}");
            assert_eq!(id.slots().contains(Slot::Issue), empathy, "{id:?}");
        }
    }
}
