//! First-order Viterbi decoding under a rule of which label may follow which.
//!
//! Both taggers label BIO chunks, where an inside label may only continue a chunk of its own
//! kind; the rule comes as a table ([`Allowed`]) built once from the tagger's function, so
//! every output is a well-formed chunk sequence and the inner loop stays a table read.

/// Which label may follow which: `(labels + 1) * labels` entries, row `previous` (row
/// `labels` being the sentence start), column `next`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    labels: usize,
    table: Vec<bool>,
}

impl Allowed {
    /// The table of `may_follow(previous, next)` (`previous` is `None` at a sentence start).
    pub fn new(labels: usize, may_follow: impl Fn(Option<u8>, u8) -> bool) -> Allowed {
        let mut table = Vec::with_capacity((labels + 1) * labels);
        for previous in 0..=labels {
            let previous = (previous < labels).then_some(previous as u8);
            for next in 0..labels {
                table.push(may_follow(previous, next as u8));
            }
        }
        Allowed { labels, table }
    }

    /// Whether `next` may open a sentence.
    #[inline]
    fn first(&self, next: usize) -> bool {
        self.table[self.labels * self.labels + next]
    }

    /// Whether `next` may follow `previous`.
    #[inline]
    fn follows(&self, previous: usize, next: usize) -> bool {
        self.table[previous * self.labels + next]
    }
}

/// The best label sequence for `emissions` (one row of `L` scores per token) under
/// `transitions` (`(L + 1) * L`, row `L` being the sentence start) and `allowed`.
///
/// A transition `allowed` forbids scores minus infinity, so the inner loop has no branch
/// but the comparison; the scores of the previous token are all it keeps, and the back
/// pointers live in a buffer of the thread's that is reused from sentence to sentence.
pub fn viterbi<const L: usize>(
    emissions: &[f32],
    transitions: &[f32],
    allowed: &Allowed,
    out: &mut Vec<u8>,
) {
    debug_assert_eq!(allowed.labels, L);
    debug_assert_eq!(transitions.len(), (L + 1) * L);
    let n = emissions.len() / L;
    out.clear();
    if n == 0 {
        return;
    }
    // masked[previous][label]: the transition score, minus infinity where not allowed.
    let mut masked = [[f32::NEG_INFINITY; L]; L];
    for (previous, row) in masked.iter_mut().enumerate() {
        for (label, score) in row.iter_mut().enumerate() {
            if allowed.follows(previous, label) {
                *score = transitions[previous * L + label];
            }
        }
    }
    let mut scores = [f32::NEG_INFINITY; L];
    for (label, score) in scores.iter_mut().enumerate() {
        if allowed.first(label) {
            *score = transitions[L * L + label] + emissions[label];
        }
    }
    thread_local! {
        static BACK: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BACK.with_borrow_mut(|back| {
        back.clear();
        back.resize(n * L, 0);
        for token in 1..n {
            // Previous labels in the outer loop, so the inner one runs over all labels at
            // once; each label still sees the previous ones in order and keeps the first
            // best, as a loop per label would.
            let mut best = [f32::NEG_INFINITY; L];
            let mut from = [0u8; L];
            for (previous, row) in masked.iter().enumerate() {
                let score = scores[previous];
                for label in 0..L {
                    let candidate = score + row[label];
                    if candidate > best[label] {
                        best[label] = candidate;
                        from[label] = previous as u8;
                    }
                }
            }
            for label in 0..L {
                scores[label] = best[label] + emissions[token * L + label];
            }
            back[token * L..(token + 1) * L].copy_from_slice(&from);
        }
        let mut label = (0..L)
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
            .unwrap_or(0) as u8;
        out.resize(n, 0);
        for token in (0..n).rev() {
            out[token] = label;
            label = back[token * L + label as usize];
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three labels: `O`, `B`, `I`; `I` only after `B` or `I`.
    fn bio() -> Allowed {
        Allowed::new(3, |previous, next| {
            next != 2 || previous.is_some_and(|previous| previous != 0)
        })
    }

    #[test]
    fn never_opens_with_inside() {
        // Token 0 prefers I, which is not allowed first: B wins.
        let emissions = [0.0, 1.0, 3.0, 0.0, 0.0, 2.0];
        let transitions = [0.0f32; 4 * 3];
        let mut labels = Vec::new();
        viterbi::<3>(&emissions, &transitions, &bio(), &mut labels);
        assert_eq!(labels, vec![1, 2]);
    }

    #[test]
    fn transitions_weigh_against_emissions() {
        let emissions = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        let mut transitions = [0.0f32; 4 * 3];
        // O after O is costly; B after O is cheap.
        transitions[0] = -5.0;
        let mut labels = Vec::new();
        viterbi::<3>(&emissions, &transitions, &bio(), &mut labels);
        assert_eq!(labels, vec![0, 1]);
        viterbi::<3>(&[], &transitions, &bio(), &mut labels);
        assert!(labels.is_empty());
    }
}
