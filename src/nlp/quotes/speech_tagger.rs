//! The reported-speech tagger: a trained model that marks, in each sentence, the content of
//! reported speech, its source and its cue.
//!
//! The quote stage's rules find reported speech by its cue words; on political news they
//! miss the long tail of cues and often end the content in the wrong place. This model reads
//! each sentence with what the rules found (as features: which words the rules took as
//! content, speaker and cue, and which lie in direct quotes), the words and their clusters,
//! the entity stage's mention types and the distance to the nearest cue word, and labels
//! every token `O`, `B`/`I` of a content, of a source or of a cue. The quote stage then
//! takes the model's content spans (`tagger_merge.rs` turns the rules' findings into this
//! model's input and merges its spans back).
//!
//! It is a linear model, the one both taggers share ([`crate::nlp::linear`]): averaged
//! structured perceptron weights over hashed features, decoded by first-order Viterbi in which
//! an `I` label follows only a `B` or `I` of its own part. This file holds its labels, its
//! features and its file layout. It runs in two passes: the second reads the same features
//! plus the first pass's labels ([`stacked_features`]), trained on first-pass labels of
//! models that never saw the sentence (each trained on the other half of the documents).
//! `article-enricher train quotes` builds it from PolNeAR (`src/commands/train/`); the
//! committed model in `models/` (card in `models/README.md`) is embedded in the binary and
//! parsed once per process.

use crate::nlp::lexicon::lexicon;
use crate::nlp::linear::clusters::WordClusters;
pub use crate::nlp::linear::file::ModelError;
use crate::nlp::linear::file::{write_f32s, Header, Reader};
use crate::nlp::linear::hashing::{hash_str, key};
use crate::nlp::linear::train::{
    self as perceptron, Example, FeatureIndex, PerceptronOptions, Update,
};
use crate::nlp::linear::viterbi::{viterbi, Allowed};
use crate::nlp::linear::{SequenceModel, TwoPassWeights, Weights};
use std::sync::{Arc, LazyLock, OnceLock};

/// Labels: `O`, then `B` and `I` of each [`Part`] in order.
pub const LABEL_COUNT: usize = 7;
/// Bumped whenever the features change: a model of another version is refused.
pub const FEATURE_VERSION: u32 = 1;
/// The model file's header.
const HEADER: Header = Header {
    magic: b"AEATTR2\0",
    version: FEATURE_VERSION,
    model: "reported-speech",
    command: "quotes",
};

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
    // Words that may end a clause inside a sentence, counted between a cue and a token.
    let clause_breaks = lexicon!("quotes/attribution_clause_breaks");
    let (mut commas, mut breaks) = (0, 0);
    for index in 0..count {
        commas_before[index] = commas;
        breaks_before[index] = breaks;
        if words[index] == "," {
            commas += 1;
        }
        if clause_breaks.contains(lower[index]) {
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

/// One pass of the tagger: weights of [`LABEL_COUNT`] labels, transitions and the BIO rule.
type Stage = SequenceModel<LABEL_COUNT>;

/// One pass as its model file holds it: the scale of its weights, their rows in ascending
/// key order and its transitions.
#[derive(Debug, Clone)]
struct Pass {
    scale: f32,
    rows: Vec<(u64, [i16; LABEL_COUNT])>,
    transitions: Vec<f32>,
}

impl Pass {
    fn of_stage(stage: &Stage) -> Pass {
        let weights = stage.weights();
        Pass {
            scale: weights.scale(),
            rows: weights
                .sorted()
                .into_iter()
                .map(|(key, row)| (key, *row))
                .collect(),
            transitions: stage.transitions().to_vec(),
        }
    }

    /// The pass's own weight table.
    fn stage(&self) -> Stage {
        Stage::new(
            Weights::from_quantised(self.rows.clone(), self.scale),
            self.transitions.clone(),
            may_follow,
        )
    }
}

/// The reported-speech tagger: a first pass over the sentence features and, when trained
/// stacked, a second pass that also reads the first pass's labels ([`stacked_features`]).
/// A stacked model tags from both passes' weights in one table ([`TwoPassWeights`]), built
/// straight from the passes' rows; each pass's own table is built only when needed (a
/// single pass, or a joint table that could not be built), which saves start-up time and
/// memory.
#[derive(Debug, Clone)]
pub struct AttributionModel {
    first: Pass,
    second: Option<Pass>,
    joint: Option<TwoPassWeights<LABEL_COUNT>>,
    allowed: Allowed,
    stages: OnceLock<(Stage, Option<Stage>)>,
}

/// The committed model, embedded at build time.
const EMBEDDED_MODEL: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/reported-speech.bin"
));

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

