//! Name recognition: proper-name spans with CoNLL types, from general rules and gazetteers.
//!
//! [`NameTagger`] is the seam for a trained tagger: anything that turns a tokenised
//! [`Document`] into [`NameCandidate`]s can replace [`RuleTagger`], the first version, which
//! works like this:
//! - candidates are runs of capitalised tokens, joined across name particles ("von",
//!   "de", "bin"), across "of"/"for" when the left part is an organisation or a title
//!   ("Ministry of Foreign Affairs", "Secretary of State") and across "and" only for a
//!   gazetteer name ("Bosnia and Herzegovina"); possessive "'s", months and weekdays end them;
//! - a capitalised sentence opener that is an ordinary English word ("The", "According")
//!   is left out unless a gazetteer knows it;
//! - names follow CoNLL: titles stay outside ("Foreign Minister Daniel Okafor" -> the person
//!   "Daniel Okafor", title recorded), a leading nationality is its own `misc` name
//!   ("Nigerian Foreign Ministry" -> "Nigerian" + organisation "Foreign Ministry");
//! - types come from gazetteers (organisations, countries, places, nationalities), then cue
//!   words (Ministry, Council ... -> organisation; Charter, Treaty, Cup ... -> misc; River,
//!   Province ... -> location), then person cues (a title before, a given name first, a
//!   speech verb after), then weak defaults, which a document-level pass overrides with the
//!   type the same words got elsewhere with evidence ("Okafor" after "Daniel Okafor"). The
//!   defaults: several words with an ordinary English word and no given name -> organisation,
//!   else person; one all-capital word -> organisation; one word after "in"/"from" ->
//!   location; any other lone word -> organisation (a lone word that were a person's surname
//!   would have been resolved by the document pass), unless it is a given name;
//! - a lone ordinary English word nothing supports ("Today", "Food") is dropped;
//! - in a line of sports results, a city names a team: an organisation (CoNLL convention);
//! - all-capital and title-case headlines carry no case information: there only gazetteer
//!   names and names found elsewhere in the document are tagged;
//! - a short last paragraph of two or three capitalised words is a byline: a person.
//!
//! It does not cluster mentions, resolve descriptions or pronouns, or geocode: that is
//! `entities`.

use crate::nlp::document::{Document, EntityType};
use crate::nlp::gazetteer::{Gazetteer, PlaceKind};
use crate::nlp::lexicon::{is_calendar_word, word_set, WordSet, SPEAKER_VERBS};
use crate::nlp::text::{is_all_caps, is_capitalised, title_case};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// A proper name found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct NameCandidate {
    /// Indices into [`Document::tokens`].
    pub tokens: Range<usize>,
    pub entity_type: EntityType,
    /// `nationality`, `law`, `event` for misc names; places are refined by `entities`.
    pub subtype: Option<&'static str>,
    /// The title words right before a person's name ("Foreign Minister").
    pub title: Option<Range<usize>>,
    /// A nationality or country token that qualifies the name or its title ("Nigerian" in
    /// "Nigerian Foreign Ministry" and in "Nigerian Foreign Minister Daniel Okafor").
    pub qualifier: Option<usize>,
    pub evidence: Evidence,
}

/// Why a candidate got its type; a later pass only overrides weak ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A gazetteer entry, a cue word, a title or a layout rule.
    Strong,
    /// The default guess for a capitalised word nothing else explains.
    Weak,
}

/// Anything that finds names in a tokenised document.
pub trait NameTagger: Send + Sync {
    /// Names in text order, not overlapping.
    fn tag(&self, document: &Document, gazetteer: &Gazetteer) -> Vec<NameCandidate>;
}

/// Capitalisation rules, cue words and gazetteers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleTagger;

/// Final words that make a name an organisation.
const ORGANIZATION_CUES: &[&str] = &[
    "Ministry",
    "Council",
    "Party",
    "Agency",
    "University",
    "Bank",
    "Corp",
    "Corp.",
    "Inc",
    "Inc.",
    "Ltd",
    "Ltd.",
    "Plc",
    "PLC",
    "plc",
    "Co.",
    "LLC",
    "AG",
    "GmbH",
    "Organization",
    "Organisation",
    "Union",
    "Committee",
    "Court",
    "Army",
    "Navy",
    "Commission",
    "Parliament",
    "Assembly",
    "Federation",
    "Association",
    "Institute",
    "Fund",
    "Group",
    "Company",
    "Airlines",
    "Airways",
    "Club",
    "Church",
    "Department",
    "Office",
    "Service",
    "Police",
    "Forces",
    "Front",
    "Movement",
    "League",
    "Board",
    "Authority",
    "Bureau",
    "Foundation",
    "Society",
    "Center",
    "Centre",
    "School",
    "College",
    "Times",
    "News",
    "Post",
    "Journal",
    "Herald",
    "Tribune",
    "Network",
    "Television",
    "TV",
    "Radio",
    "Exchange",
    "Reserve",
    "Cabinet",
    "Guard",
    "Brigade",
    "Senate",
    "Congress",
    "Alliance",
    "Coalition",
    "Trust",
    "Holdings",
    "Industries",
    "Motors",
    "Systems",
    "Technologies",
    "Press",
    "Daily",
    "Ministries",
    "Secretariat",
    "Directorate",
    "Corporation",
    "Unions",
    "Federation",
    "United",
    "City",
    "Rovers",
    "Wanderers",
    "Athletic",
    "Hospital",
    "Museum",
];

