//! One linear sequence model, shared by both taggers (names and reported speech).
//!
//! A tagger turns each token of a sentence into hashed feature keys ([`hashing`]); the model
//! maps every key to one weight per label ([`weights`]; both passes of a stacked tagger share
//! one table, [`two_pass`]), sums the rows of a token's keys and
//! picks the best label sequence by first-order Viterbi under the tagger's rule of which
//! label may follow which ([`viterbi`], [`model`]). Weights are learnt by the averaged
//! structured perceptron ([`train`]) and saved with the building blocks of
//! [`file`](mod@file). Word clusters ([`clusters`]) are a feature both taggers read.
//!
//! This module knows labels only by number and features only by key: what the labels mean
//! and which features a token has belong to the taggers
//! ([`entities::tagger`](crate::nlp::entities::tagger) and
//! [`quotes::speech_tagger`](crate::nlp::quotes::speech_tagger)).

pub mod clusters;
pub mod file;
pub mod hashing;
pub mod model;
pub mod train;
pub mod two_pass;
pub mod viterbi;
pub mod weights;

pub use model::SequenceModel;
pub use two_pass::TwoPassWeights;
pub use weights::Weights;

/// Hints the processor to load the cache line of `value`: the taggers' weight tables are
/// larger than the caches, and asking a few lookups ahead lets the misses overlap. Nothing
/// is read; on other processors it does nothing.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch is a hint; it reads nothing and cannot fault, whatever the
        // address. SSE is part of every x86_64 target.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
