//! The words the meeting rules read: the cue lists and the small word tests built on them.
//!
//! Each list is a file `data/lexicon/meetings/<name>.txt` (its header says what the list is
//! for, with examples) read through the function of the same name here. The lists are matched
//! against a token's lower-case form with curly apostrophes written straight (see
//! [`super::view::TextView::word`]); the closed-class English lists shared with the other
//! stages (modals, determiners, speech verbs) come from [`crate::nlp::lexicon`].

use crate::nlp::lexicon::{lexicon, Lexicon, SPEECH_ACT_VERBS};

/// Words that end a subject search like the speech acts of [`SPEECH_ACT_VERBS`] but are no
/// quote cue, so they are not in the shared lexicon: verbs of knowing, and `pointed`.
pub(super) fn reported_content_verbs() -> &'static Lexicon {
    lexicon!("meetings/reported_content_verbs")
}

/// A speech act or knowing verb: what follows it is reported content, not the clause's own.
pub(super) fn is_speech_act(word: &str) -> bool {
    SPEECH_ACT_VERBS.contains(word) || reported_content_verbs().contains(word)
}

/// Prepositions: a phrase after one is no subject, object or participant list.
pub(super) fn prepositions() -> &'static Lexicon {
    lexicon!("english/prepositions")
}

/// Words that open an adverbial comma segment, which never holds the subject.
pub(super) fn adverbial_openers() -> &'static Lexicon {
    lexicon!("meetings/adverbial_openers")
}

/// Heads of plural noun phrases that refer back to a group of participants.
pub(super) fn plural_heads() -> &'static Lexicon {
    lexicon!("meetings/plural_heads")
}

/// Objects of `meet` that make it an idiom, by stem.
pub(super) fn abstract_objects() -> &'static Lexicon {
    lexicon!("meetings/abstract_objects")
}

/// Nouns after `met with` that make it a reaction, not a meeting.
pub(super) fn reactions() -> &'static Lexicon {
    lexicon!("meetings/reactions")
}

/// Verbs that carry a meeting noun.
pub(super) fn support_verbs() -> &'static Lexicon {
    lexicon!("meetings/support_verbs")
}

/// Words that make a meeting cancelled or postponed.
pub(super) fn cancel_words() -> &'static Lexicon {
    lexicon!("meetings/cancel_words")
}

/// Words before `visit` that make it a noun.
pub(super) fn visit_noun_modifiers() -> &'static Lexicon {
    lexicon!("meetings/visit_noun_modifiers")
}

/// Modifiers of `debate` that mean public discussion, not an encounter.
pub(super) fn debate_senses() -> &'static Lexicon {
    lexicon!("meetings/debate_senses")
}

/// Modifiers that make `debate` a televised encounter between candidates.
pub(super) fn debate_event_cues() -> &'static Lexicon {
    lexicon!("meetings/debate_event_cues")
}

/// Nouns after `debate` that make it the event.
pub(super) fn debate_compounds() -> &'static Lexicon {
    lexicon!("meetings/debate_compounds")
}

/// Nouns after `negotiation(s)`/`negotiating` that make it a modifier of something else.
pub(super) fn negotiation_compounds() -> &'static Lexicon {
    lexicon!("meetings/negotiation_compounds")
}

/// Words before `host` that make it a noun.
pub(super) fn host_noun_modifiers() -> &'static Lexicon {
    lexicon!("meetings/host_noun_modifiers")
}

/// Things hosted that are events, not visitors.
pub(super) fn hosted_events() -> &'static Lexicon {
    lexicon!("meetings/hosted_events")
}

/// Verbs before `to meet` that make it a purpose of a journey, so the meeting happened; other
/// `to meet` are plans or offers.
pub(super) fn journey_verbs() -> &'static Lexicon {
    lexicon!("meetings/journey_verbs")
}

/// Nouns that name a meeting; a verb right before one only carries it.
pub(super) fn venue_nouns() -> &'static Lexicon {
    lexicon!("meetings/venue_nouns")
}

pub(super) fn speech_event_words() -> &'static Lexicon {
    lexicon!("meetings/speech_event_words")
}

pub(super) fn media_event_modifiers() -> &'static Lexicon {
    lexicon!("meetings/media_event_modifiers")
}

pub(super) fn party_nouns() -> &'static Lexicon {
    lexicon!("meetings/party_nouns")
}

pub(super) fn meeting_nouns() -> &'static Lexicon {
    lexicon!("meetings/meeting_nouns")
}

/// Modifiers before a meeting noun that make it planned.
pub(super) fn planned_modifiers() -> &'static Lexicon {
    lexicon!("meetings/planned_modifiers")
}

