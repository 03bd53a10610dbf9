//! Where the conversation happens, which decides how much a script may say and how long it is.

use serde::{Deserialize, Serialize};

/// The channel a script is written for.
///
/// A chat message is short and plain; an email carries a greeting and a sign-off and may say
/// more; a phone script is short spoken sentences. A public post (social media, a review) is
/// read by anyone: the decision is still made for the agent, but the script names no order,
/// amount, date, history or full name; it acknowledges, apologises once and asks the customer
/// to continue in a private channel.
///
/// ```
/// use voucher_policy::Channel;
///
/// let channel: Channel = "public".parse()?;
/// assert_eq!(channel, Channel::Public);
/// assert_eq!(Channel::default(), Channel::Chat);
/// assert_eq!(Channel::Email.to_string(), "email");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Channel {
    /// A chat or messaging conversation: the default.
    #[default]
    Chat,
    /// An email: a greeting, the message, a sign-off.
    Email,
    /// A phone call: short sentences the agent says aloud.
    Phone,
    /// A public post anyone can read: nothing private is said.
    Public,
}

impl Channel {
    /// Every channel, chat first.
    pub const ALL: [Channel; 4] = [
        Channel::Chat,
        Channel::Email,
        Channel::Phone,
        Channel::Public,
    ];
}

crate::wire_name::wire_names!(Channel, "channel" {
    Chat => "chat",
    Email => "email",
    Phone => "phone",
    Public => "public",
});
