//! Feature weights: one row of `L` quantised weights per feature key, in a hash table.
//!
//! The table is larger than the caches and is read once per feature of every token, so it is
//! laid out for that: open addressing (linear probing, at most half full) keyed by the
//! feature hash, each slot holding the full key and its row side by side, so a lookup
//! touches one cache line most of the time, and [`Weights::emissions`] asks for the slot of
//! a key some lookups ahead so that the misses overlap. Weights are 16-bit integers times
//! one scale per table (the largest weight maps to 32767), which halves the table and is
//! exactly what the model files store, so a model in memory scores as its file does.

use super::file::{ModelError, Reader};

/// How many lookups ahead [`Weights::emissions`] asks for a slot.
const PREFETCH_DISTANCE: usize = 64;

/// A feature key with its weights. Key 0 marks an empty slot (feature keys are never 0).
#[derive(Debug, Clone, Copy)]
struct Slot<const L: usize> {
    key: u64,
    row: [i16; L],
}

impl<const L: usize> Default for Slot<L> {
    fn default() -> Self {
        Slot {
            key: 0,
            row: [0; L],
        }
    }
}

/// Quantised weights of `L` labels per feature key.
#[derive(Debug, Clone)]
pub struct Weights<const L: usize> {
    slots: Vec<Slot<L>>,
    len: usize,
    /// A weight is its stored `i16` times `scale`.
    scale: f32,
}

impl<const L: usize> Weights<L> {
    /// Quantises rows of weights to 16 bits: the scale that maps the largest absolute
    /// weight to 32767, and each row divided by it, rounded.
    pub fn quantise(rows: Vec<(u64, [f32; L])>) -> (Vec<(u64, [i16; L])>, f32) {
        let largest = rows
            .iter()
            .flat_map(|(_, row)| row.iter())
            .fold(0.0f32, |largest, weight| largest.max(weight.abs()));
        let scale = if largest > 0.0 {
            largest / 32767.0
        } else {
            1.0
        };
        let quantised = rows
            .into_iter()
            .map(|(key, row)| {
                let row =
                    row.map(|weight| (weight / scale).round().clamp(-32767.0, 32767.0) as i16);
                (key, row)
            })
            .collect();
        (quantised, scale)
    }

