//! A trained name-tagging model: feature weights, label transitions and word clusters, with
//! Viterbi decoding and a compact file format.
//!
//! Labels are BIO over the four CoNLL types: `O`, `B-PER`, `B-ORG`, `B-LOC`, `B-MISC`,
//! `I-PER`, ... `I-MISC`. Decoding is first-order Viterbi in which `I-X` may only follow
//! `B-X` or `I-X`, so every output is a well-formed chunk sequence.
//!
//! Weights live in an open-addressing table keyed by the feature hash (linear probing, at
//! most two thirds full; each slot holds a fingerprint of the key and a row number) that
//! points at one row of nine 16-bit weights per feature, so scoring a token is one probe
//! and one 18-byte row read per feature; the table and rows of a 130k-feature model take
//! about 4.5 MB. On disk (little endian): the magic `AENER1\0\0`, the
//! feature version, the cluster table, the transition matrix, a scale, then each feature's
//! key and nine weights quantised to `i16` (weights are stored as `value / scale`).

use super::clusters::WordClusters;
use super::features::{SentenceFeatures, FEATURE_VERSION};
use crate::nlp::document::EntityType;
use thiserror::Error;

/// Number of labels: `O` plus B and I for four types.
pub const LABELS: usize = 9;

/// How many lookups ahead [`Model::tag`] asks for a slot or a weight row.
const PREFETCH_DISTANCE: usize = 32;

/// The entity types in label order (CoNLL's PER, ORG, LOC, MISC).
pub const TYPES: [EntityType; 4] = [
    EntityType::Person,
    EntityType::Organization,
    EntityType::Location,
    EntityType::Misc,
];

/// CoNLL's names of [`TYPES`].
pub const CONLL_TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

const MAGIC: &[u8; 8] = b"AENER1\0\0";

/// The label for the beginning (`inside == false`) or continuation of a type index.
pub fn label(type_index: usize, inside: bool) -> u8 {
    (1 + type_index + if inside { 4 } else { 0 }) as u8
}

/// The type index of a label, or `None` for `O`.
pub fn label_type(label: u8) -> Option<usize> {
    match label {
        0 => None,
        1..=4 => Some(label as usize - 1),
        _ => Some(label as usize - 5),
    }
}

pub fn is_inside(label: u8) -> bool {
    label >= 5
}

/// Whether `next` may follow `previous` (`None` at the start of a sentence).
pub fn may_follow(previous: Option<u8>, next: u8) -> bool {
    if !is_inside(next) {
        return true;
    }
    previous.is_some_and(|previous| previous != 0 && label_type(previous) == label_type(next))
}

/// Chunks `(first, end exclusive, type index)` of a label sequence.
pub fn chunks(labels: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (index, &label) in labels.iter().enumerate() {
        let continues = is_inside(label) && open.is_some_and(|(_, t)| Some(t) == label_type(label));
        if !continues {
            if let Some((start, type_index)) = open.take() {
                found.push((start, index, type_index));
            }
            if let Some(type_index) = label_type(label) {
                open = Some((index, type_index));
            }
        }
    }
    if let Some((start, type_index)) = open {
        found.push((start, labels.len(), type_index));
    }
    found
}

/// The best label sequence for `emissions` (`n * LABELS`, row per token) under
/// `transitions` (`(LABELS + 1) * LABELS`; row `LABELS` is the sentence start).
pub fn viterbi(emissions: &[f32], transitions: &[f32], out: &mut Vec<u8>) {
    let n = emissions.len() / LABELS;
    out.clear();
    if n == 0 {
        return;
    }
    let mut scores = vec![0.0f32; n * LABELS];
    let mut back = vec![0u8; n * LABELS];
    for label in 0..LABELS {
        scores[label] = if may_follow(None, label as u8) {
            transitions[LABELS * LABELS + label] + emissions[label]
        } else {
            f32::NEG_INFINITY
        };
    }
    for token in 1..n {
        for label in 0..LABELS {
            let mut best = (f32::NEG_INFINITY, 0u8);
            for previous in 0..LABELS {
                if !may_follow(Some(previous as u8), label as u8) {
                    continue;
                }
                let score = scores[(token - 1) * LABELS + previous]
                    + transitions[previous * LABELS + label];
                if score > best.0 {
                    best = (score, previous as u8);
                }
            }
            scores[token * LABELS + label] = best.0 + emissions[token * LABELS + label];
            back[token * LABELS + label] = best.1;
        }
    }
    let last = &scores[(n - 1) * LABELS..];
    let mut label = (0..LABELS)
        .max_by(|&a, &b| last[a].total_cmp(&last[b]))
        .unwrap_or(0) as u8;
    out.resize(n, 0);
    for token in (0..n).rev() {
        out[token] = label;
        label = back[token * LABELS + label as usize];
    }
}

