//! A sequence model: feature weights, label transitions and the rule of which label may
//! follow which; it labels a sentence given the feature keys of its tokens.

use super::viterbi::{viterbi, Allowed};
use super::weights::Weights;

/// Weights of `L` labels, transitions and the label rule of one tagger (or one pass of it).
#[derive(Debug, Clone)]
pub struct SequenceModel<const L: usize> {
    weights: Weights<L>,
    /// `(L + 1) * L` transition scores, row `previous`, column `next`; row `L` is the
    /// sentence start.
    transitions: Vec<f32>,
    allowed: Allowed,
}

impl<const L: usize> SequenceModel<L> {
    /// A model of `weights` and `transitions` under the rule `may_follow(previous, next)`
    /// (`previous` is `None` at a sentence start).
    pub fn new(
        weights: Weights<L>,
        transitions: Vec<f32>,
        may_follow: impl Fn(Option<u8>, u8) -> bool,
    ) -> SequenceModel<L> {
        assert_eq!(transitions.len(), (L + 1) * L);
        SequenceModel {
            weights,
            transitions,
            allowed: Allowed::new(L, may_follow),
        }
    }

    pub fn weights(&self) -> &Weights<L> {
        &self.weights
    }

    pub fn transitions(&self) -> &[f32] {
        &self.transitions
    }

    /// The best labels of a sentence whose token `i` has the feature keys
    /// `keys[starts[i]..starts[i + 1]]`.
    pub fn tag(&self, keys: &[u64], starts: &[usize], labels: &mut Vec<u8>) {
        let mut emissions = Vec::new();
        self.weights.emissions(keys, starts, &mut emissions);
        viterbi::<L>(&emissions, &self.transitions, &self.allowed, labels);
    }
}
