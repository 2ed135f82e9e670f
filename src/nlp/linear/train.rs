//! Training: the averaged structured perceptron over the Viterbi decoder.
//!
//! Each epoch visits the training sentences in a seeded random order, decodes each with the
//! current weights and, where the best sequence differs from the gold one, adds the gold
//! features and transitions and subtracts the predicted ones. The final weights are the
//! average over all steps (the "w - u/c" form, so averaging costs no extra pass). The same
//! data and seed give the same weights.
//!
//! Several corpora with different annotation conventions can train together by feature
//! augmentation (Daumé III, "Frustratingly easy domain adaptation", 2007): every feature has
//! a general weight and one weight per corpus (a *domain*), and a sentence of domain `d` is
//! scored with general + `d`. Features seen fewer than a minimum number of times are not
//! trained ([`FeatureIndex`]).

use super::hashing::{Prehashed, SeededRng};
use super::viterbi::{viterbi, Allowed};
use std::collections::HashMap;

/// The feature keys kept for training, each with a dense index.
#[derive(Debug, Clone, Default)]
pub struct FeatureIndex {
    keys: Vec<u64>,
    index_of: HashMap<u64, u32, Prehashed>,
    distinct: usize,
}

impl FeatureIndex {
    /// The keys seen at least `min_count` times in `keys` (every key of every token of the
    /// training sentences), in key order.
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a [u64]>, min_count: u32) -> FeatureIndex {
        let mut counts: HashMap<u64, u32, Prehashed> = HashMap::with_hasher(Prehashed);
        for sentence in keys {
            for &key in sentence {
                *counts.entry(key).or_default() += 1;
            }
        }
        let mut kept: Vec<u64> = counts
            .iter()
            .filter(|(_, &count)| count >= min_count)
            .map(|(&key, _)| key)
            .collect();
        kept.sort_unstable();
        let index_of = kept
            .iter()
            .enumerate()
            .map(|(index, &key)| (key, index as u32))
            .collect();
        FeatureIndex {
            keys: kept,
            index_of,
            distinct: counts.len(),
        }
    }

    /// The kept keys; a key's dense index is its position.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// How many distinct keys were seen, kept or not.
    pub fn distinct(&self) -> usize {
        self.distinct
    }

    /// A training sentence whose token `i` has the keys `keys[starts[i]..starts[i + 1]]`
    /// (keys not kept are left out), with its gold `labels` and, when several corpora train
    /// together, its `domain`.
    pub fn example(
        &self,
        keys: &[u64],
        starts: &[usize],
        labels: Vec<u8>,
        domain: Option<usize>,
    ) -> Example {
        let mut features = Vec::new();
        let mut offsets = vec![0u32];
        for token in 0..starts.len().saturating_sub(1) {
            features.extend(
                keys[starts[token]..starts[token + 1]]
                    .iter()
                    .filter_map(|key| self.index_of.get(key).copied()),
            );
            offsets.push(features.len() as u32);
        }
        Example {
            features,
            offsets,
            labels,
            domain,
        }
    }
}

/// One training sentence as dense feature indices.
#[derive(Debug, Clone)]
pub struct Example {
    features: Vec<u32>,
    /// `features[offsets[i]..offsets[i + 1]]` are the features of token `i`.
    offsets: Vec<u32>,
    labels: Vec<u8>,
    domain: Option<usize>,
}

impl Example {
    fn token(&self, token: usize) -> &[u32] {
        &self.features[self.offsets[token] as usize..self.offsets[token + 1] as usize]
    }
}

/// How a wrongly decoded sentence changes the weights. Both add the gold sequence's
/// features and transitions and subtract the predicted ones, so they learn the same weights
/// up to the rounding of the running sums; each committed model was trained with one of
/// them, and keeping both lets it be rebuilt bit for bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// Only where the sequences differ: the features of a token whose label differs, and a
    /// transition whose labels differ (the name tagger).
    Differences,
    /// The whole gold sequence added, then the whole predicted one subtracted (the
    /// reported-speech tagger).
    WholeSequences,
}

#[derive(Debug, Clone)]
pub struct PerceptronOptions {
    pub epochs: usize,
    pub seed: u64,
    pub update: Update,
}

/// Weights with the running sums that averaging needs.
#[derive(Debug, Clone)]
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

/// What training learnt: averaged weights of every weight set (0 general, `1 + d` domain
/// `d`).
#[derive(Debug, Clone)]
pub struct Averaged<const L: usize> {
    emissions: Vec<AveragedWeights>,
    transitions: Vec<AveragedWeights>,
    steps: f32,
}

impl<const L: usize> Averaged<L> {
    /// The averaged row of feature `index` in weight `set`.
    pub fn row(&self, set: usize, index: usize) -> [f32; L] {
        std::array::from_fn(|label| self.emissions[set].averaged(index * L + label, self.steps))
    }

    /// The averaged transitions of weight `set` (`(L + 1) * L`, row `L` the sentence start).
    pub fn transitions(&self, set: usize) -> Vec<f32> {
        (0..(L + 1) * L)
            .map(|index| self.transitions[set].averaged(index, self.steps))
            .collect()
    }
}

