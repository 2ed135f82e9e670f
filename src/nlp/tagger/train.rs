//! Training the name tagger: an averaged structured perceptron over the Viterbi decoder.
//!
//! Each epoch visits the training sentences in a seeded random order, decodes each with the
//! current weights and, where the best sequence differs from the gold one, adds the gold
//! features and transitions and subtracts the predicted ones. The final weights are the
//! average over all steps (the "w - u/c" form, so averaging costs no extra pass). The same
//! data and seed give the same model.
//!
//! Several corpora with different annotation conventions train together by feature
//! augmentation (Daumé III, "Frustratingly easy domain adaptation", 2007): every feature has a
//! general weight and one weight per corpus, and a token of corpus `d` is scored with
//! general + `d`. The saved model keeps general + the weights of the target corpus (domain 0),
//! which scores exactly as the augmented features would.
//!
//! Features seen fewer than `min_feature_count` times in training are dropped, and so are
//! features whose final weights are all near zero, which keeps the model file small.

use super::clusters::WordClusters;
use super::features::{DocumentContext, FeatureExtractor, SentenceFeatures};
use super::hashing::SeededRng;
use super::model::{viterbi, Model, LABELS};
use crate::nlp::gazetteer::Gazetteer;
use std::collections::HashMap;

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

/// Weights with the running sums that averaging needs.
struct AveragedWeights {
    current: Vec<f32>,
    /// Sum of `step * change`.
    weighted_changes: Vec<f32>,
}

impl AveragedWeights {
    fn new(size: usize) -> AveragedWeights {
        AveragedWeights {
            current: vec![0.0; size],
            weighted_changes: vec![0.0; size],
        }
    }

    fn add(&mut self, index: usize, change: f32, step: f32) {
        self.current[index] += change;
        self.weighted_changes[index] += step * change;
    }

    fn averaged(&self, index: usize, steps: f32) -> f32 {
        self.current[index] - self.weighted_changes[index] / steps
    }
}

/// One sentence as feature indices.
struct Encoded {
    features: Vec<u32>,
    offsets: Vec<u32>,
    labels: Vec<u8>,
    domain: usize,
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
    // Pass 1: feature keys of every sentence, and how often each key occurs.
    let mut keyed: Vec<(SentenceFeatures, &TrainingSentence, usize)> = Vec::new();
    let mut counts: HashMap<u64, u32> = HashMap::new();
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
            for token in 0..features.len() {
                for &key in features.token(token) {
                    *counts.entry(key).or_default() += 1;
                }
            }
            summary.tokens += words.len();
            keyed.push((features, sentence, document.domain));
        }
    }
    summary.sentences = keyed.len();
    summary.distinct_features = counts.len();
    // Pass 2: keys kept -> dense indices.
    let mut keys: Vec<u64> = counts
        .iter()
        .filter(|(_, &count)| count >= options.min_feature_count)
        .map(|(&key, _)| key)
        .collect();
    keys.sort_unstable();
    drop(counts);
    let index_of: HashMap<u64, u32> = keys
        .iter()
        .enumerate()
        .map(|(index, &key)| (key, index as u32))
        .collect();
    summary.features_trained = keys.len();
    let encoded: Vec<Encoded> = keyed
        .into_iter()
        .map(|(features, sentence, domain)| {
            let mut indices = Vec::new();
            let mut offsets = vec![0u32];
            for token in 0..features.len() {
                indices.extend(
                    features
                        .token(token)
                        .iter()
                        .filter_map(|key| index_of.get(key).copied()),
                );
                offsets.push(indices.len() as u32);
            }
            Encoded {
                features: indices,
                offsets,
                labels: sentence.labels.clone(),
                domain,
            }
        })
        .collect();
    drop(index_of);
    // Weight sets: 0 is general, 1 + d is corpus d.
    let transition_size = (LABELS + 1) * LABELS;
    let mut emission_weights: Vec<AveragedWeights> = (0..=domains)
        .map(|_| AveragedWeights::new(keys.len() * LABELS))
        .collect();
    let mut transition_weights: Vec<AveragedWeights> = (0..=domains)
        .map(|_| AveragedWeights::new(transition_size))
        .collect();
    let mut order: Vec<usize> = (0..encoded.len()).collect();
    let mut rng = SeededRng::new(options.seed);
    let mut step = 1.0f32;
    let mut emissions = Vec::new();
    let mut transitions = vec![0.0f32; transition_size];
    let mut predicted = Vec::new();
    for epoch in 0..options.epochs {
        rng.shuffle(&mut order);
        let mut errors = 0;
        for &sentence_index in &order {
            let sentence = &encoded[sentence_index];
            let sets = [0, 1 + sentence.domain];
            let n = sentence.labels.len();
            emissions.clear();
            emissions.resize(n * LABELS, 0.0);
            for token in 0..n {
                let range = sentence.offsets[token] as usize..sentence.offsets[token + 1] as usize;
                for &feature in &sentence.features[range] {
                    let base = feature as usize * LABELS;
                    for set in sets {
                        let row = &emission_weights[set].current[base..base + LABELS];
                        for (score, weight) in emissions[token * LABELS..(token + 1) * LABELS]
                            .iter_mut()
                            .zip(row)
                        {
                            *score += weight;
                        }
                    }
                }
            }
            for (index, value) in transitions.iter_mut().enumerate() {
                *value = sets
                    .iter()
                    .map(|&set| transition_weights[set].current[index])
                    .sum();
            }
            viterbi(&emissions, &transitions, &mut predicted);
            if predicted != sentence.labels {
                errors += 1;
                for token in 0..n {
                    let (gold, guess) = (sentence.labels[token], predicted[token]);
                    let previous = |labels: &[u8]| {
                        if token == 0 {
                            LABELS
                        } else {
                            labels[token - 1] as usize
                        }
                    };
                    let (gold_previous, guess_previous) =
                        (previous(&sentence.labels), previous(&predicted));
                    if gold != guess {
                        let range =
                            sentence.offsets[token] as usize..sentence.offsets[token + 1] as usize;
                        for &feature in &sentence.features[range] {
                            let base = feature as usize * LABELS;
                            for set in sets {
                                emission_weights[set].add(base + gold as usize, 1.0, step);
                                emission_weights[set].add(base + guess as usize, -1.0, step);
                            }
                        }
                    }
                    if gold != guess || gold_previous != guess_previous {
                        for set in sets {
                            transition_weights[set].add(
                                gold_previous * LABELS + gold as usize,
                                1.0,
                                step,
                            );
                            transition_weights[set].add(
                                guess_previous * LABELS + guess as usize,
                                -1.0,
                                step,
                            );
                        }
                    }
                }
            }
            step += 1.0;
        }
        summary.errors_per_epoch.push(errors);
        on_epoch(epoch + 1, errors);
    }
    // The target corpus's view: general + domain 0.
    let target = 1;
    let mut features = Vec::with_capacity(keys.len());
    for (index, &key) in keys.iter().enumerate() {
        let mut row = [0.0f32; LABELS];
        for (label, weight) in row.iter_mut().enumerate() {
            let at = index * LABELS + label;
            *weight = emission_weights[0].averaged(at, step)
                + emission_weights[target].averaged(at, step);
        }
        if row.iter().any(|weight| weight.abs() >= options.prune_below) {
            features.push((key, row));
        }
    }
    summary.features_kept = features.len();
    let transitions = (0..transition_size)
        .map(|index| {
            transition_weights[0].averaged(index, step)
                + transition_weights[target].averaged(index, step)
        })
        .collect();
    (Model::from_parts(features, transitions, clusters), summary)
}
