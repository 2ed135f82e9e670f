//! The tense of the clause around a date: a future cue, an infinitive, a deadline, a
//! present marker or a past verb nearest the expression decides whether a year-less date
//! lies before the publication, after it, or on the nearer side.

use crate::nlp::document::{Document, Span};
use crate::nlp::lexicon::{
    is_determiner, lexicon, Lexicon, ARTICLES, DEMONSTRATIVES, POSSESSIVE_DETERMINERS,
};

/// Whether an expression points to the past or the future of the publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tense {
    Past,
    /// No verb says past or future: the nearest occurrence either way.
    Present,
    /// Put off ("postponed until Tuesday"): the next occurrence when it lies within half
    /// its cycle (a weekday's always), else the last one.
    Ahead,
    Future,
}

fn is_past_form(document: &Document, index: usize, clause_start: usize) -> bool {
    let text = document.token_text(index);
    // Capitalised words are names ("United"), not verbs, except at the start.
    if index > clause_start && text.starts_with(char::is_uppercase) {
        return false;
    }
    let word = document.token_lower(index);
    let irregular = lexicon!("dates/irregular_past").contains(word);
    // "-eed" words ("need", "proceed") are not past forms.
    let regular = word.len() >= 4
        && word.ends_with("ed")
        && !word.ends_with("eed")
        && word.chars().all(char::is_alphabetic);
    let previous = if index > clause_start {
        document.token_lower(index - 1)
    } else {
        ""
    };
    let after_present_auxiliary = lexicon!("dates/present_auxiliaries").contains(previous);
    // "would be held", "being paid": a passive participle; the word before "be" tells.
    let passive = matches!(previous, "be" | "being" | "been");
    // "the proposed merger", "a newly scheduled date": a participle after a determiner (and
    // perhaps an adverb) is an adjective.
    let adjective = is_determiner(previous)
        || (index > clause_start + 1
            && (previous.ends_with("ly") || matches!(previous, "still" | "yet"))
            && is_determiner(document.token_lower(index - 2)));
    (irregular || regular) && !after_present_auxiliary && !passive && !adjective
}

/// A verb after the infinitive "to": a lowercase word that is not a determiner or a number
/// ("to expire", not "to the" or "to 5").
fn is_infinitive(document: &Document, index: usize) -> bool {
    let word = document.token_text(index);
    document.token_text(index - 1).eq_ignore_ascii_case("to")
        && word.len() > 1
        && word.chars().all(|c| c.is_ascii_lowercase())
        && !ARTICLES.contains(word)
        && !POSSESSIVE_DETERMINERS.contains(word)
        && !DEMONSTRATIVES.contains(word)
        && word != "be"
}

/// "has been", "have agreed": a perfect is about the past; "has 500 staff" is present.
fn is_perfect(document: &Document, index: usize, sentence_end: usize) -> bool {
    let word = document.token_text(index);
    let auxiliary = ["has", "have", "had"]
        .iter()
        .any(|form| word.eq_ignore_ascii_case(form));
    auxiliary
        && index + 1 < sentence_end
        && (document.token_text(index + 1).eq_ignore_ascii_case("been")
            || is_past_form(document, index + 1, index))
}

/// The tense of the clause around `span`: a future cue anywhere in it wins, then a past verb
/// (including the reporting verb that closes it, "said Tuesday"), else present.
pub(super) fn clause_tense(document: &Document, span: Span) -> Tense {
    let Some(sentence) = document.sentence_at(span.field, span.start) else {
        return Tense::Past;
    };
    let tokens = document.sentences[sentence].tokens.clone();
    let word_is = |index: usize, list: &Lexicon| list.contains(document.token_lower(index));
    let clause_boundaries = lexicon!("dates/clause_boundaries");
    let is_future_cue = |index: usize| {
        let word = document.token_text(index);
        let lower = document.token_lower(index);
        // "plans to go" looks ahead; "vacation plans" does not.
        let intends = word_is(index, lexicon!("dates/intention_verbs"))
            && index + 1 < tokens.end
            && document.token_lower(index + 1) == "to";
        // "is to resume trading Tuesday": an arrangement ahead.
        // Not "who is to blame", nor "the aim is to know what happened".
        let arranged = matches!(lower, "is" | "are")
            && index + 2 < tokens.end
            && document.token_lower(index + 1) == "to"
            && is_infinitive(document, index + 2)
            && !matches!(document.token_lower(index + 2), "blame" | "be")
            && !(index > tokens.start && word_is(index - 1, lexicon!("dates/purpose_nouns")));
        intends
            || arranged
            || word_is(index, lexicon!("dates/future_cues"))
            // With a straight apostrophe only, as the rule has always read it.
            || word.eq_ignore_ascii_case("won't")
            || word.ends_with("'ll")
            || word.ends_with("’ll")
    };
    let inside = |index: usize| document.tokens[index].span.overlaps(&span);
    let first = tokens.clone().find(|&index| inside(index));
    let last = tokens.clone().rev().find(|&index| inside(index));
    let (Some(first), Some(last)) = (first, last) else {
        return Tense::Past;
    };
    // The clause: out from the expression to the nearest boundary on each side; a boundary
    // that is a verb ("said") still tells the tense.
    let mut clause_start = first;
    while clause_start > tokens.start && !word_is(clause_start - 1, clause_boundaries) {
        clause_start -= 1;
    }
    let mut clause_end = last + 1;
    while clause_end < tokens.end && !word_is(clause_end, clause_boundaries) {
        clause_end += 1;
    }
    // The nearest tense-bearing word decides: first looking back to the clause start, then
    // ahead to its end, then the reporting verbs that close it.
    let boundary_verbs = [clause_start.checked_sub(1), Some(clause_end)]
        .into_iter()
        .flatten()
        .filter(|&index| index >= tokens.start && index < tokens.end);
    let nearest_first = (clause_start..first)
        .rev()
        .chain(last + 1..clause_end)
        .chain(boundary_verbs);
    // A future cue anywhere in the clause before the date wins ("will buy back the preferred
    // shares on Sept. 9").
    if (clause_start..first).any(is_future_cue) {
        return Tense::Future;
    }
    // A deadline ("extended to Sept. 9", "until March") may lie on either side, except
    // what was put off ("postponed until Tuesday") lies ahead.
    if first > tokens.start && word_is(first - 1, lexicon!("dates/deadline_prepositions")) {
        let put_off_verbs = lexicon!("dates/put_off_verbs");
        let put_off = (clause_start..first - 1).any(|index| word_is(index, put_off_verbs));
        return if put_off {
            Tense::Ahead
        } else {
            Tense::Present
        };
    }
    for index in nearest_first {
        if is_future_cue(index) {
            return Tense::Future;
        }
        // An infinitive ("set to expire Nov. 6", "decided to admit them in March") speaks
        // of something intended, which may lie on either side of the publication.
        if index > tokens.start && index < first && is_infinitive(document, index) {
            return Tense::Present;
        }
        if is_perfect(document, index, tokens.end) {
            return Tense::Past;
        }
        if word_is(index, lexicon!("dates/present_markers")) {
            return Tense::Present;
        }
        // "was planned for March", "is set for Sept. 3": a plan, on either side.
        if word_is(index, lexicon!("dates/plan_participles"))
            && index + 1 < tokens.end
            && document.token_lower(index + 1) == "for"
        {
            return Tense::Present;
        }
        if is_past_form(document, index, tokens.start) {
            return Tense::Past;
        }
    }
    Tense::Present
}
