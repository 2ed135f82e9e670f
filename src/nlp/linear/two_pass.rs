//! Both passes of a stacked tagger in one weight table, so a token's shared features are
//! looked up once instead of once per pass.
//!
//! A stacked tagger's second pass reads every feature of the first pass plus a few of its
//! own (the first pass's labels). With one [`Weights`](super::Weights) table per pass, each
//! shared key is looked up twice, and each lookup is a likely cache miss: the tables are
//! larger than the caches. This table holds, under each key of either pass, the key's row
//! of both passes side by side in one 32-byte slot (a missing row is zeros), so the first
//! pass's lookup also fetches the second pass's row of every shared key, and the second
//! pass looks up only its own keys. The sums are the same integers as with two tables,
//! added in another order, so the labels are exactly those of the two tables.
//!
//! To fit one slot in half a cache line, a slot keeps 32 bits of its key (the high half; the
//! low bits pick its place). Two keys of the model that share those bits near one place are
//! detected when the table is built, which then refuses ([`TwoPassWeights::new`] returns
//! `None`) and the caller keeps the two tables. A key that is not in the model matches a
//! slot only if its high 32 bits equal those of a key within the few slots it probes: about
//! once in three billion lookups of missing keys (the reported-speech tagger makes about seven
//! million of those over 2,225 BBC articles), where a full key would never match.

/// How many lookups ahead a slot is prefetched (as in [`Weights`](super::Weights)).
const PREFETCH_DISTANCE: usize = 64;

/// One key's rows of both passes. `tag` 0 marks an empty slot.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(32))]
struct Slot<const L: usize> {
    tag: u32,
    first: [i16; L],
    second: [i16; L],
}

impl<const L: usize> Default for Slot<L> {
    fn default() -> Self {
        Slot {
            tag: 0,
            first: [0; L],
            second: [0; L],
        }
    }
}

/// The high half of a key, never 0 (0 marks an empty slot).
#[inline]
fn tag_of(key: u64) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// The weights of a two-pass tagger under one key each.
#[derive(Debug, Clone)]
pub struct TwoPassWeights<const L: usize> {
    slots: Vec<Slot<L>>,
    scales: [f32; 2],
}

impl<const L: usize> TwoPassWeights<L> {
    /// The joint table of the passes' rows (each pass's rows in ascending key order, as
    /// model files hold them, and its scale), or `None` when two keys could not be told
    /// apart by their slots (the caller then reads each pass's own table). The passes' own
    /// tables are not needed for it.
    pub fn new(
        first: (&[(u64, [i16; L])], f32),
        second: (&[(u64, [i16; L])], f32),
    ) -> Option<TwoPassWeights<L>> {
        let (first, first_scale) = first;
        let (second, second_scale) = second;
        if !first.is_sorted_by_key(|(key, _)| *key) || !second.is_sorted_by_key(|(key, _)| *key) {
            return None;
        }
        // Both lists merged by key: each key once, with its row of each pass (zeros where a
        // pass has none).
        let mut merged: Vec<(u64, [i16; L], [i16; L])> =
            Vec::with_capacity(first.len().max(second.len()));
        let (mut i, mut j) = (0, 0);
        while i < first.len() || j < second.len() {
            let take_first = j == second.len() || (i < first.len() && first[i].0 <= second[j].0);
            let take_second = i == first.len() || (j < second.len() && second[j].0 <= first[i].0);
            let key = if take_first { first[i].0 } else { second[j].0 };
            let mut rows = ([0; L], [0; L]);
            if take_first {
                rows.0 = first[i].1;
                i += 1;
            }
            if take_second {
                rows.1 = second[j].1;
                j += 1;
            }
            merged.push((key, rows.0, rows.1));
        }
        let capacity = (merged.len() * 2).next_power_of_two().max(16);
        let mut joint = TwoPassWeights {
            slots: vec![Slot::default(); capacity],
            scales: [first_scale, second_scale],
        };
        for (key, first, second) in merged {
            let at = joint.vacant(key)?;
            joint.slots[at] = Slot {
                tag: tag_of(key),
                first,
                second,
            };
        }
        Some(joint)
    }

    /// The empty slot where a new key goes, or `None` if a slot of the same tag lies on the
    /// way (a lookup of either key would stop there).
    fn vacant(&self, key: u64) -> Option<usize> {
        let tag = tag_of(key);
        let mut at = key as usize & self.mask();
        while self.slots[at].tag != 0 {
            if self.slots[at].tag == tag {
                return None;
            }
            at = (at + 1) & self.mask();
        }
        Some(at)
    }

