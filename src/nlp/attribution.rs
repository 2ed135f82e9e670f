//! The reported-speech tagger: a trained model that marks, in each sentence, the content of
//! reported speech, its source and its cue.
//!
//! The quote stage's rules find reported speech by its cue words; on political news they
//! miss the long tail of cues and often end the content in the wrong place. This model reads
//! each sentence with what the rules found (as features: which words the rules took as
//! content, speaker and cue, and which lie in direct quotes), the words and their clusters,
//! the entity stage's mention types and the distance to the nearest cue word, and labels
//! every token `O`, `B`/`I` of a content, of a source or of a cue. The quote stage then
//! takes the model's content spans (`quotes`).
//!
//! It is a linear model: averaged structured perceptron weights over hashed features, decoded
//! by first-order Viterbi in which an `I` label follows only a `B` or `I` of its own part.
//! It runs in two passes: the second reads the same features plus the first pass's labels
//! ([`stacked_features`]), trained on first-pass labels of models that never saw the
//! sentence (each trained on the other half of the documents). `article-enricher train
//! quotes` builds it from PolNeAR (`src/train.rs`); the committed model in `models/` (card in
//! `models/README.md`) is embedded in the binary and parsed once per process.

use super::tagger::clusters::WordClusters;
use super::tagger::hashing::{hash_str, key, Prehashed, SeededRng};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// Labels: `O`, then `B` and `I` of each [`Part`] in order.
pub const LABEL_COUNT: usize = 7;
/// Bumped whenever the features change: a model of another version is refused.
pub const FEATURE_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"AEATTR2\0";

/// The parts of an attribution the model marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Content = 0,
    Source = 1,
    Cue = 2,
}

const PARTS: [Part; 3] = [Part::Content, Part::Source, Part::Cue];

/// The label of a part's first token (`inside == false`) or of a later one.
pub fn label(part: Part, inside: bool) -> u8 {
    1 + 2 * part as u8 + u8::from(inside)
}

fn label_part(label: u8) -> Option<Part> {
    (label != 0).then(|| PARTS[usize::from((label - 1) / 2)])
}

fn is_inside(label: u8) -> bool {
    label != 0 && (label - 1) % 2 == 1
}

/// Whether `next` may follow `previous` (`None`: sentence start).
fn may_follow(previous: Option<u8>, next: u8) -> bool {
    !is_inside(next) || previous.is_some_and(|p| label_part(p) == label_part(next))
}

/// The token ranges of one part in a label sequence.
pub fn chunks(labels: &[u8], part: Part) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut start = None;
    for (index, &label) in labels.iter().enumerate() {
        let this = label_part(label) == Some(part);
        if let Some(begun) = start {
            if !this || !is_inside(label) {
                found.push(begun..index);
                start = None;
            }
        }
        if this && start.is_none() {
            start = Some(index);
        }
    }
    if let Some(begun) = start {
        found.push(begun..labels.len());
    }
    found
}

/// What the rules and the entity stage say about one token, the model's non-lexical input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenMarks {
    /// Bit flags: [`RULE_CONTENT`], [`RULE_CONTENT_START`], [`RULE_SPEAKER`], [`RULE_CUE`],
    /// [`DIRECT`], [`QUOTED`].
    pub rules: u8,
    /// 0 none, 1 person, 2 organisation, 3 place, 4 other name, 5 pronoun, 6 description.
    pub mention: u8,
    /// 0 none, 1 speech verb, 2 stance verb, 3 "according", 4 another word the rules took
    /// as a cue.
    pub cue_word: u8,
}

pub const RULE_CONTENT: u8 = 1;
pub const RULE_CONTENT_START: u8 = 1 << 1;
pub const RULE_SPEAKER: u8 = 1 << 2;
pub const RULE_CUE: u8 = 1 << 3;
pub const DIRECT: u8 = 1 << 4;
pub const QUOTED: u8 = 1 << 5;

/// Words that may end a clause inside a sentence, counted between a cue and a token.
const CLAUSE_BREAK_WORDS: &[&str] = &[
    ";", "—", "–", "--", "but", "while", "whereas", "because", "although", "though", "which",
    "who", "and", "(", ")",
];

/// Feature keys of every token of a sentence.
#[derive(Debug, Clone, Default)]
pub struct SentenceFeatures {
    keys: Vec<u64>,
    /// `keys[starts[i]..starts[i + 1]]` are the keys of token `i`.
    starts: Vec<usize>,
    /// The hash of each lower-cased word.
    words: Vec<u64>,
}

impl SentenceFeatures {
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn token(&self, index: usize) -> &[u64] {
        &self.keys[self.starts[index]..self.starts[index + 1]]
    }
}

/// A distance in tokens, in buckets (0, 1, 2, 3, 4-6, 7-10, 11+; no distance shares the
/// bucket of 0).
fn distance_bucket(distance: Option<usize>) -> u64 {
    match distance {
        None => 0,
        Some(0..=3) => distance.unwrap_or(0) as u64,
        Some(4..=6) => 4,
        Some(7..=10) => 5,
        Some(_) => 6,
    }
}