/// Words before `to meet` that make the meeting a plan, not a purpose.
pub(super) fn intention_words() -> &'static Lexicon {
    lexicon!("meetings/intention_words")
}

/// Negations before a trigger; words ending in `n't` count too.
pub(super) fn negations() -> &'static Lexicon {
    lexicon!("meetings/negations")
}

/// Words in a clause that make its `meeting` remote or a call, which is not a meeting.
pub(super) fn remote_words() -> &'static Lexicon {
    lexicon!("meetings/remote_words")
}

/// Modifiers that make a meeting an organisation's internal one (evaluation.md: party
/// conferences are not meetings).
pub(super) fn internal_modifiers() -> &'static Lexicon {
    lexicon!("meetings/internal_modifiers")
}

/// "the flood zone", "Roe's shop", "a tomb": places a visit to which meets nobody.
pub(super) fn visited_place_nouns() -> &'static Lexicon {
    lexicon!("meetings/visited_place_nouns")
}

/// "the Senate", "the Security Council": one deliberative body, whose meeting with no other
/// party is its own session.
pub(super) fn deliberative_bodies() -> &'static Lexicon {
    lexicon!("meetings/deliberative_bodies")
}

/// Heads of phrases that name an event.
pub(super) fn event_heads() -> &'static Lexicon {
    lexicon!("meetings/event_heads")
}

/// Words that end a topic phrase: the topic is what is discussed, not the circumstances.
pub(super) fn topic_stops() -> &'static Lexicon {
    lexicon!("meetings/topic_stops")
}

/// Verbs that may follow `and` to start a new clause inside a topic or occasion phrase.
pub(super) fn clause_verbs() -> &'static Lexicon {
    lexicon!("meetings/clause_verbs")
}

/// Quantifiers that open a group phrase and are left out of its name, with the determiners.
pub(super) fn group_quantifiers() -> &'static Lexicon {
    lexicon!("meetings/group_quantifiers")
}

/// Words that end a participant noun phrase: a relative clause or a speech verb follows.
pub(super) fn participant_phrase_ends() -> &'static Lexicon {
    lexicon!("meetings/participant_phrase_ends")
}

/// Words that are no modifier of a group noun: the noun phrase starts after them.
pub(super) fn group_modifier_stops() -> &'static Lexicon {
    lexicon!("meetings/group_modifier_stops")
}

/// Connectives that open a comma segment before its subject.
pub(super) fn segment_connectives() -> &'static Lexicon {
    lexicon!("meetings/segment_connectives")
}

/// Words before an infinitive's object that are no verb governing it.
pub(super) fn infinitive_governor_stops() -> &'static Lexicon {
    lexicon!("meetings/infinitive_governor_stops")
}

/// Auxiliaries and adverbs between a subject and its verb after an adverbial phrase.
pub(super) fn tail_auxiliaries() -> &'static Lexicon {
    lexicon!("meetings/tail_auxiliaries")
}

/// Auxiliaries and adverbs that give a comma segment no content of its own, so the subject is
/// sought further left.
pub(super) fn contentless_words() -> &'static Lexicon {
    lexicon!("meetings/contentless_words")
}

/// Words skipped between a trigger and its object.
pub(super) fn object_openers() -> &'static Lexicon {
    lexicon!("meetings/object_openers")
}

/// Conjunctions after a comma that start a new clause with its own place and date.
pub(super) fn clause_conjunctions() -> &'static Lexicon {
    lexicon!("meetings/clause_conjunctions")
}

/// Words that end the phrase of a meeting noun: a relative or subordinate clause follows.
pub(super) fn noun_scope_ends() -> &'static Lexicon {
    lexicon!("meetings/noun_scope_ends")
}

/// Visit and journey words whose `to` introduces the place.
pub(super) fn destination_cues() -> &'static Lexicon {
    lexicon!("meetings/destination_cues")
}

/// Words that end an occasion or event phrase: a relative clause or a speech verb follows.
pub(super) fn occasion_phrase_ends() -> &'static Lexicon {
    lexicon!("meetings/occasion_phrase_ends")
}

/// Verbs carrying a meeting noun that make the meeting planned.
pub(super) fn planning_verbs() -> &'static Lexicon {
    lexicon!("meetings/planning_verbs")
}

/// Words after `is/are` that make a meeting noun planned.
pub(super) fn schedule_words() -> &'static Lexicon {
    lexicon!("meetings/schedule_words")
}

/// Function words dropped from the end of a topic phrase.
pub(super) fn topic_trailing_words() -> &'static Lexicon {
    lexicon!("meetings/topic_trailing_words")
}

