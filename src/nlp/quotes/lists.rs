//! The word lists the quote rules read, each a file of `data/lexicon/quotes/` embedded in the
//! binary: verbs of saying, finding and stance with their particles and forms, the words that
//! tell a verb from a noun after a subject, the words that bound phrases and clauses, and the
//! heads and names of spokespeople and outlets. One function a list, so that every rule reads
//! the same parsed list.

use crate::nlp::lexicon::{lexicon, Lexicon};
use std::sync::LazyLock;

/// Verbs of finding and showing that report a claim only with an explicit "that" ("the
/// study found that ...", "polls show that ...").
pub(super) fn that_verbs() -> &'static Lexicon {
    lexicon!("quotes/that_verbs")
}

/// Verbs of wanting, believing, judging, supporting, opposing, proposing and showing whose
/// complement is the attributed content ("the governor wants the tax repealed", "the senator
/// criticized the plan as too costly", "polls show a close race"), in the inflected forms
/// news uses. With a subject before them, their complement to the end of the clause is
/// reported content.
pub(super) fn stance_verbs() -> &'static Lexicon {
    lexicon!("quotes/stance_verbs")
}

/// Stance verb forms that are also common nouns or prepositions ("the plan", "attacks on",
/// "people like her"): verbs only after a pronoun, a relative pronoun or an auxiliary.
pub(super) fn noun_like_stance_forms() -> &'static Lexicon {
    lexicon!("quotes/noun_like_stance_forms")
}

/// Stance verbs that carry their content after a particle: "called for", "pointed to",
/// "talked about", "referred to", "spoke about".
/// Read as (verb, particle) pairs in file order.
pub(super) fn stance_particles() -> &'static [(&'static str, &'static str)] {
    static PAIRS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
        lexicon!("quotes/stance_particles")
            .iter()
            .map(|entry| {
                entry.split_once(' ').unwrap_or_else(|| {
                    panic!("quotes/stance_particles: {entry:?} is no verb and particle")
                })
            })
            .collect()
    });
    &PAIRS
}

/// Words right after a speech verb that start an adverbial or an object, not a reported
/// clause ("said nothing", "said of the plan", "says so").
pub(super) fn not_clause_starts() -> &'static Lexicon {
    lexicon!("quotes/not_clause_starts")
}

/// Plural nouns of people and events that follow a name ("Reyes voters", "the Okafor
/// supporters", "Iowa caucuses") and so are not verbs.
pub(super) fn plural_group_nouns() -> &'static Lexicon {
    lexicon!("quotes/plural_group_nouns")
}

/// Finite forms of "be", "have" and "do": after a noun, they show it to be the subject.
pub(super) fn finite_auxiliaries() -> &'static Lexicon {
    lexicon!("quotes/finite_auxiliaries")
}

/// Lowercase words after a subject that are not verbs reporting a stance (besides the
/// [`finite_auxiliaries`]): verbs of motion, state and routine, and adverbs.
pub(super) fn acting_stop_words() -> &'static Lexicon {
    lexicon!("quotes/acting_stop_words")
}

/// Words that put a following name in an object or oblique position ("told Smith",
/// "than Smith", "like Smith").
pub(super) fn not_before_subject() -> &'static Lexicon {
    lexicon!("quotes/not_before_subject")
}

/// Verbs of naming: what follows them in quotation marks is the subject's phrase.
pub(super) fn naming_verbs() -> &'static Lexicon {
    lexicon!("quotes/naming_verbs")
}

/// Verbs that attribute a quote only when they follow it ("“...,” she answered"): in
/// running text they mostly mean something else.
pub(super) fn after_quote_verbs() -> &'static Lexicon {
    lexicon!("quotes/after_quote_verbs")
}

/// Speech verbs whose content may be an infinitive ("vowed to repeal the law").
pub(super) fn infinitive_speech_verbs() -> &'static Lexicon {
    lexicon!("quotes/infinitive_speech_verbs")
}

/// Prepositions that join an acting verb to its content ("voted against the measure",
/// "called on the administration to ...", "doubled down on his comments").
pub(super) fn acting_particles() -> &'static Lexicon {
    lexicon!("quotes/acting_particles")
}

/// Words after a comma that start a new clause and so end reported content: conjunctions,
/// relative pronouns and participles of further speech.
pub(super) fn clause_breaks() -> &'static Lexicon {
    lexicon!("quotes/clause_breaks")
}

/// Speech verbs that are also common nouns ("battleground states"): they report speech only
/// with an explicit "that".
pub(super) fn speech_verbs_needing_that() -> &'static Lexicon {
    lexicon!("quotes/speech_verbs_needing_that")
}

/// Speech verbs that do not introduce a reported clause ("he continued to ...", "she asked
/// for ...", "he urged them to ...") and so only attribute direct quotes.
pub(super) fn direct_only_verbs() -> &'static Lexicon {
    lexicon!("quotes/direct_only_verbs")
}