/// The shape of a word: case of the first letter, and whether it is a number or punctuation.
fn shape(word: &str) -> u64 {
    match word.chars().next() {
        Some(c) if c.is_uppercase() => 1,
        Some(c) if c.is_lowercase() => 2,
        Some(c) if c.is_numeric() => 3,
        Some(',') => 4,
        Some(_) => 5,
        None => 0,
    }
}

/// The features of one sentence: `words` as written, `lower` lower-cased, `marks` per
/// token, `word_clusters` the (coarse, fine) clusters of lower-cased words.
pub fn sentence_features(
    words: &[&str],
    lower: &[&str],
    marks: &[TokenMarks],
    word_clusters: &WordClusters,
    out: &mut SentenceFeatures,
) {
    out.keys.clear();
    out.starts.clear();
    let count = words.len();
    // Each word is hashed once: the hash keys its features and finds its clusters.
    let hashes: Vec<u64> = lower.iter().map(|word| hash_str(word)).collect();
    let clusters: Vec<Option<[u16; 2]>> =
        hashes.iter().map(|&hash| word_clusters.get(hash)).collect();
    let shapes: Vec<u64> = words.iter().map(|word| shape(word)).collect();
    let word = |index: isize| -> u64 {
        if index < 0 {
            1
        } else {
            hashes.get(index as usize).copied().unwrap_or(2)
        }
    };
    let mark = |index: isize| -> TokenMarks {
        if index < 0 {
            TokenMarks {
                rules: 0xff,
                ..TokenMarks::default()
            }
        } else {
            marks.get(index as usize).copied().unwrap_or(TokenMarks {
                rules: 0xfe,
                ..TokenMarks::default()
            })
        }
    };
    // A token's cluster at one granularity (0 coarse, 1 fine), with values of their own
    // before the sentence, after it and for words without a cluster.
    let cluster = |index: isize, granularity: usize| -> u64 {
        if index < 0 {
            0x1_0000
        } else {
            clusters.get(index as usize).map_or(0x2_0000, |c| {
                c.map_or(0x3_0000, |c| u64::from(c[granularity]))
            })
        }
    };
    let coarse = |index: isize| cluster(index, 0);
    let fine = |index: isize| cluster(index, 1);
    // The nearest cue word on each side of every token, and the commas between.
    let mut left_cue: Vec<Option<usize>> = vec![None; count];
    let mut last = None;
    for index in 0..count {
        left_cue[index] = last;
        if marks[index].cue_word != 0 {
            last = Some(index);
        }
    }
    let mut right_cue: Vec<Option<usize>> = vec![None; count];
    let mut next = None;
    for index in (0..count).rev() {
        right_cue[index] = next;
        if marks[index].cue_word != 0 {
            next = Some(index);
        }
    }
    let mut commas_before = vec![0u64; count];
    let mut breaks_before = vec![0u64; count];
    let (mut commas, mut breaks) = (0, 0);
    for index in 0..count {
        commas_before[index] = commas;
        breaks_before[index] = breaks;
        if words[index] == "," {
            commas += 1;
        }
        if CLAUSE_BREAK_WORDS.contains(&lower[index]) {
            breaks += 1;
        }
    }
    // The nearest rule speaker and person or pronoun mention on the left of every token.
    let mut left_speaker: Vec<Option<usize>> = vec![None; count];
    let mut left_person: Vec<Option<usize>> = vec![None; count];
    let (mut speaker, mut person) = (None, None);
    for index in 0..count {
        left_speaker[index] = speaker;
        left_person[index] = person;
        if marks[index].rules & RULE_SPEAKER != 0 {
            speaker = Some(index);
        }
        if matches!(marks[index].mention, 1 | 2 | 5 | 6) {
            person = Some(index);
        }
    }
    let mut open_brackets = vec![0i32; count];
    let mut depth = 0;
    for index in 0..count {
        if words[index] == ")" {
            depth -= 1;
        }
        open_brackets[index] = depth;
        if words[index] == "(" {
            depth += 1;
        }
    }
    let sentence_has_rule_content = marks.iter().any(|m| m.rules & RULE_CONTENT != 0);
    let sentence_has_cue = marks.iter().any(|m| m.cue_word != 0);
    let first_word = word(0);
    for index in 0..count {
        out.starts.push(out.keys.len());
        let i = index as isize;
        let m = marks[index];
        let keys = &mut out.keys;
        keys.push(key(0, &[]));
        keys.push(key(1, &[word(i)]));
        keys.push(key(2, &[word(i - 1)]));
        keys.push(key(3, &[word(i + 1)]));
        keys.push(key(4, &[word(i - 2)]));
        keys.push(key(5, &[word(i + 2)]));
        keys.push(key(6, &[word(i - 1), word(i)]));
        keys.push(key(7, &[word(i), word(i + 1)]));
        let shape_at = |j: isize| -> u64 {
            if j < 0 {
                6
            } else {
                shapes.get(j as usize).copied().unwrap_or(7)
            }
        };
        keys.push(key(8, &[shape_at(i)]));
        keys.push(key(9, &[shape_at(i - 1), shape_at(i), shape_at(i + 1)]));
        let suffix_start = lower[index]
            .char_indices()
            .rev()
            .nth(2)
            .map_or(0, |(at, _)| at);
        keys.push(key(10, &[hash_str(&lower[index][suffix_start..])]));
        if let Some([_, fine]) = clusters[index] {
            keys.push(key(11, &[u64::from(fine)]));
        }
        keys.push(key(12, &[coarse(i - 1), coarse(i), coarse(i + 1)]));
        keys.push(key(13, &[u64::from(m.rules)]));
        keys.push(key(14, &[u64::from(mark(i - 1).rules), u64::from(m.rules)]));
        keys.push(key(15, &[u64::from(m.rules), u64::from(mark(i + 1).rules)]));
        keys.push(key(16, &[u64::from(m.mention)]));
        keys.push(key(
            17,
            &[
                u64::from(mark(i - 1).mention),
                u64::from(m.mention),
                u64::from(mark(i + 1).mention),
            ],
        ));
        keys.push(key(18, &[u64::from(m.cue_word)]));
        let left = left_cue[index];
        let left_distance = distance_bucket(left.map(|cue| index - cue));
        keys.push(key(19, &[left_distance]));
        if let Some(cue) = left {
            keys.push(key(20, &[hashes[cue], left_distance]));
            let commas_between = (commas_before[index] - commas_before[cue]).min(3);
            keys.push(key(21, &[left_distance, commas_between]));
            keys.push(key(22, &[u64::from(marks[cue].rules), left_distance]));
        }
        let right = right_cue[index];
        let right_distance = distance_bucket(right.map(|cue| cue - index));
        keys.push(key(23, &[right_distance]));
        if let Some(cue) = right {
            keys.push(key(24, &[hashes[cue], right_distance]));
            keys.push(key(25, &[u64::from(marks[cue].rules), right_distance]));
        }
        keys.push(key(26, &[distance_bucket(Some(index)), shape_at(i)]));
        keys.push(key(27, &[distance_bucket(Some(count - 1 - index))]));
        keys.push(key(
            28,
            &[
                u64::from(sentence_has_rule_content),
                u64::from(sentence_has_cue),
                u64::from(m.rules & RULE_CONTENT != 0),
            ],
        ));
        keys.push(key(29, &[first_word, distance_bucket(Some(index))]));
        keys.push(key(30, &[commas_before[index].min(4)]));
        if let Some(cue) = left {
            keys.push(key(31, &[hashes[cue], word(i)]));
        }
        keys.push(key(
            32,
            &[
                distance_bucket(left_speaker[index].map(|s| index - s)),
                left_distance,
            ],
        ));
        keys.push(key(
            33,
            &[distance_bucket(left_person[index].map(|s| index - s))],
        ));
        keys.push(key(34, &[word(i - 3)]));
        keys.push(key(35, &[word(i + 3)]));
        keys.push(key(36, &[fine(i - 1), fine(i)]));
        if let Some(cue) = left {
            let breaks_between =
                (breaks_before[index] - breaks_before[cue + 1].min(breaks_before[index])).min(2);
            keys.push(key(38, &[breaks_between, left_distance]));
            keys.push(key(39, &[fine(cue as isize), left_distance]));
            keys.push(key(40, &[word(i), left_distance]));
            keys.push(key(
                41,
                &[coarse(i), left_distance, u64::from(m.rules & RULE_CONTENT)],
            ));
        }
        keys.push(key(42, &[word(i), u64::from(m.rules)]));
        if let Some(cue) = right {
            let breaks_between =
                (breaks_before[cue] - breaks_before[index + 1].min(breaks_before[cue])).min(2);
            keys.push(key(43, &[word(i), right_distance]));
            keys.push(key(44, &[breaks_between, right_distance]));
            keys.push(key(45, &[fine(cue as isize), right_distance]));
        }
        if let Some(cue) = left {
            keys.push(key(
                46,
                &[u64::from(mark(cue as isize - 1).mention), left_distance],
            ));
        }
        keys.push(key(47, &[u64::from(open_brackets[index] > 0)]));

        keys.push(key(37, &[fine(i), fine(i + 1)]));
    }
    out.starts.push(out.keys.len());
    out.words = hashes;
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a reported-speech model file (bad magic bytes)")]
    Magic,
    #[error("the model was built for feature version {found}, this build uses {FEATURE_VERSION}: rebuild it with `article-enricher train quotes`")]
    Version { found: u32 },
    #[error("the model file is truncated or corrupt")]
    Truncated,
}

