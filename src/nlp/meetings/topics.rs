//! Topics: what a meeting was about ("discussed ...", "talks on ...", "focused on ..."),
//! from the trigger's clause or from a later clause whose subject is the participants.

use super::frames::{add_topic, same_party, FrameSet};
use super::participants::{noun_phrase_participants, plural_reference_at, subject_of};
use super::sentence::SentenceContext;
use super::setting::occasion_opener;
use super::view::TextView;
use super::words::*;
use crate::nlp::lexicon::is_determiner;
use std::ops::Range;

/// A topic phrase found in a clause, with the verb or noun that introduced it.
pub(super) struct TopicPhrase {
    pub(super) cue: usize,
    pub(super) tokens: Range<usize>,
    /// "were discussed": the topic is the subject, so the participants are not named.
    pub(super) passive: bool,
}

/// Topic phrases in a clause: "discussed X", "talks on X", "focused on X", "considered
/// issues of X", "exchanged views on X", "X were discussed".
pub(super) fn topics_in(view: &TextView, clause: &Range<usize>) -> Vec<TopicPhrase> {
    let mut phrases = Vec::new();
    for token in clause.clone() {
        let word = view.word(token);
        let next = view.word(token + 1);
        let start = match word {
            _ if discuss_verbs().contains(word) => {
                if token > clause.start && is_be(view.word(token - 1)) {
                    // "Security issues were discussed."
                    let end = token - 1;
                    let begin = (clause.start..end)
                        .rev()
                        .find(|&probe| {
                            let w = view.word(probe);
                            is_punctuation(w) || w == "that" || is_speech_act(w)
                        })
                        .map_or(clause.start, |probe| probe + 1);
                    if begin < end {
                        phrases.push(TopicPhrase {
                            cue: token,
                            tokens: trim_topic(view, begin, end),
                            passive: true,
                        });
                    }
                    continue;
                }
                Some(token + 1)
            }
            _ if focus_verbs().contains(word) && next == "on" => Some(token + 2),
            _ if consider_verbs().contains(word) => Some(token + 1),
            _ if exchange_verbs().contains(word)
                && exchange_objects().contains(next)
                && matches!(view.word(token + 2), "on" | "about" | "regarding") =>
            {
                Some(token + 3)
            }
            "touched" | "touch" if matches!(next, "upon" | "on") => Some(token + 2),
            _ if topic_trigger_nouns().contains(word)
                && topic_prepositions().contains(next)
                && !occasion_opener(view, token + 1, clause.end) =>
            {
                Some(token + 2)
            }
            _ => None,
        };
        let Some(mut start) = start else {
            continue;
        };
        if view.word(start) == "with" {
            // "discussed with Lindqvist the situation ...": skip the partner.
            let (_, after) = noun_phrase_participants(view, start + 1, clause.end, None, false);
            start = after;
        }
        start = skip_issue_words(view, start, clause.end);
        let end = topic_end(view, start, clause.end);
        if start < end {
            let tokens = trim_topic(view, start, end);
            if !tokens.is_empty() {
                phrases.push(TopicPhrase {
                    cue: token,
                    tokens,
                    passive: false,
                });
            }
        }
    }
    phrases
}

/// "issues of X", "the question of X" -> X.
pub(super) fn skip_issue_words(view: &TextView, start: usize, end: usize) -> usize {
    let mut probe = start;
    if view.word(probe) == "the" {
        probe += 1;
    }
    let head = view.word(probe);
    if issue_words().contains(head) && view.word(probe + 1) == "of" && probe + 2 < end {
        return probe + 2;
    }
    start
}

pub(super) fn topic_end(view: &TextView, start: usize, end: usize) -> usize {
    let mut probe = start;
    while probe < end && probe < start + 20 {
        let word = view.word(probe);
        let next = view.word(probe + 1);
        let stop = (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "&"))
            || topic_stops().contains(word)
            || view.date_at(probe).is_some()
            || (word == "against"
                && next == "the"
                && matches!(view.word(probe + 2), "backdrop" | "background"))
            || (word == "in" && matches!(next, "the" | "light") && {
                let third = view.word(probe + 2);
                matches!(third, "context" | "light" | "wake" | "face")
                    || (next == "light" && third == "of")
            })
            || (word == "as" && next == "well")
            || (word == "and" && clause_verbs().contains(next))
            || (matches!(word, "in" | "at")
                && view
                    .mention_at(probe + 1)
                    .is_some_and(|m| view.is_location(m))
                && view.mention_at(probe + 1).is_some_and(|m| {
                    m.end >= end || {
                        // A place right before the clause ends or before a comma is where they
                        // met ("discussed trade in Paris"), not part of the topic.
                        let after = view.word(m.end);
                        is_punctuation(after) || prepositions().contains(after)
                    }
                }))
            || (word == "with"
                && (view
                    .mention_at(probe + 1)
                    .is_some_and(|m| view.is_participant(m))
                    || plural_reference_at(view, probe + 1, end)))
            || occasion_opener(view, probe, end)
            || (word == "to" && !is_determiner(next) && !view.is_capitalized(probe + 1));
        if stop {
            break;
        }
        probe += 1;
    }
    probe
}

/// Drops trailing function words and punctuation from a topic phrase.
pub(super) fn trim_topic(view: &TextView, start: usize, end: usize) -> Range<usize> {
    let mut end = end;
    while end > start {
        let word = view.word(end - 1);
        if is_punctuation(word) || topic_trailing_words().contains(word) {
            end -= 1;
        } else {
            break;
        }
    }
    start..end
}

/// Topic phrases of a clause without a trigger go to the meeting its subject refers to:
/// a plural reference ("the parties discussed ...") to the meeting in focus, a named
/// participant to their latest meeting nearby, a passive ("X was discussed") to the
/// meeting of the previous sentence.
pub(super) fn attach_topics(
    view: &TextView,
    context: &SentenceContext,
    clause: &Range<usize>,
    frames: &mut FrameSet,
) {
    for topic in topics_in(view, clause) {
        let target = if topic.passive {
            frames.latest.filter(|&latest| {
                let frame = &frames.frames[latest];
                frame.paragraph == context.paragraph && frame.sentence + 1 >= context.index
            })
        } else {
            let subject = subject_of(view, clause, topic.cue);
            if subject.plural {
                frames.referent(context.paragraph, |_| true)
            } else if subject.entities.is_empty() {
                None
            } else {
                frames.latest.filter(|&latest| {
                    let frame = &frames.frames[latest];
                    frame.paragraph.abs_diff(context.paragraph) <= 1
                        && subject
                            .entities
                            .iter()
                            .all(|&entity| same_party(view, entity, frame))
                })
            }
        };
        if let Some(target) = target {
            let span = view.span_of(topic.tokens);
            add_topic(view, &mut frames.frames[target], span);
        }
    }
}
