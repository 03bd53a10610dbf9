//! The words the agent says: empathy first, an honest reason without blame, a way forward,
//! thanks for loyalty, and an offer of further help, in the customer's language.
//!
//! Data flows one way: the verdict and its request choose the messages (`compose`, the same
//! for every language), and the locale's catalog words them (`catalog`). Catalogs are files
//! (`catalogs/id.toml`, `catalogs/en.toml`, and a company's own), read (`file`) and checked and
//! compiled once (`check`) into templates (`template`); rendering only copies text and values into a `String`.

mod amount;
mod catalog;
mod check;
mod compose;
mod file;
mod message;
mod note;
mod scripts;
mod template;

use serde::{Deserialize, Serialize};

pub use note::AgentNote;
pub(crate) use note::write as note;
pub use scripts::Scripts;

use crate::{AddressForm, Channel, Locale, Policy, Request, Verdict};
pub(crate) use catalog::Catalog;
use catalog::{Speaker, Values};

/// What the agent says to the customer, in one language and one form of address.
///
/// Scripts are customer-facing: they never accuse, never name an internal code or flag, and
/// insert the customer's own text (their name, the order id) verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    locale: Locale,
    // Decisions written before the field existed read as familiar.
    #[serde(default)]
    address: AddressForm,
    text: String,
}

impl Script {
    /// The script's language.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The form of address it speaks in: the request's, or the catalog's default.
    pub fn address(&self) -> AddressForm {
        self.address
    }

    /// The words to say.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Writes the script for the verdict `policy` gave on `request`, from the request's catalog.
pub(crate) fn render(
    verdict: &Verdict,
    request: &Request,
    policy: &Policy,
    catalog: &Catalog,
) -> Script {
    let address = request.address.unwrap_or(catalog.default_address);
    let facts = verdict.facts();
    let values = Values {
        name: request.customer.name.as_deref(),
        honorific: request.customer.honorific,
        order: request.order.id.as_str(),
        category: request.complaint.category.as_str(),
        voucher: verdict.voucher(),
        currency: policy.currency(),
        scale: policy.step().scale(),
        claim_window: facts.claim_window,
        evidence_within: facts.evidence.as_ref().map(|evidence| evidence.within),
        next_eligible: verdict.next_eligible_at(),
        follow_up: verdict
            .escalate_to()
            .map(|target| policy.follow_up().of(target)),
    };
    let tier = verdict
        .tier_position()
        .and_then(|position| policy.tiers().get(position));
    let thank_loyalty = tier.is_some_and(|tier| tier.thank_loyalty);
    let spoken = request.channel() == Channel::Phone;
    let mut speaker = Speaker::new(catalog, address, values, spoken);
    compose::compose(verdict, request, policy, thank_loyalty, &mut speaker);
    Script {
        locale: catalog.locale,
        address,
        text: speaker.finish(),
    }
}
