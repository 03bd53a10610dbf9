//! Currencies: ISO 4217 codes, held inline.

use std::fmt;
use std::str::FromStr;

use crate::CurrencyCodeError;
use crate::wire_text::serde_as_text;

/// An ISO 4217 currency code such as `IDR` or `USD`.
///
/// Stored inline (three ASCII letters), so it is `Copy` and comparing two codes never allocates.
///
/// ```
/// use voucher_policy::Currency;
///
/// let idr: Currency = "IDR".parse()?;
/// assert_eq!(idr.as_str(), "IDR");
/// assert!("idr".parse::<Currency>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 4]);

impl Currency {
    /// Indonesian rupiah, the embedded default policy's currency.
    pub const IDR: Currency = Currency(*b"IDR\0");
    /// Malaysian ringgit.
    pub const MYR: Currency = Currency(*b"MYR\0");
    /// Singapore dollar.
    pub const SGD: Currency = Currency(*b"SGD\0");
    /// Thai baht.
    pub const THB: Currency = Currency(*b"THB\0");
    /// Philippine peso.
    pub const PHP: Currency = Currency(*b"PHP\0");
    /// Vietnamese dong.
    pub const VND: Currency = Currency(*b"VND\0");
    /// United States dollar.
    pub const USD: Currency = Currency(*b"USD\0");

    /// The number of decimal places of the currency's minor unit in ISO 4217 (2 for USD,
    /// 0 for JPY); `None` for a code that is not in ISO 4217's list, or that lists none (gold,
    /// `XAU`).
    ///
    /// ```
    /// use voucher_policy::Currency;
    ///
    /// assert_eq!("USD".parse::<Currency>()?.minor_units(), Some(2));
    /// assert_eq!("JPY".parse::<Currency>()?.minor_units(), Some(0));
    /// assert_eq!("ABC".parse::<Currency>()?.minor_units(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn minor_units(&self) -> Option<u32> {
        self.listed().and_then(|(_, units)| units)
    }

    /// Whether the code is in ISO 4217's list of currencies.
    pub fn is_iso_4217(&self) -> bool {
        self.listed().is_some()
    }

    fn listed(&self) -> Option<(&'static str, Option<u32>)> {
        let code = self.as_str();
        ISO_4217
            .binary_search_by(|(listed, _)| (*listed).cmp(code))
            .ok()
            .and_then(|at| ISO_4217.get(at).copied())
    }

    /// The code's four bytes (the letters and a zero), for hashing without a UTF-8 check.
    pub(crate) fn code(&self) -> [u8; 4] {
        self.0
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &str {
        // The three letters, then a zero that makes the code four bytes: two codes compare in
        // one instruction, which the pass over a long history does once an entry.
        // The letters are checked to be ASCII uppercase on construction.
        self.0
            .first_chunk::<3>()
            .and_then(|letters| std::str::from_utf8(letters).ok())
            .unwrap_or("???")
    }
}

