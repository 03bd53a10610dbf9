//! What a policy does over the whole input space, not only the cases a log holds: comparing
//! two policies ([`Policy::compare`](crate::Policy::compare)) and checking properties of one
//! ([`Policy::check`](crate::Policy::check)).
//!
//! Every decision depends on finitely many comparisons: the tier, the category and severity,
//! evidence, the party at fault, the customer's lists, conduct, where each moment falls among
//! the windows' edges, how many past vouchers each window holds, and where the amounts fall
//! among the thresholds and steps. The analysis builds one case on each side of every such
//! threshold of the policies at hand (the grid), asks the engine what each part of the pipeline
//! does there, and walks every combination. A difference it reports comes with a full case,
//! replayed through the real engine of each policy.

mod compare;
mod counterexample;
mod grid;
mod pairs;
mod profile;
mod property;
mod ruling;

pub use compare::{Comparison, Difference, DifferenceKind, Relation};
pub use counterexample::Counterexample;
pub use property::{Property, PropertyReport};
pub use ruling::Ruling;