/// Leading words that make an "X of Y" name an organisation.
const ORGANIZATION_HEADS: &[&str] = &[
    "Ministry",
    "Council",
    "University",
    "Bank",
    "Organization",
    "Organisation",
    "Union",
    "Committee",
    "Court",
    "Commission",
    "Association",
    "Institute",
    "Department",
    "Office",
    "Federation",
    "League",
    "Board",
    "Bureau",
    "Society",
    "Party",
    "Church",
    "Academy",
    "Agency",
    "Movement",
    "Front",
    "Army",
    "House",
    "Chamber",
];

/// Final words that make a name `misc`, with the subtype.
const MISC_CUES: &[(&str, &str)] = &[
    ("Charter", "law"),
    ("Treaty", "law"),
    ("Act", "law"),
    ("Accord", "law"),
    ("Accords", "law"),
    ("Convention", "law"),
    ("Protocol", "law"),
    ("Constitution", "law"),
    ("Agreement", "law"),
    ("Cup", "event"),
    ("Championship", "event"),
    ("Championships", "event"),
    ("Games", "event"),
    ("Olympics", "event"),
    ("Open", "event"),
    ("War", "event"),
    ("Prize", "award"),
    ("Award", "award"),
    ("Awards", "award"),
    ("Festival", "event"),
    ("Tour", "event"),
    ("Grand Prix", "event"),
];

/// Final words that make a name a location.
const LOCATION_CUES: &[&str] = &[
    "River",
    "Mountains",
    "Mountain",
    "Sea",
    "Ocean",
    "Island",
    "Islands",
    "Lake",
    "Street",
    "Square",
    "Province",
    "Region",
    "District",
    "County",
    "Valley",
    "Bay",
    "Gulf",
    "Strait",
    "Peninsula",
    "Desert",
    "Airport",
    "Avenue",
    "Road",
    "Bridge",
    "Park",
    "Coast",
    "Canal",
    "Oblast",
    "Prefecture",
    "State",
];

/// Capitalised words that are never names by themselves, besides month and weekday names
/// ([`is_calendar_word`]).
const NEVER_NAMES: &[&str] = &[
    "I", "I'm", "I've", "I'd", "I'll", "OK", "TV", "AM", "PM", "A.M.", "P.M.",
];

/// [`NEVER_NAMES`] and [`FUNCTION_WORDS`] as sets: they are looked up on every token.
static NEVER_NAME_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(NEVER_NAMES));
static FUNCTION_WORD_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(FUNCTION_WORDS));

/// Closed-class words: capitalised, they open a sentence or a headline, never a name.
const FUNCTION_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "Its",
    "It",
    "To",
    "In",
    "On",
    "At",
    "Of",
    "And",
    "But",
    "Or",
    "For",
    "With",
    "By",
    "From",
    "As",
    "If",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "We",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Your",
    "There",
    "Here",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "Although",
    "Though",
    "So",
    "Yet",
    "Not",
    "No",
    "All",
    "Some",
    "Any",
    "Each",
    "Every",
    "What",
    "Which",
    "Who",
    "Why",
    "How",
    "Where",
    "Then",
    "Now",
    "Also",
    "Still",
    "Even",
    "Only",
    "Just",
    "Meanwhile",
    "However",
    "Instead",
    "Under",
    "Over",
    "Into",
    "About",
    "Against",
    "Between",
    "During",
    "Without",
    "Within",
    "Among",
];

/// Lower-case particles inside personal and place names.
const NAME_PARTICLES: &[&str] = &[
    "de", "du", "des", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den",
    "ter", "bin", "ibn", "al", "el", "le", "la", "y",
];

/// Prepositions after which an unknown single name is most likely a place.
const PLACE_PREPOSITIONS: &[&str] = &["in", "near", "outside", "across", "from"];

