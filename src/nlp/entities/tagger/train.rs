//! Training the name tagger: the averaged structured perceptron of `crate::nlp::linear::train`
//! over the name tagger's features, changing only the labels that differ
//! ([`Update::Differences`]). The same data and seed give the same model.
//!
//! Several corpora with different annotation conventions train together by feature
//! augmentation (Daumé III, "Frustratingly easy domain adaptation", 2007): every feature has a
//! general weight and one weight per corpus, and a token of corpus `d` is scored with
//! general + `d`. The saved model keeps general + the weights of the target corpus (domain 0),
//! which scores exactly as the augmented features would.
//!
//! Features seen fewer than `min_feature_count` times in training are dropped, and so are
//! features whose final weights are all near zero, which keeps the model file small.

use super::features::{DocumentContext, FeatureExtractor, SentenceFeatures};
use super::model::{may_follow, Model, LABELS};
use crate::nlp::gazetteer::Gazetteer;
use crate::nlp::linear::clusters::WordClusters;
use crate::nlp::linear::train::{
    self as perceptron, Example, FeatureIndex, PerceptronOptions, Update,
};
use crate::nlp::linear::viterbi::Allowed;

/// A labelled sentence: words and their BIO labels (see `model`).
#[derive(Debug, Clone)]
pub struct TrainingSentence {
    pub words: Vec<String>,
    pub labels: Vec<u8>,
}

/// A document of one corpus; domain 0 is the corpus whose conventions the model follows.
#[derive(Debug, Clone)]
pub struct TrainingDocument {
    pub sentences: Vec<TrainingSentence>,
    pub domain: usize,
}

#[derive(Debug, Clone)]
pub struct TrainingOptions {
    pub epochs: usize,
    pub seed: u64,
    pub min_feature_count: u32,
    /// Features whose largest absolute averaged weight is below this are dropped.
    pub prune_below: f32,
}

impl Default for TrainingOptions {
    fn default() -> Self {
        TrainingOptions {
            epochs: 12,
            seed: 1,
            min_feature_count: 2,
            prune_below: 0.01,
        }
    }
}

/// What training did, for the command's report.
#[derive(Debug, Clone, Default)]
pub struct TrainingSummary {
    pub sentences: usize,
    pub tokens: usize,
    pub distinct_features: usize,
    pub features_trained: usize,
    pub features_kept: usize,
    /// Sentences decoded wrongly in each epoch.
    pub errors_per_epoch: Vec<usize>,
}

/// Trains a model. `on_epoch` hears (epoch number, sentences decoded wrongly).
pub fn train(
    documents: &[TrainingDocument],
    clusters: WordClusters,
    gazetteer: &Gazetteer,
    options: &TrainingOptions,
    on_epoch: &mut dyn FnMut(usize, usize),
) -> (Model, TrainingSummary) {
    let domains = documents.iter().map(|d| d.domain + 1).max().unwrap_or(1);
    let extractor = FeatureExtractor {
        gazetteer,
        clusters: &clusters,
    };
    let mut summary = TrainingSummary::default();
    // Feature keys of every sentence.
    let mut keyed: Vec<(SentenceFeatures, &TrainingSentence, usize)> = Vec::new();
    for document in documents {
        let mut context = DocumentContext::default();
        let words: Vec<Vec<&str>> = document
            .sentences
            .iter()
            .map(|sentence| sentence.words.iter().map(String::as_str).collect())
            .collect();
        for sentence in &words {
            context.add_sentence(sentence);
        }
        for (sentence, words) in document.sentences.iter().zip(&words) {
            if words.is_empty() {
                continue;
            }
            let mut features = SentenceFeatures::default();
            extractor.sentence(words, &context, &mut features);
            summary.tokens += words.len();
            keyed.push((features, sentence, document.domain));
        }
    }
    summary.sentences = keyed.len();
    // Keys kept -> dense indices.
    let index = FeatureIndex::new(
        keyed.iter().map(|(features, _, _)| features.flat().0),
        options.min_feature_count,
    );
    summary.distinct_features = index.distinct();
    summary.features_trained = index.keys().len();
    let examples: Vec<Example> = keyed
        .into_iter()
        .map(|(features, sentence, domain)| {
            let (keys, offsets) = features.flat();
            index.example(keys, offsets, sentence.labels.clone(), Some(domain))
        })
        .collect();
    let perceptron = PerceptronOptions {
        epochs: options.epochs,
        seed: options.seed,
        update: Update::Differences,
    };
    let allowed = Allowed::new(LABELS, may_follow);
    let averaged = perceptron::train::<LABELS>(
        &examples,
        index.keys().len(),
        domains,
        &allowed,
        &perceptron,
        &mut |epoch, errors| {
            summary.errors_per_epoch.push(errors);
            on_epoch(epoch, errors);
        },
    );
    // The target corpus's view: general + domain 0 (weight set 1).
    let target = 1;
    let mut features = Vec::with_capacity(index.keys().len());
    for (feature, &key) in index.keys().iter().enumerate() {
        let (general, domain) = (averaged.row(0, feature), averaged.row(target, feature));
        let row: [f32; LABELS] = std::array::from_fn(|label| general[label] + domain[label]);
        if row.iter().any(|weight| weight.abs() >= options.prune_below) {
            features.push((key, row));
        }
    }
    summary.features_kept = features.len();
    let transitions = averaged
        .transitions(0)
        .into_iter()
        .zip(averaged.transitions(target))
        .map(|(general, domain)| general + domain)
        .collect();
    (Model::from_parts(features, transitions, clusters), summary)
}
