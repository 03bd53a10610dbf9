//! How the script addresses the customer: the familiar or the formal register.

use serde::{Deserialize, Serialize};

/// The form of address a script uses for the customer.
///
/// Indonesian chat support speaks in one of two registers: the familiar `Kak` ("Halo Kak Budi",
/// "yang Kakak alami") or the formal `Bapak/Ibu` ("Halo Bapak/Ibu Budi", "yang Bapak/Ibu
/// alami"). A script keeps to one register from the greeting to the closing. A request may ask
/// for one ([`Request::address`](crate::Request::address)); otherwise the locale's catalog
/// decides (familiar in the shipped Indonesian catalog). A locale whose catalog does not tell
/// the two apart (English in the shipped catalogs) reads the same in both.
///
/// ```
/// use voucher_policy::AddressForm;
///
/// let formal: AddressForm = serde_json::from_str(r#""formal""#)?;
/// assert_eq!(formal, AddressForm::Formal);
/// assert_eq!(AddressForm::Familiar.as_str(), "familiar");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AddressForm {
    /// The familiar register: `Kak` in Indonesian.
    #[default]
    Familiar,
    /// The formal register: `Bapak/Ibu` in Indonesian.
    Formal,
}

impl AddressForm {
    /// Both forms, familiar first.
    pub const ALL: [AddressForm; 2] = [AddressForm::Familiar, AddressForm::Formal];

    /// The position of this form in [`AddressForm::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            AddressForm::Familiar => 0,
            AddressForm::Formal => 1,
        }
    }
}

crate::wire_name::wire_names!(AddressForm, "form of address" {
    Familiar => "familiar",
    Formal => "formal",
});

/// How a customer is called in the formal register, when the request knows it: "Pak Budi",
/// "Bu Ratna". Without it, the formal register says "Bapak/Ibu" once and avoids repeating it.
///
/// ```
/// use voucher_policy::Honorific;
///
/// assert_eq!("ibu".parse::<Honorific>()?, Honorific::Ibu);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Honorific {
    /// A man: "Pak" before the name, "Bapak" for "you".
    Bapak,
    /// A woman: "Bu" before the name, "Ibu" for "you".
    Ibu,
}

crate::wire_name::wire_names!(Honorific, "honorific" {
    Bapak => "bapak",
    Ibu => "ibu",
});