impl NameTagger for RuleTagger {
    fn tag(&self, document: &Document, gazetteer: &Gazetteer) -> Vec<NameCandidate> {
        let tagger = SentenceTagger {
            document,
            gazetteer,
        };
        let byline = byline_sentence(document);
        let mut cased = Vec::new();
        let mut uncased_sentences = Vec::new();
        for (index, sentence) in document.sentences.iter().enumerate() {
            if Some(index) == byline {
                cased.push(NameCandidate {
                    tokens: first_word(document, sentence.tokens.clone())..sentence.tokens.end,
                    entity_type: EntityType::Person,
                    subtype: None,
                    title: None,
                    qualifier: None,
                    evidence: Evidence::Strong,
                });
            } else if tagger.lacks_case(sentence.tokens.clone()) {
                uncased_sentences.push(index);
            } else {
                tagger.tag_cased(sentence.tokens.clone(), &mut cased);
            }
        }
        let known = KnownNames::from(document, gazetteer, &cased);
        let mut cased = known.settle_weak(document, gazetteer, cased);
        for index in uncased_sentences {
            tagger.tag_uncased(document.sentences[index].tokens.clone(), &known, &mut cased);
        }
        cased.sort_by_key(|candidate| candidate.tokens.start);
        for candidate in &mut cased {
            let sentence = document.tokens[candidate.tokens.start].sentence;
            if candidate.entity_type == EntityType::Location && is_results_line(document, sentence)
            {
                let text = tagger.text(candidate.tokens.clone());
                let country = gazetteer
                    .place(text)
                    .is_some_and(|place| place.kind == PlaceKind::Country);
                if !country {
                    candidate.entity_type = EntityType::Organization;
                }
            }
        }
        cased
    }
}

/// A line of sports results or standings ("Surrey 304-6 , Kent 210", "CHICAGO 63 45 .583"):
/// numbers and names with few ordinary words. There a city names its team, an
/// organisation; a country names its national team, which CoNLL keeps a location.
fn is_results_line(document: &Document, sentence: usize) -> bool {
    let tokens = document.sentences[sentence].tokens.clone();
    let mut numbers = 0;
    let mut words = 0;
    let mut lower_words = 0;
    for index in tokens {
        let word = document.token_text(index);
        let first = word.chars().next().unwrap_or(' ');
        if first.is_ascii_digit() {
            numbers += 1;
        } else if first.is_alphabetic() {
            words += 1;
            if first.is_lowercase() && word.len() > 3 {
                lower_words += 1;
            }
        }
    }
    numbers >= 2 && words > 0 && lower_words * 4 <= words
}

/// The sentence that is a byline: the last paragraph of the last field, 2 or 3 capitalised
/// words (after an optional "By"), no end punctuation.
fn byline_sentence(document: &Document) -> Option<usize> {
    let last = document.sentences.len().checked_sub(1)?;
    let sentence = &document.sentences[last];
    if last == 0 || document.sentences[last - 1].paragraph == sentence.paragraph {
        return None;
    }
    let start = first_word(document, sentence.tokens.clone());
    let words: Vec<&str> = (start..sentence.tokens.end)
        .map(|index| document.token_text(index))
        .collect();
    let capitalised = words.iter().all(|word| {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| c.is_lowercase() || c == '-')
    });
    (capitalised && (2..=3).contains(&words.len())).then_some(last)
}

/// Skips a leading "By" of a byline.
fn first_word(document: &Document, tokens: Range<usize>) -> usize {
    if tokens.len() > 2 && document.token_text(tokens.start).eq_ignore_ascii_case("by") {
        tokens.start + 1
    } else {
        tokens.start
    }
}

struct SentenceTagger<'a> {
    document: &'a Document,
    gazetteer: &'a Gazetteer,
}

/// How the gazetteers read a sequence of words.
enum Known {
    Organization,
    Place,
    Nationality,
}

