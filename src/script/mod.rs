//! The words the agent says: empathy first, an honest reason without blame, a way forward,
//! thanks for loyalty, and an offer of further help, in Indonesian or English.

mod en;
mod id;

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{AmountStyle, write_amount};
use crate::situation::Situation;
use crate::{Locale, Verdict};

/// What the agent says to the customer, in one language.
///
/// Scripts are customer-facing: they never accuse, never name an internal code or flag, and
/// insert the customer's own text (their name, the order id) verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    locale: Locale,
    text: String,
}

impl Script {
    /// The script's language.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The words to say.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Writes the script for a verdict in the request's language.
pub(crate) fn render(verdict: &Verdict, situation: &Situation<'_>) -> Script {
    let locale = situation.request.locale;
    let mut text = String::with_capacity(640);
    let words = Words {
        verdict,
        situation,
    };
    // Writing into a String cannot fail.
    let _ = match locale {
        Locale::Id => id::write(&mut text, &words),
        Locale::En => en::write(&mut text, &words),
    };
    Script { locale, text }
}

/// What a locale's writer may read: the verdict and the situation it came from.
pub(crate) struct Words<'a> {
    pub verdict: &'a Verdict,
    pub situation: &'a Situation<'a>,
}

impl Words<'_> {
    /// Writes an amount in the policy's currency the way this style reads it.
    pub fn amount(&self, out: &mut String, amount: Decimal, style: AmountStyle) -> std::fmt::Result {
        let policy = self.situation.policy;
        write_amount(out, amount, policy.currency(), policy.step().scale(), style)
    }
}

#[allow(dead_code)]
fn _assert_write_is_used(out: &mut String) -> std::fmt::Result {
    write!(out, "")
}