/// A feature key with its weights, one per label, quantised: weight = value * `scale`.
/// Key 0 marks an empty slot (feature keys are never 0).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u64,
    row: [i16; LABEL_COUNT],
}

/// Feature weights in an open-addressing table at most half full, key and weights side by
/// side: a lookup touches one cache line most of the time.
#[derive(Debug, Clone)]
struct WeightTable {
    slots: Vec<Slot>,
    len: usize,
}

impl WeightTable {
    fn with_capacity(count: usize) -> WeightTable {
        WeightTable {
            slots: vec![Slot::default(); (count * 2).next_power_of_two().max(16)],
            len: 0,
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    fn insert(&mut self, key: u64, row: [i16; LABEL_COUNT]) {
        let mut at = key as usize & self.mask();
        while self.slots[at].key != 0 && self.slots[at].key != key {
            at = (at + 1) & self.mask();
        }
        if self.slots[at].key == 0 {
            self.len += 1;
        }
        self.slots[at] = Slot { key, row };
    }

    /// Hints the processor to load the first slot of `key` into the cache.
    fn prefetch(&self, key: u64) {
        crate::nlp::prefetch(&self.slots[key as usize & self.mask()]);
    }

    fn get(&self, key: u64) -> Option<&[i16; LABEL_COUNT]> {
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

    /// The entries in key order.
    fn sorted(&self) -> Vec<&Slot> {
        let mut slots: Vec<&Slot> = self.slots.iter().filter(|slot| slot.key != 0).collect();
        slots.sort_unstable_by_key(|slot| slot.key);
        slots
    }
}

/// How many feature lookups ahead the tagger asks for a weight slot.
const PREFETCH_DISTANCE: usize = 64;

/// Weights of one pass of the tagger.
#[derive(Debug, Clone)]
struct Stage {
    weights: WeightTable,
    scale: f32,
    /// `transitions[from][to]`, `from == LABEL_COUNT` being the sentence start.
    transitions: [[f32; LABEL_COUNT]; LABEL_COUNT + 1],
}

/// The reported-speech tagger: a first pass over the sentence features and, when trained
/// stacked, a second pass that also reads the first pass's labels ([`stacked_features`]).
#[derive(Debug, Clone)]
pub struct AttributionModel {
    first: Stage,
    second: Option<Stage>,
}

/// The committed model, embedded at build time.
const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/reported-speech.bin");

/// The embedded model, parsed on first use.
pub fn embedded_model() -> Arc<AttributionModel> {
    static MODEL: LazyLock<Arc<AttributionModel>> =
        LazyLock::new(|| {
            Arc::new(AttributionModel::from_bytes(EMBEDDED_MODEL).expect(
                "the embedded reported-speech model is readable (a build defect otherwise)",
            ))
        });
    Arc::clone(&MODEL)
}

/// Reads model bytes piece by piece.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let piece = self
            .bytes
            .get(self.at..self.at + N)
            .ok_or(ModelError::Truncated)?;
        self.at += N;
        piece.try_into().map_err(|_| ModelError::Truncated)
    }
}

impl Stage {
    /// A stage from averaged weights (one row of [`LABEL_COUNT`] per key) and transitions.
    fn from_weights(
        rows: Vec<(u64, [f32; LABEL_COUNT])>,
        transitions: [[f32; LABEL_COUNT]; LABEL_COUNT + 1],
    ) -> Stage {
        let largest = rows
            .iter()
            .flat_map(|(_, row)| row.iter())
            .fold(0.0f32, |max, weight| max.max(weight.abs()));
        let scale = if largest > 0.0 {
            largest / f32::from(i16::MAX)
        } else {
            1.0
        };
        let kept: Vec<(u64, [i16; LABEL_COUNT])> = rows
            .into_iter()
            .map(|(feature, row)| (feature, row.map(|weight| (weight / scale).round() as i16)))
            .filter(|(_, row)| row.iter().any(|&weight| weight != 0))
            .collect();
        let mut weights = WeightTable::with_capacity(kept.len());
        for (feature, row) in kept {
            weights.insert(feature, row);
        }
        Stage {
            weights,
            scale,
            transitions,
        }
    }

