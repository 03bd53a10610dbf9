//! The agent's note: for the console and the supervisor, what decided the request, in words
//! with its numbers and its flags, in a line or two. Internal wording (tier names, flags,
//! windows written `7d`) is allowed here and only here; the customer never sees it.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{
    ClaimStart, Code, Facts, LimitFact, Locale, Outcome, Policy, Reason, Request, Verdict,
};

/// A note for the agent and the supervisor, never shown to the customer: what decided the
/// request, with its numbers (`"Refused: 3 of 3 vouchers in 7d (gold)."`).
///
/// Written in the request's `agent_locale`, or the script's locale; in English for a locale the
/// crate has no wording for (the shipped wording is Indonesian and English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentNote {
    locale: Locale,
    text: String,
}

impl AgentNote {
    /// The note's language.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The note.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The words of a note, in one language.
struct Words {
    locale: Locale,
    granted: &'static str,
    refused: &'static str,
    escalated: &'static str,
    recommended_grant: &'static str,
    recommended_refusal: &'static str,
    eligible_again: &'static str,
    follow_up_by: &'static str,
    flags: &'static str,
    phrase: fn(Reason, &Context<'_>, &mut Text),
}

/// What a phrase may quote.
struct Context<'a> {
    facts: &'a Facts,
    request: &'a Request,
    tier: &'a str,
    currency: &'a str,
}

/// The note as it is written: one string, the numbers written digit by digit rather than
/// through the formatting machinery, which a note of a dozen numbers would spend most of a
/// decision's time in.
struct Text(String);

impl Text {
    fn push(&mut self, text: &str) -> &mut Self {
        self.0.push_str(text);
        self
    }

    fn number(&mut self, number: impl Into<i64>) -> &mut Self {
        let number = number.into();
        if number < 0 {
            self.0.push('-');
        }
        self.digits(number.unsigned_abs())
    }

    /// The decimal digits of a number, in 64-bit arithmetic: a division by ten is then a
    /// multiplication, where 128-bit arithmetic would call a library routine per digit.
    fn digits(&mut self, number: u64) -> &mut Self {
        let mut digits = [0_u8; 20];
        let mut at = digits.len();
        let mut rest = number;
        loop {
            at -= 1;
            if let Some(digit) = digits.get_mut(at) {
                // A digit is below ten.
                *digit = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || at == 0 {
                break;
            }
        }
        for digit in digits.get(at..).unwrap_or_default() {
            self.0.push(char::from(*digit));
        }
        self
    }

    /// An amount as its digits with the currency's code: `33000 IDR`, `12.5 USD`.
    fn money(&mut self, amount: Decimal, currency: &str) -> &mut Self {
        let scale = amount.scale();
        match (
            u64::try_from(amount.mantissa().unsigned_abs()),
            10_u64.checked_pow(scale),
        ) {
            (Ok(mantissa), Some(one)) => {
                if amount.is_sign_negative() {
                    self.0.push('-');
                }
                self.digits(mantissa / one);
                let mut fraction = mantissa % one;
                if fraction > 0 {
                    // Without the zeros that end it: 12.50 is written 12.5.
                    let mut places = scale;
                    while fraction % 10 == 0 {
                        fraction /= 10;
                        places -= 1;
                    }
                    self.0.push('.');
                    let width = places as usize;
                    let mut digits = [b'0'; 28];
                    let mut rest = fraction;
                    for digit in digits.iter_mut().take(width).rev() {
                        *digit = b'0' + (rest % 10) as u8;
                        rest /= 10;
                    }
                    for digit in digits.iter().take(width) {
                        self.0.push(char::from(*digit));
                    }
                }
            }
            // Beyond 64 bits: the decimal's own way of writing itself.
            _ => self.0.push_str(&amount.normalize().to_string()),
        }
        self.push(" ").push(currency)
    }

    /// A length of time as a policy file writes it: `7d`, `36h30m`.
    fn window(&mut self, seconds: i64) -> &mut Self {
        let mut rest = seconds.max(0);
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            let count = rest / size;
            if count > 0 {
                self.number(count).push(unit);
                rest %= size;
            }
        }
        if seconds <= 0 {
            self.push("0s");
        }
        self
    }

