//! One locale's catalog, compiled: every message as a template for each form of address, the
//! words for the forms of address, and how money and dates are written. Also the speaker that
//! renders a catalog's messages into one script.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike, FixedOffset};

use super::amount::{AmountFormat, write_amount};
use super::message::{MessageId, Slot};
use super::template::{Placeholder, Template};
use crate::{AddressForm, Currency, Honorific, Locale, Voucher};

/// A locale's messages and formats, checked and compiled when the catalog file loaded.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    pub locale: Locale,
    pub default_address: AddressForm,
    /// The words for each form of address, in the order of [`AddressForm::ALL`]; `None` when
    /// the locale does not tell the forms apart.
    pub terms: Option<[Terms; 2]>,
    /// The words of the formal form for a customer whose honorific the request gives, in the
    /// order `bapak`, `ibu`; `None` when the locale has none (the formal form's words then).
    pub honorifics: Option<[Terms; 2]>,
    pub amount: AmountFormat,
    pub date: Template<DatePart>,
    pub months: [Box<str>; 12],
    /// Lengths of time, in the order of [`Duration::ALL`].
    pub durations: [Template<Count>; 6],
    /// What went wrong, by complaint category; `other` for a category without a label.
    pub issues: Vec<(Box<str>, Box<str>)>,
    /// Every message, in the order of [`MessageId::ALL`].
    pub messages: Vec<Message>,
}

/// A unit a length of time is written in, one and several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Duration {
    Day,
    Days,
    Hour,
    Hours,
    Minute,
    Minutes,
}

impl Duration {
    /// How a window is written: in whole days when it is whole days, else whole hours, else
    /// minutes (rounded up), with the count.
    fn of(window: crate::Window) -> (Duration, i64) {
        let seconds = window.as_seconds();
        let (one, several, count) = match seconds {
            _ if seconds % 86_400 == 0 => (Duration::Day, Duration::Days, seconds / 86_400),
            _ if seconds % 3_600 == 0 => (Duration::Hour, Duration::Hours, seconds / 3_600),
            _ => (Duration::Minute, Duration::Minutes, (seconds + 59) / 60),
        };
        (if count == 1 { one } else { several }, count)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The number in a length of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Count;

impl Placeholder for Count {
    const NAMES: &'static [(Self, &'static str)] = &[(Count, "count")];
}

/// How one form of address calls the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Terms {
    /// Before a name or on its own: `Kak`, `Bapak/Ibu`.
    pub title: Box<str>,
    /// In the body of a sentence, for "you": `Kakak`, `Bapak/Ibu`.
    pub you: Box<str>,
}

/// A message, compiled for each form of address (the same template twice when the wording
/// does not change with the form).
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub forms: [Template<Slot>; 2],
}

/// A part of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DatePart {
    Day,
    Month,
    Year,
}

impl Placeholder for DatePart {
    const NAMES: &'static [(Self, &'static str)] = &[
        (DatePart::Day, "day"),
        (DatePart::Month, "month"),
        (DatePart::Year, "year"),
    ];
}

impl Catalog {
    fn message(&self, id: MessageId, form: AddressForm) -> Option<&Template<Slot>> {
        self.messages
            .get(id.index())
            .and_then(|message| message.forms.get(form.index()))
    }

    /// The words of a form of address, for a customer of `honorific`.
    fn terms(&self, form: AddressForm, honorific: Option<Honorific>) -> Option<&Terms> {
        let honorific = match (form, honorific, &self.honorifics) {
            (AddressForm::Formal, Some(Honorific::Bapak), Some([bapak, _])) => Some(bapak),
            (AddressForm::Formal, Some(Honorific::Ibu), Some([_, ibu])) => Some(ibu),
            _ => None,
        };
        honorific.or_else(|| {
            self.terms
                .as_ref()
                .and_then(|terms| terms.get(form.index()))
        })
    }

    /// The label of a complaint category, or the catalog's `other`.
    fn issue(&self, category: &str) -> &str {
        let label = |name: &str| {
            self.issues
                .iter()
                .find(|(known, _)| &**known == name)
                .map(|(_, label)| &**label)
        };
        label(category)
            .or_else(|| label("other"))
            .unwrap_or_default()
    }

    /// Writes a length of time.
    fn write_duration(&self, out: &mut String, window: crate::Window) -> fmt::Result {
        let (unit, count) = Duration::of(window);
        match self.durations.get(unit.index()) {
            Some(template) => template.render(out, |out, Count| write!(out, "{count}")),
            None => Ok(()),
        }
    }