    fn tag(&self, sentence: &SentenceFeatures, labels: &mut Vec<u8>) {
        let mut emissions = vec![0.0f32; sentence.len() * LABEL_COUNT];
        let keys = &sentence.keys;
        for index in 0..sentence.len() {
            let mut sums = [0i32; LABEL_COUNT];
            let (start, end) = (sentence.starts[index], sentence.starts[index + 1]);
            for at in start..end {
                // The table is larger than the caches: ask for the slot of a key a few
                // lookups ahead, so that the misses overlap instead of queueing.
                if let Some(&ahead) = keys.get(at + PREFETCH_DISTANCE) {
                    self.weights.prefetch(ahead);
                }
                if let Some(row) = self.weights.get(keys[at]) {
                    for (sum, &weight) in sums.iter_mut().zip(row) {
                        *sum += i32::from(weight);
                    }
                }
            }
            for (label, sum) in sums.iter().enumerate() {
                emissions[index * LABEL_COUNT + label] = *sum as f32 * self.scale;
            }
        }
        viterbi(&emissions, &self.transitions, labels);
    }

    fn write(&self, bytes: &mut Vec<u8>) {
        bytes.extend_from_slice(&self.scale.to_le_bytes());
        for row in &self.transitions {
            for weight in row {
                bytes.extend_from_slice(&weight.to_le_bytes());
            }
        }
        let rows = self.weights.sorted();
        bytes.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for slot in rows {
            bytes.extend_from_slice(&slot.key.to_le_bytes());
            for weight in &slot.row {
                bytes.extend_from_slice(&weight.to_le_bytes());
            }
        }
    }