/// A stage from averaged weights (one row of [`LABEL_COUNT`] per key) and transitions;
/// rows whose quantised weights are all 0 are left out.
fn stage_from_weights(rows: Vec<(u64, [f32; LABEL_COUNT])>, transitions: Vec<f32>) -> Stage {
    let (quantised, scale) = Weights::quantise(rows);
    let kept = quantised
        .into_iter()
        .filter(|(_, row)| row.iter().any(|&weight| weight != 0))
        .collect();
    Stage::new(
        Weights::from_quantised(kept, scale),
        transitions,
        may_follow,
    )
}

fn tag_stage(stage: &Stage, sentence: &SentenceFeatures, labels: &mut Vec<u8>) {
    stage.tag(&sentence.keys, &sentence.starts, labels);
}

/// Writes a pass: its scale, transitions, row count (`u64`) and rows in key order.
fn write_pass(pass: &Pass, bytes: &mut Vec<u8>) {
    bytes.extend_from_slice(&pass.scale.to_le_bytes());
    write_f32s(bytes, &pass.transitions);
    bytes.extend_from_slice(&(pass.rows.len() as u64).to_le_bytes());
    for (key, row) in &pass.rows {
        bytes.extend_from_slice(&key.to_le_bytes());
        for weight in row {
            bytes.extend_from_slice(&weight.to_le_bytes());
        }
    }
}

fn read_pass(reader: &mut Reader<'_>) -> Result<Pass, ModelError> {
    let scale = reader.f32()?;
    let transitions = reader.f32s((LABEL_COUNT + 1) * LABEL_COUNT)?;
    let count = reader.u64()?;
    let rows = Weights::read_rows(reader, count)?;
    Ok(Pass {
        scale,
        rows,
        transitions,
    })
}

impl AttributionModel {
    /// Features with a non-zero weight, over both passes.
    pub fn feature_count(&self) -> usize {
        self.first.rows.len() + self.second.as_ref().map_or(0, |pass| pass.rows.len())
    }

    /// Whether the model has a second, stacked pass.
    pub fn is_stacked(&self) -> bool {
        self.second.is_some()
    }

    /// The model of one or two passes (the joint table is built here).
    fn new(first: Pass, second: Option<Pass>) -> AttributionModel {
        let joint = second.as_ref().and_then(|second| {
            TwoPassWeights::new((&first.rows, first.scale), (&second.rows, second.scale))
        });
        AttributionModel {
            first,
            second,
            joint,
            allowed: Allowed::new(LABEL_COUNT, may_follow),
            stages: OnceLock::new(),
        }
    }

    /// The best label sequence for a sentence.
    pub fn tag(&self, sentence: &SentenceFeatures, labels: &mut Vec<u8>) {
        let (Some(second), Some(joint)) = (&self.second, &self.joint) else {
            return self.tag_by_passes(sentence, labels);
        };
        let mut emissions = Vec::new();
        let mut shared = Vec::new();
        joint.first(
            &sentence.keys,
            &sentence.starts,
            &mut emissions,
            &mut shared,
        );
        viterbi::<LABEL_COUNT>(&emissions, &self.first.transitions, &self.allowed, labels);
        let mut own = Vec::new();
        stacked_keys(&sentence.words, labels, &mut own);
        joint.second(&shared, &own, STACKED_KEYS, &mut emissions);
        viterbi::<LABEL_COUNT>(&emissions, &second.transitions, &self.allowed, labels);
    }