    /// Writes a date with the catalog's date template and month names.
    fn write_date(&self, out: &mut String, at: DateTime<FixedOffset>) -> fmt::Result {
        self.date.render(out, |out, part| match part {
            DatePart::Day => write!(out, "{}", at.day()),
            DatePart::Month => {
                let month = self.months.get(at.month0() as usize);
                out.push_str(month.map(|name| &**name).unwrap_or_default());
                Ok(())
            }
            DatePart::Year => write!(out, "{}", at.year()),
        })
    }
}

/// What one decision's messages insert.
pub(crate) struct Values<'a> {
    /// The customer's name as they gave it; `None` when it is blank.
    pub name: Option<&'a str>,
    pub honorific: Option<Honorific>,
    pub order: &'a str,
    /// The complaint's category, whose label is the issue.
    pub category: &'a str,
    pub voucher: Option<&'a Voucher>,
    pub currency: Currency,
    /// The scale of the policy's step: how many decimals an amount is written with.
    pub scale: u32,
    pub claim_window: crate::Window,
    pub evidence_within: Option<crate::Window>,
    pub next_eligible: Option<DateTime<FixedOffset>>,
    pub follow_up: Option<crate::Window>,
}

/// Writes one script from a catalog: messages become sentences, and sentences gather into
/// paragraphs.
pub(crate) struct Speaker<'a> {
    catalog: &'a Catalog,
    form: AddressForm,
    values: Values<'a>,
    out: String,
    /// Spoken on the phone: paragraphs are one run of sentences.
    spoken: bool,
}

impl<'a> Speaker<'a> {
    pub fn new(catalog: &'a Catalog, form: AddressForm, values: Values<'a>, spoken: bool) -> Self {
        Speaker {
            catalog,
            form,
            values,
            // Room for the longest shipped scripts, so the text is allocated once.
            out: String::with_capacity(1024),
            spoken,
        }
    }

    /// Starts a new paragraph, unless nothing is written yet (on the phone, a paragraph is
    /// just the next sentence).
    pub fn paragraph(&mut self) {
        if !self.out.is_empty() && !self.spoken {
            self.out.push_str("\n\n");
        }
    }

    /// Says a message as the next sentence of the current paragraph.
    pub fn say(&mut self, id: MessageId) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push(' ');
        }
        // Writing into a String cannot fail.
        let _ = write_message(
            &mut self.out,
            self.catalog,
            self.form,
            &self.values,
            id,
            false,
        );
    }

    /// The script's text.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Writes one message; `nested` is set inside the greeting, which never nests again.
fn write_message(
    out: &mut String,
    catalog: &Catalog,
    form: AddressForm,
    values: &Values<'_>,
    id: MessageId,
    nested: bool,
) -> fmt::Result {
    let Some(template) = catalog.message(id, form) else {
        return Ok(());
    };
    let terms = catalog.terms(form, values.honorific);
    let title = terms.map(|terms| &*terms.title).unwrap_or_default();
    template.render(out, |out, slot| {
        let before = out.len();
        match slot {
            Slot::Name => out.push_str(values.name.unwrap_or_default()),
            Slot::Order => out.push_str(values.order),
            Slot::Title => out.push_str(title),
            Slot::You => out.push_str(terms.map(|terms| &*terms.you).unwrap_or_default()),
            Slot::Called => {
                out.push_str(title);
                if let Some(name) = values.name {
                    if !title.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(name);
                }
            }
            Slot::Greeting if !nested => {
                write_message(out, catalog, form, values, MessageId::Greeting, true)?;
            }
            Slot::Greeting => {}
            Slot::Issue => out.push_str(catalog.issue(values.category)),
            Slot::Amount => {
                if let Some(voucher) = values.voucher {
                    write_amount(
                        out,
                        voucher.amount(),
                        values.currency,
                        values.scale,
                        &catalog.amount,
                    )?;
                }
            }
            Slot::ValidUntil => {
                if let Some(voucher) = values.voucher {
                    catalog.write_date(out, voucher.valid_until())?;
                }
            }
            Slot::NextEligible => {
                if let Some(at) = values.next_eligible {
                    catalog.write_date(out, at)?;
                }
            }
            Slot::ClaimWindow => catalog.write_duration(out, values.claim_window)?,
            Slot::EvidenceWithin => {
                if let Some(within) = values.evidence_within {
                    catalog.write_duration(out, within)?;
                }
            }
            Slot::FollowUp => {
                if let Some(within) = values.follow_up {
                    catalog.write_duration(out, within)?;
                }
            }
        }
        // A value that is empty (no title for the formal form) takes its space with it.
        if out.len() == before && out.ends_with(' ') {
            out.pop();
        }
        Ok(())
    })
}