impl SentenceTagger<'_> {
    fn word(&self, index: usize) -> &str {
        self.document.token_text(index)
    }

    /// The text from the first token's start to the last token's end.
    fn text(&self, tokens: Range<usize>) -> &str {
        self.document.tokens_text(&tokens)
    }

    /// All-capital or title-case sentences say nothing through capitals.
    fn lacks_case(&self, tokens: Range<usize>) -> bool {
        let words: Vec<&str> = tokens
            .map(|index| self.word(index))
            .filter(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .collect();
        let caps = words.iter().filter(|word| is_all_caps(word)).count();
        if words.len() >= 3 && caps * 10 >= words.len() * 7 {
            return true;
        }
        // Title case: the ordinary words after the first are capitalised too.
        let ordinary: Vec<&&str> = words
            .iter()
            .skip(1)
            .filter(|word| {
                word.len() >= 4
                    && self.gazetteer.is_common_word(&word.to_lowercase())
                    && !self.gazetteer.is_title_word(word)
            })
            .collect();
        let capitalised = ordinary.iter().filter(|word| is_capitalised(word)).count();
        ordinary.len() >= 3 && capitalised * 10 >= ordinary.len() * 8
    }

    fn is_name_word(&self, index: usize) -> bool {
        let word = self.word(index);
        if NEVER_NAME_SET.contains(word) || is_calendar_word(word) {
            // "The Sunday Telegraph", "The March of Dimes": after an article, part of a name.
            let sentence_start = self.document.sentences[self.document.tokens[index].sentence]
                .tokens
                .start;
            let next_is_name = index + 1 < self.document.tokens.len()
                && self.document.tokens[index + 1].sentence == self.document.tokens[index].sentence
                && is_capitalised(self.word(index + 1));
            return index > sentence_start
                && matches!(self.word(index - 1), "The" | "the")
                && next_is_name;
        }
        if FUNCTION_WORD_SET.contains(word) {
            return false;
        }
        if let Some((_, last)) = word.rsplit_once('-') {
            // "Moscow-based", "State-owned": adjectives, not names.
            if last.chars().next().is_some_and(char::is_lowercase) {
                return false;
            }
        }
        if is_capitalised(word) {
            return word.chars().any(char::is_alphabetic);
        }
        // "al-Assad", "bin-Salman": a lower-case prefix joined to a capitalised name.
        word.split_once('-')
            .is_some_and(|(prefix, rest)| NAME_PARTICLES.contains(&prefix) && is_capitalised(rest))
    }

    /// Whether token `index` opens its sentence (or a quotation or bracket inside it).
    fn opens_sentence(&self, index: usize) -> bool {
        let sentence = &self.document.sentences[self.document.tokens[index].sentence];
        let mut probe = index;
        while probe > sentence.tokens.start {
            probe -= 1;
            let word = self.word(probe);
            if word.chars().any(char::is_alphanumeric) {
                return false;
            }
            if matches!(
                word,
                "“" | "\"" | "‘" | "'" | "(" | "[" | ":" | "—" | "–" | "«" | "-" | "--"
            ) {
                return true;
            }
        }
        true
    }

    fn known(&self, text: &str) -> Option<Known> {
        if let Some(place) = self.gazetteer.place(text) {
            if place.kind == PlaceKind::Country {
                return Some(Known::Place);
            }
        }
        if self.gazetteer.organization(text).is_some() {
            return Some(Known::Organization);
        }
        if self.gazetteer.nationality(text).is_some() {
            return Some(Known::Nationality);
        }
        self.gazetteer.place(text).map(|_| Known::Place)
    }

    /// Known well enough to be a name even where it is also an ordinary word ("Turkey",
    /// "China", "Reuters"): not a small town or a rare alias.
    fn well_known(&self, text: &str) -> bool {
        if self.gazetteer.organization(text).is_some() || self.gazetteer.nationality(text).is_some()
        {
            return true;
        }
        self.gazetteer.places(text).iter().any(|(place, main)| {
            let broad = matches!(
                place.kind,
                PlaceKind::Country | PlaceKind::Continent | PlaceKind::Region
            );
            broad || place.population >= 1_000_000 || (*main && place.population >= 100_000)
        })
    }

    /// The longest title phrase starting at `start` within `end`.
    fn title_at(&self, start: usize, end: usize) -> Option<usize> {
        let longest = self.gazetteer.longest_title().min(end - start);
        (1..=longest).rev().find(|&words| {
            let phrase = self.text(start..start + words);
            is_capitalised(phrase) && self.gazetteer.title(phrase).is_some()
        })
    }

    /// Words that connect two capitalised parts of one name, and how many tokens they take.
    fn connector_at(&self, index: usize, end: usize) -> Option<usize> {
        let word = self.word(index);
        let next = |offset: usize| (index + offset < end).then(|| self.word(index + offset));
        if matches!(word, "of" | "for" | "on") && next(1) == Some("the") {
            return Some(2);
        }
        (matches!(word, "of" | "for" | "on" | "and" | "&") || NAME_PARTICLES.contains(&word))
            .then_some(1)
    }

    /// Whether `left` (a name so far) may take `connector` and the part after it.
    fn may_join(&self, left: Range<usize>, connector: Range<usize>, right_end: usize) -> bool {
        let word = self.word(connector.start);
        if NAME_PARTICLES.contains(&word) || word == "&" {
            return true;
        }
        let whole = self.text(left.start..right_end);
        if self.known(whole).is_some() || self.gazetteer.title(whole).is_some() {
            return true;
        }
        if word == "and" {
            // "Food and Agriculture Organisation", "Securities and Exchange Commission".
            let right_last = self.word(right_end - 1);
            return ORGANIZATION_CUES.contains(&right_last)
                && self.known(self.text(left)).is_none();
        }
        let head = self.word(left.start);
        let last = self.word(left.end - 1);
        // "Ministry of Foreign Affairs of Japan": the second "of" names the owner.
        let has_connector = (left.start..left.end).any(|index| !self.is_name_word(index));
        if has_connector && self.known(self.text(connector.end..right_end)).is_some() {
            return false;
        }
        ORGANIZATION_HEADS.contains(&head)
            || ORGANIZATION_HEADS.contains(&last)
            || self.gazetteer.title(last).is_some()
    }

    /// Finds the names of a sentence with normal capitalisation.
    fn tag_cased(&self, tokens: Range<usize>, out: &mut Vec<NameCandidate>) {
        let end = tokens.end;
        let mut index = tokens.start;
        while index < end {
            if !self.is_name_word(index) {
                index += 1;
                continue;
            }
            // Grow a run of capitalised words joined by connectors.
            let mut run = index..index + 1;
            loop {
                while run.end < end && self.is_name_word(run.end) {
                    run.end += 1;
                }
                let connector = run.end;
                let Some(width) = (connector < end)
                    .then(|| self.connector_at(connector, end))
                    .flatten()
                else {
                    break;
                };
                let after = connector + width;
                if after >= end || !self.is_name_word(after) {
                    break;
                }
                let mut right_end = after;
                while right_end < end && self.is_name_word(right_end) {
                    right_end += 1;
                }
                if !self.may_join(run.clone(), connector..after, right_end) {
                    break;
                }
                run.end = right_end;
            }
            self.tag_run(run.clone(), out);
            index = run.end;
        }
    }

    /// Splits a run of capitalised words into qualifier, title and name, and types it.
    fn tag_run(&self, run: Range<usize>, out: &mut Vec<NameCandidate>) {
        let mut start = run.start;
        let end = run.end;
        let whole_known = self.well_known(self.text(run.clone()));
        // A sentence opener that is an ordinary word is no part of a name.
        while start < end
            && !whole_known
            && self.opens_or_follows_dropped(start, run.start)
            && self.is_ordinary_opener(start, end)
        {
            start += 1;
        }
        // Articles never start a CoNLL name.
        while start < end && matches!(self.word(start), "The" | "A" | "An") && end - start > 1 {
            if self.known(self.text(start..end)).is_some()
                && self.known(self.text(start + 1..end)).is_none()
            {
                break;
            }
            start += 1;
        }
        if start >= end {
            return;
        }
        if self.known(self.text(start..end)).is_some() {
            out.push(self.typed(start..end, None, None));
            return;
        }
        // A nationality or country qualifying what follows: "Nigerian Foreign Ministry",
        // "U.S. Secretary of State ...".
        let mut qualifier = None;
        if end - start > 1 {
            for width in [2, 1] {
                if start + width >= end {
                    continue;
                }
                let text = self.text(start..start + width);
                let is_nationality = self.gazetteer.nationality(text).is_some();
                let is_country_before_title = self
                    .gazetteer
                    .place(text)
                    .is_some_and(|place| place.kind == PlaceKind::Country)
                    && self.title_at(start + width, end).is_some();
                // "British Airways" is one name; "Nigerian Foreign Ministry" is two.
                let lone_cue = start + width + 1 == end
                    && ORGANIZATION_CUES.contains(&self.word(start + width));
                if (is_nationality || is_country_before_title) && !lone_cue {
                    out.push(self.typed(start..start + width, None, None));
                    qualifier = Some(start);
                    start += width;
                    break;
                }
            }
        }
        // A title before a name: the name is a person, the title stays outside.
        if let Some(words) = self.title_at(start, end) {
            let title = start..start + words;
            let rest = title.end..end;
            if rest.is_empty() {
                return;
            }
            let rest_text = self.text(rest.clone());
            let last = self.word(end - 1);
            if !is_capitalised(self.word(rest.start)) {
                // "Commissioner for Transport": the whole run is a title.
                return;
            }
            if self.gazetteer.organization(rest_text).is_some() || ORGANIZATION_CUES.contains(&last)
            {
                // "President Hotel", "General Motors": not a title after all.
                out.push(self.typed(start..end, qualifier, None));
                return;
            }
            out.push(NameCandidate {
                tokens: rest,
                entity_type: EntityType::Person,
                subtype: None,
                title: Some(title),
                qualifier,
                evidence: Evidence::Strong,
            });
            return;
        }
        // A title at the end belongs to the words after the run ("NUJ General Secretary
        // Jeremy Dear" split by a comma): the rest is named on its own.
        if end - start > 1 {
            let suffix = (start + 1..end).find(|&from| {
                self.gazetteer
                    .title(self.text(from..end))
                    .is_some_and(|title| !title.is_honorific())
            });
            if let Some(from) = suffix {
                out.push(self.typed(start..from, qualifier, None));
                return;
            }
        }
        out.push(self.typed(start..end, qualifier, None));
    }

    fn opens_or_follows_dropped(&self, index: usize, run_start: usize) -> bool {
        index == run_start && self.opens_sentence(index)
    }

    /// A capitalised sentence opener that is an ordinary English word and nothing known.
    fn is_ordinary_opener(&self, index: usize, end: usize) -> bool {
        let word = self.word(index);
        if FUNCTION_WORD_SET.contains(word) {
            return true;
        }
        let lower = word.to_lowercase();
        if !self.gazetteer.is_common_word(&lower) || self.well_known(word) {
            return false;
        }
        if self.title_at(index, end).is_some() {
            return false;
        }
        // "Mark Smith said" keeps its given name; "Will he ..." does not.
        let given_name = self.gazetteer.first_name(word).is_some();
        !(given_name && end - index >= 2)
    }

    /// Types a name span that has no title of its own.
    fn typed(
        &self,
        tokens: Range<usize>,
        qualifier: Option<usize>,
        title: Option<Range<usize>>,
    ) -> NameCandidate {
        let candidate = |entity_type, subtype, evidence| NameCandidate {
            tokens: tokens.clone(),
            entity_type,
            subtype,
            title: title.clone(),
            qualifier,
            evidence,
        };
        let text = self.text(tokens.clone());
        match self.known(text) {
            Some(Known::Organization) => {
                return candidate(EntityType::Organization, None, Evidence::Strong)
            }
            Some(Known::Place) => {
                // A town's name is often a surname too ("Clinton"): let the document decide.
                let evidence = if self.well_known(text) || tokens.len() > 1 {
                    Evidence::Strong
                } else {
                    Evidence::Weak
                };
                return candidate(EntityType::Location, None, evidence);
            }
            Some(Known::Nationality) => {
                return candidate(EntityType::Misc, Some("nationality"), Evidence::Strong)
            }
            None => {}
        }
        if tokens.len() == 1 && text.contains('-') {
            // "Russian-Chinese", "Sino-Soviet": compounds of nationality words are misc.
            let parts: Vec<&str> = text.split('-').collect();
            if parts
                .iter()
                .all(|part| self.gazetteer.nationality(part).is_some())
            {
                return candidate(EntityType::Misc, Some("nationality"), Evidence::Strong);
            }
        }
        let first = self.word(tokens.start);
        let last = self.word(tokens.end - 1);
        if let Some((_, subtype)) = MISC_CUES.iter().find(|(cue, _)| *cue == last) {
            if tokens.len() > 1 {
                return candidate(EntityType::Misc, Some(subtype), Evidence::Strong);
            }
        }
        let multiword = tokens.len() > 1;
        if multiword && (ORGANIZATION_CUES.contains(&last) || ORGANIZATION_HEADS.contains(&first)) {
            return candidate(EntityType::Organization, None, Evidence::Strong);
        }
        if multiword && LOCATION_CUES.contains(&last) {
            return candidate(EntityType::Location, None, Evidence::Strong);
        }
        if multiword && text.contains(" & ") {
            return candidate(EntityType::Organization, None, Evidence::Strong);
        }
        if multiword && self.gazetteer.first_name(first).is_some() && tokens.len() <= 4 {
            return candidate(EntityType::Person, None, Evidence::Strong);
        }
        // "Air France", "Procter & Gamble": a country or an ampersand inside a longer name
        // makes a company or another organisation, not a person.
        let names_country = (tokens.start..tokens.end).any(|index| {
            self.gazetteer
                .place(self.word(index))
                .is_some_and(|place| place.kind == PlaceKind::Country)
        });
        if multiword && (names_country || text.contains(" & ")) {
            return candidate(EntityType::Organization, None, Evidence::Weak);
        }
        let next = self.next_word(tokens.end);
        if next.is_some_and(|word| SPEAKER_VERBS.contains(word)) && !is_all_caps(text) {
            return candidate(EntityType::Person, None, Evidence::Weak);
        }
        if !multiword {
            if is_all_caps(text) && text.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                return candidate(EntityType::Organization, None, Evidence::Weak);
            }
            let previous = tokens
                .start
                .checked_sub(1)
                .filter(|&index| {
                    self.document.tokens[index].sentence
                        == self.document.tokens[tokens.start].sentence
                })
                .map(|index| self.word(index));
            if previous.is_some_and(|word| PLACE_PREPOSITIONS.contains(&word)) {
                return candidate(EntityType::Location, None, Evidence::Weak);
            }
        }
        // Several words, the first no given name, one an ordinary English word: "Early
        // Warning System", "Trinity Mirror" are organisations more often than people.
        let ordinary_word = (tokens.start..tokens.end).any(|index| {
            self.gazetteer
                .is_common_word(&self.word(index).to_lowercase())
        });
        if multiword && ordinary_word && self.gazetteer.first_name(first).is_none() {
            return candidate(EntityType::Organization, None, Evidence::Weak);
        }
        candidate(EntityType::Person, None, Evidence::Weak)
    }

    fn next_word(&self, index: usize) -> Option<&str> {
        (index < self.document.tokens.len()).then(|| self.word(index))
    }

    /// Tags a sentence without case information: only gazetteer names and names the
    /// document has shown elsewhere, longest first.
    fn tag_uncased(&self, tokens: Range<usize>, known: &KnownNames, out: &mut Vec<NameCandidate>) {
        const LONGEST: usize = 4;
        let mut index = tokens.start;
        while index < tokens.end {
            let found = (1..=LONGEST.min(tokens.end - index))
                .rev()
                .find_map(|width| {
                    let span = index..index + width;
                    let edges_are_names =
                        self.is_name_word(span.start) && self.is_name_word(span.end - 1);
                    let all_words = span
                        .clone()
                        .all(|token| self.word(token).chars().any(char::is_alphanumeric));
                    if !edges_are_names || !all_words {
                        return None;
                    }
                    self.uncased_type(span.clone(), known)
                        .map(|(entity_type, subtype)| NameCandidate {
                            tokens: span,
                            entity_type,
                            subtype,
                            title: None,
                            qualifier: None,
                            evidence: Evidence::Strong,
                        })
                });
            match found {
                Some(candidate) => {
                    index = candidate.tokens.end;
                    out.push(candidate);
                }
                None => index += 1,
            }
        }
    }

    fn uncased_type(
        &self,
        tokens: Range<usize>,
        known: &KnownNames,
    ) -> Option<(EntityType, Option<&'static str>)> {
        let text = self.text(tokens.clone());
        if let Some(found) = known.get(text) {
            return Some(found);
        }
        let words: Vec<String> = tokens
            .clone()
            .map(|index| title_case(self.word(index)))
            .collect();
        let title_cased = words.join(" ");
        let ordinary = tokens.len() == 1 && self.gazetteer.is_common_word(&text.to_lowercase());
        if is_all_caps(text) && !ordinary && self.gazetteer.organization(text).is_some() {
            return Some((EntityType::Organization, None));
        }
        if self.gazetteer.nationality(&title_cased).is_some() {
            return Some((EntityType::Misc, Some("nationality")));
        }
        let place = self.gazetteer.place(&title_cased)?;
        let broad = matches!(
            place.kind,
            PlaceKind::Country | PlaceKind::Continent | PlaceKind::Region
        );
        (broad || !ordinary).then_some((EntityType::Location, None))
    }
}

