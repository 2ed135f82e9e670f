//! A trained name-tagging model: the name tagger's labels and its model file, over the
//! shared linear sequence model (`crate::nlp::linear`) plus the word clusters.
//!
//! Labels are BIO over the four CoNLL types: `O`, `B-PER`, `B-ORG`, `B-LOC`, `B-MISC`,
//! `I-PER`, ... `I-MISC`. Decoding is first-order Viterbi in which `I-X` may only follow
//! `B-X` or `I-X`, so every output is a well-formed chunk sequence.
//!
//! On disk (little endian): the magic `AENER1\0\0`, the feature version, the cluster table,
//! the transition matrix, a scale, then each feature's key and nine weights quantised to
//! `i16` (weights are stored as `value / scale`).

use super::features::{SentenceFeatures, FEATURE_VERSION};
use crate::nlp::document::EntityType;
use crate::nlp::linear::clusters::WordClusters;
pub use crate::nlp::linear::file::ModelError;
use crate::nlp::linear::file::{write_f32s, Header, Reader};
use crate::nlp::linear::{SequenceModel, Weights};

/// Number of labels: `O` plus B and I for four types.
pub const LABELS: usize = 9;

/// The entity types in label order (CoNLL's PER, ORG, LOC, MISC).
pub const TYPES: [EntityType; 4] = [
    EntityType::Person,
    EntityType::Organization,
    EntityType::Location,
    EntityType::Misc,
];

/// CoNLL's names of [`TYPES`].
pub const CONLL_TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// The model file's header.
const HEADER: Header = Header {
    magic: b"AENER1\0\0",
    version: FEATURE_VERSION,
    model: "name-tagger",
    command: "ner",
};

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

/// Feature weights, transitions and clusters.
#[derive(Debug, Clone)]
pub struct Model {
    linear: SequenceModel<LABELS>,
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
        let (quantised, scale) = Weights::quantise(features);
        Model::from_quantised(quantised, scale, transitions, clusters)
    }

    fn from_quantised(
        features: Vec<(u64, [i16; LABELS])>,
        scale: f32,
        transitions: Vec<f32>,
        clusters: WordClusters,
    ) -> Model {
        Model {
            linear: SequenceModel::new(
                Weights::from_quantised(features, scale),
                transitions,
                may_follow,
            ),
            clusters,
        }
    }

    pub fn clusters(&self) -> &WordClusters {
        &self.clusters
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.linear.weights().len()
    }

    /// The best labels for one sentence.
    pub fn tag(&self, sentence: &SentenceFeatures, labels: &mut Vec<u8>) {
        let (keys, offsets) = sentence.flat();
        self.linear.tag(keys, offsets, labels);
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        HEADER.write(&mut out);
        let clusters = self.clusters.entries();
        out.extend_from_slice(&(clusters.len() as u32).to_le_bytes());
        for (hash, [coarse, fine]) in clusters {
            out.extend_from_slice(&hash.to_le_bytes());
            out.extend_from_slice(&coarse.to_le_bytes());
            out.extend_from_slice(&fine.to_le_bytes());
        }
        let weights = self.linear.weights();
        write_f32s(&mut out, self.linear.transitions());
        out.extend_from_slice(&weights.scale().to_le_bytes());
        out.extend_from_slice(&(weights.len() as u32).to_le_bytes());
        weights.write_rows(&mut out);
        out
    }

    /// The word clusters of a model file, whatever feature version its weights were trained
    /// with: a retrained tagger can keep the clusters of the model it replaces, which the
    /// reported-speech tagger's features also read.
    pub fn clusters_from_bytes(bytes: &[u8]) -> Result<WordClusters, ModelError> {
        let mut reader = Reader::new(bytes);
        let found_header = Header {
            version: reader_version(bytes),
            ..HEADER
        };
        found_header.read(&mut reader)?;
        read_clusters(&mut reader, bytes.len()).map(WordClusters::from_entries)
    }

    /// Reads a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut reader = Reader::new(bytes);
        HEADER.read(&mut reader)?;
        let clusters = read_clusters(&mut reader, bytes.len())?;
        let transitions = reader.f32s((LABELS + 1) * LABELS)?;
        let scale = reader.f32()?;
        let feature_count = reader.u32()?;
        let features = Weights::read_rows(&mut reader, u64::from(feature_count))?;
        Ok(Model::from_quantised(
            features,
            scale,
            transitions,
            WordClusters::from_entries(clusters),
        ))
    }
}

/// The feature version a model file's header records (0 when the file is too short; the
/// header check then fails on the magic bytes).
fn reader_version(bytes: &[u8]) -> u32 {
    bytes.get(8..12).map_or(0, |version| {
        u32::from_le_bytes([version[0], version[1], version[2], version[3]])
    })
}

/// The cluster table of a model file.
fn read_clusters(
    reader: &mut Reader<'_>,
    file_bytes: usize,
) -> Result<Vec<(u64, [u16; 2])>, ModelError> {
    let cluster_count = reader.u32()? as usize;
    let mut clusters = Vec::with_capacity(cluster_count.min(file_bytes / 12));
    for _ in 0..cluster_count {
        let hash = reader.u64()?;
        let coarse = reader.u16()?;
        let fine = reader.u16()?;
        clusters.push((hash, [coarse, fine]));
    }
    Ok(clusters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_are_read_from_a_model_of_another_feature_version() {
        let clusters = WordClusters::from_entries(vec![(7, [1, 9]), (11, [0, 3])]);
        let model = Model::from_parts(Vec::new(), vec![0.0; (LABELS + 1) * LABELS], clusters);
        let mut bytes = model.to_bytes();
        bytes[8..12].copy_from_slice(&(FEATURE_VERSION + 5).to_le_bytes());
        assert!(
            Model::from_bytes(&bytes).is_err(),
            "weights of another version are refused"
        );
        let read = Model::clusters_from_bytes(&bytes).expect("clusters are read");
        assert_eq!(read.entries(), model.clusters().entries());
        assert!(Model::clusters_from_bytes(b"not a model").is_err());
    }
    use crate::nlp::linear::viterbi::{viterbi, Allowed};

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
        let allowed = Allowed::new(LABELS, may_follow);
        viterbi::<LABELS>(&emissions, &transitions, &allowed, &mut labels);
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
        let weights = read.linear.weights();
        let row = weights.row(99).unwrap();
        let value = |label: usize| f32::from(row[label]) * weights.scale();
        assert!((value(3) - 1.5).abs() < 1e-3 && (value(0) + 0.25).abs() < 1e-3);
        assert_eq!(read.to_bytes(), model.to_bytes());
        assert!(weights.row(98).is_none());
        assert_eq!(read.clusters().get(42), Some([1, 7]));
        assert!(matches!(
            Model::from_bytes(b"nonsense"),
            Err(ModelError::Magic { .. })
        ));
        assert!(matches!(
            Model::from_bytes(&model.to_bytes()[..20]),
            Err(ModelError::Truncated)
        ));
    }

    #[test]
    fn the_committed_model_writes_back_byte_for_byte() {
        let bytes = super::super::embedded_model_bytes();
        assert!(Model::from_bytes(bytes).unwrap().to_bytes() == bytes);
    }
}