/// Trains weights for `features` dense features and `domains` domains (0 when no example
/// has one) under the label rule `allowed`. `on_epoch` hears (epoch number, sentences
/// decoded wrongly).
pub fn train<const L: usize>(
    examples: &[Example],
    features: usize,
    domains: usize,
    allowed: &Allowed,
    options: &PerceptronOptions,
    on_epoch: &mut dyn FnMut(usize, usize),
) -> Averaged<L> {
    let transition_size = (L + 1) * L;
    let mut emission_weights: Vec<AveragedWeights> = (0..=domains)
        .map(|_| AveragedWeights::new(features * L))
        .collect();
    let mut transition_weights: Vec<AveragedWeights> = (0..=domains)
        .map(|_| AveragedWeights::new(transition_size))
        .collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = SeededRng::new(options.seed);
    let mut step = 1.0f32;
    let mut emissions = Vec::new();
    let mut transitions = vec![0.0f32; transition_size];
    let mut predicted = Vec::new();
    for epoch in 0..options.epochs {
        rng.shuffle(&mut order);
        let mut errors = 0;
        for &example_index in &order {
            let example = &examples[example_index];
            let general_and_domain = [0, example.domain.map_or(0, |domain| 1 + domain)];
            let sets = &general_and_domain[..1 + usize::from(example.domain.is_some())];
            let n = example.labels.len();
            emissions.clear();
            emissions.resize(n * L, 0.0);
            for token in 0..n {
                for &feature in example.token(token) {
                    let base = feature as usize * L;
                    for &set in sets {
                        let row = &emission_weights[set].current[base..base + L];
                        for (score, weight) in
                            emissions[token * L..(token + 1) * L].iter_mut().zip(row)
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
            viterbi::<L>(&emissions, &transitions, allowed, &mut predicted);
            if predicted != example.labels {
                errors += 1;
                let gold = &example.labels;
                let previous = |labels: &[u8], token: usize| {
                    if token == 0 {
                        L
                    } else {
                        labels[token - 1] as usize
                    }
                };
                match options.update {
                    Update::Differences => {
                        for token in 0..n {
                            let (right, guess) = (gold[token], predicted[token]);
                            let (right_previous, guess_previous) =
                                (previous(gold, token), previous(&predicted, token));
                            if right != guess {
                                for &feature in example.token(token) {
                                    let base = feature as usize * L;
                                    for &set in sets {
                                        emission_weights[set].add(base + right as usize, 1.0, step);
                                        emission_weights[set].add(
                                            base + guess as usize,
                                            -1.0,
                                            step,
                                        );
                                    }
                                }
                            }
                            if right != guess || right_previous != guess_previous {
                                for &set in sets {
                                    transition_weights[set].add(
                                        right_previous * L + right as usize,
                                        1.0,
                                        step,
                                    );
                                    transition_weights[set].add(
                                        guess_previous * L + guess as usize,
                                        -1.0,
                                        step,
                                    );
                                }
                            }
                        }
                    }
                    Update::WholeSequences => {
                        for (labels, change) in [(gold.as_slice(), 1.0), (&predicted, -1.0)] {
                            for token in 0..n {
                                let label = labels[token] as usize;
                                for &feature in example.token(token) {
                                    for &set in sets {
                                        emission_weights[set].add(
                                            feature as usize * L + label,
                                            change,
                                            step,
                                        );
                                    }
                                }
                                for &set in sets {
                                    transition_weights[set].add(
                                        previous(labels, token) * L + label,
                                        change,
                                        step,
                                    );
                                }
                            }
                        }
                    }
                }
            }
            step += 1.0;
        }
        on_epoch(epoch + 1, errors);
    }
    Averaged {
        emissions: emission_weights,
        transitions: transition_weights,
        steps: step,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two labels, any order: label 1 on the token with key 10.
    fn examples(index: &FeatureIndex) -> Vec<Example> {
        (0..20)
            .map(|number| {
                let (keys, labels) = if number % 2 == 0 {
                    (vec![10, 11, 12, 11], vec![1, 0])
                } else {
                    (vec![12, 11, 10, 11], vec![0, 1])
                };
                index.example(&keys, &[0, 2, 4], labels, None)
            })
            .collect()
    }

    #[test]
    fn the_perceptron_learns_and_repeats() {
        let all = [vec![10u64, 11, 12, 11], vec![12, 11, 10, 11], vec![13]];
        let index = FeatureIndex::new(all.iter().map(Vec::as_slice), 2);
        assert_eq!(index.keys(), &[10, 11, 12]);
        assert_eq!(index.distinct(), 4);
        let examples = examples(&index);
        let allowed = Allowed::new(2, |_, _| true);
        for update in [Update::Differences, Update::WholeSequences] {
            let options = PerceptronOptions {
                epochs: 3,
                seed: 1,
                update,
            };
            let mut errors = Vec::new();
            let trained = train::<2>(&examples, 3, 0, &allowed, &options, &mut |_, e| {
                errors.push(e)
            });
            assert_eq!(errors.last(), Some(&0), "{update:?}");
            let key_10 = trained.row(0, 0);
            assert!(key_10[1] > key_10[0], "{update:?}");
            let again = train::<2>(&examples, 3, 0, &allowed, &options, &mut |_, _| {});
            assert_eq!(again.row(0, 0), key_10);
            assert_eq!(again.transitions(0), trained.transitions(0));
        }
    }
}