/// Names the document has typed with evidence, by lower-cased text, and the surnames of
/// its people.
struct KnownNames {
    names: HashMap<String, (EntityType, Option<&'static str>)>,
    surnames: HashMap<String, usize>,
}

impl KnownNames {
    fn from(
        document: &Document,
        gazetteer: &Gazetteer,
        candidates: &[NameCandidate],
    ) -> KnownNames {
        let mut names = HashMap::new();
        let mut surnames = HashMap::new();
        let text = |tokens: &Range<usize>| document.tokens_text(tokens).to_lowercase();
        for candidate in candidates {
            if candidate.evidence == Evidence::Strong {
                names
                    .entry(text(&candidate.tokens))
                    .or_insert((candidate.entity_type, candidate.subtype));
            }
            // Even a guessed full name makes its last word a surname ("Okonkwo"), unless
            // that word is a place ("Lebed Chechnya peace plan" is two names).
            let last = document.token_text(candidate.tokens.end - 1);
            if candidate.entity_type == EntityType::Person
                && candidate.tokens.len() > 1
                && gazetteer.place(last).is_none()
            {
                let surname = document.token_text(candidate.tokens.end - 1).to_lowercase();
                *surnames.entry(surname).or_insert(0) += 1;
            }
        }
        KnownNames { names, surnames }
    }