/// Words before `meet` that make it a sports fixture, a noun.
pub(super) fn meet_noun_cues() -> &'static Lexicon {
    lexicon!("meetings/meet_noun_cues")
}

/// Words after `talks` that make it the verb of one person talking.
pub(super) fn talks_verb_particles() -> &'static Lexicon {
    lexicon!("meetings/talks_verb_particles")
}

/// Nouns after `dialogue` that make it part of a compound.
pub(super) fn dialogue_compounds() -> &'static Lexicon {
    lexicon!("meetings/dialogue_compounds")
}

/// Words after `debate` that make it public discussion of a topic.
pub(super) fn debate_topic_openers() -> &'static Lexicon {
    lexicon!("meetings/debate_topic_openers")
}

/// Words after a name received or hosted that leave the name the one received.
pub(super) fn visitor_name_followers() -> &'static Lexicon {
    lexicon!("meetings/visitor_name_followers")
}

/// Auxiliaries and adverbs a negation may stand before, away from the trigger.
pub(super) fn negation_auxiliaries() -> &'static Lexicon {
    lexicon!("meetings/negation_auxiliaries")
}

/// Nouns that name a group of people or a body, so that an unnamed noun phrase headed by one
/// can take part in a meeting. A closed list of English words.
pub(super) fn group_nouns() -> &'static Lexicon {
    lexicon!("meetings/group_nouns")
}

/// Words that open a subordinate clause: what precedes them is not the subject of a verb after
/// them.
pub(super) fn clause_subordinators() -> &'static Lexicon {
    lexicon!("meetings/clause_subordinators")
}

/// Meeting nouns that are triggers by themselves; `meeting` after a form of `be` is a verb.
pub(super) fn meeting_trigger_nouns() -> &'static Lexicon {
    lexicon!("meetings/meeting_trigger_nouns")
}

/// Forms of the verb `negotiate`: triggers of negotiations (CAMEO 046).
pub(super) fn negotiate_verbs() -> &'static Lexicon {
    lexicon!("meetings/negotiate_verbs")
}

/// Forms of the verb `mediate`: triggers of mediation (CAMEO 045).
pub(super) fn mediate_verbs() -> &'static Lexicon {
    lexicon!("meetings/mediate_verbs")
}

/// Verbs of hosting or receiving a visitor: triggers of a host meeting (CAMEO 043).
pub(super) fn host_verbs() -> &'static Lexicon {
    lexicon!("meetings/host_verbs")
}

/// Forms of the verb `confer`: a trigger when `with` follows.
pub(super) fn confer_verbs() -> &'static Lexicon {
    lexicon!("meetings/confer_verbs")
}

/// Forms of the verb `sit`: a trigger in `sat down with`.
pub(super) fn sit_verbs() -> &'static Lexicon {
    lexicon!("meetings/sit_verbs")
}

/// Forms of the verb `convene`: triggers of a meeting.
pub(super) fn convene_verbs() -> &'static Lexicon {
    lexicon!("meetings/convene_verbs")
}

/// Words before `dialogue` that make it speech in a script or on a screen.
pub(super) fn dialogue_script_cues() -> &'static Lexicon {
    lexicon!("meetings/dialogue_script_cues")
}

/// Modals of a counterfactual `would have negotiated`: the meeting did not happen.
pub(super) fn counterfactual_modals() -> &'static Lexicon {
    lexicon!("meetings/counterfactual_modals")
}

/// Words after a negation that deny a meeting noun took place.
pub(super) fn occurrence_words() -> &'static Lexicon {
    lexicon!("meetings/occurrence_words")
}

/// Forms of the verb `discuss`: what follows (or, in the passive, precedes) is a topic.
pub(super) fn discuss_verbs() -> &'static Lexicon {
    lexicon!("meetings/discuss_verbs")
}

/// Verbs whose `on` introduces a topic.
pub(super) fn focus_verbs() -> &'static Lexicon {
    lexicon!("meetings/focus_verbs")
}

/// Forms of the verb `consider`: what follows is a topic.
pub(super) fn consider_verbs() -> &'static Lexicon {
    lexicon!("meetings/consider_verbs")
}

/// Prepositions after a meeting noun that introduce its topic.
pub(super) fn topic_prepositions() -> &'static Lexicon {
    lexicon!("meetings/topic_prepositions")
}

/// Meeting nouns whose following preposition introduces a topic.
pub(super) fn topic_trigger_nouns() -> &'static Lexicon {
    lexicon!("meetings/topic_trigger_nouns")
}

/// Nouns skipped before `of` at the start of a topic.
pub(super) fn issue_words() -> &'static Lexicon {
    lexicon!("meetings/issue_words")
}