impl FromStr for Currency {
    type Err = CurrencyCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => {
                Ok(Currency([a, b, c, 0]))
            }
            _ => Err(CurrencyCodeError(s.to_owned())),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

serde_as_text!(Currency);

/// ISO 4217's list of currency codes, in alphabetical order, with the decimal places of each
/// one's minor unit (`None` where the list gives none, as for precious metals).
const ISO_4217: [(&str, Option<u32>); 183] = [
    ("AED", Some(2)),
    ("AFN", Some(2)),
    ("ALL", Some(2)),
    ("AMD", Some(2)),
    ("AOA", Some(2)),
    ("ARS", Some(2)),
    ("AUD", Some(2)),
    ("AWG", Some(2)),
    ("AZN", Some(2)),
    ("BAM", Some(2)),
    ("BBD", Some(2)),
    ("BDT", Some(2)),
    ("BGN", Some(2)),
    ("BHD", Some(3)),
    ("BIF", Some(0)),
    ("BMD", Some(2)),
    ("BND", Some(2)),
    ("BOB", Some(2)),
    ("BOV", Some(2)),
    ("BRL", Some(2)),
    ("BSD", Some(2)),
    ("BTN", Some(2)),
    ("BWP", Some(2)),
    ("BYN", Some(2)),
    ("BZD", Some(2)),
    ("CAD", Some(2)),
    ("CDF", Some(2)),
    ("CHE", Some(2)),
    ("CHF", Some(2)),
    ("CHW", Some(2)),
    ("CLF", Some(4)),
    ("CLP", Some(0)),
    ("CNY", Some(2)),
    ("COP", Some(2)),
    ("COU", Some(2)),
    ("CRC", Some(2)),
    ("CUC", Some(2)),
    ("CUP", Some(2)),
    ("CVE", Some(2)),
    ("CZK", Some(2)),
    ("DJF", Some(0)),
    ("DKK", Some(2)),
    ("DOP", Some(2)),
    ("DZD", Some(2)),
    ("EGP", Some(2)),
    ("ERN", Some(2)),
    ("ETB", Some(2)),
    ("EUR", Some(2)),
    ("FJD", Some(2)),
    ("FKP", Some(2)),
    ("GBP", Some(2)),
    ("GEL", Some(2)),
    ("GHS", Some(2)),
    ("GIP", Some(2)),
    ("GMD", Some(2)),
    ("GNF", Some(0)),
    ("GTQ", Some(2)),
    ("GYD", Some(2)),
    ("HKD", Some(2)),
    ("HNL", Some(2)),
    ("HRK", Some(2)),
    ("HTG", Some(2)),
    ("HUF", Some(2)),
    ("IDR", Some(2)),
    ("ILS", Some(2)),
    ("INR", Some(2)),
    ("IQD", Some(3)),
    ("IRR", Some(2)),
    ("ISK", Some(0)),
    ("JMD", Some(2)),
    ("JOD", Some(3)),
    ("JPY", Some(0)),
    ("KES", Some(2)),
    ("KGS", Some(2)),
    ("KHR", Some(2)),
    ("KMF", Some(0)),
    ("KPW", Some(2)),
    ("KRW", Some(0)),
    ("KWD", Some(3)),
    ("KYD", Some(2)),
    ("KZT", Some(2)),
    ("LAK", Some(2)),
    ("LBP", Some(2)),
    ("LKR", Some(2)),
    ("LRD", Some(2)),
    ("LSL", Some(2)),
    ("LYD", Some(3)),
    ("MAD", Some(2)),
    ("MDL", Some(2)),
    ("MGA", Some(2)),
    ("MKD", Some(2)),
    ("MMK", Some(2)),
    ("MNT", Some(2)),
    ("MOP", Some(2)),
    ("MRU", Some(2)),
    ("MUR", Some(2)),
    ("MVR", Some(2)),
    ("MWK", Some(2)),
    ("MXN", Some(2)),
    ("MXV", Some(2)),
    ("MYR", Some(2)),
    ("MZN", Some(2)),
    ("NAD", Some(2)),
    ("NGN", Some(2)),
    ("NIO", Some(2)),
    ("NOK", Some(2)),
    ("NPR", Some(2)),
    ("NZD", Some(2)),
    ("OMR", Some(3)),
    ("PAB", Some(2)),
    ("PEN", Some(2)),
    ("PGK", Some(2)),
    ("PHP", Some(2)),
    ("PKR", Some(2)),
    ("PLN", Some(2)),
    ("PYG", Some(0)),
    ("QAR", Some(2)),
    ("RON", Some(2)),
    ("RSD", Some(2)),
    ("RUB", Some(2)),
    ("RWF", Some(0)),
    ("SAR", Some(2)),
    ("SBD", Some(2)),
    ("SCR", Some(2)),
    ("SDG", Some(2)),
    ("SEK", Some(2)),
    ("SGD", Some(2)),
    ("SHP", Some(2)),
    ("SLE", Some(2)),
    ("SLL", Some(2)),
    ("SOS", Some(2)),
    ("SRD", Some(2)),
    ("SSP", Some(2)),
    ("STN", Some(2)),
    ("SVC", Some(2)),
    ("SYP", Some(2)),
    ("SZL", Some(2)),
    ("THB", Some(2)),
    ("TJS", Some(2)),
    ("TMT", Some(2)),
    ("TND", Some(3)),
    ("TOP", Some(2)),
    ("TRY", Some(2)),
    ("TTD", Some(2)),
    ("TWD", Some(2)),
    ("TZS", Some(2)),
    ("UAH", Some(2)),
    ("UGX", Some(0)),
    ("USD", Some(2)),
    ("USN", Some(2)),
    ("UYI", Some(0)),
    ("UYU", Some(2)),
    ("UYW", Some(4)),
    ("UZS", Some(2)),
    ("VED", Some(2)),
    ("VES", Some(2)),
    ("VND", Some(0)),
    ("VUV", Some(0)),
    ("WST", Some(2)),
    ("XAD", Some(2)),
    ("XAF", Some(0)),
    ("XAG", None),
    ("XAU", None),
    ("XBA", None),
    ("XBB", None),
    ("XBC", None),
    ("XBD", None),
    ("XCD", Some(2)),
    ("XCG", Some(2)),
    ("XDR", None),
    ("XOF", Some(0)),
    ("XPD", None),
    ("XPF", Some(0)),
    ("XPT", None),
    ("XSU", None),
    ("XTS", None),
    ("XUA", None),
    ("XXX", None),
    ("YER", Some(2)),
    ("ZAR", Some(2)),
    ("ZMW", Some(2)),
    ("ZWG", Some(2)),
    ("ZWL", Some(2)),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iso_list_is_sorted_and_readable() {
        assert!(ISO_4217.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for (code, _) in ISO_4217 {
            let currency: Currency = code.parse().unwrap();
            assert!(currency.is_iso_4217(), "{code}");
        }
        assert_eq!(Currency::IDR.minor_units(), Some(2));
        assert!(!"ZZZ".parse::<Currency>().unwrap().is_iso_4217());
    }

    #[test]
    fn currency_codes_are_three_uppercase_letters() {
        assert!("IDR".parse::<Currency>().is_ok());
        for bad in ["", "ID", "IDRR", "idr", "I1R", "ÍDR"] {
            assert!(bad.parse::<Currency>().is_err(), "{bad:?}");
        }
    }
}
