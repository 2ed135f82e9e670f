//! Word clusters learned from unlabelled news, a feature of both taggers.
//!
//! Words that occur in the same contexts ("in Paris", "in Lagos") land in the same cluster,
//! so the tagger generalises from the names it was trained on to names it never saw. The
//! method is distributional k-means, chosen over Brown clustering because it trains in
//! seconds and is deterministic for a seed:
//! - every lower-cased word seen at least `min_count` times gets a sparse vector of its
//!   left and right neighbours (one and two positions away) among the most frequent
//!   context words, weighted by positive pointwise mutual information and L2-normalised;
//! - spherical k-means (cosine similarity), started from seeded random words, groups the
//!   vectors at two granularities (coarse and fine), each with a fixed number of rounds.
//!
//! A word's clusters are looked up by the hash of its lower-case form.

use super::hashing::{hash_str, Prehashed, SeededRng};
use std::collections::HashMap;

/// Settings for [`WordClusters::learn`].
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Words seen fewer times are left without a cluster.
    pub min_count: usize,
    /// At most this many words are clustered (the most frequent).
    pub max_words: usize,
    /// How many of the most frequent words serve as context dimensions.
    pub context_words: usize,
    pub coarse: usize,
    pub fine: usize,
    pub rounds: usize,
    pub seed: u64,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            min_count: 3,
            max_words: 60_000,
            context_words: 1_000,
            coarse: 64,
            fine: 512,
            rounds: 12,
            seed: 1,
        }
    }
}

/// Cluster numbers of words, at two granularities.
#[derive(Debug, Clone, Default)]
pub struct WordClusters {
    by_hash: HashMap<u64, [u16; 2], Prehashed>,
}

impl WordClusters {
    /// The (coarse, fine) clusters of a word, by the hash of its lower-case form.
    pub fn get(&self, lower_hash: u64) -> Option<[u16; 2]> {
        self.by_hash.get(&lower_hash).copied()
    }

    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// Entries in a stable order, for writing a model file.
    pub fn entries(&self) -> Vec<(u64, [u16; 2])> {
        let mut entries: Vec<(u64, [u16; 2])> = self
            .by_hash
            .iter()
            .map(|(&hash, &ids)| (hash, ids))
            .collect();
        entries.sort_unstable();
        entries
    }

    pub fn from_entries(entries: impl IntoIterator<Item = (u64, [u16; 2])>) -> WordClusters {
        WordClusters {
            by_hash: entries.into_iter().collect(),
        }
    }

    /// Learns clusters from sentences of words (any case; they are lower-cased here).
    pub fn learn(sentences: &[Vec<String>], options: &ClusterOptions) -> WordClusters {
        let lowered: Vec<Vec<String>> = sentences
            .iter()
            .map(|sentence| sentence.iter().map(|word| word.to_lowercase()).collect())
            .collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for word in lowered.iter().flatten() {
            *counts.entry(word.as_str()).or_default() += 1;
        }
        let mut by_frequency: Vec<(&str, usize)> = counts.into_iter().collect();
        by_frequency.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let vocabulary: Vec<&str> = by_frequency
            .iter()
            .take_while(|(_, count)| *count >= options.min_count)
            .take(options.max_words)
            .map(|(word, _)| *word)
            .collect();
        if vocabulary.len() < options.fine.max(options.coarse) {
            return WordClusters::default();
        }
        let word_index: HashMap<&str, usize> = vocabulary
            .iter()
            .enumerate()
            .map(|(index, word)| (*word, index))
            .collect();
        let context_count = options.context_words.min(vocabulary.len());
        // Context dimensions: 4 positions (-2, -1, +1, +2) x the most frequent words, plus a
        // sentence boundary for each position.
        let width = context_count + 1;
        let dimension = |position: usize, context: Option<usize>| -> Option<u32> {
            match context {
                Some(index) if index < context_count => Some((position * width + index) as u32),
                Some(_) => None,
                None => Some((position * width + context_count) as u32),
            }
        };
        let mut cooccurrence: Vec<HashMap<u32, f32>> = vec![HashMap::new(); vocabulary.len()];
        for sentence in &lowered {
            let ids: Vec<Option<usize>> = sentence
                .iter()
                .map(|word| word_index.get(word.as_str()).copied())
                .collect();
            for (position, id) in ids.iter().enumerate() {
                let Some(word) = *id else { continue };
                for (slot, offset) in [-2isize, -1, 1, 2].into_iter().enumerate() {
                    let other = position as isize + offset;
                    let context = if other < 0 || other >= ids.len() as isize {
                        None
                    } else {
                        match ids[other as usize] {
                            Some(index) => Some(index),
                            None => continue,
                        }
                    };
                    if let Some(dim) = dimension(slot, context) {
                        *cooccurrence[word].entry(dim).or_default() += 1.0;
                    }
                }
            }
        }
        let vectors = ppmi_vectors(&cooccurrence);
        let dimensions = 4 * width;
        let coarse = spherical_kmeans(&vectors, dimensions, options.coarse, options, 1);
        let fine = spherical_kmeans(&vectors, dimensions, options.fine, options, 2);
        let by_hash = vocabulary
            .iter()
            .enumerate()
            .map(|(index, word)| (hash_str(word), [coarse[index], fine[index]]))
            .collect();
        WordClusters { by_hash }
    }
}

