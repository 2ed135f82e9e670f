//! Partial quotes: a quoted stretch of four or more words woven into reported speech (`She
//! said the plan was "a betrayal of every promise we made".`) is the speaker's exact words,
//! a `direct` quote with `partial` set and the speaker and cue of the reported speech that
//! holds it. Shorter fragments, titles (every longer word capitalised) and quoted words in a
//! sentence that reports no one's speech (scare quotes, names) stay out.

use super::*;

/// The fewest words of a partial quote: two or three quoted words are mostly a term, a
/// name or a scare quote.
const MIN_PARTIAL_WORDS: usize = 4;

impl QuoteFinder<'_> {
    /// The closed stretches woven into a sentence (their opening mark does not start a
    /// clause) that are long enough and do not read as a title.
    pub(super) fn woven_stretches(&self, stretches: &[QuotedStretch]) -> Vec<QuotedStretch> {
        stretches
            .iter()
            .filter(|stretch| {
                stretch.closed
                    && !self.opens_clause(stretch.open)
                    && !self.names_a_thing(stretch.open)
            })
            .filter(|stretch| {
                let words = stretch.open + 1..stretch.close;
                self.word_count(words.clone()) >= MIN_PARTIAL_WORDS
                    && !words
                        .filter(|&index| {
                            self.is_word(index) && self.text(index).chars().count() > 3
                        })
                        .all(|index| self.is_capitalised(index))
            })
            .copied()
            .collect()
    }

    /// The quoted words are the head of a noun phrase ("the recently created “group of
    /// friends ...”", "a “new deal for workers”"): a name or a term, not someone's words. A
    /// determiner within the three words before the mark, with nothing between but
    /// lowercase modifiers, says so.
    fn names_a_thing(&self, open: usize) -> bool {
        use crate::nlp::lexicon::{ARTICLES, DEMONSTRATIVES, POSSESSIVE_DETERMINERS};
        for index in (open.saturating_sub(3)..open).rev() {
            if self.is_in(index, &ARTICLES)
                || self.is_in(index, &DEMONSTRATIVES)
                || self.is_in(index, &POSSESSIVE_DETERMINERS)
            {
                return true;
            }
            let word = self.text(index);
            let modifier = self.is_word(index)
                && word.chars().all(char::is_lowercase)
                && (word.ends_with("ly") || word.ends_with("ed") || word.ends_with("-called"));
            if !modifier {
                return false;
            }
        }
        false
    }

    /// The partial quotes among `woven` stretches: each inside the content of a reported
    /// speech candidate (visible, with a speaker) takes that candidate's speaker, cue and
    /// outlet.
    pub(super) fn partial_quotes(
        &self,
        woven: &[QuotedStretch],
        candidates: &[Candidate],
    ) -> Vec<Quote> {
        let mut quotes = Vec::new();
        for stretch in woven {
            let mut content_end = stretch.close;
            while content_end > stretch.open + 1
                && matches!(self.text(content_end - 1), "," | "." | ";" | ":")
            {
                content_end -= 1;
            }
            let span = self.span_of(&(stretch.open + 1..content_end));
            let holder = candidates.iter().find(|candidate| {
                candidate.kind == QuoteKind::Indirect
                    && !candidate.hidden
                    && candidate.speaker.is_some()
                    && candidate.span.field == span.field
                    && candidate.span.start <= span.start
                    && span.start < candidate.span.end
            });
            let Some(holder) = holder else {
                continue;
            };
            quotes.push(self.quote_of(holder, QuoteKind::Direct, span, true));
        }
        quotes
    }
}