/// Past-tense verbs (trigger or support verb) that report a meeting as held, unless a modal
/// precedes.
pub(super) fn held_verbs() -> &'static Lexicon {
    lexicon!("meetings/held_verbs")
}

/// Prepositions after a meeting noun that introduce its participants.
pub(super) fn noun_complement_openers() -> &'static Lexicon {
    lexicon!("meetings/noun_complement_openers")
}

/// Words after a meeting noun phrase that report the meeting in the rest of the clause.
pub(super) fn held_report_words() -> &'static Lexicon {
    lexicon!("meetings/held_report_words")
}

/// Prepositions through which a meeting noun hangs from a verb.
pub(super) fn governing_prepositions() -> &'static Lexicon {
    lexicon!("meetings/governing_prepositions")
}

/// Forms of the verb `be`, with the clitics `'re` and `'m`.
pub(super) fn be_forms() -> &'static Lexicon {
    lexicon!("english/be_forms")
}

/// Word beginnings of the noun in `on/in/at the sidelines of`, which opens an occasion phrase.
pub(super) fn sideline_stems() -> &'static Lexicon {
    lexicon!("meetings/sideline_stems")
}

/// Phrases that open an occasion phrase, one word or more, matched word by word.
pub(super) fn occasion_phrases() -> &'static Lexicon {
    lexicon!("meetings/occasion_phrases")
}

/// Prepositions that introduce the place of a meeting.
pub(super) fn place_prepositions() -> &'static Lexicon {
    lexicon!("meetings/place_prepositions")
}

/// Forms of the verb `meet` that idioms take.
pub(super) fn meet_forms() -> &'static Lexicon {
    lexicon!("meetings/meet_forms")
}

/// What is exchanged in `exchanged views on X`, whose preposition then introduces a topic.
pub(super) fn exchange_objects() -> &'static Lexicon {
    lexicon!("meetings/exchange_objects")
}

/// Forms of the verb `exchange`: `exchanged views on X` introduces a topic.
pub(super) fn exchange_verbs() -> &'static Lexicon {
    lexicon!("meetings/exchange_verbs")
}

pub(super) fn is_in(word: &str, list: &[&str]) -> bool {
    list.contains(&word)
}

pub(super) fn is_punctuation(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| !c.is_alphanumeric())
}

pub(super) fn is_quote_mark(word: &str) -> bool {
    matches!(
        word,
        "“" | "”" | "\"" | "«" | "»" | "„" | "''" | "``" | "‘" | "'"
    )
}

pub(super) fn is_be(word: &str) -> bool {
    be_forms().contains(word)
}

pub(super) fn is_negation(word: &str) -> bool {
    negations().contains(word) || word.ends_with("n't")
}

/// True when `word` (lower case, maybe plural) starts with one of the stems.
pub(super) fn has_stem(word: &str, stems: &[&str]) -> bool {
    stems.iter().any(|stem| word.starts_with(stem))
}

/// Determiners that make a meeting noun refer back to a known meeting ("the talks", "his
/// visit").
pub(super) fn back_reference_determiners() -> &'static Lexicon {
    lexicon!("meetings/back_reference_determiners")
}

/// Words of sports reporting that make a nearby "meet" or "visit" a fixture.
pub(super) fn sport_context_words() -> &'static Lexicon {
    lexicon!("meetings/sport_context_words")
}

/// Nouns after a meeting noun that make it a modifier ("conference call").
pub(super) fn noun_compounds() -> &'static Lexicon {
    lexicon!("meetings/noun_compounds")
}

/// Modifiers that make a conference a trade show ("industry conference").
pub(super) fn trade_show_modifiers() -> &'static Lexicon {
    lexicon!("meetings/trade_show_modifiers")
}

/// Degree adverbs that make a participle an adjective ("most visited").
pub(super) fn participle_degree_adverbs() -> &'static Lexicon {
    lexicon!("meetings/participle_degree_adverbs")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_list_file_is_read_and_its_entries_are_lower_case_and_distinct() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lexicon/meetings");
        let source = include_str!("words.rs");
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            assert!(
                source.contains(&format!("lexicon!(\"meetings/{name}\")")),
                "{name}.txt is read by no function"
            );
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.starts_with("# "), "{name}.txt has no header");
            let mut seen = std::collections::HashSet::new();
            for word in text.lines().filter(|line| !line.starts_with('#')) {
                assert_eq!(word, word.to_lowercase(), "{name}: {word}");
                assert!(seen.insert(word), "{name}: {word} is listed twice");
            }
            assert!(!seen.is_empty(), "{name}.txt is empty");
        }
    }
}
