//! The features the name tagger sees for each token of a sentence.
//!
//! Each feature is a 64-bit key (see [`crate::nlp::linear::hashing`]): a template number
//! mixed with hashes of the words, shapes, clusters or gazetteer matches it looks at. The
//! templates, for token `i`:
//! - the word as written and lower-cased; the lower-cased words at `i-2 .. i+2`; the pairs
//!   `(i-1, i)` and `(i, i+1)`;
//! - the word's shape ("Xxxx", "dd-dd", "X.X.") and brief shape (runs collapsed: "Xx"), the
//!   brief shapes of the neighbours and of the three together; the word before with this
//!   shape ("in" + "Xx") and this shape with the word after ("Xx" + "said");
//! - lower-cased prefixes and suffixes of one to four characters;
//! - the word's coarse and fine cluster, and the fine clusters of its neighbours;
//! - gazetteer matches: whether the token begins or continues the longest country, place,
//!   organisation or company name found there (companies and airlines of
//!   `data/company_names.tsv`, matched as written), is a nationality word, a given name, a
//!   title word or an ordinary English word; the same summary for the neighbours;
//! - the first word of a sentence, with its shape;
//! - document context, the non-local features: whether the same word is written capitalised
//!   inside a sentence, or lower-case, elsewhere in the document (which tells a name from an
//!   ordinary word in headlines and at sentence starts);
//! - in a sentence written all in capitals (a headline) the lower-cased word again, under its
//!   own template, so the model can weigh case-less text apart.
//!
//! Typographic apostrophes and quotation marks read as their ASCII forms ("O’Neill" is
//! "O'Neill"), as the training text writes them.
//!
//! Tried and left out (issue 21, measured on every fifth CoNLL training document held out,
//! three seeds): the document's other contexts of a capitalised word (the words around each
//! run of capitals it stands in elsewhere, a one-pass form of Krishnan and Manning's
//! non-local features) gained 0.1 F1 and 0.35 on names unseen in training, within the seeds'
//! spread, for 5-8% more tagging time.

use crate::nlp::gazetteer::Gazetteer;
use crate::nlp::linear::clusters::WordClusters;
use crate::nlp::linear::hashing::{hash_str, key, CharHasher, Prehashed};
use crate::nlp::text::{is_all_caps, is_capitalised, title_case};
use std::borrow::Cow;
use std::collections::HashSet;

/// Bumped whenever templates or hashing change; a model records the version it was
/// trained with and refuses to load under another.
pub const FEATURE_VERSION: u32 = 2;

/// The longest gazetteer name, in tokens, tried at each position.
const LONGEST_GAZETTEER_NAME: usize = 5;

/// Lower-case words that may stand inside a multi-word name ("Bank of England").
const NAME_CONNECTORS: &[&str] = &[
    "of", "and", "de", "for", "the", "&", "-", "del", "da", "von",
];

// Gazetteer bits of a token.
const COUNTRY_BEGIN: u16 = 1;
const COUNTRY_INSIDE: u16 = 1 << 1;
const PLACE_BEGIN: u16 = 1 << 2;
const PLACE_INSIDE: u16 = 1 << 3;
const ORGANIZATION_BEGIN: u16 = 1 << 4;
const ORGANIZATION_INSIDE: u16 = 1 << 5;
const NATIONALITY: u16 = 1 << 6;
const GIVEN_NAME: u16 = 1 << 7;
const TITLE_WORD: u16 = 1 << 8;
const COMMON_WORD: u16 = 1 << 9;
const COMPANY_BEGIN: u16 = 1 << 10;
const COMPANY_INSIDE: u16 = 1 << 11;
/// How many gazetteer bits there are.
const GAZETTEER_BITS: u64 = 12;

/// The feature keys of every token of one sentence.
#[derive(Debug, Clone, Default)]
pub struct SentenceFeatures {
    keys: Vec<u64>,
    /// `keys[offsets[i]..offsets[i + 1]]` are token `i`'s.
    offsets: Vec<usize>,
}

impl SentenceFeatures {
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn token(&self, index: usize) -> &[u64] {
        &self.keys[self.offsets[index]..self.offsets[index + 1]]
    }

    /// Every key of the sentence, token after token, and where each token's keys start
    /// (one more entry than tokens).
    pub(crate) fn flat(&self) -> (&[u64], &[usize]) {
        (&self.keys, &self.offsets)
    }
}

