//! English scripts: plain, warm chat English.

use std::fmt::{Result, Write as _};

use super::{Handoff, Words, paragraph, sentence};
use crate::money::AmountStyle;
use crate::{Alternative, Outcome, Reason, Voucher};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(super) fn write(out: &mut String, words: &Words<'_>) -> Result {
    empathy(out, words)?;
    conduct(out, words);
    match words.verdict.outcome() {
        Outcome::Granted => grant(out, words)?,
        Outcome::Refused => {
            refusal(out, words);
            way_forward(out, words);
        }
        Outcome::Escalated => handoff(out, words),
    }
    closing(out, words);
    Ok(())
}

/// The greeting and the acknowledgement, before anything else.
fn empathy(out: &mut String, words: &Words<'_>) -> Result {
    paragraph(out);
    match words.name() {
        Some(name) => {
            out.push_str("Hi ");
            out.push_str(name);
        }
        None => out.push_str("Hi there"),
    }
    let order = words.order_id();
    if words.heated() {
        write!(
            out,
            ", I can tell how frustrating order {order} has been for you, and I understand why. \
             I'm sorry for the experience."
        )
    } else {
        write!(
            out,
            ", thank you for getting in touch about order {order}, and I'm sorry for the trouble \
             it has caused."
        )
    }
}

/// The lines about how the conversation goes, whatever the outcome.
fn conduct(out: &mut String, words: &Words<'_>) {
    let abusive = words.has(Reason::AbusiveLanguage);
    let advances = words.has(Reason::PersonalAdvances);
    if !abusive && !advances {
        return;
    }
    paragraph(out);
    if abusive {
        sentence(out);
        out.push_str(
            "I want to get this sorted out for you, and to do that well I need us to keep the \
             conversation respectful.",
        );
    }
    if advances {
        sentence(out);
        out.push_str(
            "I appreciate the kind words, but I keep our conversations to your order and our \
             service.",
        );
    }
}

/// The voucher, its value and how long it can be used.
fn grant(out: &mut String, words: &Words<'_>) -> Result {
    paragraph(out);
    let Some(voucher) = words.verdict.voucher() else {
        out.push_str("We have your complaint and will follow up on it.");
        return Ok(());
    };
    voucher_line(out, words, voucher)?;
    if words.has(Reason::ReducedToValueLimit) {
        sentence(out);
        out.push_str(
            "The amount matches the compensation still available on your account for this \
             period.",
        );
    } else if words.has(Reason::ReducedToPolicyAmount) {
        sentence(out);
        out.push_str(
            "I'm sorry it isn't the amount you asked for; this is what our compensation policy \
             provides for this kind of issue.",
        );
    }
    Ok(())
}

fn voucher_line(out: &mut String, words: &Words<'_>, voucher: &Voucher) -> Result {
    out.push_str("I've checked your order, and as an apology we're giving you a voucher worth ");
    words.amount(out, voucher.amount(), AmountStyle::English)?;
    out.push_str(", which you can use until ");
    words.date(out, voucher.valid_until(), &MONTHS)?;
    out.push('.');
    Ok(())
}

/// The refusal, with the one or two reasons that matter most.
fn refusal(out: &mut String, words: &Words<'_>) {
    paragraph(out);
    out.push_str(
        "I've looked into it, and I'm sorry, but I can't offer a voucher for this order right now.",
    );
    for reason in words.refusals_to_explain() {
        sentence(out);
        reason_line(out, reason);
    }
}

/// An honest, blame-free explanation of one refusal reason.
fn reason_line(out: &mut String, reason: Reason) {
    let line = match reason {
        Reason::OrderCustomerMismatch => {
            "The order isn't registered on the account you're contacting us from."
        }
        Reason::OrderAlreadyCompensated => {
            "This order has already received compensation, and each order can be compensated \
             once."
        }
        Reason::ClaimWindowExpired => {
            "The report reached us after the period in which we can offer compensation had \
             ended."
        }
        Reason::NotCompanyFault => {
            "From what we found, the problem didn't come from our service, so it falls outside \
             what our compensation covers."
        }
        Reason::EvidenceRequired => {
            "For an issue like this, our team needs to see a photo of the order before it can be \
             processed."
        }
        Reason::VoucherLimitReached => {
            "Your account has reached its voucher limit for this period."
        }
        Reason::VoucherValueLimitReached => {
            "The compensation available to your account for this period has already been used."
        }
        Reason::MinorComplaintRecentVoucher => {
            "For smaller issues like this one, we can't add another voucher so soon after the \
             last compensation we gave you."
        }
        Reason::RepeatedMinorComplaints => {
            "I'm sorry small issues like this have happened to you more than once. Vouchers for \
             minor issues are limited within a set period."
        }
        _ => "",
    };
    out.push_str(line);
}

/// What we can do instead, so a refusal is never a bare "no".
fn way_forward(out: &mut String, words: &Words<'_>) {
    let mut ways = words.ways_forward().peekable();
    if ways.peek().is_none() {
        return;
    }
    paragraph(out);
    out.push_str("That said, I'd still like to help.");
    for way in ways {
        sentence(out);
        out.push_str(match way {
            Alternative::SendPhoto => {
                "Please send a photo of the order here in the chat, and our team will pick it up \
                 straight away."
            }
            Alternative::AccountCheck => {
                "Could you check which account the order was placed from? If it was another one, \
                 you can raise it from that account and we'll gladly help."
            }
            Alternative::Replacement => {
                "If you'd rather have the item replaced, we can arrange that for you."
            }
            Alternative::FeedbackForwarded => {
                "I'll pass your feedback on to the team concerned so this doesn't happen again."
            }
            Alternative::PrioritySupport => {
                "We'll give this order priority handling, and the same goes for the next time \
                 you contact us."
            }
        });
    }
}

/// The calm hand-off of an escalated case; the recommendation is never promised.
fn handoff(out: &mut String, words: &Words<'_>) {
    paragraph(out);
    out.push_str(match words.handoff() {
        Some(Handoff::Safety) => {
            "We take what you've told us seriously. I've passed your case to the team responsible \
             for safety, and they will follow up."
        }
        Some(Handoff::Legal) => {
            "I've passed your case to the relevant team, and they will follow up with you."
        }
        Some(Handoff::Serious) => {
            "Because this is a serious matter, I've passed your case to a supervisor so it's \
             handled directly and as quickly as possible."
        }
        Some(Handoff::Requested) => {
            "As you asked, I've passed your case to a supervisor, who will follow up with you \
             personally."
        }
        Some(Handoff::Approval) | None => {
            "Resolving this case needs a supervisor's approval, so I've passed it on and they \
             will follow up with you shortly."
        }
    });
    sentence(out);
    out.push_str("I appreciate your patience in the meantime.");
}

/// Thanks for loyalty (for tiers that are thanked) and the offer of further help.
fn closing(out: &mut String, words: &Words<'_>) {
    paragraph(out);
    if words.thank_loyalty() {
        out.push_str("Thank you for being a loyal customer; it means a lot to us.");
    }
    sentence(out);
    out.push_str("Is there anything else I can help you with?");
}
