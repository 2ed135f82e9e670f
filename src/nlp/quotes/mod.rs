//! Quotes: direct speech in quotation marks and reported speech, with speakers, cues and
//! the outlets they came through.
//!
//! The stage runs after the entity stage and reads its mentions to name speakers; with no
//! entities it still finds quotes and leaves the speaker unresolved (`entity: None`, the
//! mention span on the words that name the speaker). It is rule-based and linear in the
//! number of tokens; when the pipeline gives it the trained reported-speech tagger
//! (`speech_tagger.rs`, its model `models/reported-speech.bin`), the tagger refines the
//! rules' reported speech, whose cue words miss a long tail. Speakers are resolved only once
//! every quote is found, so that a pronoun can refer to a speaker named by any earlier quote.
//!
//! The work is split by step, each a set of methods on one `QuoteFinder`:
//! `marks.rs` pairs quotation marks, `direct.rs` judges each quoted stretch and finds its
//! cue, `phrases.rs` reads speaker noun phrases, `outlets.rs` finds the outlet a quote came
//! through, `reported.rs` finds reported speech and stances, `speakers.rs` resolves and
//! inherits speakers, `tagger_merge.rs` hands the rules' findings to the tagger and merges
//! its spans back, and `tokens.rs` holds the
//! token questions they all ask. The word lists the rules read are files of
//! `data/lexicon/quotes/`, loaded in `lists.rs`.
//!
//! It does not split a reported-speech clause that holds two attributions, takes a speaker
//! from a relative pronoun only for speech verbs (not for stances: "Reyes, who backs ..."),
//! does not take a speaker from a sentence after the quote other than a bare "Smith said.",
//! and does not resolve nominal speakers ("the minister") itself: that is the entity
//! stage's job.

use super::bounds::{self, Deadline};
use super::document::{
    Document, EntityType, Mention, MentionKind, Quote, QuoteKind, Span, Speaker,
};
use super::gazetteer::{Gazetteer, Gender};
use super::lexicon::{
    word_set, Lexicon, WordSet, GROUP_PRONOUNS, MODALS, OBJECT_PRONOUNS, PERSON_PRONOUNS,
    POSSESSIVE_DETERMINERS, SPEECH_VERBS,
};
use super::linear::clusters::WordClusters;
use super::text;
use rustc_hash::FxHashMap;
use speech_tagger::{AttributionModel, Part, SentenceFeatures, TokenMarks};
use std::ops::Range;
use std::sync::LazyLock;

mod direct;
mod lists;
mod marks;
mod outlets;
mod partial;
mod phrases;
mod reported;
mod speakers;
pub mod speech_tagger;
mod tagger_merge;
mod tokens;

use lists::*;

/// The class of a cue word for the reported-speech tagger: 1 a speech verb or a verb of
/// finding, 2 a stance verb, 3 "according", 0 none. One hash lookup per token.
fn cue_word_class(lower: &str) -> u8 {
    static CLASSES: LazyLock<FxHashMap<&'static str, u8>> = LazyLock::new(|| {
        let mut classes = FxHashMap::default();
        for &word in stance_verbs().iter() {
            classes.insert(word, 2);
        }
        for &word in SPEECH_VERBS.iter().chain(that_verbs().iter()) {
            classes.insert(word, 1);
        }
        classes.insert("according", 3);
        classes
    });
    CLASSES.get(lower).copied().unwrap_or(0)
}

/// Candidates in text order.
fn sort_candidates(candidates: &mut [Candidate]) {
    candidates.sort_by_key(|candidate| {
        (
            candidate.span.field,
            candidate.span.start,
            candidate.span.end,
        )
    });
}

/// A quoted stretch with no cue next to it is a direct quote only from this many words on;
/// shorter ones are names, titles or scare quotes far more often than speech.
const MIN_STANDALONE_WORDS: usize = 5;

/// The longest noun phrase taken as a speaker, in tokens.
const MAX_SPEAKER_TOKENS: usize = 10;

/// How far after a quote the cue may be when the speaker has an apposition ("Smith, a
/// lawyer at the firm that ..., said").
const MAX_APPOSITION_TOKENS: usize = 40;

/// How many paragraphs back a pronoun speaker may refer to a named one.
const PRONOUN_REACH_PARAGRAPHS: usize = 3;

/// Reported speech shorter than this (in words) is a fragment, not a claim.
const MIN_INDIRECT_WORDS: usize = 3;

/// The most tokens of an adverbial after "CONTENT, said X" ("... said Smith on Monday in Iowa").
const MAX_TRAILING_ADVERBIAL_TOKENS: usize = 6;