/// What a document says about its words, gathered before tagging any sentence of it.
#[derive(Debug, Clone, Default)]
pub struct DocumentContext {
    /// Lower-case hashes of words written capitalised inside a cased sentence.
    capitalised: HashSet<u64, Prehashed>,
    /// Lower-case hashes of words written in lower case.
    lower_case: HashSet<u64, Prehashed>,
}

impl DocumentContext {
    /// Adds one sentence's words.
    pub fn add_sentence(&mut self, words: &[&str]) {
        if is_uncased(words) {
            return;
        }
        for word in words.iter().skip(1) {
            let Some(first) = word.chars().next() else {
                continue;
            };
            if first.is_uppercase() || first.is_lowercase() {
                let hash = hash_str(&normal_lower(word));
                if first.is_uppercase() {
                    self.capitalised.insert(hash);
                } else {
                    self.lower_case.insert(hash);
                }
            }
        }
    }
}

/// A word with typographic apostrophes and quotation marks in their ASCII forms.
fn normal_form(word: &str) -> Cow<'_, str> {
    if word.chars().any(|c| matches!(c, '’' | '‘' | '“' | '”')) {
        Cow::Owned(
            word.chars()
                .map(|c| match c {
                    '’' | '‘' => '\'',
                    '“' | '”' => '"',
                    other => other,
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(word)
    }
}

/// [`normal_form`] in lower case.
fn normal_lower(word: &str) -> Cow<'_, str> {
    match normal_form(word) {
        Cow::Borrowed(word) => lower_case(word),
        Cow::Owned(word) => Cow::Owned(word.to_lowercase()),
    }
}

/// Whether a sentence is written without case information: at least three words with
/// letters, all in capitals.
pub fn is_uncased(words: &[&str]) -> bool {
    let mut count = 0;
    for word in words
        .iter()
        .filter(|word| word.chars().any(char::is_alphabetic))
    {
        if !is_all_caps(word) {
            return false;
        }
        count += 1;
    }
    count >= 3
}

/// Per-token values the templates combine.
#[derive(Debug, Clone, Copy, Default)]
struct TokenValues {
    word: u64,
    lower: u64,
    shape: u64,
    brief: u64,
    clusters: Option<[u16; 2]>,
    gazetteer: u16,
    lettered: bool,
}

/// The values of a position before the first or after the last token.
fn boundary(marker: &str) -> TokenValues {
    let hash = hash_str(marker);
    TokenValues {
        word: hash,
        lower: hash,
        shape: hash,
        brief: hash,
        ..TokenValues::default()
    }
}

/// Turns sentences into features; holds the gazetteers and clusters they consult.
pub struct FeatureExtractor<'a> {
    pub gazetteer: &'a Gazetteer,
    pub clusters: &'a WordClusters,
}

