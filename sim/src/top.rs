//! The customers counted most often (refusals, changed decisions), in bounded memory.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use serde::Serialize;

use super::FastHash;
use super::key::Key;

/// Counts how often each key (a customer id) occurs and finds the most frequent, keeping at most
/// twice `capacity` keys whatever the number of distinct keys (between batches, see
/// [`TopCounter::add_unbounded`]): a batch variant of the Space-Saving algorithm (Metwally,
/// Agrawal and El Abbadi, 2005).
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
        TopCounter {
            capacity: capacity.max(1),
            hasher: FastHash::default(),
            counts: HashTable::new(),
            floor: 0,
        }
    }

    /// Counts one occurrence of `key`.
    pub fn add(&mut self, key: &str) {
        self.count(key, 1, true);
    }

    /// Counts `times` occurrences of `key` (at least 1) as if they came one after another, but
    /// may leave the counter above its bound: one of a batch of keys counted together, after
    /// which [`TopCounter::restore_bound`] is due.
    ///
    /// Counting a batch this way and restoring the bound once at the end keeps the same keys
    /// whatever the order of the batch (the smallest counts are dropped, and which they are
    /// does not depend on the order they came in), so a batch read from a hash table in an
    /// order that differs from run to run gives the same report every run.
    pub fn add_unbounded(&mut self, key: &str, times: u64) {
        self.count(key, times, false);
    }

    /// Counts `times` occurrences of `key`; with `bounded`, first drops the smallest half if
    /// the key is new and the counter full.
    fn count(&mut self, key: &str, times: u64, bounded: bool) {
        let hash = self.hasher.hash_one(key);
        if let Some(estimate) = self
            .counts
            .find_mut(hash, |e| e.hash == hash && e.key.is(key))
        {
            estimate.count = estimate.count.saturating_add(times);
            return;
        }
        if bounded && self.counts.len() >= 2 * self.capacity {
            self.drop_smallest_half();
        }
        let estimate = Estimate {
            hash,
            key: Key::new(key),
            count: self.floor.saturating_add(times),
            overcount: self.floor,
        };
        self.counts.insert_unique(hash, estimate, |e| e.hash);
    }

    /// Drops the half of the keys with the smallest counts when more than twice the capacity
    /// are kept (see [`TopCounter::add_unbounded`]).
    pub fn restore_bound(&mut self) {
        if self.counts.len() > 2 * self.capacity {
            self.drop_smallest_half();
        }
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

    /// A batch keeps the same keys and counts whatever its order, though it overflows the
    /// counter many times over.
    #[test]
    fn a_batch_counts_the_same_whatever_its_order() {
        let batch: Vec<(String, u64)> = (0..500_u64)
            .map(|n| (format!("C-{n}"), 1 + n * 7919 % 13))
            .collect();
        let counted = |order: &mut dyn Iterator<Item = &(String, u64)>| {
            let mut counter = TopCounter::new(40);
            for key in ["C-1", "C-2", "old-1", "old-2"] {
                counter.add(key);
            }
            for (key, times) in order {
                counter.add_unbounded(key, *times);
            }
            assert!(
                counter.counts.len() > 80,
                "unbounded in the middle of a batch"
            );
            counter.restore_bound();
            assert!(counter.counts.len() <= 80);
            (counter.top(100), counter.floor)
        };
        let forward = counted(&mut batch.iter());
        assert_eq!(forward, counted(&mut batch.iter().rev()));
        let odd_then_even = batch
            .iter()
            .step_by(2)
            .chain(batch.iter().skip(1).step_by(2));
        assert_eq!(forward, counted(&mut odd_then_even.into_iter()));
        let (top, floor) = forward;
        assert!(floor > 0, "keys were dropped");
        // Each kept count is at least the truth, and at most `overcount` above it.
        for entry in &top {
            let before = u64::from(["C-1", "C-2"].contains(&entry.customer.as_str()));
            let truth = before
                + batch
                    .iter()
                    .find(|(key, _)| *key == entry.customer)
                    .map_or(0, |(_, times)| *times);
            assert!(entry.count >= truth && entry.count - entry.overcount <= truth);
        }
        assert_eq!(top.first().map(|entry| entry.count), Some(13));
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