/// The fewest words of reported content led by an adverbial.
const MIN_LED_CLAUSE_WORDS: usize = 5;

/// How many mentions back a pronoun speaker's antecedent is looked for: far more than one
/// news article holds (the BBC's most is 247), so that hostile text stays linear.
const MAX_LOOKBACK_MENTIONS: usize = 2_000;

/// How often (in tokens) the search for reported speech checks the deadline.
const DEADLINE_EVERY_TOKENS: usize = 256;

/// The most words of the noun phrase a relative "who" refers to.
const MAX_ANTECEDENT_TOKENS: usize = 5;

/// The trained reported-speech tagger and the word clusters its features read.
#[derive(Debug, Clone, Copy)]
pub struct ContentModel<'m> {
    pub model: &'m AttributionModel,
    pub clusters: &'m WordClusters,
}

/// Finds quotes and attributes them; writes `document.quotes` in text order. With a
/// `content_model`, reported speech is refined by it (see the module doc).
pub fn extract(
    document: &mut Document,
    gazetteer: &Gazetteer,
    content_model: Option<ContentModel<'_>>,
) {
    extract_within(document, gazetteer, content_model, Deadline::none());
}

/// [`extract`] that stops early once `deadline` has passed (the quotes found by then are
/// kept, those whose speaker was not resolved yet without one) and keeps at most
/// [`bounds::quote_cap`] quotes; each of the two says so in `document.warnings`.
pub fn extract_within(
    document: &mut Document,
    gazetteer: &Gazetteer,
    content_model: Option<ContentModel<'_>>,
    deadline: Deadline,
) {
    let mut finder = QuoteFinder::new(document, gazetteer);
    finder.content_model = content_model;
    finder.deadline = deadline;
    let (mut quotes, mentions, stopped) = finder.find();
    let cap = bounds::quote_cap(document.fields.iter().map(|field| field.text.len()).sum());
    if stopped {
        document.warnings.push(deadline.warning("quotes"));
    }
    if quotes.len() > cap {
        quotes.truncate(cap);
        document
            .warnings
            .push(bounds::cap_warning("quotes", "quotes", cap));
    }
    document.quotes = quotes;
    document.add_mentions(mentions);
}

/// The features of every sentence for the reported-speech tagger, computed from the rules'
/// findings as [`extract`] computes them (for training: `article-enricher train quotes`).
/// Returns each sentence's token range with its features.
pub fn content_features(
    document: &Document,
    gazetteer: &Gazetteer,
    clusters: &WordClusters,
) -> Vec<(Range<usize>, SentenceFeatures)> {
    let mut finder = QuoteFinder::new(document, gazetteer);
    let (candidates, _) = finder.rule_candidates();
    let marks = finder.token_marks(&candidates);
    document
        .sentences
        .iter()
        .map(|sentence| {
            let mut features = SentenceFeatures::default();
            finder.sentence_features(sentence.tokens.clone(), &marks, clusters, &mut features);
            (sentence.tokens.clone(), features)
        })
        .collect()
}

/// Which quotation marks pair with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkFamily {
    Double,
    Single,
}

/// Whether a mark opens, closes, or (straight marks) depends on its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkRole {
    Open,
    Close,
    Either,
}

fn quotation_mark(token: &str) -> Option<(MarkFamily, MarkRole)> {
    use MarkFamily::*;
    use MarkRole::*;
    Some(match token {
        "“" | "„" | "«" | "``" | "‟" => (Double, Open),
        "”" | "»" => (Double, Close),
        // Two apostrophes open as well as close in some house styles (''Like this,'' he said).
        "\"" | "''" => (Double, Either),
        "‘" | "‹" | "`" => (Single, Open),
        "’" | "›" => (Single, Close),
        "'" => (Single, Either),
        _ => return None,
    })
}

fn is_quotation_mark(token: &str) -> bool {
    quotation_mark(token).is_some()
}

/// A pair of quotation marks at the top level (not nested in another quote), or an opening
/// mark whose closing mark was lost: the quote then runs to the end of its paragraph, to the
/// next opening mark or to the end of the text.
#[derive(Debug, Clone, Copy)]
struct QuotedStretch {
    /// Token index of the opening mark.
    open: usize,
    /// Token index of the closing mark; for an unclosed stretch, the end of its content
    /// (the first token after it).
    close: usize,
    /// Whether the closing mark is there.
    closed: bool,
}

impl QuotedStretch {
    fn closed(open: usize, close: usize) -> QuotedStretch {
        QuotedStretch {
            open,
            close,
            closed: true,
        }
    }