impl FeatureExtractor<'_> {
    /// The features of every token of `words`, one sentence of a document with `context`.
    pub fn sentence(&self, words: &[&str], context: &DocumentContext, out: &mut SentenceFeatures) {
        out.keys.clear();
        out.offsets.clear();
        out.offsets.push(0);
        let normal: Vec<Cow<str>> = words.iter().map(|word| normal_form(word)).collect();
        let words: Vec<&str> = normal.iter().map(|word| word.as_ref()).collect();
        let words = words.as_slice();
        let lowers: Vec<Cow<str>> = words.iter().map(|word| lower_case(word)).collect();
        let uncased = is_uncased(words);
        let mut values: Vec<TokenValues> = words
            .iter()
            .zip(&lowers)
            .map(|(word, lower)| {
                let (shape, brief) = shapes(word);
                let lower_hash = hash_str(lower);
                TokenValues {
                    word: hash_str(word),
                    lower: lower_hash,
                    shape,
                    brief,
                    clusters: self.clusters.get(lower_hash),
                    gazetteer: 0,
                    lettered: word.chars().next().is_some_and(char::is_alphabetic),
                }
            })
            .collect();
        self.mark_gazetteer(words, &lowers, &mut values);
        let (start, end) = (boundary("<s>"), boundary("</s>"));
        let at = |index: isize| -> TokenValues {
            if index < 0 {
                start
            } else if index as usize >= values.len() {
                end
            } else {
                values[index as usize]
            }
        };
        let keys = &mut out.keys;
        for (index, lower) in lowers.iter().enumerate() {
            let i = index as isize;
            let (previous2, previous, this, next, next2) =
                (at(i - 2), at(i - 1), at(i), at(i + 1), at(i + 2));
            keys.push(key(1, &[]));
            keys.push(key(2, &[this.word]));
            keys.push(key(3, &[this.lower]));
            keys.push(key(4, &[previous.lower]));
            keys.push(key(5, &[next.lower]));
            keys.push(key(6, &[previous2.lower]));
            keys.push(key(7, &[next2.lower]));
            keys.push(key(8, &[previous.lower, this.lower]));
            keys.push(key(9, &[this.lower, next.lower]));
            keys.push(key(10, &[this.shape]));
            keys.push(key(11, &[previous.brief]));
            keys.push(key(12, &[next.brief]));
            keys.push(key(13, &[previous.brief, this.brief, next.brief]));
            keys.push(key(14, &[previous.lower, this.brief]));
            keys.push(key(15, &[this.brief, next.lower]));
            push_affixes(lower, keys);
            if let Some([coarse, fine]) = this.clusters {
                keys.push(key(18, &[u64::from(coarse)]));
                keys.push(key(19, &[u64::from(fine)]));
                keys.push(key(20, &[u64::from(fine), this.brief]));
            }
            if let Some([_, fine]) = previous.clusters {
                keys.push(key(21, &[u64::from(fine)]));
            }
            if let Some([_, fine]) = next.clusters {
                keys.push(key(22, &[u64::from(fine)]));
            }
            for bit in 0..GAZETTEER_BITS {
                if this.gazetteer & (1 << bit) != 0 {
                    keys.push(key(23, &[bit]));
                }
            }
            keys.push(key(24, &[u64::from(previous.gazetteer)]));
            keys.push(key(25, &[u64::from(next.gazetteer)]));
            if index == 0 {
                keys.push(key(26, &[this.brief]));
            }
            if this.lettered {
                let flags = u64::from(context.capitalised.contains(&this.lower))
                    | u64::from(context.lower_case.contains(&this.lower)) << 1
                    | u64::from(index == 0) << 2
                    | u64::from(uncased) << 3;
                keys.push(key(27, &[flags, this.brief]));
            }
            if uncased {
                keys.push(key(28, &[this.lower]));
            }
            out.offsets.push(keys.len());
        }
    }

    /// Sets the gazetteer bits of each token.
    fn mark_gazetteer(&self, words: &[&str], lowers: &[Cow<str>], values: &mut [TokenValues]) {
        let gazetteer = self.gazetteer;
        for (index, word) in words.iter().enumerate() {
            if !is_capitalised(word) {
                continue;
            }
            let cased_form;
            let name_form: &str = if is_all_caps(word) && word.chars().count() > 1 {
                cased_form = title_case(word);
                &cased_form
            } else {
                word
            };
            let mut bits = 0;
            if gazetteer.nationality(name_form).is_some() {
                bits |= NATIONALITY;
            }
            if gazetteer.first_name(name_form).is_some() {
                bits |= GIVEN_NAME;
            }
            if gazetteer.is_title_word(&lowers[index]) {
                bits |= TITLE_WORD;
            }
            if gazetteer.is_common_word(&lowers[index]) {
                bits |= COMMON_WORD;
            }
            values[index].gazetteer |= bits;
            // The longest gazetteer name of each kind starting here.
            let mut extent = 1;
            while extent < LONGEST_GAZETTEER_NAME && index + extent < words.len() {
                let next = words[index + extent];
                let joins = NAME_CONNECTORS.contains(&lowers[index + extent].as_ref())
                    && words
                        .get(index + extent + 1)
                        .is_some_and(|w| is_capitalised(w));
                if is_capitalised(next) || joins {
                    extent += 1;
                } else {
                    break;
                }
            }
            let (mut country, mut place, mut organization) = (false, false, false);
            let mut company = false;
            for length in (1..=extent).rev() {
                if country && place && organization && company {
                    break;
                }
                let last = index + length - 1;
                if !is_capitalised(words[last]) {
                    continue;
                }
                let (exact, lower): (Cow<str>, Cow<str>) = if length == 1 {
                    (
                        Cow::Borrowed(words[index]),
                        Cow::Borrowed(lowers[index].as_ref()),
                    )
                } else {
                    (
                        Cow::Owned(words[index..=last].join(" ")),
                        Cow::Owned(lowers[index..=last].join(" ")),
                    )
                };
                let kinds = gazetteer.phrase_kinds(&exact, &lower);
                let mut mark = |found: bool, seen: &mut bool, begin: u16, inside: u16| {
                    if found && !*seen {
                        *seen = true;
                        values[index].gazetteer |= begin;
                        for value in &mut values[index + 1..=last] {
                            value.gazetteer |= inside;
                        }
                    }
                };
                mark(kinds.country, &mut country, COUNTRY_BEGIN, COUNTRY_INSIDE);
                mark(kinds.place, &mut place, PLACE_BEGIN, PLACE_INSIDE);
                mark(
                    kinds.organization,
                    &mut organization,
                    ORGANIZATION_BEGIN,
                    ORGANIZATION_INSIDE,
                );
                mark(kinds.company, &mut company, COMPANY_BEGIN, COMPANY_INSIDE);
            }
        }
    }
}