    fn get(&self, text: &str) -> Option<(EntityType, Option<&'static str>)> {
        let lower = text.to_lowercase();
        if let Some(&found) = self.names.get(&lower) {
            return Some(found);
        }
        self.surnames
            .contains_key(&lower)
            .then_some((EntityType::Person, None))
    }

    /// Gives weak candidates the type their words got elsewhere with evidence, and drops
    /// the single ordinary words ("Today", "Food") nothing else supports.
    fn settle_weak(
        &self,
        document: &Document,
        gazetteer: &Gazetteer,
        candidates: Vec<NameCandidate>,
    ) -> Vec<NameCandidate> {
        let mut kept = Vec::with_capacity(candidates.len());
        for mut candidate in candidates {
            if candidate.evidence == Evidence::Weak {
                let text = document.tokens_text(&candidate.tokens);
                if let Some((entity_type, subtype)) = self.get(text) {
                    candidate.entity_type = entity_type;
                    candidate.subtype = subtype;
                } else {
                    let next = document
                        .tokens
                        .get(candidate.tokens.end)
                        .map(|token| document.text(token.span));
                    let speaks = next.is_some_and(|word| SPEAKER_VERBS.contains(word));
                    let after_preposition =
                        candidate.tokens.start.checked_sub(1).is_some_and(|index| {
                            PLACE_PREPOSITIONS.contains(&document.text(document.tokens[index].span))
                        });
                    let ordinary = candidate.tokens.len() == 1
                        && matches!(
                            candidate.entity_type,
                            EntityType::Person | EntityType::Location
                        )
                        && gazetteer.is_common_word(&text.to_lowercase());
                    if ordinary && !speaks && !after_preposition {
                        continue;
                    }
                    // A lone unknown word that is no surname of anyone named in full here is
                    // more often a company, team or club than a person.
                    if candidate.tokens.len() == 1
                        && candidate.entity_type == EntityType::Person
                        && !speaks
                        && gazetteer.first_name(text).is_none()
                    {
                        candidate.entity_type = EntityType::Organization;
                    }
                }
            }
            kept.push(candidate);
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::Field;
    use crate::nlp::text;

    fn document(fields: &[(&str, &str)]) -> Document {
        let mut document = Document {
            fields: fields
                .iter()
                .map(|(name, text)| Field {
                    name: name.to_string(),
                    text: text.to_string(),
                })
                .collect(),
            ..Document::default()
        };
        text::tokenize(&mut document);
        document
    }

    type Found = Vec<(String, &'static str)>;

    /// (text, type) of every name of a body.
    fn names(body: &str) -> Found {
        let document = document(&[("body", body)]);
        RuleTagger
            .tag(&document, Gazetteer::embedded())
            .iter()
            .map(|candidate| {
                let first = document.tokens[candidate.tokens.start].span;
                let last = document.tokens[candidate.tokens.end - 1].span;
                (
                    body[first.start..last.end].to_string(),
                    candidate.entity_type.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn table_of_sentences() {
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            (
                "titles stay outside the person's name",
                "Defence Minister Maria Costa arrived in Lisbon on Monday.",
                &[("Maria Costa", "person"), ("Lisbon", "location")],
            ),
            (
                "a nationality before an organisation is its own misc name (CoNLL)",
                "The German Finance Ministry rejected the plan.",
                &[("German", "misc"), ("Finance Ministry", "organization")],
            ),
            (
                "sentence openers that are ordinary words are left out",
                "According to the Kremlin, talks in Ankara went well.",
                &[("Kremlin", "organization"), ("Ankara", "location")],
            ),
            (
                "honorifics stay outside, surnames are people",
                "But Mrs. Okafor said the World Bank would help Nigeria.",
                &[
                    ("Okafor", "person"),
                    ("World Bank", "organization"),
                    ("Nigeria", "location"),
                ],
            ),
            (
                "of joins organisation names, and does not join countries",
                "The Ministry of Foreign Affairs of Japan said Japan and Brazil agreed.",
                &[
                    ("Ministry of Foreign Affairs", "organization"),
                    ("Japan", "location"),
                    ("Japan", "location"),
                    ("Brazil", "location"),
                ],
            ),
            (
                "acronyms, agencies, law and months",
                "In March, NATO and the EU cited the Paris Agreement, Reuters reported.",
                &[
                    ("NATO", "organization"),
                    ("EU", "organization"),
                    ("Paris Agreement", "misc"),
                    ("Reuters", "organization"),
                ],
            ),
            (
                "a nationality adjective is misc",
                "Several Brazilian and Kenyan diplomats attended.",
                &[("Brazilian", "misc"), ("Kenyan", "misc")],
            ),
            (
                "in a results line a city is its team, a country stays a location",
                "Chicago 63 45 .583 Brazil 2 1",
                &[("Chicago", "organization"), ("Brazil", "location")],
            ),
            (
                "a lone ordinary word is no name; a lone unknown word is an organisation",
                "Shares of Vodafone rose as Spring sales began.",
                &[("Vodafone", "organization")],
            ),
            (
                "a country before a title is a location",
                "U.S. Secretary of State John Kerry visited Cairo.",
                &[
                    ("U.S.", "location"),
                    ("John Kerry", "person"),
                    ("Cairo", "location"),
                ],
            ),
        ];
        for (why, body, expected) in cases {
            let expected: Vec<(String, &str)> = expected
                .iter()
                .map(|(text, kind)| (text.to_string(), *kind))
                .collect();
            assert_eq!(names(body), expected, "{why}");
        }
    }

    #[test]
    fn a_surname_takes_the_type_of_the_full_name() {
        let found = names("Okonkwo arrived late. Later, Chidi Okonkwo spoke to reporters.");
        assert_eq!(
            found,
            [
                ("Okonkwo".to_string(), "person"),
                ("Chidi Okonkwo".to_string(), "person")
            ]
        );
    }

    #[test]
    fn all_capital_headlines_use_gazetteers_and_known_names() {
        let document = document(&[
            ("title", "MERKEL MEETS ITALIAN LEADERS IN ROME"),
            ("body", "Chancellor Angela Merkel flew in on Friday."),
        ]);
        let found: Vec<(String, &str)> = RuleTagger
            .tag(&document, Gazetteer::embedded())
            .iter()
            .map(|c| {
                let span = document.tokens[c.tokens.start].span;
                let end = document.tokens[c.tokens.end - 1].span.end;
                (
                    document.fields[span.field].text[span.start..end].to_string(),
                    c.entity_type.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("MERKEL".to_string(), "person"),
                ("ITALIAN".to_string(), "misc"),
                ("ROME".to_string(), "location"),
                ("Angela Merkel".to_string(), "person"),
            ]
        );
    }

    #[test]
    fn a_short_last_paragraph_is_a_byline() {
        let found = names("Prices rose again in Lagos.\n\nAmara Nwosu\n");
        assert_eq!(
            found.last().unwrap(),
            &("Amara Nwosu".to_string(), "person")
        );
    }
}