    /// The stretch from the mark at `open` to `end` (exclusive) whose closing mark was
    /// lost; none when no token lies between.
    fn unclosed(open: usize, end: usize) -> Option<QuotedStretch> {
        (end > open + 1).then_some(QuotedStretch {
            open,
            close: end,
            closed: false,
        })
    }

    /// The last token of the stretch: its closing mark, or its last word when unclosed.
    fn last(&self) -> usize {
        if self.closed {
            self.close
        } else {
            self.close - 1
        }
    }
}

/// Who said it, by which words, through whom: token ranges found around a cue.
#[derive(Debug, Clone)]
struct Attribution {
    speaker: Option<Range<usize>>,
    cue: Range<usize>,
    via: Option<Range<usize>>,
}

/// A quote while the finder works on it: speakers are resolved once all are found, so that
/// a pronoun can refer to a speaker named by any earlier quote.
#[derive(Debug, Clone)]
struct Candidate {
    kind: QuoteKind,
    span: Span,
    paragraph: usize,
    /// The quotation marks of a direct quote.
    stretch: Option<QuotedStretch>,
    attribution: Option<Attribution>,
    /// ", adding that ...": the speaker is that of the quote before in the same sentence.
    continues_clause: bool,
    speaker: Option<Speaker>,
    /// An attribution too short to report ("Smith endorsed Jones"): not output, but its
    /// speaker is a named speaker that later pronouns may refer to.
    hidden: bool,
}

/// A speaker named by a phrase (not a pronoun), for pronouns to refer back to.
#[derive(Debug, Clone)]
struct NamedSpeaker {
    /// Index of the candidate this speaker phrase belongs to.
    candidate: usize,
    token: usize,
    paragraph: usize,
    speaker: Speaker,
}

struct QuoteFinder<'a> {
    document: &'a Document,
    gazetteer: &'a Gazetteer,
    /// Tokens that are a cue already used for a direct quote, or inside one.
    claimed: Vec<bool>,
    /// Tokens inside any top-level quoted stretch, direct quote or not.
    quoted: Vec<bool>,
    /// Indices into `document.mentions` ordered by (field, start, end, index), and the
    /// length of the longest mention: with them the mentions around a span are found
    /// without scanning every mention of the article for every quote.
    mentions_by_start: Vec<usize>,
    longest_mention: usize,
    /// Sentences written in title case (headlines: "Minister Says Talks Will Resume").
    title_case: Vec<bool>,
    content_model: Option<ContentModel<'a>>,
    /// When to stop early, and whether it did.
    deadline: Deadline,
    stopped: std::cell::Cell<bool>,
}

/// The fewest words of a title-case headline.
const MIN_HEADLINE_WORDS: usize = 4;

impl<'a> QuoteFinder<'a> {
    fn new(document: &'a Document, gazetteer: &'a Gazetteer) -> Self {
        let mut mentions_by_start: Vec<usize> = (0..document.mentions.len()).collect();
        mentions_by_start.sort_by_key(|&index| {
            let span = document.mentions[index].span;
            (span.field, span.start, span.end, index)
        });
        let longest_mention = document
            .mentions
            .iter()
            .map(|mention| mention.span.len())
            .max()
            .unwrap_or(0);
        let title_case = document
            .sentences
            .iter()
            .map(|sentence| {
                let (mut words, mut capitalised) = (0, 0);
                for index in sentence.tokens.clone() {
                    match document.token_text(index).chars().next() {
                        Some(first) if first.is_uppercase() => {
                            words += 1;
                            capitalised += 1;
                        }
                        Some(first) if first.is_alphabetic() => words += 1,
                        _ => {}
                    }
                }
                // Short function words ("of", "to", "a") may stay in lower case.
                words >= MIN_HEADLINE_WORDS && capitalised * 4 >= words * 3
            })
            .collect();
        QuoteFinder {
            document,
            gazetteer,
            title_case,
            claimed: vec![false; document.tokens.len()],
            quoted: vec![false; document.tokens.len()],
            mentions_by_start,
            longest_mention,
            content_model: None,
            deadline: Deadline::none(),
            stopped: std::cell::Cell::new(false),
        }
    }

    /// Whether the deadline has passed; once it has, the finder stops where it is.
    fn out_of_time(&self) -> bool {
        if !self.stopped.get() && self.deadline.passed() {
            self.stopped.set(true);
        }
        self.stopped.get()
    }

