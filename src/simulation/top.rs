//! The customers counted most often (refusals, changed decisions), in bounded memory.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use serde::Serialize;

use super::FastHash;
use super::key::Key;

/// Counts how often each key (a customer id) occurs and finds the most frequent, keeping at most
/// twice `capacity` keys whatever the number of distinct keys: a batch variant of the
/// Space-Saving algorithm (Metwally, Agrawal and El Abbadi, 2005).
///
/// When the table is full, the half with the smallest counts is dropped, and the largest count
/// dropped becomes the *floor*: a key seen again starts from the floor, as if it had never left.
/// So every kept count is at least the true count and at most the true count plus the floor at
/// the time the key came in (its [`overcount`](TopCount::overcount)), and a key not kept
/// occurred at most `floor` times. Until the first drop every count is exact.
#[derive(Debug, Clone)]
pub(crate) struct TopCounter {
    capacity: usize,
    hasher: FastHash,
    counts: HashTable<Estimate>,
    floor: u64,
}

#[derive(Debug, Clone)]
struct Estimate {
    hash: u64,
    key: Key,
    count: u64,
    overcount: u64,
}

/// A customer and how many times they were counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TopCount {
    /// The customer's account id.
    pub customer: String,
    /// How many times: exact when `overcount` is 0, otherwise at most `overcount` too many.
    pub count: u64,
    /// How much `count` may exceed the truth; 0 when exact.
    pub overcount: u64,
}

impl TopCounter {
    /// A counter that keeps between `capacity` and `2 * capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        TopCounter::with_hasher(capacity, FastHash::default())
    }

    /// A counter that hashes keys with `hasher`, so a caller that hashes a key the same way for
    /// another table can count it with [`TopCounter::add_hashed`] without hashing it again.
    pub fn with_hasher(capacity: usize, hasher: FastHash) -> Self {
        TopCounter {
            capacity: capacity.max(1),
            hasher,
            counts: HashTable::new(),
            floor: 0,
        }
    }

    /// Reads the entries of `keys` (each with its hash by this counter's hasher), so counting
    /// them soon after finds them in cache.
    pub fn touch(&self, keys: &[(u64, &str)]) -> u64 {
        keys.iter()
            .filter_map(|(hash, key)| {
                self.counts
                    .find(*hash, |e| e.hash == *hash && e.key.is(key))
            })
            .map(|e| e.count)
            .fold(0, u64::wrapping_add)
    }

    /// Counts one occurrence of `key`.
    pub fn add(&mut self, key: &str) {
        self.add_hashed(self.hasher.hash_one(key), key);
    }

    /// Counts one occurrence of `key`, whose hash by this counter's hasher is `hash`.
    pub fn add_hashed(&mut self, hash: u64, key: &str) {
        if let Some(estimate) = self
            .counts
            .find_mut(hash, |e| e.hash == hash && e.key.is(key))
        {
            estimate.count += 1;
            return;
        }
        if self.counts.len() >= 2 * self.capacity {
            self.drop_smallest_half();
        }
        let estimate = Estimate {
            hash,
            key: Key::new(key),
            count: self.floor + 1,
            overcount: self.floor,
        };
        self.counts.insert_unique(hash, estimate, |e| e.hash);
    }

    fn drop_smallest_half(&mut self) {
        let mut counts: Vec<u64> = self.counts.iter().map(|e| e.count).collect();
        let dropped = counts.len().saturating_sub(self.capacity);
        let Some(index) = dropped.checked_sub(1) else {
            return;
        };
        let (_, threshold, _) = counts.select_nth_unstable(index);
        let threshold = *threshold;
        self.counts.retain(|estimate| estimate.count > threshold);
        self.floor = self.floor.max(threshold);
    }

    /// The `n` keys with the largest counts, largest first (ties by key, so the order is
    /// deterministic).
    pub fn top(&self, n: usize) -> Vec<TopCount> {
        let mut all: Vec<&Estimate> = self.counts.iter().collect();
        let by_count = |a: &&Estimate, b: &&Estimate| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.key.as_bytes().cmp(b.key.as_bytes()))
        };
        if all.len() > n && n > 0 {
            all.select_nth_unstable_by(n - 1, by_count);
        }
        all.truncate(n);
        all.sort_unstable_by(by_count);
        all.into_iter()
            .map(|estimate| TopCount {
                customer: estimate.key.as_str().to_owned(),
                count: estimate.count,
                overcount: estimate.overcount,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_streams_are_counted_exactly() {
        let mut counter = TopCounter::new(10);
        for key in ["a", "b", "a", "c", "a", "b"] {
            counter.add(key);
        }
        let top = counter.top(2);
        assert_eq!(
            top,
            [
                TopCount {
                    customer: "a".into(),
                    count: 3,
                    overcount: 0
                },
                TopCount {
                    customer: "b".into(),
                    count: 2,
                    overcount: 0
                },
            ]
        );
        assert!(counter.top(0).is_empty());
    }

    #[test]
    fn heavy_hitters_survive_a_flood_of_one_off_keys() {
        let mut counter = TopCounter::new(100);
        let mut truth = std::collections::HashMap::new();
        for round in 0..5_000u32 {
            // Three customers complain every round; everyone else once.
            for (heavy, every) in [("heavy-1", 1), ("heavy-2", 2), ("heavy-3", 3)] {
                if round % every == 0 {
                    counter.add(heavy);
                    *truth.entry(heavy.to_owned()).or_insert(0u64) += 1;
                }
            }
            let one_off = format!("once-{round}");
            counter.add(&one_off);
            *truth.entry(one_off).or_insert(0) += 1;
            assert!(counter.counts.len() <= 200);
        }
        let top = counter.top(3);
        let names: Vec<&str> = top.iter().map(|t| t.customer.as_str()).collect();
        assert_eq!(names, ["heavy-1", "heavy-2", "heavy-3"]);
        for entry in &top {
            let true_count = truth[&entry.customer];
            assert!(entry.count >= true_count);
            assert!(entry.count - entry.overcount <= true_count);
        }
        assert!(counter.floor >= 1, "one-off keys were dropped");
    }
}
