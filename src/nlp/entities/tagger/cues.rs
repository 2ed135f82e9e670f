//! Document-level type evidence: what one sentence says about a name holds for the whole
//! document.
//!
//! A name followed by a company's legal form or by `'s shares`, or preceded by `shares of`
//! or `the carmaker`, is a company (ORG) wherever the same name appears in the document; a
//! name after `the novel` or `the album` is the title of a work (MISC). The model decides
//! each mention from its own sentence, so a company named after a person ("Dunmore Holt")
//! may come out as a person everywhere except beside the cue. The cue phrases are data
//! (`data/lexicon/entities/company_cues_*.txt`, `work_cues_before.txt`); this pass only
//! retypes names the model found, it adds none.

use super::model::chunks;
use super::set_chunk;
use crate::nlp::lexicon::lexicon;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// Type indices of the model (`model::TYPES`).
const ORGANIZATION: usize = 1;
const MISC: usize = 3;

/// Cue phrases as lower-case words.
struct Cues {
    before: Vec<(Vec<&'static str>, usize)>,
    after: Vec<(Vec<&'static str>, usize)>,
    /// The phrases of `before` by their last word and those of `after` by their first, in
    /// [`folded`] form, each list in the phrases' order: a name's neighbour picks the few
    /// phrases that can match beside it.
    before_by_last: FxHashMap<String, Vec<usize>>,
    after_by_first: FxHashMap<String, Vec<usize>>,
}

/// A word as [`same_word`] compares it: ASCII letters lower-cased, `’` as `'`.
fn folded(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c == '’' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The index of phrases by their last word (`last`) or their first.
fn by_word(phrases: &[(Vec<&'static str>, usize)], last: bool) -> FxHashMap<String, Vec<usize>> {
    let mut index: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (number, (phrase, _)) in phrases.iter().enumerate() {
        let word = if last { phrase.last() } else { phrase.first() };
        if let Some(word) = word {
            index.entry(folded(word)).or_default().push(number);
        }
    }
    index
}

static CUES: LazyLock<Cues> = LazyLock::new(|| {
    let split = |list: &'static crate::nlp::lexicon::Lexicon, type_index: usize| {
        list.iter()
            .map(move |phrase| (phrase.split(' ').collect::<Vec<_>>(), type_index))
            .collect::<Vec<_>>()
    };
    let mut before = split(lexicon!("entities/company_cues_before"), ORGANIZATION);
    before.extend(split(lexicon!("entities/work_cues_before"), MISC));
    let after = split(lexicon!("entities/company_cues_after"), ORGANIZATION);
    Cues {
        before_by_last: by_word(&before, true),
        after_by_first: by_word(&after, false),
        before,
        after,
    }
});

/// Whether `words[at..]` start with `phrase` (lower-case ASCII words), in any case and with
/// a typographic apostrophe read as `'`.
fn matches_at(words: &[&str], at: usize, phrase: &[&str]) -> bool {
    words.len() >= at + phrase.len()
        && phrase
            .iter()
            .zip(&words[at..])
            .all(|(cue, word)| same_word(word, cue))
}

fn same_word(word: &str, cue: &str) -> bool {
    word.eq_ignore_ascii_case(cue)
        || word.contains('’')
            && word
                .chars()
                .map(|c| {
                    if c == '’' {
                        '\''
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .eq(cue.chars())
}

/// Retypes every mention of a name that a cue beside one of its mentions types.
pub fn apply(sentences: &[Vec<&str>], labels: &mut [Vec<u8>]) {
    let cues = &*CUES;
    // Name -> the type its cues give (None when cues disagree).
    let mut cued: FxHashMap<Vec<&str>, Option<usize>> = FxHashMap::default();
    for (words, labels) in sentences.iter().zip(labels.iter()) {
        let found = chunks(labels);
        if found.is_empty() {
            continue;
        }
        for (start, end, _) in found {
            let before = (start > 0)
                .then(|| cues.before_by_last.get(&folded(words[start - 1])))
                .flatten()
                .into_iter()
                .flatten()
                .map(|&number| &cues.before[number])
                .find(|(phrase, _)| {
                    start >= phrase.len() && matches_at(words, start - phrase.len(), phrase)
                });
            let after = words
                .get(end)
                .and_then(|word| cues.after_by_first.get(&folded(word)))
                .into_iter()
                .flatten()
                .map(|&number| &cues.after[number])
                .find(|(phrase, _)| matches_at(words, end, phrase));
            for &(_, type_index) in before.into_iter().chain(after) {
                let entry = cued
                    .entry(words[start..end].to_vec())
                    .or_insert(Some(type_index));
                if *entry != Some(type_index) {
                    *entry = None;
                }
            }
        }
    }
    if cued.is_empty() {
        return;
    }
    for (words, labels) in sentences.iter().zip(labels.iter_mut()) {
        for (start, end, type_index) in chunks(labels) {
            if let Some(Some(cued_type)) = cued.get(&words[start..end]) {
                if *cued_type != type_index {
                    set_chunk(labels, start, end, *cued_type);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::words;
    use super::*;

    #[test]
    fn a_cue_beside_one_mention_types_them_all() {
        let sentences = vec![
            words("Dunmore Holt said profits rose ."),
            words("Shares of Dunmore Holt fell ."),
            words("Ria Lind wrote the novel Quiet Rooms ."),
            words("Quiet Rooms sold well ."),
        ];
        // The model made the company a person and the novel an organisation.
        let mut labels = vec![
            vec![1, 5, 0, 0, 0, 0],
            vec![0, 0, 1, 5, 0, 0],
            vec![1, 5, 0, 0, 0, 2, 6, 0],
            vec![2, 6, 0, 0, 0],
        ];
        apply(&sentences, &mut labels);
        assert_eq!(labels[0], vec![2, 6, 0, 0, 0, 0]);
        assert_eq!(labels[1], vec![0, 0, 2, 6, 0, 0]);
        assert_eq!(
            labels[2],
            vec![1, 5, 0, 0, 0, 4, 8, 0],
            "the writer stays a person"
        );
        assert_eq!(labels[3], vec![4, 8, 0, 0, 0]);
    }

    #[test]
    fn cues_match_in_any_case_and_with_a_typographic_apostrophe() {
        let sentences = vec![
            words("Talbot Wren ’s shares fell ."),
            words("SHARES OF Orrin Vale rose ."),
        ];
        let mut labels = vec![vec![1, 5, 0, 0, 0, 0], vec![0, 0, 3, 7, 0, 0]];
        apply(&sentences, &mut labels);
        assert_eq!(labels, vec![vec![2, 6, 0, 0, 0, 0], vec![0, 0, 2, 6, 0, 0]]);
    }

    #[test]
    fn names_without_cues_and_disagreeing_cues_are_left_alone() {
        let sentences = vec![
            words("Orla Finn met Holt ."),
            words("Holt Ltd and the film Holt ."),
        ];
        let mut labels = vec![vec![1, 5, 0, 1, 0], vec![1, 0, 0, 0, 0, 1, 0]];
        let before = labels.clone();
        apply(&sentences, &mut labels);
        assert_eq!(labels, before);
    }
}