/// Speech verbs that take the hearer as object before the content ("told reporters that").
pub(super) fn verbs_with_hearer() -> &'static Lexicon {
    lexicon!("quotes/verbs_with_hearer")
}

/// Participles that report more speech of the clause's speaker (", adding that ...").
pub(super) fn speech_participles() -> &'static Lexicon {
    lexicon!("quotes/speech_participles")
}

/// Words that may stand between a subject and its speech verb ("He has also said").
pub(super) fn auxiliaries_and_adverbs() -> &'static Lexicon {
    lexicon!("quotes/auxiliaries_and_adverbs")
}

/// Words that end a subject noun phrase when walking back from the verb.
pub(super) fn subject_boundary_words() -> &'static Lexicon {
    lexicon!("quotes/subject_boundary_words")
}

/// Lower-case words that make a speaker phrase a clause: modals, forms of "be" and "have".
pub(super) fn clause_words() -> &'static Lexicon {
    lexicon!("quotes/clause_words")
}

/// Words that open a subordinate clause at the start of reported content ("said if ...").
pub(super) fn subordinators() -> &'static Lexicon {
    lexicon!("quotes/subordinators")
}

/// Adverbial starts that do not lead reported content: participles and adverbs of the
/// attribution itself ("said, adding ...", "said again").
pub(super) fn non_clause_adjuncts() -> &'static Lexicon {
    lexicon!("quotes/non_clause_adjuncts")
}

/// Words that open an apposition or a relative clause after a speaker's name.
pub(super) fn apposition_starts() -> &'static Lexicon {
    lexicon!("quotes/apposition_starts")
}

/// Words that end the noun phrase before a relative "who" when walking back: prepositions
/// and verbs that take an object ("met with Ms. Roe, who said").
pub(super) fn antecedent_stop_words() -> &'static Lexicon {
    lexicon!("quotes/antecedent_stop_words")
}

/// Leading words dropped from a subject ("But Smith said").
pub(super) fn leading_connectors() -> &'static Lexicon {
    lexicon!("quotes/leading_connectors")
}

/// Prepositions that open an adverbial before the subject ("On Thursday the ministry said").
pub(super) fn leading_prepositions() -> &'static Lexicon {
    lexicon!("quotes/leading_prepositions")
}

/// Words that end a speaker noun phrase after an inverted verb ("said Smith on Monday").
pub(super) fn phrase_stop_words() -> &'static Lexicon {
    lexicon!("quotes/phrase_stop_words")
}

/// Words that may follow the speaker and cue of a quote's attribution without starting a
/// new clause ("he said on Monday", "said Smith at a rally").
pub(super) fn adjunct_starts() -> &'static Lexicon {
    lexicon!("quotes/adjunct_starts")
}

/// Words that start a that-less reported clause ("said the plan failed", "believes it will").
pub(super) fn clause_starts() -> &'static Lexicon {
    lexicon!("quotes/clause_starts")
}

/// Heads of definite descriptions of an organisation, group, place or document ("the
/// company", "the report"): not a back-reference to a person.
pub(super) fn non_person_heads() -> &'static Lexicon {
    lexicon!("quotes/non_person_heads")
}

/// Heads of noun phrases that speak for someone else ("a spokesman for the ministry").
pub(super) fn spokesperson_heads() -> &'static Lexicon {
    lexicon!("quotes/spokesperson_heads")
}

/// Words that are never a speaker by themselves.
pub(super) fn non_speaker_words() -> &'static Lexicon {
    lexicon!("quotes/non_speaker_words")
}

/// Outlets known by a short name that is also an ordinary word or another name ("told The
/// Hill", "told Sky", "the Nikkei reported"), lowercase without a leading "the". They are
/// outlets only as the hearer of "told" or the subject of "reported", so they stay here: in
/// the gazetteer every "Hill", "Fox" or "Vox" would become an organisation. Outlets with an
/// unambiguous name are data (`Gazetteer::news_outlet`, data/organizations.tsv).
pub(super) fn short_outlet_names() -> &'static Lexicon {
    lexicon!("quotes/short_outlet_names")
}

/// Last words that make a capitalised name an outlet ("Sky News", "Kyodo News Agency").
pub(super) fn outlet_suffixes() -> &'static Lexicon {
    lexicon!("quotes/outlet_suffixes")
}

/// Speech verbs that report speech in a title-case headline.
pub(super) fn headline_speech_verbs() -> &'static Lexicon {
    lexicon!("quotes/headline_speech_verbs")
}

/// Lowercase words that open a speaker noun phrase after a cue: articles, possessives,
/// numerals and quantifiers.
pub(super) fn phrase_openers() -> &'static Lexicon {
    lexicon!("quotes/phrase_openers")
}

/// Lowercase words that join two capitalised words into one name ("Secretary of State").
pub(super) fn name_joiners() -> &'static Lexicon {
    lexicon!("quotes/name_joiners")
}

/// Words right before a stance verb that show it is not a finite active verb ("to support",
/// "was found").
pub(super) fn not_before_finite_verb() -> &'static Lexicon {
    lexicon!("quotes/not_before_finite_verb")
}