    /// A moment as `2026-12-18 12:00 +07:00`.
    fn when(&mut self, at: DateTime<FixedOffset>) -> &mut Self {
        use chrono::{Datelike, Timelike};
        let two = |text: &mut Text, number: u32| {
            if number < 10 {
                text.0.push('0');
            }
            text.digits(u64::from(number));
        };
        self.number(at.year()).push("-");
        two(self, at.month());
        self.push("-");
        two(self, at.day());
        self.push(" ");
        two(self, at.hour());
        self.push(":");
        two(self, at.minute());
        let offset = at.offset().local_minus_utc();
        self.push(if offset < 0 { " -" } else { " +" });
        let minutes = offset.unsigned_abs() / 60;
        two(self, minutes / 60);
        self.push(":");
        two(self, minutes % 60);
        self
    }
}

const ENGLISH: Words = Words {
    locale: Locale::EN,
    granted: "Granted",
    refused: "Refused",
    escalated: "Escalated to",
    recommended_grant: "recommended on the merits: grant",
    recommended_refusal: "recommended on the merits: refuse",
    eligible_again: "Eligible again from",
    follow_up_by: "Follow up by",
    flags: "Flags",
    phrase: english,
};

const INDONESIAN: Words = Words {
    locale: Locale::ID,
    granted: "Disetujui",
    refused: "Ditolak",
    escalated: "Dieskalasi ke",
    recommended_grant: "rekomendasi sesuai kebijakan: beri",
    recommended_refusal: "rekomendasi sesuai kebijakan: tolak",
    eligible_again: "Bisa menerima lagi mulai",
    follow_up_by: "Tindak lanjut paling lambat",
    flags: "Tanda",
    phrase: indonesian,
};

/// The note on `verdict`, in `locale` (English for a locale without wording).
pub(crate) fn write(
    verdict: &Verdict,
    request: &Request,
    policy: &Policy,
    locale: Locale,
) -> AgentNote {
    let words = if locale == Locale::ID {
        &INDONESIAN
    } else {
        &ENGLISH
    };
    let tier = verdict
        .tier_position()
        .and_then(|position| policy.tiers().get(position))
        .map_or(request.customer.loyalty.as_str(), |tier| tier.name.as_str());
    let currency = policy.currency();
    let context = Context {
        facts: verdict.facts(),
        request,
        tier,
        currency: currency.as_str(),
    };
    let mut text = Text(String::with_capacity(192));
    match verdict.outcome() {
        Outcome::Granted => {
            text.push(words.granted);
            if let Some(voucher) = verdict.voucher() {
                text.push(" ").money(voucher.amount(), context.currency);
            }
        }
        Outcome::Refused => {
            text.push(words.refused);
        }
        Outcome::Escalated => {
            text.push(words.escalated)
                .push(" ")
                .push(verdict.escalate_to().map_or("", |target| target.as_str()));
        }
    }
    let mut first = true;
    for reason in verdict.reasons().iter() {
        if reason == Reason::ValidComplaint {
            continue;
        }
        text.push(if first { ": " } else { "; " });
        first = false;
        (words.phrase)(reason, &context, &mut text);
    }
    if let Some(recommendation) = verdict.recommendation() {
        match recommendation.voucher() {
            Some(voucher) => {
                text.push("; ")
                    .push(words.recommended_grant)
                    .push(" ")
                    .money(voucher.amount(), context.currency);
            }
            None => {
                text.push("; ").push(words.recommended_refusal);
            }
        }
    }
    text.push(".");
    for (label, at) in [
        (words.eligible_again, verdict.next_eligible_at()),
        (words.follow_up_by, verdict.follow_up_by()),
    ] {
        if let Some(at) = at {
            text.push(" ").push(label).push(" ").when(at).push(".");
        }
    }
    if !verdict.flags().is_empty() {
        text.push(" ").push(words.flags).push(": ");
        for (index, flag) in verdict.flags().iter().enumerate() {
            if index > 0 {
                text.push(", ");
            }
            text.push(flag.as_str());
        }
        text.push(".");
    }
    AgentNote {
        locale: words.locale,
        text: text.0,
    }
}

/// `{used} of {limit}` and the like, for a further limit that is used up, in either language.
fn further(facts: &Facts, of: &str, vouchers_in: &str, text: &mut Text) {
    for fact in facts.further_limits.iter().filter(|fact| fact.reached()) {
        if let LimitFact::Vouchers {
            window,
            limit,
            used,
        } = fact
        {
            text.push(", ")
                .number(*used)
                .push(" ")
                .push(of)
                .push(" ")
                .number(*limit)
                .push(" ")
                .push(vouchers_in)
                .push(" ")
                .window(window.as_seconds());
        }
    }
}

fn english(reason: Reason, context: &Context<'_>, text: &mut Text) {
    let facts = context.facts;
    let request = context.request;
    let currency = context.currency;
    let warnings = request.conduct.warnings_given;
    match reason {
        Reason::PhysicalThreat => {
            text.push("physical threat");
        }
        Reason::LegalThreat => {
            text.push("legal threat");
        }
        Reason::CriticalComplaint => {
            text.push("critical complaint (")
                .push(&request.complaint.category)
                .push(")");
        }
        Reason::SupervisorRequested => {
            text.push("customer asks for a supervisor");
        }
        Reason::PersistentPersonalAdvances => {
            text.push("personal advances after ")
                .number(warnings)
                .push(" warning(s)");
        }
        Reason::CustomerListed => {
            text.push("customer on list ");
            list(&request.customer.lists, text);
        }
        Reason::AbusiveLanguage => {
            text.push("abusive language, asked to stop");
        }
        Reason::RepeatedAbusiveLanguage => {
            text.push("abusive language after ")
                .number(warnings)
                .push(" warning(s), conversation closed");
        }
        Reason::PersonalAdvances => {
            text.push("personal advances, boundary set");
        }
        Reason::GiftOffered => {
            text.push("gift offered, declined");
        }
        Reason::PersonalInformationRequested => {
            text.push("asked for the agent's details, declined");
        }
        Reason::OrderCustomerMismatch => {
            text.push("order ")
                .push(request.order.id.as_str())
                .push(" is on account ")
                .push(request.order.customer_id.as_str())
                .push(", not ")
                .push(request.customer.id.as_str());
        }
        Reason::OrderAlreadyCompensated => {
            text.push("order ")
                .push(request.order.id.as_str())
                .push(" already compensated");
        }
        Reason::ClaimWindowExpired => {
            text.push("reported ")
                .window(facts.claim_elapsed_seconds)
                .push(match facts.claim_measured_from {
                    ClaimStart::Delivery => " after delivery, claim window ",
                    _ => " after placement, claim window ",
                })
                .window(facts.claim_window.as_seconds());
        }
        Reason::NotCompanyFault => match request.complaint.fault {
            Some(party) => {
                text.push("fault of ")
                    .push(party.as_str())
                    .push(", not compensated");
            }
            None => {
                text.push("assessed not the company's fault");
            }
        },
        Reason::CustomerAtFault => {
            text.push("customer at fault");
        }
        Reason::EvidenceRequired => {
            text.push("no evidence for a ")
                .push(facts.severity.as_str())
                .push(" complaint");
        }
        Reason::EvidenceTooLate => match &facts.evidence {
            Some(evidence) => {
                text.push("evidence ")
                    .window(evidence.elapsed_seconds)
                    .push(" after delivery, deadline ")
                    .window(evidence.within.as_seconds());
            }
            None => {
                text.push("evidence too late");
            }
        },
        Reason::VoucherLimitReached => {
            text.number(facts.vouchers_in_count_window)
                .push(" of ")
                .number(facts.count_limit)
                .push(" vouchers in ")
                .window(facts.count_window.as_seconds())
                .push(" (")
                .push(context.tier)
                .push(")");
            further(facts, "of", "vouchers in", text);
        }
        Reason::VoucherValueLimitReached | Reason::ReducedToValueLimit => {
            text.money(facts.value_used, currency)
                .push(" of ")
                .money(facts.value_limit, currency)
                .push(" used in ")
                .window(facts.value_window.as_seconds())
                .push(", ")
                .money(facts.value_left, currency)
                .push(" left (")
                .push(context.tier)
                .push(")");
        }
        Reason::YoungAccountLimitReached => match &facts.account {
            Some(account) => {
                text.push("account ")
                    .window(account.age_seconds)
                    .push(" old, ")
                    .number(account.vouchers_ever)
                    .push(" of ")
                    .number(account.lifetime_vouchers.unwrap_or_default())
                    .push(" vouchers a young account gets");
            }
            None => {
                text.push("young account's vouchers used");
            }
        },
        Reason::MinorComplaintRecentVoucher => {
            text.push("minor complaint, ")
                .number(facts.vouchers_in_minor_cooldown)
                .push(" voucher(s) in the last ")
                .window(facts.minor_cooldown.as_seconds());
        }
        Reason::RepeatedMinorComplaints => {
            text.number(facts.minor_vouchers_in_pattern_window)
                .push(" minor-complaint vouchers in ")
                .window(facts.pattern_window.as_seconds())
                .push(" (pattern at ")
                .number(facts.pattern_threshold)
                .push(")");
        }
        Reason::ReducedToPolicyAmount => {
            text.push("asked ");
            if let Some(requested) = facts.requested_amount {
                text.money(requested, currency);
            }
            text.push(", the policy gives ")
                .money(facts.policy_amount, currency);
        }
        Reason::RoundedToStep => {
            text.push("asked ");
            if let Some(requested) = facts.requested_amount {
                text.money(requested, currency);
            }
            text.push(", rounded down to ")
                .money(facts.final_amount, currency);
        }
        Reason::AboveAgentAuthority => {
            text.money(facts.final_amount, currency)
                .push(" above the agent's authority ")
                .money(facts.agent_authority, currency);
        }
        Reason::AgentBudgetExceeded => {
            text.money(facts.final_amount, currency)
                .push(" over what is left of the agent's daily budget ");
            if let Some(left) = facts.daily_budget_left {
                text.money(left, currency);
            }
        }
        other => {
            text.push(other.as_str());
        }
    }
}

fn indonesian(reason: Reason, context: &Context<'_>, text: &mut Text) {
    let facts = context.facts;
    let request = context.request;
    let currency = context.currency;
    let warnings = request.conduct.warnings_given;
    match reason {
        Reason::PhysicalThreat => {
            text.push("ancaman fisik");
        }
        Reason::LegalThreat => {
            text.push("ancaman hukum");
        }
        Reason::CriticalComplaint => {
            text.push("keluhan kritis (")
                .push(&request.complaint.category)
                .push(")");
        }
        Reason::SupervisorRequested => {
            text.push("pelanggan minta supervisor");
        }
        Reason::PersistentPersonalAdvances => {
            text.push("rayuan berlanjut setelah ")
                .number(warnings)
                .push(" peringatan");
        }
        Reason::CustomerListed => {
            text.push("pelanggan di daftar ");
            list(&request.customer.lists, text);
        }
        Reason::AbusiveLanguage => {
            text.push("bahasa kasar, sudah diminta berhenti");
        }
        Reason::RepeatedAbusiveLanguage => {
            text.push("bahasa kasar setelah ")
                .number(warnings)
                .push(" peringatan, percakapan ditutup");
        }
        Reason::PersonalAdvances => {
            text.push("rayuan, batas sudah disampaikan");
        }
        Reason::GiftOffered => {
            text.push("menawarkan hadiah, ditolak");
        }
        Reason::PersonalInformationRequested => {
            text.push("minta data pribadi agen, ditolak");
        }
        Reason::OrderCustomerMismatch => {
            text.push("pesanan ")
                .push(request.order.id.as_str())
                .push(" milik akun ")
                .push(request.order.customer_id.as_str())
                .push(", bukan ")
                .push(request.customer.id.as_str());
        }
        Reason::OrderAlreadyCompensated => {
            text.push("pesanan ")
                .push(request.order.id.as_str())
                .push(" sudah pernah dikompensasi");
        }
        Reason::ClaimWindowExpired => {
            text.push("dilaporkan ")
                .window(facts.claim_elapsed_seconds)
                .push(match facts.claim_measured_from {
                    ClaimStart::Delivery => " setelah diterima, batas klaim ",
                    _ => " setelah dipesan, batas klaim ",
                })
                .window(facts.claim_window.as_seconds());
        }
        Reason::NotCompanyFault => match request.complaint.fault {
            Some(party) => {
                text.push("kesalahan ")
                    .push(party.as_str())
                    .push(", tidak dikompensasi");
            }
            None => {
                text.push("dinilai bukan kesalahan perusahaan");
            }
        },
        Reason::CustomerAtFault => {
            text.push("kesalahan pelanggan");
        }
        Reason::EvidenceRequired => {
            text.push("tanpa bukti untuk keluhan ")
                .push(facts.severity.as_str());
        }
        Reason::EvidenceTooLate => match &facts.evidence {
            Some(evidence) => {
                text.push("bukti ")
                    .window(evidence.elapsed_seconds)
                    .push(" setelah diterima, batas ")
                    .window(evidence.within.as_seconds());
            }
            None => {
                text.push("bukti terlambat");
            }
        },
        Reason::VoucherLimitReached => {
            text.number(facts.vouchers_in_count_window)
                .push(" dari ")
                .number(facts.count_limit)
                .push(" voucher dalam ")
                .window(facts.count_window.as_seconds())
                .push(" (")
                .push(context.tier)
                .push(")");
            further(facts, "dari", "voucher dalam", text);
        }
        Reason::VoucherValueLimitReached | Reason::ReducedToValueLimit => {
            text.push("terpakai ")
                .money(facts.value_used, currency)
                .push(" dari ")
                .money(facts.value_limit, currency)
                .push(" dalam ")
                .window(facts.value_window.as_seconds())
                .push(", sisa ")
                .money(facts.value_left, currency)
                .push(" (")
                .push(context.tier)
                .push(")");
        }
        Reason::YoungAccountLimitReached => match &facts.account {
            Some(account) => {
                text.push("akun baru berumur ")
                    .window(account.age_seconds)
                    .push(", ")
                    .number(account.vouchers_ever)
                    .push(" dari ")
                    .number(account.lifetime_vouchers.unwrap_or_default())
                    .push(" voucher untuk akun baru");
            }
            None => {
                text.push("jatah voucher akun baru habis");
            }
        },
        Reason::MinorComplaintRecentVoucher => {
            text.push("keluhan ringan, ")
                .number(facts.vouchers_in_minor_cooldown)
                .push(" voucher dalam ")
                .window(facts.minor_cooldown.as_seconds())
                .push(" terakhir");
        }
        Reason::RepeatedMinorComplaints => {
            text.number(facts.minor_vouchers_in_pattern_window)
                .push(" voucher keluhan ringan dalam ")
                .window(facts.pattern_window.as_seconds())
                .push(" (pola mulai ")
                .number(facts.pattern_threshold)
                .push(")");
        }
        Reason::ReducedToPolicyAmount => {
            text.push("minta ");
            if let Some(requested) = facts.requested_amount {
                text.money(requested, currency);
            }
            text.push(", kebijakan memberi ")
                .money(facts.policy_amount, currency);
        }
        Reason::RoundedToStep => {
            text.push("minta ");
            if let Some(requested) = facts.requested_amount {
                text.money(requested, currency);
            }
            text.push(", dibulatkan ke bawah menjadi ")
                .money(facts.final_amount, currency);
        }
        Reason::AboveAgentAuthority => {
            text.money(facts.final_amount, currency)
                .push(" di atas wewenang agen ")
                .money(facts.agent_authority, currency);
        }
        Reason::AgentBudgetExceeded => {
            text.money(facts.final_amount, currency)
                .push(" melebihi sisa anggaran harian agen ");
            if let Some(left) = facts.daily_budget_left {
                text.money(left, currency);
            }
        }
        other => {
            text.push(other.as_str());
        }
    }
}

/// The customer's lists, as the request names them.
fn list(lists: &[String], text: &mut Text) {
    for (index, name) in lists.iter().enumerate() {
        if index > 0 {
            text.push(", ");
        }
        text.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_amounts_lengths_and_moments_are_written_as_a_person_reads_them() {
        let written = |write: &dyn Fn(&mut Text)| {
            let mut text = Text(String::new());
            write(&mut text);
            text.0
        };
        for (amount, expected) in [
            ("33000", "33000 IDR"),
            ("12.50", "12.5 IDR"),
            ("12.05", "12.05 IDR"),
            ("0.0001", "0.0001 IDR"),
            ("1000000000000000", "1000000000000000 IDR"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335 IDR",
            ),
        ] {
            let amount: Decimal = amount.parse().unwrap();
            assert_eq!(
                written(&|text| {
                    text.money(amount, "IDR");
                }),
                expected
            );
        }
        assert_eq!(
            written(&|text| {
                text.number(-42_i64).push(" ").number(0_i64);
            }),
            "-42 0"
        );
        assert_eq!(
            written(&|text| {
                text.window(36 * 3_600 + 30 * 60);
            }),
            "1d12h30m"
        );
        let at = DateTime::parse_from_rfc3339("2026-03-04T05:06:00-09:30").unwrap();
        assert_eq!(
            written(&|text| {
                text.when(at);
            }),
            "2026-03-04 05:06 -09:30"
        );
    }
}