    fn read(reader: &mut Reader<'_>) -> Result<Stage, ModelError> {
        let scale = f32::from_le_bytes(reader.take()?);
        let mut transitions = [[0.0f32; LABEL_COUNT]; LABEL_COUNT + 1];
        for row in transitions.iter_mut() {
            for weight in row.iter_mut() {
                *weight = f32::from_le_bytes(reader.take()?);
            }
        }
        let count = usize::try_from(u64::from_le_bytes(reader.take()?))
            .map_err(|_| ModelError::Truncated)?;
        if count > reader.bytes.len() / (8 + 2 * LABEL_COUNT) {
            return Err(ModelError::Truncated);
        }
        let mut weights = WeightTable::with_capacity(count);
        for _ in 0..count {
            let feature = u64::from_le_bytes(reader.take()?);
            if feature == 0 {
                return Err(ModelError::Truncated);
            }
            let mut row = [0i16; LABEL_COUNT];
            for weight in row.iter_mut() {
                *weight = i16::from_le_bytes(reader.take()?);
            }
            weights.insert(feature, row);
        }
        Ok(Stage {
            weights,
            scale,
            transitions,
        })
    }
}

impl AttributionModel {
    /// Features with a non-zero weight, over both passes.
    pub fn feature_count(&self) -> usize {
        self.first.weights.len + self.second.as_ref().map_or(0, |stage| stage.weights.len)
    }

    /// Whether the model has a second, stacked pass.
    pub fn is_stacked(&self) -> bool {
        self.second.is_some()
    }