    /// The best label sequence from each pass's own table, as the model was trained (the
    /// tables are built on first use).
    fn tag_by_passes(&self, sentence: &SentenceFeatures, labels: &mut Vec<u8>) {
        let (first, second) = self
            .stages
            .get_or_init(|| (self.first.stage(), self.second.as_ref().map(Pass::stage)));
        tag_stage(first, sentence, labels);
        if let Some(second) = second {
            let mut stacked = SentenceFeatures::default();
            stacked_features(sentence, labels, &mut stacked);
            tag_stage(second, &stacked, labels);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        HEADER.write(&mut bytes);
        bytes.push(1 + u8::from(self.second.is_some()));
        write_pass(&self.first, &mut bytes);
        if let Some(second) = &self.second {
            write_pass(second, &mut bytes);
        }
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<AttributionModel, ModelError> {
        let mut reader = Reader::new(bytes);
        HEADER.read(&mut reader)?;
        let stages = reader.u8()?;
        if !(1..=2).contains(&stages) {
            return Err(ModelError::Truncated);
        }
        let first = read_pass(&mut reader)?;
        let second = (stages == 2).then(|| read_pass(&mut reader)).transpose()?;
        if reader.remaining() != 0 {
            return Err(ModelError::Truncated);
        }
        Ok(AttributionModel::new(first, second))
    }
}

/// The features of a sentence for the second pass: its own features plus those of the
/// first pass's labels ([`stacked_keys`]).
pub fn stacked_features(base: &SentenceFeatures, first: &[u8], out: &mut SentenceFeatures) {
    let mut own = Vec::new();
    stacked_keys(&base.words, first, &mut own);
    out.keys.clear();
    out.starts.clear();
    out.words.clone_from(&base.words);
    for (index, own) in own.chunks_exact(STACKED_KEYS).enumerate() {
        out.starts.push(out.keys.len());
        out.keys.extend_from_slice(base.token(index));
        out.keys.extend_from_slice(own);
    }
    out.starts.push(out.keys.len());
}

/// How many keys [`stacked_keys`] gives each token.
const STACKED_KEYS: usize = 8;

/// The second pass's own keys, [`STACKED_KEYS`] per token, for a sentence of the word hashes
/// `words` and first-pass labels `first`: the label of the token and its neighbours, the
/// distance to the nearest cue the first pass marked on each side, whether it marked a source
/// before that cue, and the word with its first-pass label.
fn stacked_keys(words: &[u64], first: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let count = words.len();
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
        let i = index as isize;
        let left = distance_bucket(left_cue[index].map(|c| index - c));
        let right = distance_bucket(right_cue[index].map(|c| c - index));
        out.extend_from_slice(&[
            key(100, &[at(i)]),
            key(101, &[at(i - 1), at(i)]),
            key(102, &[at(i), at(i + 1)]),
            key(103, &[left, u64::from(source_before_cue[index])]),
            key(104, &[right, at(i)]),
            key(105, &[words[index], at(i)]),
            key(106, &[contents, at(i)]),
            key(107, &[at(i - 2), at(i - 1), at(i)]),
        ]);
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
        return AttributionModel::new(Pass::of_stage(&first), None);
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
            tag_stage(
                &halves[1 - sentence.document % 2],
                &sentence.features,
                &mut labels,
            );
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
    AttributionModel::new(Pass::of_stage(&first), Some(Pass::of_stage(&second)))
}

/// Trains one pass. `on_epoch` hears (epoch, sentences decoded wrongly).
fn train_stage(
    examples: &[(&SentenceFeatures, &[u8])],
    options: &TrainingOptions,
    on_epoch: &mut dyn FnMut(usize, usize),
) -> Stage {
    let index = FeatureIndex::new(
        examples
            .iter()
            .map(|(features, _)| features.keys.as_slice()),
        options.min_feature_count,
    );
    let encoded: Vec<Example> = examples
        .iter()
        .map(|&(features, labels)| {
            index.example(&features.keys, &features.starts, labels.to_vec(), None)
        })
        .collect();
    let perceptron = PerceptronOptions {
        epochs: options.epochs,
        seed: options.seed,
        update: Update::WholeSequences,
    };
    let allowed = Allowed::new(LABEL_COUNT, may_follow);
    let averaged = perceptron::train::<LABEL_COUNT>(
        &encoded,
        index.keys().len(),
        0,
        &allowed,
        &perceptron,
        on_epoch,
    );
    let rows = index
        .keys()
        .iter()
        .enumerate()
        .map(|(feature, &key)| (key, averaged.row(0, feature)))
        .collect();
    stage_from_weights(rows, averaged.transitions(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::linear::hashing::SeededRng;

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
        // It tags from one joint table, exactly as from its passes' own tables.
        assert!(model.joint.is_some());
        let mut passes = Vec::new();
        for sentence in &held_out {
            model.tag(&sentence.features, &mut labels);
            model.tag_by_passes(&sentence.features, &mut passes);
            assert_eq!(labels, passes);
        }
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
            Err(ModelError::Magic { .. })
        ));
    }

    #[test]
    fn the_embedded_model_loads_and_writes_back_byte_for_byte() {
        let model = embedded_model();
        assert!(model.feature_count() > 0);
        assert!(model.to_bytes() == EMBEDDED_MODEL);
    }

    #[test]
    fn the_joint_table_tags_as_the_two_passes_do() {
        let model = embedded_model();
        assert!(
            model.joint.is_some(),
            "the embedded model tags from one table"
        );
        let (mut joint, mut passes) = (Vec::new(), Vec::new());
        let mut tagged = 0;
        for sentence in toy_sentences(200, 3) {
            model.tag(&sentence.features, &mut joint);
            model.tag_by_passes(&sentence.features, &mut passes);
            assert_eq!(joint, passes);
            tagged += usize::from(joint.iter().any(|&label| label != 0));
        }
        assert!(tagged > 50, "{tagged} of 200 sentences have a non-O label");
    }
}
