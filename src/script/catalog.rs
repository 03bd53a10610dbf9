//! One locale's catalog, compiled: every message as a template for each form of address, the
//! words for the forms of address, and how money and dates are written. Also the speaker that
//! renders a catalog's messages into one script.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike, FixedOffset};

use super::amount::{AmountFormat, write_amount};
use super::message::{MessageId, Slot};
use super::template::{Placeholder, Template};
use crate::{AddressForm, Currency, Locale, Voucher};

/// A locale's messages and formats, checked and compiled when the catalog file loaded.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    pub locale: Locale,
    pub default_address: AddressForm,
    /// The words for each form of address, in the order of [`AddressForm::ALL`]; `None` when
    /// the locale does not tell the forms apart.
    pub terms: Option<[Terms; 2]>,
    pub amount: AmountFormat,
    pub date: Template<DatePart>,
    pub months: [Box<str>; 12],
    /// Every message, in the order of [`MessageId::ALL`].
    pub messages: Vec<Message>,
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

    fn terms(&self, form: AddressForm) -> Option<&Terms> {
        self.terms
            .as_ref()
            .and_then(|terms| terms.get(form.index()))
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
    pub order: &'a str,
    pub voucher: Option<&'a Voucher>,
    pub currency: Currency,
    /// The scale of the policy's step: how many decimals an amount is written with.
    pub scale: u32,
}

/// Writes one script from a catalog: messages become sentences, and sentences gather into
/// paragraphs.
pub(crate) struct Speaker<'a> {
    catalog: &'a Catalog,
    form: AddressForm,
    values: Values<'a>,
    out: String,
}

impl<'a> Speaker<'a> {
    pub fn new(catalog: &'a Catalog, form: AddressForm, values: Values<'a>) -> Self {
        Speaker {
            catalog,
            form,
            values,
            // Room for the longest shipped scripts, so the text is allocated once.
            out: String::with_capacity(1024),
        }
    }

    /// Starts a new paragraph, unless nothing is written yet.
    pub fn paragraph(&mut self) {
        if !self.out.is_empty() {
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
    template.render(out, |out, slot| {
        match slot {
            Slot::Name => out.push_str(values.name.unwrap_or_default()),
            Slot::Order => out.push_str(values.order),
            Slot::Title => out.push_str(catalog.terms(form).map(|t| &*t.title).unwrap_or_default()),
            Slot::You => out.push_str(catalog.terms(form).map(|t| &*t.you).unwrap_or_default()),
            Slot::Greeting if !nested => {
                let greeting = match values.name {
                    Some(_) => MessageId::Greeting,
                    None => MessageId::GreetingWithoutName,
                };
                write_message(out, catalog, form, values, greeting, true)?;
            }
            Slot::Greeting => {}
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
        }
        Ok(())
    })
}