/// Why a model file could not be read.
#[derive(Debug, Error)]
pub enum ModelError {
    #[error("not a name-tagger model (bad magic bytes)")]
    Magic,
    #[error("the model was trained with feature version {found}; this build uses {expected}")]
    Version { found: u32, expected: u32 },
    #[error("the model file ends early")]
    Truncated,
}

/// Feature weights, transitions and clusters.
#[derive(Debug, Clone)]
pub struct Model {
    /// Open-addressing table, one `u64` per slot: the high 32 bits of the feature key (its
    /// fingerprint; the low bits chose the slot) and its weight row + 1; 0 marks an empty
    /// slot. One probe reads one cache line. Two keys that share slot chain and
    /// fingerprint would be confused; with 2^32 fingerprints and chains of one or two
    /// slots that is about one lookup in two billion.
    slots: Vec<u64>,
    /// The full key of each row, for writing the model file.
    keys: Vec<u64>,
    /// `LABELS` quantised weights per feature, in row order; a weight is `value * scale`.
    weights: Vec<i16>,
    scale: f32,
    transitions: Vec<f32>,
    clusters: WordClusters,
}

impl Model {
    /// A model from trained weights (`key`, row) and transitions. Weights are quantised to
    /// 16 bits here, so a model in memory scores exactly as the same model read from a file.
    pub fn from_parts(
        features: Vec<(u64, [f32; LABELS])>,
        transitions: Vec<f32>,
        clusters: WordClusters,
    ) -> Model {
        let largest = features
            .iter()
            .flat_map(|(_, row)| row.iter())
            .fold(0.0f32, |largest, weight| largest.max(weight.abs()));
        let scale = if largest > 0.0 {
            largest / 32767.0
        } else {
            1.0
        };
        let quantised = features
            .into_iter()
            .map(|(key, row)| {
                let mut out = [0i16; LABELS];
                for (to, weight) in out.iter_mut().zip(row) {
                    *to = (weight / scale).round().clamp(-32767.0, 32767.0) as i16;
                }
                (key, out)
            })
            .collect();
        Model::from_quantised(quantised, scale, transitions, clusters)
    }

    fn from_quantised(
        mut features: Vec<(u64, [i16; LABELS])>,
        scale: f32,
        transitions: Vec<f32>,
        clusters: WordClusters,
    ) -> Model {
        assert_eq!(transitions.len(), (LABELS + 1) * LABELS);
        features.sort_unstable_by_key(|(key, _)| *key);
        // At most two thirds full: short probes, small table.
        let capacity = (features.len() * 3 / 2 + 1).next_power_of_two().max(16);
        let mask = capacity - 1;
        let mut slots = vec![0u64; capacity];
        let mut keys = Vec::with_capacity(features.len());
        let mut weights = Vec::with_capacity(features.len() * LABELS);
        for (row, (key, values)) in features.into_iter().enumerate() {
            let mut slot = key as usize & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = (key >> 32) << 32 | (row as u64 + 1);
            keys.push(key);
            weights.extend_from_slice(&values);
        }
        Model {
            slots,
            keys,
            weights,
            scale,
            transitions,
            clusters,
        }
    }

    pub fn clusters(&self) -> &WordClusters {
        &self.clusters
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.len() / LABELS
    }