    /// The best label sequence for a sentence.
    pub fn tag(&self, sentence: &SentenceFeatures, labels: &mut Vec<u8>) {
        self.first.tag(sentence, labels);
        if let Some(second) = &self.second {
            let mut stacked = SentenceFeatures::default();
            stacked_features(sentence, labels, &mut stacked);
            second.tag(&stacked, labels);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        bytes.push(1 + u8::from(self.second.is_some()));
        self.first.write(&mut bytes);
        if let Some(second) = &self.second {
            second.write(&mut bytes);
        }
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<AttributionModel, ModelError> {
        let mut reader = Reader { bytes, at: 0 };
        if &reader.take::<8>()? != MAGIC {
            return Err(ModelError::Magic);
        }
        let version = u32::from_le_bytes(reader.take()?);
        if version != FEATURE_VERSION {
            return Err(ModelError::Version { found: version });
        }
        let [stages] = reader.take::<1>()?;
        if !(1..=2).contains(&stages) {
            return Err(ModelError::Truncated);
        }
        let first = Stage::read(&mut reader)?;
        let second = (stages == 2)
            .then(|| Stage::read(&mut reader))
            .transpose()?;
        if reader.at != bytes.len() {
            return Err(ModelError::Truncated);
        }
        Ok(AttributionModel { first, second })
    }
}

/// The features of a sentence for the second pass: its own features plus those of the
/// first pass's labels (the label of the token and its neighbours, the distance to the
/// nearest cue the first pass marked on each side, whether it marked a source before that
/// cue, and the word with its first-pass label).
pub fn stacked_features(base: &SentenceFeatures, first: &[u8], out: &mut SentenceFeatures) {
    out.keys.clear();
    out.starts.clear();
    out.words.clone_from(&base.words);
    let count = base.len();
    let at = |index: isize| -> u64 {
        if index < 0 {
            100
        } else {
            first
                .get(index as usize)
                .map_or(101, |&label| u64::from(label))
        }
    };
    let cue = label(Part::Cue, false);
    let cue_inside = label(Part::Cue, true);
    let is_cue = |label: u8| label == cue || label == cue_inside;
    let mut left_cue = vec![None; count];
    let mut source_before_cue = vec![false; count];
    let (mut last, mut source_seen, mut source_at_cue) = (None, false, false);
    for index in 0..count {
        left_cue[index] = last;
        source_before_cue[index] = source_at_cue;
        if label_part(first[index]) == Some(Part::Source) {
            source_seen = true;
        }
        if is_cue(first[index]) {
            last = Some(index);
            source_at_cue = source_seen;
        }
    }
    let mut right_cue = vec![None; count];
    let mut next = None;
    for index in (0..count).rev() {
        right_cue[index] = next;
        if is_cue(first[index]) {
            next = Some(index);
        }
    }
    let contents = first
        .iter()
        .filter(|&&l| label_part(l) == Some(Part::Content))
        .count()
        .min(3) as u64;
    for index in 0..count {
        out.starts.push(out.keys.len());
        let i = index as isize;
        out.keys.extend_from_slice(base.token(index));
        let left = distance_bucket(left_cue[index].map(|c| index - c));
        let right = distance_bucket(right_cue[index].map(|c| c - index));
        out.keys.push(key(100, &[at(i)]));
        out.keys.push(key(101, &[at(i - 1), at(i)]));
        out.keys.push(key(102, &[at(i), at(i + 1)]));
        out.keys
            .push(key(103, &[left, u64::from(source_before_cue[index])]));
        out.keys.push(key(104, &[right, at(i)]));
        out.keys.push(key(105, &[base.words[index], at(i)]));
        out.keys.push(key(106, &[contents, at(i)]));
        out.keys.push(key(107, &[at(i - 2), at(i - 1), at(i)]));
    }
    out.starts.push(out.keys.len());
}

/// First-order Viterbi over [`LABEL_COUNT`] labels with the BIO constraint.
fn viterbi(
    emissions: &[f32],
    transitions: &[[f32; LABEL_COUNT]; LABEL_COUNT + 1],
    out: &mut Vec<u8>,
) {
    out.clear();
    let length = emissions.len() / LABEL_COUNT;
    if length == 0 {
        return;
    }
    let mut scores = vec![f32::NEG_INFINITY; length * LABEL_COUNT];
    let mut back = vec![0u8; length * LABEL_COUNT];
    for label in 0..LABEL_COUNT {
        if may_follow(None, label as u8) {
            scores[label] = transitions[LABEL_COUNT][label] + emissions[label];
        }
    }
    for index in 1..length {
        for label in 0..LABEL_COUNT {
            let mut best = (f32::NEG_INFINITY, 0u8);
            for previous in 0..LABEL_COUNT {
                let before = scores[(index - 1) * LABEL_COUNT + previous];
                if before == f32::NEG_INFINITY || !may_follow(Some(previous as u8), label as u8) {
                    continue;
                }
                let score = before + transitions[previous][label];
                if score > best.0 {
                    best = (score, previous as u8);
                }
            }
            scores[index * LABEL_COUNT + label] = best.0 + emissions[index * LABEL_COUNT + label];
            back[index * LABEL_COUNT + label] = best.1;
        }
    }
    let last = (length - 1) * LABEL_COUNT;
    let mut label = (0..LABEL_COUNT)
        .max_by(|&a, &b| scores[last + a].total_cmp(&scores[last + b]))
        .unwrap_or(0) as u8;
    out.resize(length, 0);
    for index in (0..length).rev() {
        out[index] = label;
        label = back[index * LABEL_COUNT + usize::from(label)];
    }
}

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainingOptions {
    pub epochs: usize,
    pub seed: u64,
    /// Features seen fewer times than this in the training data are not used.
    pub min_feature_count: u32,
    /// Train a second pass on the first pass's labels, the first-pass labels of the training
    /// sentences coming from two models trained on the other half of the documents each.
    pub stacked: bool,
}

impl Default for TrainingOptions {
    fn default() -> Self {
        TrainingOptions {
            epochs: 14,
            seed: 1,
            min_feature_count: 8,
            stacked: true,
        }
    }
}

/// A labelled training sentence: its features, gold labels and the document it comes from
/// (sentences of one document stay in one half when the second pass is trained).
#[derive(Debug, Clone)]
pub struct TrainingSentence {
    pub features: SentenceFeatures,
    pub labels: Vec<u8>,
    pub document: usize,
}

/// Trains the tagger by the averaged structured perceptron. `on_epoch` hears (pass name,
/// epoch, sentences decoded wrongly).
pub fn train(
    sentences: &[TrainingSentence],
    options: &TrainingOptions,
    on_epoch: &mut dyn FnMut(&str, usize, usize),
) -> AttributionModel {
    let all: Vec<(&SentenceFeatures, &[u8])> = sentences
        .iter()
        .map(|s| (&s.features, s.labels.as_slice()))
        .collect();
    let first = train_stage(&all, options, &mut |epoch, errors| {
        on_epoch("first", epoch, errors)
    });
    if !options.stacked {
        return AttributionModel {
            first,
            second: None,
        };
    }
    // First-pass labels of each half from a model that never saw it.
    let half = |which: usize| -> Vec<(&SentenceFeatures, &[u8])> {
        sentences
            .iter()
            .filter(|s| s.document % 2 == which)
            .map(|s| (&s.features, s.labels.as_slice()))
            .collect()
    };
    let halves = [
        train_stage(&half(0), options, &mut |epoch, errors| {
            on_epoch("half 0", epoch, errors)
        }),
        train_stage(&half(1), options, &mut |epoch, errors| {
            on_epoch("half 1", epoch, errors)
        }),
    ];
    let mut labels = Vec::new();
    let stacked: Vec<SentenceFeatures> = sentences
        .iter()
        .map(|sentence| {
            halves[1 - sentence.document % 2].tag(&sentence.features, &mut labels);
            let mut features = SentenceFeatures::default();
            stacked_features(&sentence.features, &labels, &mut features);
            features
        })
        .collect();
    let second_examples: Vec<(&SentenceFeatures, &[u8])> = stacked
        .iter()
        .zip(sentences)
        .map(|(features, sentence)| (features, sentence.labels.as_slice()))
        .collect();
    let second = train_stage(&second_examples, options, &mut |epoch, errors| {
        on_epoch("second", epoch, errors)
    });
    AttributionModel {
        first,
        second: Some(second),
    }
}

/// Trains one pass. `on_epoch` hears (epoch, sentences decoded wrongly).
fn train_stage(
    examples: &[(&SentenceFeatures, &[u8])],
    options: &TrainingOptions,
    on_epoch: &mut dyn FnMut(usize, usize),
) -> Stage {
    let mut counts: HashMap<u64, u32, Prehashed> = HashMap::with_hasher(Prehashed);
    for (features, _) in examples {
        for &feature in &features.keys {
            *counts.entry(feature).or_default() += 1;
        }
    }
    let mut keys: Vec<u64> = counts
        .iter()
        .filter(|(_, &count)| count >= options.min_feature_count)
        .map(|(&feature, _)| feature)
        .collect();
    keys.sort_unstable();
    let index_of: HashMap<u64, u32, Prehashed> = keys
        .iter()
        .enumerate()
        .map(|(index, &feature)| (feature, index as u32))
        .collect();
    // Sentences as dense feature indices.
    let encoded: Vec<Encoded> = examples
        .iter()
        .map(|&(features, labels)| {
            let mut indices = Vec::new();
            let mut offsets = vec![0u32];
            for token in 0..features.len() {
                indices.extend(
                    features
                        .token(token)
                        .iter()
                        .filter_map(|feature| index_of.get(feature)),
                );
                offsets.push(indices.len() as u32);
            }
            Encoded {
                indices,
                offsets,
                labels,
            }
        })
        .collect();
    let size = keys.len() * LABEL_COUNT + (LABEL_COUNT + 1) * LABEL_COUNT;
    let weights = train_run(&encoded, size, options.epochs, options.seed, on_epoch);
    let transition_base = keys.len() * LABEL_COUNT;
    let rows = keys
        .iter()
        .enumerate()
        .map(|(index, &feature)| {
            let mut row = [0.0f32; LABEL_COUNT];
            row.copy_from_slice(&weights[index * LABEL_COUNT..(index + 1) * LABEL_COUNT]);
            (feature, row)
        })
        .collect();
    let mut transitions = [[0.0f32; LABEL_COUNT]; LABEL_COUNT + 1];
    for (from, row) in transitions.iter_mut().enumerate() {
        for (to, weight) in row.iter_mut().enumerate() {
            *weight = weights[transition_base + from * LABEL_COUNT + to];
        }
    }
    Stage::from_weights(rows, transitions)
}

/// One training sentence as dense feature indices.
struct Encoded<'a> {
    indices: Vec<u32>,
    /// `indices[offsets[i]..offsets[i + 1]]` are the features of token `i`.
    offsets: Vec<u32>,
    labels: &'a [u8],
}

/// One perceptron run; returns the averaged weights: a row of [`LABEL_COUNT`] per feature,
/// then the transitions.
fn train_run(
    encoded: &[Encoded<'_>],
    size: usize,
    epochs: usize,
    seed: u64,
    on_epoch: &mut dyn FnMut(usize, usize),
) -> Vec<f32> {
    let width = LABEL_COUNT;
    let transition_base = size - (LABEL_COUNT + 1) * LABEL_COUNT;
    let mut current = vec![0.0f32; size];
    let mut weighted = vec![0.0f32; size];
    let mut step = 1.0f32;
    let mut order: Vec<usize> = (0..encoded.len()).collect();
    let mut rng = SeededRng::new(seed);
    let mut predicted = Vec::new();
    let mut emissions = Vec::new();
    let transition = |from: Option<u8>, to: u8| -> usize {
        transition_base
            + usize::from(from.unwrap_or(LABEL_COUNT as u8)) * LABEL_COUNT
            + usize::from(to)
    };
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let mut errors = 0;
        for &example in &order {
            let Encoded {
                indices,
                offsets,
                labels: gold,
            } = &encoded[example];
            let length = gold.len();
            let features_of =
                |token: usize| &indices[offsets[token] as usize..offsets[token + 1] as usize];
            emissions.clear();
            emissions.resize(length * width, 0.0f32);
            for token in 0..length {
                for &feature in features_of(token) {
                    let base = feature as usize * width;
                    for label in 0..width {
                        emissions[token * width + label] += current[base + label];
                    }
                }
            }
            let mut transitions = [[0.0f32; LABEL_COUNT]; LABEL_COUNT + 1];
            for (from, row) in transitions.iter_mut().enumerate() {
                for (to, weight) in row.iter_mut().enumerate() {
                    *weight = current[transition_base + from * LABEL_COUNT + to];
                }
            }
            viterbi(&emissions, &transitions, &mut predicted);
            if predicted.as_slice() != *gold {
                errors += 1;
                let mut update = |labels: &[u8], change: f32| {
                    for token in 0..length {
                        let label = usize::from(labels[token]);
                        for &feature in features_of(token) {
                            let at = feature as usize * width + label;
                            current[at] += change;
                            weighted[at] += step * change;
                        }
                        let previous = token.checked_sub(1).map(|p| labels[p]);
                        let at = transition(previous, labels[token]);
                        current[at] += change;
                        weighted[at] += step * change;
                    }
                };
                update(gold, 1.0);
                update(&predicted, -1.0);
            }
            step += 1.0;
        }
        on_epoch(epoch + 1, errors);
    }
    current
        .iter()
        .zip(&weighted)
        .map(|(current, weighted)| current - weighted / step)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_through_parts_and_chunks() {
        let content = label(Part::Content, false);
        let inside = label(Part::Content, true);
        let source = label(Part::Source, false);
        assert!(may_follow(Some(content), inside));
        assert!(!may_follow(Some(source), inside));
        assert!(!may_follow(None, inside));
        let labels = [source, 0, content, inside, inside, 0, content];
        assert_eq!(chunks(&labels, Part::Content), vec![2..5, 6..7]);
        assert_eq!(chunks(&labels, Part::Source), vec![0..1]);
    }

    /// Sentences of a toy language: "NAME says WORDS ." where the words after "says" are
    /// the content, and "NAME walks WORDS ." where nothing is.
    fn toy_sentences(count: usize, seed: u64) -> Vec<TrainingSentence> {
        let mut rng = SeededRng::new(seed);
        let names = ["Avery", "Brook", "Corin", "Dale"];
        let words = [
            "rain", "will", "come", "soon", "the", "bridge", "opens", "late",
        ];
        (0..count)
            .map(|number| {
                let speaks = rng.below(2) == 0;
                let mut sentence = vec![names[rng.below(names.len())]];
                sentence.push(if speaks { "says" } else { "walks" });
                for _ in 0..2 + rng.below(4) {
                    sentence.push(words[rng.below(words.len())]);
                }
                sentence.push(".");
                let lower: Vec<String> = sentence.iter().map(|w| w.to_lowercase()).collect();
                let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
                let marks: Vec<TokenMarks> = sentence
                    .iter()
                    .map(|word| TokenMarks {
                        cue_word: u8::from(*word == "says"),
                        ..TokenMarks::default()
                    })
                    .collect();
                let mut features = SentenceFeatures::default();
                sentence_features(
                    &sentence,
                    &lower,
                    &marks,
                    &WordClusters::from_entries([]),
                    &mut features,
                );
                let last = sentence.len() - 1;
                let labels = (0..sentence.len())
                    .map(|index| match index {
                        0 if speaks => label(Part::Source, false),
                        1 if speaks => label(Part::Cue, false),
                        2 if speaks => label(Part::Content, false),
                        i if speaks && i < last => label(Part::Content, true),
                        _ => 0,
                    })
                    .collect();
                TrainingSentence {
                    features,
                    labels,
                    document: number / 3,
                }
            })
            .collect()
    }

    #[test]
    fn training_learns_and_the_model_file_round_trips() {
        let training = toy_sentences(300, 1);
        let options = TrainingOptions {
            epochs: 5,
            min_feature_count: 1,
            ..TrainingOptions::default()
        };
        let model = train(&training, &options, &mut |_, _, _| {});
        assert!(model.is_stacked());
        let held_out = toy_sentences(50, 2);
        let mut labels = Vec::new();
        let right = held_out
            .iter()
            .filter(|sentence| {
                model.tag(&sentence.features, &mut labels);
                labels == sentence.labels
            })
            .count();
        assert!(right >= 48, "{right} of 50 held-out sentences tagged right");
        // The file gives the same model, and the same seed the same file.
        let bytes = model.to_bytes();
        let read = AttributionModel::from_bytes(&bytes).expect("a model file");
        assert_eq!(read.to_bytes(), bytes);
        assert_eq!(
            train(&training, &options, &mut |_, _, _| {}).to_bytes(),
            bytes
        );
        // A damaged file is refused with a reason.
        assert!(matches!(
            AttributionModel::from_bytes(&bytes[..bytes.len() - 1]),
            Err(ModelError::Truncated)
        ));
        assert!(matches!(
            AttributionModel::from_bytes(b"not a model"),
            Err(ModelError::Magic)
        ));
    }

    #[test]
    fn the_embedded_model_loads() {
        assert!(embedded_model().feature_count() > 0);
    }
}
