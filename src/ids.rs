//! The names a request identifies things by: a customer account, an order, a loyalty tier.
//!
//! Each is its own type, so an order id cannot be passed where a customer id belongs, nor a
//! tier name where the customer's name belongs: the mistake does not compile.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Defines a text identifier: a `String` of its own type, built explicitly with `new` (no
/// `From<&str>`, which would let any string slip in where another kind of id belongs).
macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident, $example:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("The ", stringify!($name), " written `text`, as in `", stringify!($name), "::new(\"", $example, "\")`.")]
            ///
            /// Any text is accepted here; a blank one, or one with a control character or a line
            /// break, is a [`RequestError`](crate::RequestError) when a request carrying it is
            /// decided.
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

identifier!(
    /// A customer's account id, as the company's systems know it.
    ///
    /// ```
    /// use voucher_policy::CustomerId;
    ///
    /// let id = CustomerId::new("C-1001");
    /// assert_eq!(id.as_str(), "C-1001");
    /// assert_eq!(id, "C-1001");
    /// ```
    CustomerId,
    "C-1001"
);

identifier!(
    /// An order id, as the customer would quote it.
    ///
    /// ```
    /// use voucher_policy::OrderId;
    ///
    /// assert_eq!(OrderId::new("3449").to_string(), "3449");
    /// ```
    OrderId,
    "3449"
);

identifier!(
    /// The name of a loyalty tier of the policy (`new`, `regular`, `silver`, `gold`, `platinum`
    /// in the default policy).
    ///
    /// ```
    /// use voucher_policy::{Policy, TierName};
    ///
    /// let gold = TierName::new("gold");
    /// assert!(Policy::default().tier(gold.as_str()).is_some());
    /// ```
    TierName,
    "gold"
);

identifier!(
    /// The name of a market an engine decides for (`id`, `my`, `sg`), each with its own policy.
    ///
    /// ```
    /// use voucher_policy::MarketName;
    ///
    /// assert_eq!(MarketName::new("my").as_str(), "my");
    /// ```
    MarketName,
    "my"
);

identifier!(
    /// The id of an agent or supervisor who decides or approves, as the company's staff
    /// directory knows them.
    ///
    /// ```
    /// use voucher_policy::AgentId;
    ///
    /// assert_eq!(AgentId::new("A-17").as_str(), "A-17");
    /// ```
    AgentId,
    "A-17"
);

identifier!(
    /// The name of one of the policy's roles (`agent`, `supervisor` in the default policy).
    ///
    /// ```
    /// use voucher_policy::{Policy, RoleName};
    ///
    /// assert!(Policy::default().role(RoleName::new("supervisor").as_str()).is_some());
    /// ```
    RoleName,
    "supervisor"
);