    /// The weight row of a feature key, if the model has one.
    fn row_index(&self, key: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let fingerprint = key >> 32;
        let mut slot = key as usize & mask;
        loop {
            match self.slots[slot] {
                0 => return None,
                entry if entry >> 32 == fingerprint => {
                    return Some((entry & 0xffff_ffff) as usize - 1);
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// The best labels for one sentence.
    pub fn tag(&self, sentence: &SentenceFeatures, labels: &mut Vec<u8>) {
        let mut emissions = vec![0.0f32; sentence.len() * LABELS];
        // The tables are larger than the caches. Two passes let the misses overlap: first
        // every key is looked up (its slot asked for a few keys ahead), then the rows are
        // summed (each row asked for a few rows ahead).
        let (keys, offsets) = sentence.flat();
        let mask = self.slots.len() - 1;
        let rows: Vec<Option<usize>> = (0..keys.len())
            .map(|at| {
                if let Some(&ahead) = keys.get(at + PREFETCH_DISTANCE) {
                    crate::nlp::prefetch(&self.slots[ahead as usize & mask]);
                }
                self.row_index(keys[at])
            })
            .collect();
        for token in 0..sentence.len() {
            let mut sums = [0i32; LABELS];
            for at in offsets[token]..offsets[token + 1] {
                if let Some(Some(ahead)) = rows.get(at + PREFETCH_DISTANCE) {
                    crate::nlp::prefetch(&self.weights[ahead * LABELS]);
                }
                if let Some(row) = rows[at] {
                    let row = &self.weights[row * LABELS..(row + 1) * LABELS];
                    for (sum, &weight) in sums.iter_mut().zip(row) {
                        *sum += i32::from(weight);
                    }
                }
            }
            for (score, sum) in emissions[token * LABELS..(token + 1) * LABELS]
                .iter_mut()
                .zip(sums)
            {
                *score = sum as f32 * self.scale;
            }
        }
        viterbi(&emissions, &self.transitions, labels);
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        let clusters = self.clusters.entries();
        out.extend_from_slice(&(clusters.len() as u32).to_le_bytes());
        for (hash, [coarse, fine]) in clusters {
            out.extend_from_slice(&hash.to_le_bytes());
            out.extend_from_slice(&coarse.to_le_bytes());
            out.extend_from_slice(&fine.to_le_bytes());
        }
        for value in &self.transitions {
            out.extend_from_slice(&value.to_le_bytes());
        }
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut keyed: Vec<(u64, usize)> = self
            .keys
            .iter()
            .enumerate()
            .map(|(row, &key)| (key, row))
            .collect();
        keyed.sort_unstable();
        out.extend_from_slice(&(keyed.len() as u32).to_le_bytes());
        for (key, row) in keyed {
            out.extend_from_slice(&key.to_le_bytes());
            for weight in &self.weights[row * LABELS..(row + 1) * LABELS] {
                out.extend_from_slice(&weight.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(ModelError::Magic);
        }
        let version = reader.u32()?;
        if version != FEATURE_VERSION {
            return Err(ModelError::Version {
                found: version,
                expected: FEATURE_VERSION,
            });
        }
        let cluster_count = reader.u32()? as usize;
        let mut clusters = Vec::with_capacity(cluster_count.min(bytes.len() / 12));
        for _ in 0..cluster_count {
            let hash = reader.u64()?;
            let coarse = reader.u16()?;
            let fine = reader.u16()?;
            clusters.push((hash, [coarse, fine]));
        }
        let mut transitions = Vec::with_capacity((LABELS + 1) * LABELS);
        for _ in 0..(LABELS + 1) * LABELS {
            transitions.push(reader.f32()?);
        }
        let scale = reader.f32()?;
        let feature_count = reader.u32()? as usize;
        let mut features = Vec::with_capacity(feature_count.min(bytes.len() / 26));
        for _ in 0..feature_count {
            let key = reader.u64()?;
            let mut row = [0i16; LABELS];
            for weight in &mut row {
                *weight = reader.u16()? as i16;
            }
            if key != 0 {
                features.push((key, row));
            }
        }
        Ok(Model::from_quantised(
            features,
            scale,
            transitions,
            WordClusters::from_entries(clusters),
        ))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(count).ok_or(ModelError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(ModelError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let slice = self.take(N)?;
        let mut array = [0u8; N];
        array.copy_from_slice(slice);
        Ok(array)
    }

    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_of_bio_labels() {
        // B-PER I-PER O B-LOC B-LOC I-LOC
        let labels = [1, 5, 0, 3, 3, 7];
        assert_eq!(chunks(&labels), vec![(0, 2, 0), (3, 4, 2), (4, 6, 2)]);
    }

    #[test]
    fn viterbi_never_opens_with_inside() {
        // Token 0 prefers I-PER, which is not allowed first: B-PER wins.
        let mut emissions = vec![0.0f32; 2 * LABELS];
        emissions[5] = 3.0;
        emissions[1] = 1.0;
        emissions[LABELS + 5] = 2.0;
        let transitions = vec![0.0f32; (LABELS + 1) * LABELS];
        let mut labels = Vec::new();
        viterbi(&emissions, &transitions, &mut labels);
        assert_eq!(labels, vec![1, 5]);
    }

    #[test]
    fn models_survive_the_file_format() {
        let mut row = [0.0f32; LABELS];
        row[3] = 1.5;
        row[0] = -0.25;
        let transitions = vec![0.125f32; (LABELS + 1) * LABELS];
        let clusters = WordClusters::from_entries([(42, [1, 7])]);
        let model = Model::from_parts(vec![(99, row)], transitions, clusters);
        let read = Model::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(read.feature_count(), 1);
        let row = read.row_index(99).unwrap();
        let weights = &read.weights[row * LABELS..(row + 1) * LABELS];
        let value = |label: usize| f32::from(weights[label]) * read.scale;
        assert!((value(3) - 1.5).abs() < 1e-3 && (value(0) + 0.25).abs() < 1e-3);
        assert_eq!(read.to_bytes(), model.to_bytes());
        assert!(read.row_index(98).is_none());
        assert_eq!(read.clusters().get(42), Some([1, 7]));
        assert!(matches!(
            Model::from_bytes(b"nonsense"),
            Err(ModelError::Magic)
        ));
        assert!(matches!(
            Model::from_bytes(&model.to_bytes()[..20]),
            Err(ModelError::Truncated)
        ));
    }
}