    /// The table of quantised rows (keys are not 0; a key given twice keeps its last row).
    pub fn from_quantised(rows: Vec<(u64, [i16; L])>, scale: f32) -> Weights<L> {
        let capacity = (rows.len() * 2).next_power_of_two().max(16);
        let mut weights = Weights {
            slots: vec![Slot::default(); capacity],
            len: 0,
            scale,
        };
        for (key, row) in rows {
            weights.insert(key, row);
        }
        weights
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    fn insert(&mut self, key: u64, row: [i16; L]) {
        debug_assert_ne!(key, 0);
        let mut at = key as usize & self.mask();
        while self.slots[at].key != 0 && self.slots[at].key != key {
            at = (at + 1) & self.mask();
        }
        if self.slots[at].key == 0 {
            self.len += 1;
        }
        self.slots[at] = Slot { key, row };
    }

    /// Number of features with a row.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// The quantised row of a feature key, if the table has one.
    #[inline]
    pub fn row(&self, key: u64) -> Option<&[i16; L]> {
        let mut at = key as usize & self.mask();
        loop {
            let slot = &self.slots[at];
            if slot.key == key {
                return Some(&slot.row);
            }
            if slot.key == 0 {
                return None;
            }
            at = (at + 1) & self.mask();
        }
    }

    /// The label scores of a sentence: `keys[starts[i]..starts[i + 1]]` are the feature keys
    /// of token `i`; `out` gets one row of `L` summed weights per token.
    pub fn emissions(&self, keys: &[u64], starts: &[usize], out: &mut Vec<f32>) {
        let tokens = starts.len().saturating_sub(1);
        out.clear();
        out.resize(tokens * L, 0.0);
        for token in 0..tokens {
            let mut sums = [0i32; L];
            for at in starts[token]..starts[token + 1] {
                if let Some(&ahead) = keys.get(at + PREFETCH_DISTANCE) {
                    super::prefetch(&self.slots[ahead as usize & self.mask()]);
                }
                if let Some(row) = self.row(keys[at]) {
                    for (sum, &weight) in sums.iter_mut().zip(row) {
                        *sum += i32::from(weight);
                    }
                }
            }
            for (score, sum) in out[token * L..(token + 1) * L].iter_mut().zip(sums) {
                *score = sum as f32 * self.scale;
            }
        }
    }

    /// The rows in the table's order.
    pub fn rows(&self) -> impl Iterator<Item = (u64, &[i16; L])> {
        self.slots
            .iter()
            .filter(|slot| slot.key != 0)
            .map(|slot| (slot.key, &slot.row))
    }

    /// The rows in key order.
    pub fn sorted(&self) -> Vec<(u64, &[i16; L])> {
        let mut rows: Vec<(u64, &[i16; L])> = self.rows().collect();
        rows.sort_unstable_by_key(|(key, _)| *key);
        rows
    }

    /// Writes the rows in key order, each as its key and `L` weights (little endian); the
    /// count is the caller's, as each file format writes it in its own width.
    pub fn write_rows(&self, out: &mut Vec<u8>) {
        for (key, row) in self.sorted() {
            out.extend_from_slice(&key.to_le_bytes());
            for weight in row {
                out.extend_from_slice(&weight.to_le_bytes());
            }
        }
    }

    /// Reads `count` rows as [`Weights::write_rows`] wrote them; a key 0 is corruption.
    pub fn read_rows(
        reader: &mut Reader<'_>,
        count: u64,
    ) -> Result<Vec<(u64, [i16; L])>, ModelError> {
        let count = usize::try_from(count).map_err(|_| ModelError::Truncated)?;
        if count > reader.remaining() / (8 + 2 * L) {
            return Err(ModelError::Truncated);
        }
        let mut rows = Vec::with_capacity(count);
        for _ in 0..count {
            let key = reader.u64()?;
            if key == 0 {
                return Err(ModelError::Truncated);
            }
            let mut row = [0i16; L];
            for weight in &mut row {
                *weight = reader.i16()?;
            }
            rows.push((key, row));
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_key_and_summed_per_token() {
        let (rows, scale) = Weights::<2>::quantise(vec![(7, [1.0, -0.5]), (9, [0.25, 0.0])]);
        assert_eq!(rows[0].1, [32767, -16384]);
        let weights = Weights::from_quantised(rows, scale);
        assert_eq!(weights.len(), 2);
        assert!(weights.row(8).is_none());
        let mut scores = Vec::new();
        // Token 0 has keys 7 and 9, token 1 only an unknown key.
        weights.emissions(&[7, 9, 8], &[0, 2, 3], &mut scores);
        assert!((scores[0] - 1.25).abs() < 1e-3 && (scores[1] + 0.5).abs() < 1e-3);
        assert_eq!(&scores[2..], &[0.0, 0.0]);
    }

    #[test]
    fn rows_survive_writing_and_reading() {
        let weights = Weights::<3>::from_quantised(vec![(5, [1, -2, 3]), (2, [0, 0, 9])], 0.5);
        let mut bytes = Vec::new();
        weights.write_rows(&mut bytes);
        let mut reader = Reader::new(&bytes);
        let rows = Weights::<3>::read_rows(&mut reader, 2).unwrap();
        assert_eq!(rows, vec![(2, [0, 0, 9]), (5, [1, -2, 3])]);
        let mut reader = Reader::new(&bytes);
        assert!(matches!(
            Weights::<3>::read_rows(&mut reader, 3),
            Err(ModelError::Truncated)
        ));
    }
}