    /// What the rules find: direct quotes, then reported speech, in text order; and the
    /// quoted stretches woven into sentences, which may be partial quotes.
    fn rule_candidates(&mut self) -> (Vec<Candidate>, Vec<QuotedStretch>) {
        let stretches = self.pair_quotation_marks();
        for stretch in &stretches {
            for index in stretch.open..=stretch.last() {
                self.quoted[index] = true;
            }
        }
        let woven = self.woven_stretches(&stretches);
        let mut candidates = self.direct_quotes(&stretches);
        for candidate in &candidates {
            if let Some(stretch) = candidate.stretch {
                for index in stretch.open..=stretch.last() {
                    self.claimed[index] = true;
                }
            }
            if let Some(attribution) = &candidate.attribution {
                for index in attribution.cue.clone() {
                    self.claimed[index] = true;
                }
            }
        }
        let indirect = self.indirect_quotes(&candidates);
        candidates.extend(indirect);
        sort_candidates(&mut candidates);
        (candidates, woven)
    }

    /// Speakers named by a description that was resolved to a person ("the analyst said",
    /// "the chancellor, John Roe, said") where the entity stage left no mention of that
    /// person: nominal mentions for the entity, so that its mentions show every way the
    /// article refers to it.
    fn description_mentions(&self, quotes: &[Quote]) -> Vec<Mention> {
        let mut added: Vec<Mention> = Vec::new();
        let mut seen: rustc_hash::FxHashSet<(usize, usize)> = rustc_hash::FxHashSet::default();
        for speaker in quotes.iter().filter_map(|quote| quote.speaker.as_ref()) {
            let Some(entity) = speaker.entity else {
                continue;
            };
            let span = speaker.mention;
            let first = self.token_at(span);
            let last = self.token_at(Span::new(span.field, span.end, span.end));
            // "the chancellor, John Roe": the description before the name.
            let description_end = (first..last)
                .find(|&index| self.text(index) == ",")
                .unwrap_or(last);
            if description_end <= first {
                continue;
            }
            let description = self.span_of(&(first..description_end));
            let is_person = self.document.entities[entity].entity_type == EntityType::Person;
            // A nationality inside ("the Republican nominee", "the Irish actor") is not the
            // person; a person or organisation inside is another mention there.
            let known = self.mentions_around(description).into_iter().any(|index| {
                let inner = &self.document.mentions[index];
                let mention = inner.span;
                mention.field == description.field
                    && mention.start < description.end
                    && description.start < mention.end
                    && (inner.entity == entity
                        || matches!(
                            self.document.entities[inner.entity].entity_type,
                            EntityType::Person | EntityType::Organization
                        ))
            });
            if is_person
                && !known
                && self.phrase_is_person_description(description)
                && seen.insert((description.field, description.start))
            {
                added.push(Mention {
                    span: description,
                    kind: MentionKind::Nominal,
                    entity,
                    sentence: self.sentence_of(first),
                });
            }
        }
        added
    }

    /// The output quote of `candidate` (or of a partial quote inside it, at `span`), with
    /// its speaker, cue and outlet.
    fn quote_of(&self, candidate: &Candidate, kind: QuoteKind, span: Span, partial: bool) -> Quote {
        let attribution = candidate.attribution.as_ref();
        Quote {
            kind,
            partial,
            span,
            speaker: candidate.speaker.clone(),
            cue: attribution.map(|a| self.span_of(&a.cue)),
            via: attribution
                .and_then(|a| a.via.as_ref())
                .map(|via| self.span_of(via)),
        }
    }

    /// The quotes, the mentions they add, and whether the deadline stopped the search early.
    fn find(mut self) -> (Vec<Quote>, Vec<Mention>, bool) {
        let (mut candidates, woven) = self.rule_candidates();
        if let Some(content_model) = self.content_model.filter(|_| !self.out_of_time()) {
            self.apply_content_model(content_model, &mut candidates);
            sort_candidates(&mut candidates);
        }
        if !self.out_of_time() {
            self.resolve_speakers(&mut candidates);
        }
        let partial = if self.out_of_time() {
            Vec::new()
        } else {
            self.partial_quotes(&woven, &candidates)
        };
        let mut quotes: Vec<Quote> = candidates
            .into_iter()
            .filter(|candidate| !candidate.hidden)
            .map(|candidate| self.quote_of(&candidate, candidate.kind, candidate.span, false))
            .collect();
        if !partial.is_empty() {
            quotes.extend(partial);
            quotes.sort_by_key(|quote| (quote.span.field, quote.span.start, quote.span.end));
        }
        let mentions = self.description_mentions(&quotes);
        (quotes, mentions, self.stopped.get())
    }
}