    /// Where a lookup of `key` stops on a slot of its tag.
    #[inline]
    fn position(&self, key: u64) -> Option<usize> {
        let tag = tag_of(key);
        let mut at = key as usize & self.mask();
        loop {
            let slot = &self.slots[at];
            if slot.tag == tag {
                return Some(at);
            }
            if slot.tag == 0 {
                return None;
            }
            at = (at + 1) & self.mask();
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    #[inline]
    fn slot(&self, key: u64) -> Option<&Slot<L>> {
        self.position(key).map(|at| &self.slots[at])
    }

    /// The first pass's label scores of a sentence whose token `i` has the shared keys
    /// `keys[starts[i]..starts[i + 1]]` (one row of `L` per token in `first`), and the second
    /// pass's unscaled sums over the same keys (`shared`, for [`TwoPassWeights::second`]).
    pub fn first(
        &self,
        keys: &[u64],
        starts: &[usize],
        first: &mut Vec<f32>,
        shared: &mut Vec<[i32; L]>,
    ) {
        let tokens = starts.len().saturating_sub(1);
        first.clear();
        first.resize(tokens * L, 0.0);
        shared.clear();
        for token in 0..tokens {
            let mut sums = [0i32; L];
            let mut seconds = [0i32; L];
            for at in starts[token]..starts[token + 1] {
                if let Some(&ahead) = keys.get(at + PREFETCH_DISTANCE) {
                    super::prefetch(&self.slots[ahead as usize & self.mask()]);
                }
                if let Some(slot) = self.slot(keys[at]) {
                    for label in 0..L {
                        sums[label] += i32::from(slot.first[label]);
                        seconds[label] += i32::from(slot.second[label]);
                    }
                }
            }
            for (score, sum) in first[token * L..(token + 1) * L].iter_mut().zip(sums) {
                *score = sum as f32 * self.scales[0];
            }
            shared.push(seconds);
        }
    }

    /// The second pass's label scores: the sums over the shared keys from
    /// [`TwoPassWeights::first`] plus the rows of the second pass's own keys, `per_token` of
    /// them for each token in order (token `i`'s are `keys[i * per_token..(i + 1) * per_token]`).
    pub fn second(&self, shared: &[[i32; L]], keys: &[u64], per_token: usize, out: &mut Vec<f32>) {
        out.clear();
        out.resize(shared.len() * L, 0.0);
        for (token, &shared) in shared.iter().enumerate() {
            let mut sums = shared;
            for at in token * per_token..(token + 1) * per_token {
                if let Some(&ahead) = keys.get(at + PREFETCH_DISTANCE) {
                    super::prefetch(&self.slots[ahead as usize & self.mask()]);
                }
                if let Some(slot) = self.slot(keys[at]) {
                    for (sum, &weight) in sums.iter_mut().zip(&slot.second) {
                        *sum += i32::from(weight);
                    }
                }
            }
            for (score, sum) in out[token * L..(token + 1) * L].iter_mut().zip(sums) {
                *score = sum as f32 * self.scales[1];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::weights::Weights;
    use super::*;

    #[test]
    fn both_passes_score_as_their_own_tables() {
        let first_rows = [(7, [3, -1]), (9, [1, 1])];
        let second_rows = [(7, [2, 2]), (11, [-4, 5])];
        let joint =
            TwoPassWeights::new((&first_rows, 0.5), (&second_rows, 0.25)).expect("the keys differ");
        let first = Weights::<2>::from_quantised(first_rows.to_vec(), 0.5);
        let second = Weights::<2>::from_quantised(second_rows.to_vec(), 0.25);
        // Two tokens: shared keys 7, 9 | 8 (unknown); the second pass adds 11 | 7.
        let (shared_keys, shared_starts) = ([7, 9, 8], [0, 2, 3]);
        let own_keys = [11, 7];
        let mut expected_first = Vec::new();
        first.emissions(&shared_keys, &shared_starts, &mut expected_first);
        let mut scores = Vec::new();
        let mut shared = Vec::new();
        joint.first(&shared_keys, &shared_starts, &mut scores, &mut shared);
        assert_eq!(scores, expected_first);
        let mut expected_second = Vec::new();
        second.emissions(&[7, 9, 11, 8, 7], &[0, 3, 5], &mut expected_second);
        joint.second(&shared, &own_keys, 1, &mut scores);
        assert_eq!(scores, expected_second);
        assert_eq!(expected_second, vec![-0.5, 1.75, 0.5, 0.5]);
    }

    #[test]
    fn keys_that_a_slot_cannot_tell_apart_are_refused() {
        // The same high half and the same place in a small table.
        let first = [(5 << 32 | 3, [1])];
        let second = [(5 << 32 | 1 << 20 | 3, [1])];
        assert!(TwoPassWeights::new((&first, 1.0), (&second, 1.0)).is_none());
        // Rows out of key order are refused too (the merge needs them sorted).
        let unsorted = [(9, [1]), (7, [1])];
        assert!(TwoPassWeights::new((&unsorted, 1.0), (&[], 1.0)).is_none());
    }
}