/// A word in lower case, borrowed when it already is.
fn lower_case(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Prefix and suffix features of one to four characters (shorter than the word).
fn push_affixes(lower: &str, keys: &mut Vec<u64>) {
    let longest = 4.min(lower.chars().count().saturating_sub(1));
    // Each prefix's hash grows from the one before (the hash of a string is taken char by
    // char); suffixes grow at the wrong end for that, and are hashed whole.
    let mut prefix = CharHasher::new();
    for (length, c) in lower.chars().take(longest).enumerate() {
        prefix.push(c);
        keys.push(key(16, &[length as u64 + 1, prefix.finish()]));
    }
    for (length, (start, _)) in lower.char_indices().rev().take(longest).enumerate() {
        keys.push(key(17, &[length as u64 + 1, hash_str(&lower[start..])]));
    }
}

/// The shape of a word ("Xxxx", "dddd", "X.X."; runs capped at four) and its brief shape
/// (runs collapsed: "Xx", "d", "X.X.").
fn shapes(word: &str) -> (u64, u64) {
    // Both are hashed as they grow: no string is built per token.
    let (mut shape, mut brief) = (CharHasher::new(), CharHasher::new());
    let (mut shape_length, mut last, mut run) = (0, None, 0);
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if last == Some(class) {
            run += 1;
        } else {
            brief.push(class);
            last = Some(class);
            run = 1;
        }
        if run <= 4 && shape_length < 12 {
            shape.push(class);
            shape_length += 1;
        }
    }
    (shape.finish(), brief.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_cap_runs_and_collapse_them() {
        assert_eq!(shapes("London"), (hash_str("Xxxxx"), hash_str("Xx")));
        assert_eq!(shapes("U.S."), (hash_str("X.X."), hash_str("X.X.")));
        assert_eq!(shapes("1996-08-22").1, hash_str("d-d-d"));
    }

    #[test]
    fn affixes_are_hashed_as_their_strings() {
        let mut keys = Vec::new();
        push_affixes("ankara", &mut keys);
        assert_eq!(keys[0], key(16, &[1, hash_str("a")]));
        assert_eq!(keys[3], key(16, &[4, hash_str("anka")]));
        assert_eq!(keys[4], key(17, &[1, hash_str("a")]));
        assert_eq!(keys[7], key(17, &[4, hash_str("kara")]));
    }

    #[test]
    fn headlines_are_uncased() {
        assert!(is_uncased(&["JAPAN", "GET", "LUCKY", "WIN", ","]));
        assert!(!is_uncased(&["Japan", "GET", "LUCKY", "WIN"]));
        assert!(!is_uncased(&["UN", "US"]));
    }

    #[test]
    fn every_token_gets_features_and_gazetteer_names_are_marked() {
        let gazetteer = Gazetteer::embedded();
        let clusters = WordClusters::default();
        let extractor = FeatureExtractor {
            gazetteer,
            clusters: &clusters,
        };
        let words = ["Talks", "in", "South", "Africa", "ended", "."];
        let mut context = DocumentContext::default();
        context.add_sentence(&words);
        let mut features = SentenceFeatures::default();
        extractor.sentence(&words, &context, &mut features);
        assert_eq!(features.len(), words.len());
        let begins_country = key(23, &[0]);
        let inside_country = key(23, &[1]);
        assert!(features.token(2).contains(&begins_country));
        assert!(features.token(3).contains(&inside_country));
        assert!(!features.token(1).contains(&begins_country));
    }
}