type SparseVector = Vec<(u32, f32)>;

/// Positive pointwise mutual information, L2-normalised rows.
fn ppmi_vectors(cooccurrence: &[HashMap<u32, f32>]) -> Vec<SparseVector> {
    let mut column_totals: HashMap<u32, f64> = HashMap::new();
    let mut total = 0.0f64;
    for row in cooccurrence {
        for (&dim, &count) in row {
            *column_totals.entry(dim).or_default() += f64::from(count);
            total += f64::from(count);
        }
    }
    cooccurrence
        .iter()
        .map(|row| {
            let row_total: f64 = row.values().map(|&count| f64::from(count)).sum();
            let mut vector: SparseVector = row
                .iter()
                .filter_map(|(&dim, &count)| {
                    let pmi = (f64::from(count) * total / (row_total * column_totals[&dim])).ln();
                    (pmi > 0.0).then_some((dim, pmi as f32))
                })
                .collect();
            vector.sort_unstable_by_key(|&(dim, _)| dim);
            let norm = vector
                .iter()
                .map(|&(_, value)| value * value)
                .sum::<f32>()
                .sqrt();
            if norm > 0.0 {
                for (_, value) in &mut vector {
                    *value /= norm;
                }
            }
            vector
        })
        .collect()
}

/// Cluster numbers for each vector after `options.rounds` rounds of spherical k-means.
fn spherical_kmeans(
    vectors: &[SparseVector],
    dimensions: usize,
    clusters: usize,
    options: &ClusterOptions,
    stream: u64,
) -> Vec<u16> {
    let mut rng = SeededRng::new(options.seed.wrapping_mul(1_000_003).wrapping_add(stream));
    let mut order: Vec<usize> = (0..vectors.len()).collect();
    rng.shuffle(&mut order);
    let mut centroids = vec![0.0f32; clusters * dimensions];
    for (cluster, &word) in order
        .iter()
        .filter(|&&w| !vectors[w].is_empty())
        .take(clusters)
        .enumerate()
    {
        for &(dim, value) in &vectors[word] {
            centroids[cluster * dimensions + dim as usize] = value;
        }
    }
    let mut assignment = vec![0u16; vectors.len()];
    for _ in 0..options.rounds {
        for (word, vector) in vectors.iter().enumerate() {
            let mut best = (f32::MIN, 0usize);
            for cluster in 0..clusters {
                let centroid = &centroids[cluster * dimensions..(cluster + 1) * dimensions];
                let similarity: f32 = vector
                    .iter()
                    .map(|&(dim, value)| value * centroid[dim as usize])
                    .sum();
                if similarity > best.0 {
                    best = (similarity, cluster);
                }
            }
            assignment[word] = best.1 as u16;
        }
        let mut sums = vec![0.0f32; clusters * dimensions];
        for (word, vector) in vectors.iter().enumerate() {
            let base = assignment[word] as usize * dimensions;
            for &(dim, value) in vector {
                sums[base + dim as usize] += value;
            }
        }
        for cluster in 0..clusters {
            let row = &mut sums[cluster * dimensions..(cluster + 1) * dimensions];
            let norm = row.iter().map(|value| value * value).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|value| *value /= norm);
                centroids[cluster * dimensions..(cluster + 1) * dimensions].copy_from_slice(row);
            }
        }
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        let mut sentences = Vec::new();
        let cities = ["paris", "lagos", "lima", "oslo"];
        let foods = ["bread", "rice", "soup", "fish"];
        let mut add = |sentence: String| {
            sentences.push(sentence.split(' ').map(str::to_string).collect());
        };
        for round in 0..40 {
            for city in cities {
                let verb = ["flew", "travelled", "moved"][round % 3];
                add(format!("she {verb} to {city} on monday"));
            }
            for food in foods {
                let verb = ["ate", "cooked", "liked"][round % 3];
                add(format!("they {verb} the {food} quickly"));
            }
        }
        let options = ClusterOptions {
            min_count: 2,
            context_words: 50,
            coarse: 2,
            fine: 4,
            rounds: 10,
            ..ClusterOptions::default()
        };
        let clusters = WordClusters::learn(&sentences, &options);
        let fine = |word: &str| clusters.get(hash_str(word)).unwrap()[1];
        assert_eq!(fine("paris"), fine("lagos"));
        assert_eq!(fine("rice"), fine("soup"));
        assert_ne!(fine("paris"), fine("rice"));
        // The same seed gives the same clusters.
        let again = WordClusters::learn(&sentences, &options);
        assert_eq!(clusters.entries(), again.entries());
    }
}
