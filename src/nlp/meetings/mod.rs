//! Meeting frames: who met whom, where, when, on what occasion and about what.
//!
//! The last pipeline stage. It reads the tokens and sentences, the entity mentions and the dates
//! written by the earlier stages and finds meeting events by rule: a trigger ("met", "held talks",
//! "summit", "dialogue", "visited", "received", "sat down with", "negotiations", ...), its
//! participants (the subject and the "with"/object phrase of the trigger, resolved through entity
//! mentions; the subject is sought after a subordinator ("as the council convened"), before
//! auxiliaries ("the leaders were meeting") and through a group noun after a name ("the Acme
//! delegates" -> Acme); the subject of an infinitive is the object before it ("urged X to meet"); a
//! place one meets or negotiates with stands for its government; a plural reference such as "the
//! parties", "the two ministers" or "they" takes the participants of the latest meeting; a noun
//! phrase headed by a group noun with no name in it ("delegates", "regional health officials") is
//! an unnamed participant), the place ("in/at <location>", or the organisation a meeting is "at")
//! and date of the trigger's clause, the occasion ("on the sidelines of ...", "during ...", "at the
//! ... summit"), topics ("discussed ...", "talks on ...", also from later sentences whose subject
//! is the participants), the status (held, planned, cancelled) and a CAMEO consult code (040-046).
//! A later reference to the same meeting ("at a meeting with ...", "during the talks") enriches the
//! existing frame instead of adding one; mentions with another place or date stay separate
//! meetings.
//!
//! It finds no entities or dates itself: without them it still reports triggers, with fewer
//! details. It does not treat speech acts ("said", "told"), phone or video calls,
//! interviews, party conferences, negated meetings ("did not meet") or idioms ("met with
//! criticism", "meet the deadline", "make ends meet") as meetings.

use super::dates::timex_start;
use super::document::{
    Document, Entity, EntityType, Meeting, MeetingStatus, MentionKind, Span, TemporalKind,
};
use super::gazetteer::Gazetteer;
use super::lexicon::{is_determiner, MODALS, POSSESSIVE_DETERMINERS, SPEECH_ACT_VERBS};
use super::text::is_capitalised;
use std::ops::Range;

/// Finds the meetings reported in `document` and stores them in `document.meetings`.
pub fn extract(document: &mut Document, _gazetteer: &Gazetteer) {
    let meetings = {
        let view = TextView::new(document);
        let mut frames = FrameSet::default();
        for sentence in reading_order(document) {
            analyse_sentence(&view, sentence, &mut frames);
        }
        frames.into_meetings(&view)
    };
    document.meetings = meetings;
}

/// Sentences in the order their meetings should be found: the body before the title, so a
/// headline ("Okafor meets Lena Lindqvist") merges into the body's fuller report instead of
/// becoming the frame that carries the evidence.
fn reading_order(document: &Document) -> Vec<usize> {
    let has_title = document.fields.len() > 1;
    let (title, body): (Vec<usize>, Vec<usize>) = (0..document.sentences.len())
        .partition(|&index| has_title && document.sentences[index].span.field == 0);
    body.into_iter().chain(title).collect()
}

// ---------------------------------------------------------------------------------------
// Lexicon. Lower-case words; curly apostrophes are folded to straight ones beforehand.
// ---------------------------------------------------------------------------------------

/// Words that end a subject search like the speech acts of [`SPEECH_ACT_VERBS`] but are no
/// quote cue, so they are not in the shared lexicon: verbs of knowing ("she knew the talks
/// would fail") and "pointed" of "pointed out".
const REPORTED_CONTENT_VERBS: &[&str] = &["knows", "knew", "pointed"];

/// A speech act or knowing verb: what follows it is reported content, not the clause's own.
fn is_speech_act(word: &str) -> bool {
    is_in(word, &SPEECH_ACT_VERBS) || is_in(word, REPORTED_CONTENT_VERBS)
}

const PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "on",
    "from",
    "of",
    "for",
    "by",
    "with",
    "to",
    "near",
    "during",
    "after",
    "before",
    "since",
    "into",
    "about",
    "under",
    "between",
    "among",
    "against",
    "over",
    "amid",
    "across",
    "through",
    "without",
    "via",
    "despite",
    "toward",
    "towards",
    "upon",
    "within",
    "outside",
    "inside",
    "following",
    "ahead",
    "like",
    "as",
    "per",
    "around",
];

/// Words that open an adverbial comma segment ("On July 7,", "According to X,"), which
/// never holds the subject.
const ADVERBIAL_OPENERS: &[&str] = &[
    "when",
    "while",
    "after",
    "before",
    "as",
    "although",
    "though",
    "if",
    "because",
    "since",
    "once",
    "whereas",
    "until",
    "unless",
    "where",
    "according",
    "however",
    "meanwhile",
    "also",
    "later",
    "earlier",
    "today",
    "yesterday",
    "then",
    "now",
    "previously",
    "subsequently",
    "separately",
    "additionally",
    "moreover",
    "furthermore",
    "finally",
    "instead",
    "still",
    "thus",
    "recently",
    "last",
    "next",
    "this",
    "in",
    "at",
    "on",
    "during",
    "following",
    "ahead",
    "amid",
    "despite",
    "for",
    "from",
    "with",
    "without",
    "under",
    "by",
    "to",
    "over",
    "within",
    "after",
    "upon",
];

/// Heads of plural noun phrases that refer back to a group of participants.
const PLURAL_HEADS: &[&str] = &[
    "parties",
    "sides",
    "ministers",
    "leaders",
    "presidents",
    "heads",
    "delegations",
    "counterparts",
    "men",
    "women",
    "officials",
    "diplomats",
    "pair",
    "countries",
    "nations",
    "governments",
    "premiers",
    "chancellors",
    "envoys",
    "negotiators",
    "statesmen",
    "two",
    "delegates",
];

/// Objects of "meet" that make it an idiom ("meet the deadline"), by stem.
const ABSTRACT_OBJECTS: &[&str] = &[
    "target",
    "demand",
    "deadline",
    "need",
    "requirement",
    "criteri",
    "standard",
    "expectation",
    "goal",
    "obligation",
    "condition",
    "challenge",
    "cost",
    "threshold",
    "quota",
    "objective",
    "commitment",
    "budget",
    "payroll",
    "request",
    "term",
    "specification",
    "benchmark",
    "level",
    "limit",
    "mark",
    "bar",
    "qualification",
    "definition",
    "test",
    "debt",
    "payment",
    "shortfall",
    "eye",
    "maker",
    "match",
    "fate",
    "end",
    "death",
    "demise",
    "press",
    "norm",
    "rule",
    "guideline",
    "order",
    "mandate",
    "aspiration",
    "promise",
    "pledge",
    "burden",
    "bill",
    "expense",
];

/// Nouns after "met with" that make it a reaction, not a meeting ("met with criticism").
const REACTIONS: &[&str] = &[
    "disapproval",
    "criticism",
    "resistance",
    "opposition",
    "skepticism",
    "scepticism",
    "protest",
    "silence",
    "approval",
    "applause",
    "scorn",
    "derision",
    "outrage",
    "condemnation",
    "reaction",
    "response",
    "reception",
    "acclaim",
    "praise",
    "enthusiasm",
    "hostility",
    "anger",
    "fury",
    "indifference",
    "suspicion",
    "doubt",
    "ridicule",
    "backlash",
    "boos",
    "jeers",
    "cheers",
    "laughter",
    "disbelief",
    "alarm",
    "concern",
    "dismay",
    "objection",
    "force",
    "violence",
    "tear",
    "gunfire",
    "success",
    "failure",
    "support",
    "interest",
    "surprise",
    "relief",
    "fanfare",
    "shock",
    "bewilderment",
    "contempt",
    "resentment",
    "rejection",
    "refusal",
    "denial",
    "fire",
    "rubber",
    "pepper",
    "water",
];

/// Verbs that carry a meeting noun ("held talks", "paid a visit", "cancelled the summit").
const SUPPORT_VERBS: &[&str] = &[
    "held",
    "hold",
    "holds",
    "holding",
    "had",
    "has",
    "have",
    "having",
    "paid",
    "pay",
    "pays",
    "paying",
    "made",
    "make",
    "makes",
    "making",
    "attended",
    "attend",
    "attends",
    "attending",
    "conducted",
    "conduct",
    "convened",
    "convene",
    "hosted",
    "host",
    "hosts",
    "hosting",
    "began",
    "begin",
    "begins",
    "started",
    "start",
    "starts",
    "concluded",
    "conclude",
    "wrapped",
    "ended",
    "chaired",
    "chair",
    "joined",
    "join",
    "led",
    "lead",
    "resumed",
    "resume",
    "opened",
    "open",
    "cancelled",
    "canceled",
    "cancel",
    "cancels",
    "postponed",
    "postpone",
    "scrapped",
    "scrap",
    "planned",
    "plan",
    "plans",
    "scheduled",
    "schedule",
    "arranged",
    "arrange",
    "requested",
    "request",
    "sought",
    "seek",
    "proposed",
    "propose",
    "skipped",
    "skip",
    "called",
    "call",
];

const CANCEL_WORDS: &[&str] = &[
    "cancelled",
    "canceled",
    "cancel",
    "cancels",
    "cancelling",
    "canceling",
    "postponed",
    "postpone",
    "postpones",
    "postponing",
    "scrapped",
    "scrap",
    "scraps",
    "suspended",
    "suspend",
    "delayed",
    "delay",
    "off",
];

/// Words before "visit" that make it a noun ("an official visit").
const VISIT_NOUN_MODIFIERS: &[&str] = &[
    "official",
    "state",
    "working",
    "first",
    "second",
    "rare",
    "surprise",
    "brief",
    "two-day",
    "three-day",
    "one-day",
    "historic",
    "upcoming",
    "planned",
    "recent",
    "last",
    "latest",
    "return",
    "reciprocal",
    "inspection",
    "private",
    "unannounced",
    "farewell",
];

/// Modifiers of "debate" that mean public discussion, not an encounter.
const DEBATE_SENSES: &[&str] = &[
    "public",
    "national",
    "political",
    "heated",
    "policy",
    "ongoing",
    "growing",
    "fierce",
    "intense",
    "lively",
    "broader",
    "wider",
    "long-running",
    "internal",
    "academic",
];

/// Modifiers that make "debate" a televised encounter between candidates.
const DEBATE_EVENT_CUES: &[&str] = &[
    "presidential",
    "vice-presidential",
    "primary",
    "televised",
    "tv",
    "first",
    "second",
    "third",
    "final",
    "gop",
    "democratic",
    "republican",
    "candidates",
    "leaders",
    "live",
    "town-hall",
    "head-to-head",
];

/// Nouns after "debate" that make it the event ("debate performance", "debate stage").
const DEBATE_COMPOUNDS: &[&str] = &[
    "performance",
    "moderator",
    "moderators",
    "stage",
    "hall",
    "night",
    "audience",
    "prep",
    "preparation",
    "watchers",
    "viewers",
    "showdown",
    "commission",
];

/// Nouns after "negotiation(s)"/"negotiating" that make it a modifier of something else.
const NEGOTIATION_COMPOUNDS: &[&str] = &[
    "affairs",
    "department",
    "unit",
    "office",
    "position",
    "positions",
    "skills",
    "tactics",
    "strategy",
    "strategies",
    "power",
    "leverage",
    "mandate",
    "team",
    "teams",
    "style",
];

/// Words before "host" that make it a noun ("talk-show hosts").
const HOST_NOUN_MODIFIERS: &[&str] = &[
    "show",
    "radio",
    "tv",
    "talk",
    "television",
    "program",
    "programme",
    "podcast",
    "game",
    "co",
    "late-night",
    "talk-show",
    "news",
];

/// Things hosted that are events, not visitors ("hosting the Olympics").
const HOSTED_EVENTS: &[&str] = &[
    "olympics",
    "games",
    "cup",
    "championship",
    "championships",
    "tournament",
    "festival",
    "exhibition",
    "conference",
    "event",
    "show",
    "party",
    "dinner",
    "reception",
    "concert",
    "contest",
    "race",
    "election",
    "debate",
    "fair",
    "expo",
    "ceremony",
    "gala",
    "forum",
    "summit",
    "session",
    "program",
    "programme",
    "podcast",
    "website",
    "site",
    "server",
];

/// Verbs before "to meet" that make it a purpose of a journey ("flew to Beijing to meet"),
/// so the meeting happened; other "to meet" are plans or offers.
const JOURNEY_VERBS: &[&str] = &[
    "came",
    "come",
    "comes",
    "went",
    "go",
    "goes",
    "flew",
    "fly",
    "flies",
    "traveled",
    "travelled",
    "travel",
    "travels",
    "arrived",
    "arrive",
    "arrives",
    "returned",
    "headed",
    "up",
    "gathered",
    "stopped",
    "stayed",
    "drove",
    "sailed",
    "journeyed",
];

/// Nouns that name a meeting; a verb right before one only carries it.
const MEETING_NOUNS: &[&str] = &[
    "meeting",
    "meetings",
    "talks",
    "summit",
    "summits",
    "negotiations",
    "visit",
    "consultations",
    "session",
    "conference",
];

const PLANNED_MODIFIERS: &[&str] = &[
    "upcoming",
    "forthcoming",
    "planned",
    "proposed",
    "scheduled",
    "next",
    "future",
    "possible",
    "potential",
    "expected",
    "prospective",
    "likely",
    "mooted",
    "tentative",
];

/// Words before "to meet" that make the meeting a plan ("agreed to meet"), not a purpose
/// ("flew to Beijing to meet").
const INTENTION_WORDS: &[&str] = &[
    "agreed",
    "agree",
    "agrees",
    "plan",
    "plans",
    "planned",
    "planning",
    "due",
    "set",
    "scheduled",
    "expected",
    "expect",
    "expects",
    "going",
    "intends",
    "intend",
    "intended",
    "hopes",
    "hope",
    "hoped",
    "hoping",
    "wants",
    "want",
    "wanted",
    "likely",
    "unlikely",
    "ready",
    "is",
    "are",
    "was",
    "were",
    "invited",
    "asked",
    "offered",
    "proposed",
    "prepared",
    "about",
    "seeks",
    "seek",
    "sought",
    "wish",
    "wishes",
    "like",
    "decided",
    "aims",
    "aim",
    "trying",
    "tries",
    "try",
    "eager",
    "willing",
    "supposed",
    "slated",
];

const NEGATIONS: &[&str] = &[
    "not", "never", "no", "refused", "refuses", "refuse", "declined", "declines", "decline",
    "without", "nor", "cannot", "rejected", "rejects", "avoided", "avoid", "snubbed",
];

/// Words in a clause that make its "meeting" remote or a call, which is not a meeting.
const REMOTE_WORDS: &[&str] = &[
    "phone",
    "telephone",
    "telephoned",
    "phoned",
    "videoconference",
    "video-conference",
    "teleconference",
    "videolink",
    "video-link",
    "video",
    "virtual",
    "virtually",
    "online",
    "phone-call",
    "zoom",
];

/// Modifiers that make a meeting an organisation's internal one (evaluation.md: party
/// conferences are not meetings).
const INTERNAL_MODIFIERS: &[&str] = &[
    "party",
    "partisan",
    "shareholders",
    "shareholder",
    "board",
    "general",
    "staff",
];

/// Heads of phrases that name an event ("at the G20 summit", "during the forum").
const EVENT_HEADS: &[&str] = &[
    "summit",
    "summits",
    "forum",
    "forums",
    "conference",
    "conferences",
    "meeting",
    "meetings",
    "session",
    "sessions",
    "assembly",
    "congress",
    "ceremony",
    "gathering",
    "games",
    "olympics",
    "festival",
    "expo",
    "exhibition",
    "funeral",
    "inauguration",
    "parade",
    "dinner",
    "lunch",
    "luncheon",
    "breakfast",
    "reception",
    "banquet",
    "event",
    "events",
    "convention",
    "talks",
    "celebration",
    "celebrations",
    "anniversary",
    "consultations",
    "negotiations",
    "commemoration",
    "visit",
    "tour",
    "trip",
    "council",
    "ministerial",
    "plenary",
    "week",
    "dialogue",
    "retreat",
];

/// Words that end a topic phrase: the topic is what is discussed, not the circumstances.
const TOPIC_STOPS: &[&str] = &[
    "amid",
    "during",
    "when",
    "while",
    "where",
    "which",
    "after",
    "before",
    "said",
    "says",
    "according",
    "since",
    "because",
    "though",
    "although",
    "whereas",
    "until",
    "as",
];

/// Verbs that may follow "and" to start a new clause inside a topic or occasion phrase.
const CLAUSE_VERBS: &[&str] = &[
    "agreed",
    "signed",
    "said",
    "stressed",
    "noted",
    "expressed",
    "highlighted",
    "called",
    "reaffirmed",
    "exchanged",
    "considered",
    "discussed",
    "emphasized",
    "emphasised",
    "underlined",
    "welcomed",
    "praised",
    "urged",
    "pledged",
    "vowed",
    "highly",
    "also",
    "then",
    "later",
    "held",
    "met",
    "decided",
    "announced",
    "issued",
    "adopted",
    "voiced",
    "condemned",
    "confirmed",
    "shared",
    "stated",
    "reiterated",
    "will",
    "would",
    "they",
    "he",
    "she",
    "we",
    "it",
];

fn is_in(word: &str, list: &[&str]) -> bool {
    list.contains(&word)
}

fn is_punctuation(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| !c.is_alphanumeric())
}

fn is_quote_mark(word: &str) -> bool {
    matches!(
        word,
        "“" | "”" | "\"" | "«" | "»" | "„" | "''" | "``" | "‘" | "'"
    )
}

fn is_be(word: &str) -> bool {
    matches!(
        word,
        "is" | "are" | "was" | "were" | "be" | "been" | "being" | "am" | "'re" | "'m"
    )
}

fn is_negation(word: &str) -> bool {
    is_in(word, NEGATIONS) || word.ends_with("n't")
}

/// True when `word` (lower case, maybe plural) starts with one of the stems.
fn has_stem(word: &str, stems: &[&str]) -> bool {
    stems.iter().any(|stem| word.starts_with(stem))
}

// ---------------------------------------------------------------------------------------
// Text view: lower-cased tokens and the mention and date on each token.
// ---------------------------------------------------------------------------------------

/// A mention mapped onto tokens.
#[derive(Debug, Clone, Copy)]
struct TokenMention {
    first: usize,
    /// One past the last token.
    end: usize,
    entity: usize,
    kind: MentionKind,
}

/// Read-only lookups over the document, built once per article.
struct TextView<'d> {
    document: &'d Document,
    words: Vec<String>,
    mentions: Vec<TokenMention>,
    /// For each token, the index into `mentions` of the mention that covers it.
    token_mention: Vec<Option<usize>>,
    /// For each token, the index into `document.dates` of the date expression covering it.
    token_date: Vec<Option<usize>>,
}

impl<'d> TextView<'d> {
    fn new(document: &'d Document) -> TextView<'d> {
        let mut words: Vec<String> = (0..document.tokens.len())
            .map(|index| document.token_text(index).to_lowercase().replace('’', "'"))
            .collect();
        // Text rebuilt from tokens ("Monday 's debate") splits the possessive into "'" and
        // "s"; both halves read as "'s".
        for index in 1..words.len() {
            let joined = document.tokens[index - 1].span.end == document.tokens[index].span.start;
            if words[index] == "s" && words[index - 1] == "'" && joined {
                words[index] = "'s".to_string();
                words[index - 1] = "'s".to_string();
            }
        }
        let mut view = TextView {
            document,
            words,
            mentions: Vec::new(),
            token_mention: vec![None; document.tokens.len()],
            token_date: vec![None; document.tokens.len()],
        };
        for mention in &document.mentions {
            let Some(tokens) = view.tokens_of(mention.span) else {
                continue;
            };
            let index = view.mentions.len();
            view.mentions.push(TokenMention {
                first: tokens.start,
                end: tokens.end,
                entity: mention.entity,
                kind: mention.kind,
            });
            for token in tokens {
                let better = match view.token_mention[token] {
                    None => true,
                    Some(current) => view.mention_rank(index) > view.mention_rank(current),
                };
                if better {
                    view.token_mention[token] = Some(index);
                }
            }
        }
        for (index, date) in document.dates.iter().enumerate() {
            if date.kind != TemporalKind::Date {
                continue;
            }
            if let Some(tokens) = view.tokens_of(date.span) {
                for token in tokens {
                    view.token_date[token].get_or_insert(index);
                }
            }
        }
        view
    }

    /// The tokens a span overlaps (tokens are sorted by field, then offset).
    fn tokens_of(&self, span: Span) -> Option<Range<usize>> {
        let tokens = &self.document.tokens;
        let first = tokens.partition_point(|token| {
            (token.span.field, token.span.end) <= (span.field, span.start)
        });
        let end = tokens
            .partition_point(|token| (token.span.field, token.span.start) < (span.field, span.end));
        (first < end).then_some(first..end)
    }

    /// Participants and places win over other entities on a shared token; then longer spans.
    fn mention_rank(&self, index: usize) -> (bool, usize) {
        let mention = &self.mentions[index];
        let entity = self.entity(mention.entity);
        let useful = entity.is_some_and(|entity| entity.entity_type != EntityType::Misc);
        (useful, mention.end - mention.first)
    }

    fn entity(&self, index: usize) -> Option<&Entity> {
        self.document.entities.get(index)
    }

    fn word(&self, token: usize) -> &str {
        self.words.get(token).map(String::as_str).unwrap_or("")
    }

    fn raw(&self, token: usize) -> &str {
        self.document.token_text(token)
    }

    fn is_capitalized(&self, token: usize) -> bool {
        token < self.words.len() && is_capitalised(self.raw(token))
    }

    fn mention_at(&self, token: usize) -> Option<&TokenMention> {
        self.token_mention
            .get(token)
            .copied()
            .flatten()
            .map(|index| &self.mentions[index])
    }

    fn date_at(&self, token: usize) -> Option<usize> {
        self.token_date.get(token).copied().flatten()
    }

    fn span_of(&self, tokens: Range<usize>) -> Span {
        self.document.tokens_span(&tokens)
    }

    /// A person or organisation, or a country (countries are kept only when no person or
    /// organisation takes part).
    fn is_participant(&self, mention: &TokenMention) -> bool {
        if mention.kind == MentionKind::Pronoun
            && is_in(self.word(mention.first), &POSSESSIVE_DETERMINERS)
        {
            return false;
        }
        self.entity(mention.entity)
            .is_some_and(|entity| match entity.entity_type {
                EntityType::Person | EntityType::Organization => true,
                EntityType::Location => is_country(entity),
                EntityType::Misc => false,
            })
    }

    fn is_location(&self, mention: &TokenMention) -> bool {
        self.entity(mention.entity)
            .is_some_and(|entity| entity.entity_type == EntityType::Location)
    }

    /// The ISO country code an entity belongs to or lies in.
    fn country_of(&self, entity: usize) -> Option<&str> {
        let entity = self.entity(entity)?;
        entity
            .country
            .as_deref()
            .or_else(|| entity.geo.as_ref()?.country.as_deref())
    }
}

fn is_country(entity: &Entity) -> bool {
    entity.subtype.as_deref() == Some("country")
}

// ---------------------------------------------------------------------------------------
// Triggers.
// ---------------------------------------------------------------------------------------

/// What kind of encounter a trigger reports; it decides the CAMEO code with the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Meet,
    Visit,
    Host,
    Negotiate,
    Mediate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Verb,
    Noun,
}

#[derive(Debug, Clone)]
struct Trigger {
    token: usize,
    kind: FrameKind,
    class: WordClass,
    /// The verb whose subject and tense count: the trigger itself, or the verb carrying a
    /// meeting noun ("held" in "held talks").
    anchor: usize,
    /// The clause (token range) the trigger belongs to.
    clause: Range<usize>,
}

/// One sentence with its clauses.
struct SentenceContext {
    index: usize,
    tokens: Range<usize>,
    clauses: Vec<Range<usize>>,
    paragraph: usize,
    /// Title-case headlines capitalise their verbs ("Okafor Meets Lindqvist").
    headline: bool,
}

impl SentenceContext {
    fn new(view: &TextView, index: usize) -> SentenceContext {
        let sentence = &view.document.sentences[index];
        let tokens = sentence.tokens.clone();
        let alphabetic: Vec<usize> = tokens
            .clone()
            .filter(|&token| view.raw(token).chars().any(char::is_alphabetic))
            .collect();
        let capitalized = alphabetic
            .iter()
            .filter(|&&token| view.is_capitalized(token))
            .count();
        SentenceContext {
            index,
            clauses: split_clauses(view, tokens.clone()),
            tokens,
            paragraph: sentence.paragraph,
            // Headlines have no final period.
            headline: alphabetic.len() >= 3
                && capitalized * 10 >= alphabetic.len() * 6
                && view.word(tokens_end_before(&sentence.tokens)) != ".",
        }
    }

    fn clause_of(&self, token: usize) -> Range<usize> {
        self.clauses
            .iter()
            .find(|clause| clause.contains(&token))
            .cloned()
            .unwrap_or_else(|| self.tokens.clone())
    }
}

fn tokens_end_before(tokens: &Range<usize>) -> usize {
    tokens.end.saturating_sub(1).max(tokens.start)
}

/// Splits a sentence at ";", at quotation marks and at ", and/but/while" so that "X held
/// talks in Lima, and on May 3 they met in Quito" gives each trigger its own place and
/// date.
fn split_clauses(view: &TextView, tokens: Range<usize>) -> Vec<Range<usize>> {
    let mut clauses = Vec::new();
    let mut start = tokens.start;
    for token in tokens.clone() {
        let word = view.word(token);
        let next = view.word(token + 1);
        let boundary = word == ";"
            || is_quote_mark(word)
            || (word == ","
                && token + 1 < tokens.end
                && is_in(
                    next,
                    &[
                        "and", "but", "while", "whereas", "although", "though", "yet",
                    ],
                ));
        if boundary {
            if start < token {
                clauses.push(start..token);
            }
            start = token + 1;
        }
    }
    if start < tokens.end {
        clauses.push(start..tokens.end);
    }
    if clauses.is_empty() {
        clauses.push(tokens);
    }
    clauses
}

/// The trigger on `token`, if it reports a meeting (exclusions and negation applied).
fn trigger_at(view: &TextView, context: &SentenceContext, token: usize) -> Option<Trigger> {
    let word = view.word(token);
    let previous = if token > context.tokens.start {
        view.word(token - 1)
    } else {
        ""
    };
    let next = view.word(token + 1);
    let (kind, class) = match word {
        "met" => (FrameKind::Meet, WordClass::Verb),
        "meet" | "meets" => {
            // "a track meet", "meet-and-greet": sport fixtures and receptions.
            if is_in(
                previous,
                &["a", "the", "track", "swim", "athletics", "this"],
            ) {
                return None;
            }
            (FrameKind::Meet, WordClass::Verb)
        }
        "meeting" if is_be(previous) => (FrameKind::Meet, WordClass::Verb),
        "meeting" | "meetings" | "summit" | "summits" | "consultations" => {
            (FrameKind::Meet, WordClass::Noun)
        }
        "talks" => {
            // "he talks about", "Okafor (left) talks with her son": a conversation.
            let after_subject = matches!(previous, "he" | "she" | ")" | "who")
                || (token > context.tokens.start
                    && view.mention_at(token - 1).is_some_and(|m| {
                        m.kind != MentionKind::Pronoun || !is_in(previous, &POSSESSIVE_DETERMINERS)
                    })
                    && !is_in(previous, &POSSESSIVE_DETERMINERS)
                    && previous != "'s");
            if is_in(next, &["about", "to", "up", "down"]) || after_subject {
                return None;
            }
            (FrameKind::Meet, WordClass::Noun)
        }
        "dialogue" | "dialogues" => {
            // "the film's dialogue", "a dialogue box", "lines of dialogue": speech in a
            // script or on a screen, not talks.
            if matches!(previous, "'s" | "its" | "of" | "written" | "witty")
                || is_in(next, &["box", "boxes", "coach", "tags"])
            {
                return None;
            }
            (FrameKind::Meet, WordClass::Noun)
        }
        "debate" | "debates" => {
            // A televised debate is an encounter; "the debate over X", "the immigration
            // debate" are public discussion, and "to debate" is a verb.
            let public = is_in(
                next,
                &["over", "about", "on", "around", "surrounding", "whether"],
            ) || is_in(previous, DEBATE_SENSES);
            let verb = previous == "to" || is_in(previous, &MODALS);
            let event_cue = is_debate_event(view, context.tokens.start, token);
            // "the debate will shape the race", "a weak debate showing".
            let bare =
                matches!(previous, "the" | "this" | "that" | "a") || is_in(next, DEBATE_COMPOUNDS);
            if public || verb || !(event_cue || bare) {
                return None;
            }
            (FrameKind::Meet, WordClass::Noun)
        }
        "negotiations" | "negotiation" | "negotiating" if is_in(next, NEGOTIATION_COMPOUNDS) => {
            // "the negotiations affairs department", "a negotiating position".
            return None;
        }
        "negotiations" | "negotiation" => (FrameKind::Negotiate, WordClass::Noun),
        "negotiate" | "negotiates" | "negotiated" | "negotiating" => {
            // "a negotiated settlement", "a U.S.-negotiated deal" are adjectives.
            if is_determiner(previous) || previous == "-" {
                return None;
            }
            (FrameKind::Negotiate, WordClass::Verb)
        }
        "mediate" | "mediates" | "mediated" | "mediating" if previous != "-" => {
            (FrameKind::Mediate, WordClass::Verb)
        }
        "mediation" => (FrameKind::Mediate, WordClass::Noun),
        "visit" | "visits" => {
            let noun = is_determiner(previous)
                || previous == "'s"
                || is_in(previous, VISIT_NOUN_MODIFIERS);
            let class = if noun {
                WordClass::Noun
            } else {
                WordClass::Verb
            };
            (FrameKind::Visit, class)
        }
        "visited" | "visiting" => {
            // "the visiting minister" describes a person; the verb nearby is the trigger.
            if is_determiner(previous) {
                return None;
            }
            (FrameKind::Visit, WordClass::Verb)
        }
        "hosted" | "hosts" | "host" | "hosting" | "received" | "receives" | "receive"
        | "receiving" => {
            if is_determiner(previous) || is_in(previous, HOST_NOUN_MODIFIERS) {
                return None;
            }
            (FrameKind::Host, WordClass::Verb)
        }
        "conferred" | "confer" | "confers" | "conferring"
            if next == "with"
                || ((next.ends_with("ly") || is_in(next, &["instead", "again", "first"]))
                    && view.word(token + 2) == "with") =>
        {
            (FrameKind::Meet, WordClass::Verb)
        }
        "sat" | "sit" | "sits" | "sitting" if next == "down" && view.word(token + 2) == "with" => {
            (FrameKind::Meet, WordClass::Verb)
        }
        "convened" | "convene" | "convenes" | "convening" => (FrameKind::Meet, WordClass::Verb),
        _ => return None,
    };
    // "Met Office", "the Met": capitalised trigger words are names, except at the start of
    // a sentence or in a title-case headline.
    if view.is_capitalized(token) && token != context.tokens.start && !context.headline {
        return None;
    }
    let clause = context.clause_of(token);
    if is_remote(view, token, &clause) || is_idiom(view, token, &clause) {
        return None;
    }
    if class == WordClass::Verb && carries_meeting_noun(view, token, &clause) {
        // "convened a meeting", "hosted talks": the noun is the trigger, this its verb.
        return None;
    }
    if kind == FrameKind::Host && !hosts_someone(view, token, &clause) {
        // "received a letter", "hosted a dinner": nobody is received.
        return None;
    }
    if class == WordClass::Noun && is_summit_of_mountain(view, word, &clause) {
        return None;
    }
    let anchor = match class {
        WordClass::Verb => token,
        WordClass::Noun => support_verb(view, token, &clause).unwrap_or(token),
    };
    if is_negated(view, anchor, &clause) || (anchor != token && is_negated(view, token, &clause)) {
        return None;
    }
    if is_unreal(view, anchor, &clause) || is_interview(view, token, &clause) {
        return None;
    }
    if class == WordClass::Noun && denied_after(view, token, &clause) {
        return None;
    }
    if class == WordClass::Noun && is_internal_meeting(view, token, &clause) {
        return None;
    }
    Some(Trigger {
        token,
        kind,
        class,
        anchor,
        clause,
    })
}

/// "the presidential debate", "Monday's debate", "the Okafor-Lindqvist debate": a debate
/// that is an event, told by its modifiers.
fn is_debate_event(view: &TextView, sentence_start: usize, token: usize) -> bool {
    let lowest = sentence_start.max(token.saturating_sub(3));
    let previous = token
        .checked_sub(1)
        .filter(|&previous| previous >= sentence_start);
    let named_before = previous.is_some_and(|previous| {
        view.mention_at(previous).is_some()
            || view.date_at(previous).is_some()
            || view.word(previous) == "'s"
            || (view.is_capitalized(previous) && previous > sentence_start)
    });
    named_before || (lowest..token).any(|probe| is_in(view.word(probe), DEBATE_EVENT_CUES))
}

/// A phone or video call near the trigger ("held talks by phone", "met virtually").
fn is_remote(view: &TextView, trigger: usize, clause: &Range<usize>) -> bool {
    let near = clause.start.max(trigger.saturating_sub(6))..clause.end.min(trigger + 7);
    near.into_iter().any(|token| {
        let word = view.word(token);
        is_in(word, REMOTE_WORDS)
            || (word == "call" && is_in(view.word(token.wrapping_sub(1)), &["conference", "phone"]))
    })
}

/// "met with criticism", "was met with", "meet the deadline", "make ends meet".
fn is_idiom(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    let word = view.word(token);
    if !matches!(word, "met" | "meet" | "meets" | "meeting") {
        return false;
    }
    if token > clause.start && view.word(token - 1) == "ends" {
        return true;
    }
    let passive = token > clause.start && is_be(view.word(token - 1));
    let after_with = view.word(token + 1) == "with";
    if passive && after_with {
        // "was met with skepticism", "were met with F-16s": a reception, never a meeting.
        return true;
    }
    let start = if after_with { token + 2 } else { token + 1 };
    let mut probe = start;
    while probe < (start + 8).min(clause.end) {
        if let Some(mention) = view.mention_at(probe).copied() {
            if view.word(mention.end) == "'s" {
                // "meet Okafor's goal": a possessive, the object comes after it.
                probe = mention.end;
                while view.word(probe) == "'s" {
                    probe += 1;
                }
                continue;
            }
            if view.is_participant(&mention) {
                return false;
            }
        }
        let probe_word = view.word(probe);
        if is_punctuation(probe_word) && !matches!(probe_word, "-" | "'s") {
            break;
        }
        let singular = probe_word.trim_end_matches('s');
        if has_stem(singular, REACTIONS) || (!after_with && has_stem(singular, ABSTRACT_OBJECTS)) {
            return true;
        }
        if is_in(probe_word, PREPOSITIONS) && probe_word != "of" {
            break;
        }
        probe += 1;
    }
    false
}

/// A verb directly followed by a meeting noun ("convened a meeting", "hosted talks").
fn carries_meeting_noun(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    // "met in closed session" names how they met, not a second event: stop at "in".
    ((token + 1)..(token + 6).min(clause.end))
        .take_while(|&probe| !is_punctuation(view.word(probe)) && view.word(probe) != "in")
        .any(|probe| is_in(view.word(probe), MEETING_NOUNS))
}

/// "received/hosted X" counts only when X is a person, organisation or country, or in the
/// passive "was received by X".
fn hosts_someone(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    if view.word(token + 1) == "by" {
        return true;
    }
    let mut probe = token + 1;
    while probe < clause.end && probe < token + 8 {
        if let Some(mention) = view.mention_at(probe).copied() {
            let someone = view.is_participant(&mention)
                && (!view.is_location(&mention)
                    || view.entity(mention.entity).is_some_and(is_country));
            // "received the FBI letter", "hosting the Olympics": the mention only
            // modifies the thing received.
            let head_follows = !is_punctuation(view.word(mention.end))
                && !is_in(view.word(mention.end), PREPOSITIONS)
                && !is_in(
                    view.word(mention.end),
                    &["and", "who", "for", "on", "at", "in"],
                )
                && !view.is_capitalized(mention.end)
                && view.date_at(mention.end).is_none()
                && mention.end < clause.end;
            let event =
                (mention.first..mention.end).any(|inner| is_in(view.word(inner), HOSTED_EVENTS));
            return someone && !head_follows && !event;
        }
        let word = view.word(probe);
        // Only articles and capitalised titles may stand before the visitor's name.
        let title_like = is_determiner(word) || view.is_capitalized(probe);
        if is_punctuation(word) || is_in(word, PREPOSITIONS) || !title_like {
            return false;
        }
        probe += 1;
    }
    false
}

fn is_summit_of_mountain(view: &TextView, word: &str, clause: &Range<usize>) -> bool {
    matches!(word, "summit" | "summits")
        && clause.clone().any(|token| {
            let word = view.word(token);
            word.starts_with("mount")
                || word.starts_with("climb")
                || word == "everest"
                || word == "peak"
        })
}

/// "party meeting", "board meeting": an organisation's internal session.
fn is_internal_meeting(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    (clause.start.max(token.saturating_sub(2))..token)
        .any(|probe| is_in(view.word(probe), INTERNAL_MODIFIERS))
}

/// The verb that carries a meeting noun: "held talks", "paid a visit", "cancelled his
/// meeting", "is on a visit".
fn support_verb(view: &TextView, token: usize, clause: &Range<usize>) -> Option<usize> {
    let mut probe = token;
    let lowest = clause.start.max(token.saturating_sub(5));
    while probe > lowest {
        probe -= 1;
        let word = view.word(probe);
        if is_in(word, SUPPORT_VERBS) {
            return Some(probe);
        }
        if word == "on" && probe > clause.start && is_be(view.word(probe - 1)) {
            return Some(probe - 1);
        }
        if is_punctuation(word) && !matches!(word, "-" | "–") || is_in(word, PREPOSITIONS) {
            return None;
        }
    }
    None
}

/// "the deal you would have negotiated" (counterfactual), "people we meet" (habitual).
fn is_unreal(view: &TextView, anchor: usize, clause: &Range<usize>) -> bool {
    let before = |offset: usize| {
        anchor
            .checked_sub(offset)
            .filter(|&token| token >= clause.start)
            .map_or("", |token| view.word(token))
    };
    let counterfactual =
        before(1) == "have" && matches!(before(2), "would" | "could" | "should" | "might" | "'d");
    let habitual = view.word(anchor) == "meet" && matches!(before(1), "we" | "you" | "i");
    counterfactual || habitual
}

/// "meeting and interviewing prisoners": an interview, which is not a meeting.
fn is_interview(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    let near = clause.start.max(token.saturating_sub(3))..clause.end.min(token + 4);
    near.into_iter()
        .any(|probe| view.word(probe).starts_with("interview"))
}

/// "Negotiations can not be held", "the summit will not take place".
fn denied_after(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    let window = (token + 1)..(token + 7).min(clause.end);
    let negation = window.clone().find(|&probe| is_negation(view.word(probe)));
    negation.is_some_and(|negation| {
        ((negation + 1)..window.end).any(|probe| {
            matches!(
                view.word(probe),
                "held" | "place" | "happen" | "occur" | "go" | "resume" | "start"
            )
        })
    })
}

fn is_negated(view: &TextView, anchor: usize, clause: &Range<usize>) -> bool {
    // Walk back over auxiliaries so that "would n't have been able to meet" is negated.
    let mut probe = anchor;
    let mut content_words = 0;
    while probe > clause.start && content_words < 3 {
        probe -= 1;
        let word = view.word(probe);
        if is_negation(word) {
            return !(word == "no" && view.word(probe + 1) == "longer");
        }
        let auxiliary = is_be(word)
            || is_in(word, &MODALS)
            || is_in(
                word,
                &[
                    "have", "has", "had", "to", "able", "ever", "even", "yet", "do", "does", "did",
                ],
            );
        if !auxiliary {
            content_words += 1;
        }
        if is_punctuation(word) {
            break;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------
// Participants.
// ---------------------------------------------------------------------------------------

/// Who a noun phrase refers to.
#[derive(Debug, Clone, Default, PartialEq)]
struct Reference {
    entities: Vec<usize>,
    /// "the parties", "they", "the two ministers": the participants of an earlier meeting.
    plural: bool,
    /// Unnamed groups: noun phrases headed by a group noun with no name in them
    /// ("delegates", "a review panel", "regional health officials").
    groups: Vec<Range<usize>>,
}

impl Reference {
    fn merge(&mut self, other: Reference) {
        self.plural |= other.plural;
        for entity in other.entities {
            if !self.entities.contains(&entity) {
                self.entities.push(entity);
            }
        }
        for group in other.groups {
            if !self.groups.contains(&group) {
                self.groups.push(group);
            }
        }
    }

    fn plural_only() -> Reference {
        Reference {
            plural: true,
            ..Reference::default()
        }
    }
}

/// Nouns that name a group of people or a body, so that an unnamed noun phrase headed by
/// one can take part in a meeting ("the trade delegates met", "met with officials"). A closed
/// list of English words.
const GROUP_NOUNS: &[&str] = &[
    "officials",
    "leaders",
    "delegates",
    "delegation",
    "delegations",
    "donors",
    "ministers",
    "diplomats",
    "representatives",
    "members",
    "executives",
    "negotiators",
    "envoys",
    "lawmakers",
    "legislators",
    "senators",
    "governors",
    "mayors",
    "investors",
    "bankers",
    "advisers",
    "advisors",
    "experts",
    "activists",
    "protesters",
    "workers",
    "students",
    "scientists",
    "generals",
    "commanders",
    "rebels",
    "mediators",
    "chiefs",
    "counterparts",
    "allies",
    "partners",
    "shareholders",
    "creditors",
    "stakeholders",
    "authorities",
    "regulators",
    "directors",
    "ambassadors",
    "clerics",
    "elders",
    "lawyers",
    "prosecutors",
    "judges",
    "doctors",
    "families",
    "residents",
    "villagers",
    "farmers",
    "fundraisers",
    "council",
    "committee",
    "board",
    "panel",
    "group",
    "commission",
    "cabinet",
    "team",
    "jury",
    "assembly",
    "leadership",
    "union",
    "unions",
    "opposition",
    "moderators",
    "candidates",
    "presidents",
    "premiers",
    "chancellors",
    "heads",
    "troops",
    "police",
    "administrators",
    "organizers",
    "organisers",
    "trustees",
];

/// The determiners and quantifiers that open a group phrase and are left out of its name.
fn group_name_start(view: &TextView, range: &Range<usize>) -> usize {
    let mut start = range.start;
    while start + 1 < range.end && {
        let word = view.word(start);
        is_determiner(word) || is_in(word, &["all", "both", "several", "many", "some", "most"])
    } {
        start += 1;
    }
    start
}

/// The end of a plural reference starting at `token` ("they", "the two ministers", "the
/// heads of ..."), if one starts there.
fn plural_reference_at(view: &TextView, token: usize, end: usize) -> bool {
    let word = view.word(token);
    if matches!(word, "they" | "them" | "both") {
        return true;
    }
    let mut probe = token;
    if matches!(word, "the" | "these" | "those" | "their") {
        probe += 1;
    }
    if matches!(view.word(probe), "two" | "three" | "both") {
        // "the two met", "the two sides".
        if probe + 1 >= end || !view.raw(probe + 1).chars().any(char::is_alphabetic) {
            return true;
        }
        probe += 1;
    }
    // Up to two modifiers: "the foreign ministers", "the two top diplomats".
    for _ in 0..3 {
        if probe >= end {
            return false;
        }
        let word = view.word(probe);
        if is_in(word, PLURAL_HEADS) && word != "two" {
            return probe > token || word == "both";
        }
        if view
            .mention_at(probe)
            .is_some_and(|m| view.is_participant(m))
            || is_in(word, PREPOSITIONS)
            || is_punctuation(word)
        {
            return false;
        }
        probe += 1;
    }
    false
}

/// Eligible mentions in a noun phrase that starts at `start`, with coordination ("A and
/// B", "A, B and C"), stopping at prepositional phrases ("of" before a capitalised word
/// stays: "Secretary of State Antony Blinken").
fn noun_phrase_participants(
    view: &TextView,
    start: usize,
    end: usize,
    places: Option<&mut Vec<usize>>,
    countries_are_places: bool,
) -> (Reference, usize) {
    let mut reference = Reference::default();
    let mut places = places;
    let mut probe = start;
    if probe < end && plural_reference_at(view, probe, end) {
        reference.plural = true;
    }
    // The conjunct being read, whether it names someone, and the group noun phrase it
    // holds so far ("regional health officials", "members of the council").
    let mut conjunct_start = start;
    let mut conjunct_named = false;
    let mut group: Option<Range<usize>> = None;
    while probe < end && probe < start + 24 {
        if let Some(mention) = view.mention_at(probe).copied() {
            conjunct_named |= mention.kind != MentionKind::Pronoun
                && (view.is_participant(&mention) || view.is_location(&mention));
            let country = view.entity(mention.entity).is_some_and(is_country);
            if view.is_location(&mention) && (countries_are_places || !country) {
                if let Some(places) = places.as_deref_mut() {
                    places.push(mention.entity);
                } else if view.is_participant(&mention)
                    && !reference.entities.contains(&mention.entity)
                {
                    reference.entities.push(mention.entity);
                }
            } else if view.is_participant(&mention) && !reference.entities.contains(&mention.entity)
            {
                reference.entities.push(mention.entity);
            }
            probe = mention.end.max(probe + 1);
            continue;
        }
        let word = view.word(probe);
        if matches!(word, "," | "and" | "&") {
            // Coordination continues only towards another participant.
            let continues = ((probe + 1)..(probe + 5).min(end))
                .take_while(|&next| {
                    let next_word = view.word(next);
                    !is_in(next_word, PREPOSITIONS) && next_word != ","
                })
                .any(|next| {
                    view.mention_at(next)
                        .is_some_and(|m| view.is_participant(m))
                        || plural_reference_at(view, next, end)
                        || is_group_noun(view, next)
                });
            if !continues {
                break;
            }
            if !conjunct_named {
                reference.groups.extend(group.take());
            }
            group = None;
            conjunct_start = probe + 1;
            conjunct_named = false;
        } else if is_group_noun(view, probe) {
            group = Some(conjunct_start..probe + 1);
        } else if word == "of" {
            // "the leaders of France and Germany": look inside when nothing named yet.
            let capital_follows = view.is_capitalized(probe + 1)
                || (view.word(probe + 1) == "the" && view.is_capitalized(probe + 2));
            if !capital_follows && !reference.entities.is_empty() {
                break;
            }
            if !capital_follows && plural_reference_at(view, probe + 1, end) {
                reference.plural = true;
            }
        } else if is_in(word, PREPOSITIONS)
            || (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "."))
            || is_in(
                word,
                &["who", "which", "where", "when", "that", "said", "says"],
            )
            || is_in(word, &MODALS)
            || is_be(word)
        {
            break;
        }
        probe += 1;
    }
    if !conjunct_named {
        reference.groups.extend(group);
    }
    (reference, probe)
}

/// Whether the token is a group noun written in lower case (or opening its sentence), not
/// part of a name.
fn is_group_noun(view: &TextView, token: usize) -> bool {
    is_in(view.word(token), GROUP_NOUNS)
        && view.mention_at(token).is_none()
        && (!view.is_capitalized(token)
            || token == 0
            || matches!(view.word(token - 1), "." | "!" | "?" | "\"" | "“" | ":"))
}

/// The first word of the noun phrase that ends with the group noun at `head`: back over
/// lower-case modifiers, not below `lowest`.
fn group_start(view: &TextView, lowest: usize, head: usize) -> usize {
    let mut start = head;
    while start > lowest && head - start < 4 {
        let word = view.word(start - 1);
        let modifier = word.chars().all(|c| c.is_alphabetic() || c == '-')
            && !view.is_capitalized(start - 1)
            && !is_in(word, PREPOSITIONS)
            && !is_be(word)
            && !is_in(word, &MODALS)
            && !is_in(
                word,
                &["and", "or", "but", "that", "who", "which", "when", "as"],
            );
        if !modifier {
            break;
        }
        start -= 1;
    }
    start
}

/// Words that open a subordinate clause: what precedes them is not the subject of a verb
/// after them.
const CLAUSE_SUBORDINATORS: &[&str] = &[
    "as", "when", "while", "after", "before", "because", "since", "until", "once", "where",
    "although", "though", "whereas", "if", "unless",
];

/// The subject of the verb at `verb`, searched back to the clause start: the nearest comma
/// segment that is not adverbial ("On July 7,", "According to X,").
fn subject_of(view: &TextView, clause: &Range<usize>, verb: usize) -> Reference {
    if let Some(reference) = infinitive_subject(view, clause, verb) {
        return reference;
    }
    // "the leaders were meeting": the subject ends before the auxiliaries.
    let mut verb = verb;
    while verb > clause.start + 1 && {
        let word = view.word(verb - 1);
        is_be(word) || is_in(word, &MODALS) || matches!(word, "has" | "have" | "had")
    } {
        verb -= 1;
    }
    // What precedes a quotation mark, a speech verb or "that" belongs to another clause.
    let mut lower = clause.start;
    for token in clause.start..verb {
        let word = view.word(token);
        // "... on Sunday as the council convened": a subordinator starts the verb's own clause.
        let subordinator =
            is_in(word, CLAUSE_SUBORDINATORS) && view.word(token + 1) != "well" && token + 1 < verb;
        if is_quote_mark(word)
            || word == ":"
            || word == "that"
            || is_speech_act(word)
            || subordinator
        {
            lower = token + 1;
        }
    }
    let mut segment_end = verb;
    while segment_end > lower {
        let segment_start = (lower..segment_end)
            .rev()
            .find(|&token| view.word(token) == "," && view.mention_at(token).is_none())
            .map_or(lower, |comma| comma + 1);
        let mut start = segment_start;
        while start < segment_end && is_in(view.word(start), &["and", "but", "then", "so", "yet"]) {
            start += 1;
        }
        if start < segment_end {
            let opener = view.word(start);
            if matches!(opener, "who" | "which") {
                // "Okafor, who met Lindqvist, ...": the antecedent before the comma.
                return antecedent_before(view, lower, segment_start);
            }
            let adverbial = is_in(opener, ADVERBIAL_OPENERS)
                || (start..segment_end)
                    .all(|token| view.date_at(token).is_some() || is_punctuation(view.word(token)));
            if adverbial {
                // "on July 28 they met": the subject after an adverbial without a comma.
                if let Some(reference) = subject_at_tail(view, start, verb) {
                    return reference;
                }
            } else {
                if plural_reference_at(view, start, segment_end) {
                    let (mut reference, _) =
                        noun_phrase_participants(view, start, segment_end, None, false);
                    reference.plural = true;
                    return reference;
                }
                let (mut reference, _) =
                    noun_phrase_participants(view, start, segment_end, None, false);
                if !has_person_or_org(view, &reference)
                    && (!reference.entities.is_empty() || is_determiner(opener))
                {
                    // "Lena Lindqvist, Sweden's top diplomat, met": an appositive after a name.
                    let before = antecedent_before(view, lower, segment_start);
                    reference.merge(before);
                }
                if !reference.entities.is_empty() || has_content(view, start, segment_end) {
                    return reference;
                }
            }
        }
        segment_end = segment_start.saturating_sub(1).max(lower);
        if segment_start == lower {
            break;
        }
    }
    Reference::default()
}

/// The subject of an infinitive is the object of the verb before it: "urged Okafor to meet",
/// "asked the board to meet". The object must be a person or an organisation
/// right before "to", after a verb (or "on"/"upon" of "call on"); the agent after "by" of a
/// noun may also be a country ("an offer by Iran to negotiate").
fn infinitive_subject(view: &TextView, clause: &Range<usize>, verb: usize) -> Option<Reference> {
    let to = verb.checked_sub(1).filter(|&to| to > clause.start)?;
    if view.word(to) != "to" {
        return None;
    }
    let mention = view.mention_at(to - 1).copied()?;
    // "an offer by Iran to negotiate": the agent of a noun before the infinitive, where a
    // country stands for its government.
    let by_agent = mention.first > clause.start + 1 && view.word(mention.first - 1) == "by";
    let actor = view.entity(mention.entity).is_some_and(|entity| {
        matches!(
            entity.entity_type,
            EntityType::Person | EntityType::Organization
        ) || (by_agent && is_country(entity))
    });
    // Of the pronouns only unambiguous objects ("her" may be a possessive).
    let pronoun_object = is_in(view.word(mention.first), &["him", "them", "us"]);
    if !actor || (mention.kind == MentionKind::Pronoun && !pronoun_object) {
        return None;
    }
    if by_agent {
        return Some(Reference {
            entities: vec![mention.entity],
            ..Reference::default()
        });
    }
    let mut before = mention.first;
    if before > clause.start && is_in(view.word(before - 1), &["the", "its", "their"]) {
        before -= 1;
    }
    let governor = before
        .checked_sub(1)
        .filter(|&governor| governor >= clause.start)?;
    let word = view.word(governor);
    let verb_like = word.chars().all(char::is_alphabetic)
        && !view.is_capitalized(governor)
        && view.mention_at(governor).is_none()
        && (!is_in(word, PREPOSITIONS) || matches!(word, "on" | "upon"))
        && !is_be(word)
        && !is_in(word, &["and", "or", "but", "than", "as"]);
    verb_like.then(|| Reference {
        entities: vec![mention.entity],
        ..Reference::default()
    })
}

/// The subject right before the verb, after an adverbial phrase that has no comma
/// ("on July 28 they met", "In Quito Okafor met").
fn subject_at_tail(view: &TextView, start: usize, verb: usize) -> Option<Reference> {
    let mut probe = verb;
    while probe > start {
        let word = view.word(probe - 1);
        let auxiliary = is_be(word)
            || is_in(word, &MODALS)
            || word.ends_with("ly")
            || is_in(word, INTENTION_WORDS)
            || is_in(
                word,
                &[
                    "has", "have", "had", "also", "then", "again", "to", "did", "first",
                ],
            );
        if !auxiliary {
            break;
        }
        probe -= 1;
    }
    let last = probe.checked_sub(1).filter(|&last| last >= start)?;
    let word = view.word(last);
    if word == "they"
        || word == "both"
        || (is_in(word, PLURAL_HEADS) && last > start && {
            let before = view.word(last - 1);
            matches!(before, "the" | "two" | "both" | "three")
        })
    {
        let mut reference = Reference::plural_only();
        if word != "they" && word != "both" && view.mention_at(last - 1).is_none() {
            reference
                .groups
                .push(group_start(view, start, last)..last + 1);
        }
        return Some(reference);
    }
    // "the Acme delegates were meeting": a group noun after a name stands for the name's body.
    let group_head = last > start
        && view.mention_at(last).is_none()
        && word.len() > 3
        && word.ends_with('s')
        && word.chars().all(|c| c.is_ascii_lowercase());
    let mention = if group_head {
        view.mention_at(last - 1).copied()?
    } else {
        view.mention_at(last).copied()?
    };
    let before = mention
        .first
        .checked_sub(1)
        .map_or("", |token| view.word(token));
    if !view.is_participant(&mention) || mention.first <= start || is_in(before, PREPOSITIONS) {
        return None;
    }
    Some(Reference {
        entities: vec![mention.entity],
        ..Reference::default()
    })
}

/// The person or organisation that ends just before a comma at `comma_after - 1`.
fn antecedent_before(view: &TextView, lower: usize, comma_after: usize) -> Reference {
    let mut reference = Reference::default();
    if comma_after < 2 || comma_after - 2 < lower {
        return reference;
    }
    let mut probe = comma_after - 2;
    while probe >= lower {
        if let Some(mention) = view.mention_at(probe) {
            if view.is_participant(mention) {
                reference.entities.push(mention.entity);
            }
            return reference;
        }
        if probe == lower || is_punctuation(view.word(probe)) {
            break;
        }
        probe -= 1;
    }
    reference
}

fn has_person_or_org(view: &TextView, reference: &Reference) -> bool {
    reference.entities.iter().any(|&entity| {
        view.entity(entity).is_some_and(|entity| {
            matches!(
                entity.entity_type,
                EntityType::Person | EntityType::Organization
            )
        })
    })
}

/// True when the tokens hold a word other than auxiliaries and adverbs, so an unresolved
/// subject ("Officials met") is not looked for further left.
fn has_content(view: &TextView, start: usize, end: usize) -> bool {
    (start..end).any(|token| {
        let word = view.word(token);
        word.chars().any(char::is_alphabetic)
            && !is_be(word)
            && !is_in(word, &MODALS)
            && !word.ends_with("ly")
            && !is_in(
                word,
                &[
                    "has", "have", "had", "also", "then", "again", "already", "to", "did", "do",
                ],
            )
    })
}

/// Participants after a verb ("met [with] X", "visited X") or after a noun's "with",
/// "between", "of" or "by". Locations found there are places ("visited Moscow").
fn object_of(
    view: &TextView,
    start: usize,
    end: usize,
    places: &mut Vec<usize>,
    countries_are_places: bool,
) -> Reference {
    let mut probe = start;
    while probe < end
        && is_in(
            view.word(probe),
            &[
                "with",
                "again",
                "separately",
                "briefly",
                "privately",
                "later",
                "also",
                "up",
                "down",
                "face-to-face",
                "one-on-one",
                "between",
                "among",
                "by",
                "of",
            ],
        )
    {
        probe += 1;
    }
    if probe >= end {
        return Reference::default();
    }
    if !countries_are_places && probe > start && view.word(probe - 1) == "with" {
        // "negotiated with the Soviet Union": a place one meets with stands for its
        // government.
        let first = if view.word(probe) == "the" {
            probe + 1
        } else {
            probe
        };
        if let Some(mention) = view.mention_at(first).filter(|m| view.is_location(m)) {
            return Reference {
                entities: vec![mention.entity],
                ..Reference::default()
            };
        }
    }
    let (reference, _) =
        noun_phrase_participants(view, probe, end, Some(places), countries_are_places);
    reference
}

/// Participants named before a meeting noun: "Okafor's talks", "his visit", "the
/// China-EU summit", "their meeting".
fn noun_modifiers(view: &TextView, token: usize, clause: &Range<usize>) -> Reference {
    let mut reference = Reference::default();
    let mut probe = token;
    let lowest = clause.start.max(token.saturating_sub(6));
    while probe > lowest {
        probe -= 1;
        if let Some(mention) = view.mention_at(probe).copied() {
            if view.is_participant(&mention) && !reference.entities.contains(&mention.entity) {
                reference.entities.insert(0, mention.entity);
            } else if mention.kind == MentionKind::Pronoun {
                // "his visit": the possessive pronoun is the participant.
                if !reference.entities.contains(&mention.entity) {
                    reference.entities.insert(0, mention.entity);
                }
                break;
            }
            probe = mention.first;
            continue;
        }
        let word = view.word(probe);
        if word == "their" {
            reference.plural = true;
            break;
        }
        if matches!(word, "'s" | "-" | "–" | "—" | "/" | "and") {
            continue;
        }
        if is_determiner(word)
            || is_in(word, PREPOSITIONS)
            || is_punctuation(word)
            || is_in(word, SUPPORT_VERBS)
            || is_be(word)
            || view.is_capitalized(probe) && probe == clause.start
        {
            break;
        }
    }
    reference
}

// ---------------------------------------------------------------------------------------
// Place, date, occasion, topics, status.
// ---------------------------------------------------------------------------------------

/// Locations introduced by "in", "at", "near" (or "to" after a visit or a journey) in the
/// clause, outside the topic phrases; the first after the trigger wins, else the last one
/// before it.
fn place_in(
    view: &TextView,
    clause: &Range<usize>,
    trigger: usize,
    excluded: &[Range<usize>],
) -> Option<usize> {
    let mut before = None;
    let mut token = clause.start;
    while token < clause.end {
        let word = view.word(token);
        let opens_place = matches!(word, "in" | "at" | "near" | "outside")
            || (word == "to"
                && token > clause.start
                && is_in(
                    view.word(token - 1),
                    &[
                        "visit",
                        "visits",
                        "trip",
                        "tour",
                        "journey",
                        "travelled",
                        "traveled",
                        "flew",
                        "went",
                        "came",
                        "arrived",
                        "returned",
                        "headed",
                    ],
                ));
        if opens_place && !excluded.iter().any(|range| range.contains(&token)) {
            let mut probe = token + 1;
            if view.word(probe) == "the" {
                probe += 1;
            }
            if let Some(mention) = view.mention_at(probe) {
                // "at the State Department", "at Acme's headquarters": an organisation
                // after "at" is the venue.
                let venue = word == "at"
                    && mention.kind == MentionKind::Name
                    && view
                        .entity(mention.entity)
                        .is_some_and(|entity| entity.entity_type == EntityType::Organization);
                if (view.is_location(mention) || venue) && probe < clause.end {
                    if probe > trigger {
                        return Some(mention.entity);
                    }
                    before = Some(mention.entity);
                }
            }
        }
        token += 1;
    }
    before
}

/// The date expression of the clause nearest to the trigger.
fn date_in(view: &TextView, clause: &Range<usize>, trigger: usize) -> Option<usize> {
    clause
        .clone()
        .filter_map(|token| {
            view.date_at(token)
                .map(|date| (token.abs_diff(trigger), date))
        })
        .min()
        .map(|(_, date)| date)
}

/// Where an occasion phrase starts at `token` ("on the sidelines of", "during", "ahead
/// of", "at the ... summit"), with the token its phrase body starts at.
fn occasion_opener(view: &TextView, token: usize, end: usize) -> bool {
    let word = view.word(token);
    let next = view.word(token + 1);
    let after = view.word(token + 2);
    let third = view.word(token + 3);
    match word {
        "on" | "in" | "at"
            if next == "the" && has_stem(after, &["sideline", "margin", "fringe"]) =>
        {
            third == "of"
        }
        "on" if next == "the" && after == "eve" && third == "of" => true,
        "on" if next == "the" && after == "occasion" && third == "of" => true,
        "in" if next == "the" && after == "run-up" => true,
        "during" => true,
        "ahead" => next == "of",
        "as" => next == "part" && after == "of",
        "within" | "in" if next == "the" && after == "framework" => true,
        "at" => ((token + 1)..(token + 7).min(end))
            .take_while(|&probe| !is_punctuation(view.word(probe)))
            .any(|probe| is_in(view.word(probe), EVENT_HEADS)),
        _ => false,
    }
}

/// The occasion phrase of the clause, if any, as a token range.
fn occasion_in(view: &TextView, clause: &Range<usize>, trigger: usize) -> Option<Range<usize>> {
    let mut token = clause.start;
    while token < clause.end {
        if occasion_opener(view, token, clause.end) {
            let end = phrase_end(view, token + 1, clause.end, trigger);
            let range = token..end;
            // "During the talks": the trigger heads the phrase, so it is no occasion.
            if !range.contains(&trigger) && end != trigger && end > token + 1 {
                return Some(range);
            }
            token = end.max(token + 1);
            continue;
        }
        token += 1;
    }
    None
}

/// Where a noun phrase that started before `start` ends: at punctuation, a date, a clause
/// word, an infinitive, the trigger or a named participant that starts a new clause.
fn phrase_end(view: &TextView, start: usize, end: usize, trigger: usize) -> usize {
    let mut probe = start;
    while probe < end && probe < start + 16 {
        let word = view.word(probe);
        if word == "(" {
            // A short parenthesis inside a name: "Asia-Pacific Economic Cooperation (APEC)".
            if let Some(close) = ((probe + 1)..(probe + 5).min(end)).find(|&p| view.word(p) == ")")
            {
                probe = close + 1;
                continue;
            }
        }
        if probe == trigger
            || (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "&"))
            || (view.date_at(probe).is_some() && view.date_at(probe.wrapping_sub(1)).is_none())
            || is_in(
                word,
                &[
                    "where", "which", "who", "when", "while", "that", "said", "says",
                ],
            )
            || (word == "to"
                && !view.is_capitalized(probe + 1)
                && !is_determiner(view.word(probe + 1)))
            || (word == "and" && is_in(view.word(probe + 1), CLAUSE_VERBS))
        {
            break;
        }
        if probe > trigger
            && view.mention_at(probe).is_some_and(|mention| {
                mention.first == probe
                    && view.is_participant(mention)
                    && !view.is_location(mention)
                    && !is_in(view.word(probe.wrapping_sub(1)), PREPOSITIONS)
                    && view.word(probe.wrapping_sub(1)) != "the"
            })
        {
            break;
        }
        probe += 1;
    }
    probe
}

/// A topic phrase found in a clause, with the verb or noun that introduced it.
struct TopicPhrase {
    cue: usize,
    tokens: Range<usize>,
    /// "were discussed": the topic is the subject, so the participants are not named.
    passive: bool,
}

/// Topic phrases in a clause: "discussed X", "talks on X", "focused on X", "considered
/// issues of X", "exchanged views on X", "X were discussed".
fn topics_in(view: &TextView, clause: &Range<usize>) -> Vec<TopicPhrase> {
    let mut phrases = Vec::new();
    for token in clause.clone() {
        let word = view.word(token);
        let next = view.word(token + 1);
        let start = match word {
            "discussed" | "discuss" | "discusses" | "discussing" => {
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
            "focused" | "focusing" | "focuses" | "focus" | "centred" | "centered" | "centering"
            | "centring" | "concentrated"
                if next == "on" =>
            {
                Some(token + 2)
            }
            "considered" | "consider" | "considers" | "considering" => Some(token + 1),
            "exchanged" | "exchange" | "exchanging"
                if matches!(next, "views" | "opinions")
                    && matches!(view.word(token + 2), "on" | "about" | "regarding") =>
            {
                Some(token + 3)
            }
            "touched" | "touch" if matches!(next, "upon" | "on") => Some(token + 2),
            "talks" | "meeting" | "summit" | "negotiations" | "consultations"
                if matches!(next, "on" | "about" | "over" | "regarding" | "concerning")
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
fn skip_issue_words(view: &TextView, start: usize, end: usize) -> usize {
    let mut probe = start;
    if view.word(probe) == "the" {
        probe += 1;
    }
    let head = view.word(probe);
    if matches!(
        head,
        "issue" | "issues" | "question" | "questions" | "matter" | "matters"
    ) && view.word(probe + 1) == "of"
        && probe + 2 < end
    {
        return probe + 2;
    }
    start
}

fn topic_end(view: &TextView, start: usize, end: usize) -> usize {
    let mut probe = start;
    while probe < end && probe < start + 20 {
        let word = view.word(probe);
        let next = view.word(probe + 1);
        let stop = (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "&"))
            || is_in(word, TOPIC_STOPS)
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
            || (word == "and" && is_in(next, CLAUSE_VERBS))
            || (matches!(word, "in" | "at")
                && view
                    .mention_at(probe + 1)
                    .is_some_and(|m| view.is_location(m))
                && view.mention_at(probe + 1).is_some_and(|m| {
                    m.end >= end || {
                        // A place right before the clause ends or before a comma is where they
                        // met ("discussed trade in Paris"), not part of the topic.
                        let after = view.word(m.end);
                        is_punctuation(after) || is_in(after, PREPOSITIONS)
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
fn trim_topic(view: &TextView, start: usize, end: usize) -> Range<usize> {
    let mut end = end;
    while end > start {
        let word = view.word(end - 1);
        if is_punctuation(word) || is_in(word, &["and", "or", "the", "of", "a", "an", "to"]) {
            end -= 1;
        } else {
            break;
        }
    }
    start..end
}

/// Held, planned or cancelled, from the words around the trigger and the date.
fn status_of(view: &TextView, trigger: &Trigger, date: Option<usize>) -> MeetingStatus {
    let clause = &trigger.clause;
    let before = clause.start.max(trigger.anchor.saturating_sub(6))..trigger.anchor;
    let after = (trigger.token + 1)..(trigger.token + 5).min(clause.end);
    let cancelled_before = before.clone().any(|probe| {
        let word = view.word(probe);
        is_in(word, CANCEL_WORDS) && word != "off"
            || (word == "called" && view.word(probe + 1) == "off")
    }) || is_in(view.word(trigger.anchor), CANCEL_WORDS)
        || (view.word(trigger.anchor) == "called" && view.word(trigger.anchor + 1) == "off");
    let cancelled_after = trigger.class == WordClass::Noun
        && ((trigger.token + 1)..(trigger.token + 12).min(clause.end)).any(|probe| {
            is_in(view.word(probe), CANCEL_WORDS)
                && (probe > trigger.token + 1 && is_be(view.word(probe - 1))
                    || view.word(probe - 1) == "been"
                    || view.word(probe) == "off")
        });
    if cancelled_before || cancelled_after {
        return MeetingStatus::Cancelled;
    }
    let anchor_word = view.word(trigger.anchor);
    if matches!(
        anchor_word,
        "met" | "held" | "had" | "paid" | "visited" | "hosted" | "received"
    ) && !(trigger.anchor > clause.start && is_in(view.word(trigger.anchor - 1), &MODALS))
    {
        return MeetingStatus::Held;
    }
    let near = clause.start.max(trigger.anchor.saturating_sub(4))..trigger.anchor;
    let modal = near.clone().any(|probe| is_in(view.word(probe), &MODALS));
    // "agreed to meet", "an offer to negotiate" are plans; "flew to Beijing to meet" is
    // the purpose of a journey that happened.
    let infinitive = trigger.anchor > clause.start && view.word(trigger.anchor - 1) == "to";
    let journey = infinitive
        && (clause.start.max(trigger.anchor.saturating_sub(7))..trigger.anchor - 1)
            .any(|probe| is_in(view.word(probe), JOURNEY_VERBS));
    let infinitive_of_plan = infinitive && !journey;
    let planned_support = is_in(
        anchor_word,
        &[
            "planned",
            "plan",
            "plans",
            "scheduled",
            "schedule",
            "arranged",
            "proposed",
            "requested",
            "sought",
        ],
    );
    let planned_modifier = trigger.class == WordClass::Noun
        && (clause.start.max(trigger.token.saturating_sub(3))..trigger.token)
            .any(|probe| is_in(view.word(probe), PLANNED_MODIFIERS));
    let planned_after = trigger.class == WordClass::Noun
        && (after.clone()).any(|probe| {
            let word = view.word(probe);
            (is_in(
                word,
                &["scheduled", "planned", "expected", "set", "due", "slated"],
            ) && is_be(view.word(probe - 1)))
                || (word == "be" && is_in(view.word(probe - 1), &MODALS))
        });
    if modal || infinitive_of_plan || planned_support || planned_modifier || planned_after {
        return MeetingStatus::Planned;
    }
    if date.is_some_and(|date| is_future(view.document, date)) {
        return MeetingStatus::Planned;
    }
    MeetingStatus::Held
}

/// True when the date's value lies after the publication day.
fn is_future(document: &Document, date: usize) -> bool {
    let (Some(value), Some(published)) = (
        document
            .dates
            .get(date)
            .and_then(|date| date.value.as_deref()),
        document.published_at,
    ) else {
        return false;
    };
    timex_start(value).is_some_and(|start| start > published.date_naive())
}

// ---------------------------------------------------------------------------------------
// Frames and their merging.
// ---------------------------------------------------------------------------------------

/// A meeting being assembled; becomes a [`Meeting`] at the end.
#[derive(Debug, Clone)]
struct Frame {
    participants: Vec<usize>,
    /// Unnamed participant groups ("delegates").
    groups: Vec<Span>,
    location: Option<usize>,
    date: Option<usize>,
    occasion: Option<Span>,
    topics: Vec<Span>,
    status: MeetingStatus,
    kind: FrameKind,
    trigger: Span,
    evidence: Span,
    sentence: usize,
    /// The paragraph where the frame was last mentioned.
    paragraph: usize,
}

/// A frame found on one trigger, before it is merged with earlier ones.
struct Candidate {
    frame: Frame,
    plural: bool,
    /// "the talks", "the meeting": a definite noun that refers back and may add a place or
    /// date to an earlier frame.
    definite: bool,
    occasion_tokens: Option<Range<usize>>,
    token: usize,
    class: WordClass,
}

#[derive(Default)]
struct FrameSet {
    frames: Vec<Frame>,
    /// Index of the frame mentioned last (created or merged into).
    latest: Option<usize>,
}

impl FrameSet {
    /// The frame a reference without names points to: the latest one when it was
    /// mentioned in this or the previous paragraph, else the article's lead meeting (news
    /// reports its main event first and returns to it).
    fn referent(&self, paragraph: usize, allowed: impl Fn(usize) -> bool) -> Option<usize> {
        if let Some(latest) = self.latest.filter(|&latest| allowed(latest)) {
            if paragraph.abs_diff(self.frames[latest].paragraph) <= 1 {
                return Some(latest);
            }
        }
        let recent = (0..self.frames.len())
            .rev()
            .find(|&index| allowed(index) && paragraph.abs_diff(self.frames[index].paragraph) <= 1);
        recent.or_else(|| (0..self.frames.len()).find(|&index| allowed(index)))
    }

    /// Participants of the latest meeting with two or more of them, for "they met".
    fn latest_group(&self) -> Option<Vec<usize>> {
        let latest = self.latest?;
        let frame = &self.frames[latest];
        if frame.participants.len() >= 2 {
            return Some(frame.participants.clone());
        }
        self.frames
            .iter()
            .rev()
            .find(|frame| frame.participants.len() >= 2)
            .map(|frame| frame.participants.clone())
    }

    fn add(&mut self, view: &TextView, mut candidate: Candidate) {
        if candidate.plural {
            let group = self
                .latest_group()
                .or_else(|| recent_person_pair(view, candidate.frame.trigger));
            let group = group.unwrap_or_default();
            if !group.is_empty() {
                // "the two ministers" are the named ones, not a group of their own.
                candidate.frame.groups.clear();
            }
            for entity in group {
                if !candidate.frame.participants.contains(&entity) {
                    candidate.frame.participants.push(entity);
                }
            }
        }
        let paragraph = candidate.frame.paragraph;
        let target = self.referent(paragraph, |index| {
            compatible(view, &self.frames[index], &candidate)
        });
        match target {
            Some(index) => {
                merge_into(view, &mut self.frames[index], candidate);
                self.frames[index].paragraph = paragraph;
                self.latest = Some(index);
            }
            None => {
                self.frames.push(candidate.frame);
                self.latest = Some(self.frames.len() - 1);
            }
        }
    }

    fn into_meetings(self, view: &TextView) -> Vec<Meeting> {
        self.frames
            .into_iter()
            .map(|frame| finish(view, frame))
            .collect()
    }
}

/// The two persons named last before `before`, for a plural reference when no earlier
/// meeting gives the group.
fn recent_person_pair(view: &TextView, before: Span) -> Option<Vec<usize>> {
    let mut mentions: Vec<(Span, usize)> = view
        .document
        .mentions
        .iter()
        .filter(|mention| {
            mention.span.field == before.field
                && mention.span.end <= before.start
                && view
                    .entity(mention.entity)
                    .is_some_and(|entity| entity.entity_type == EntityType::Person)
        })
        .map(|mention| (mention.span, mention.entity))
        .collect();
    mentions.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut pair = Vec::new();
    for (_, entity) in mentions {
        if !pair.contains(&entity) {
            pair.push(entity);
        }
        if pair.len() == 2 {
            pair.reverse();
            return Some(pair);
        }
    }
    None
}

/// Whether a participant of a later reference can be one of the frame's participants:
/// the same entity, or a country and a participant from it ("between Russia and China"
/// after "Okafor met Lena Lindqvist").
fn same_party(view: &TextView, entity: usize, frame: &Frame) -> bool {
    frame.participants.iter().any(|&participant| {
        participant == entity
            || (country_level(view, entity) || country_level(view, participant))
                && view.country_of(entity).is_some()
                && view.country_of(entity) == view.country_of(participant)
    })
}

fn country_level(view: &TextView, entity: usize) -> bool {
    view.entity(entity).is_some_and(is_country)
}

/// A candidate continues a frame when every participant it names is one of the frame's
/// (or the reverse: a fuller report of the same encounter), and it brings no other place
/// or date. Only a definite back-reference ("the talks") may add a place or date.
fn compatible(view: &TextView, frame: &Frame, candidate: &Candidate) -> bool {
    let new = &candidate.frame;
    let within = new
        .participants
        .iter()
        .all(|&entity| same_party(view, entity, frame));
    let covers = frame.participants.iter().all(|&entity| {
        new.participants.iter().any(|&other| {
            other == entity
                || (country_level(view, entity) || country_level(view, other))
                    && view.country_of(entity).is_some()
                    && view.country_of(entity) == view.country_of(other)
        })
    });
    // A verb whose participants were not found ("an offer to negotiate") reports an event
    // of its own; only a noun ("the talks") or a plural reference refers back.
    if new.participants.is_empty() && !candidate.plural && candidate.class == WordClass::Verb {
        return false;
    }
    // A frame without participants only absorbs other references without names.
    let covers = covers && !frame.participants.is_empty();
    if !within && !covers {
        return false;
    }
    // "will meet" and "met" with the same people are two meetings.
    let named = !new.participants.is_empty() && !candidate.plural;
    if named
        && is_planned_or_held(frame.status)
        && is_planned_or_held(new.status)
        && frame.status != new.status
    {
        return false;
    }
    let place_fits = match (frame.location, new.location) {
        (_, None) => true,
        (Some(old), Some(new)) => old == new || place_within(view, new, old),
        (None, Some(_)) => candidate.definite,
    };
    let date_fits = match (frame.date, new.date) {
        (_, None) => true,
        (Some(old), Some(new)) => date_value(view, old) == date_value(view, new),
        (None, Some(_)) => candidate.definite,
    };
    place_fits && date_fits
}

fn is_planned_or_held(status: MeetingStatus) -> bool {
    matches!(status, MeetingStatus::Planned | MeetingStatus::Held)
}

/// "Guayaquil" after "Ecuador": a place inside the frame's country is the same place,
/// more precisely.
fn place_within(view: &TextView, inner: usize, outer: usize) -> bool {
    country_level(view, outer)
        && !country_level(view, inner)
        && view.country_of(inner).is_some()
        && view.country_of(inner) == view.country_of(outer)
}

fn date_value<'v>(view: &'v TextView, date: usize) -> Option<&'v str> {
    view.document.dates.get(date)?.value.as_deref()
}

fn merge_into(view: &TextView, frame: &mut Frame, candidate: Candidate) {
    let new = candidate.frame;
    for group in new.groups {
        let text = view.document.text(group).to_lowercase();
        let known = frame
            .groups
            .iter()
            .any(|&old| view.document.text(old).to_lowercase() == text);
        if !known && !candidate.plural {
            frame.groups.push(group);
        }
    }
    for entity in new.participants {
        if !same_party(view, entity, frame) {
            frame.participants.push(entity);
        } else if !frame.participants.contains(&entity) && !country_level(view, entity) {
            // A person where the frame only had their country: the person is more precise.
            if let Some(slot) = frame.participants.iter().position(|&participant| {
                country_level(view, participant)
                    && view.country_of(participant) == view.country_of(entity)
            }) {
                frame.participants[slot] = entity;
            }
        }
    }
    match (frame.location, new.location) {
        (None, Some(location)) => frame.location = Some(location),
        (Some(old), Some(location)) if place_within(view, location, old) => {
            frame.location = Some(location)
        }
        _ => {}
    }
    frame.date = frame.date.or(new.date);
    frame.occasion = frame.occasion.or(new.occasion);
    for topic in new.topics {
        add_topic(view, frame, topic);
    }
    if new.status == MeetingStatus::Cancelled {
        frame.status = MeetingStatus::Cancelled;
    }
    if frame.kind == FrameKind::Meet && new.kind == FrameKind::Negotiate {
        frame.kind = FrameKind::Negotiate;
    }
}

fn add_topic(view: &TextView, frame: &mut Frame, topic: Span) {
    let text = view.document.text(topic).to_lowercase();
    let known = frame
        .topics
        .iter()
        .any(|&old| old.overlaps(&topic) || view.document.text(old).to_lowercase() == text);
    if !known {
        frame.topics.push(topic);
    }
}

/// The output form, with the CAMEO code decided from the kind, the place and the
/// participants' countries.
fn finish(view: &TextView, frame: Frame) -> Meeting {
    let has_actor = frame.participants.iter().any(|&entity| {
        view.entity(entity).is_some_and(|entity| {
            matches!(
                entity.entity_type,
                EntityType::Person | EntityType::Organization
            )
        })
    });
    let participants: Vec<usize> = frame
        .participants
        .iter()
        .copied()
        .filter(|&entity| !has_actor || !country_level(view, entity))
        .filter(|&entity| Some(entity) != frame.location)
        .collect();
    let cameo = cameo_code(view, frame.kind, frame.location, &participants);
    Meeting {
        participants,
        groups: frame.groups,
        location: frame.location,
        date: frame.date,
        occasion: frame.occasion,
        topics: frame.topics,
        status: frame.status,
        cameo: cameo.to_string(),
        trigger: frame.trigger,
        evidence: frame.evidence,
    }
}

/// CAMEO 04x: 046 negotiate, 045 mediate; with a place in a participant's country, 043
/// when the first-named participant is at home (hosts) and 042 when it travels; 044 when
/// the place is in none of their countries; 040 when the place or a country is unknown.
fn cameo_code(
    view: &TextView,
    kind: FrameKind,
    location: Option<usize>,
    participants: &[usize],
) -> &'static str {
    match kind {
        FrameKind::Negotiate => return "046",
        FrameKind::Mediate => return "045",
        _ => {}
    }
    let place_country = location.and_then(|location| view.country_of(location));
    let countries: Vec<Option<&str>> = participants
        .iter()
        .map(|&entity| view.country_of(entity))
        .collect();
    match (kind, place_country) {
        (FrameKind::Visit, _) => "042",
        (FrameKind::Host, _) => "043",
        (_, None) => "040",
        (_, Some(place)) => {
            if countries.first().copied().flatten() == Some(place) {
                "043"
            } else if countries.contains(&Some(place)) {
                "042"
            } else if !countries.is_empty() && countries.iter().all(Option::is_some) {
                "044"
            } else {
                "040"
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// One sentence.
// ---------------------------------------------------------------------------------------

fn analyse_sentence(view: &TextView, index: usize, frames: &mut FrameSet) {
    let context = SentenceContext::new(view, index);
    let triggers: Vec<Trigger> = context
        .tokens
        .clone()
        .filter_map(|token| trigger_at(view, &context, token))
        .collect();
    let triggers_per_clause = |clause: &Range<usize>| {
        triggers
            .iter()
            .filter(|trigger| trigger.clause == *clause)
            .count()
    };
    let mut candidates: Vec<Candidate> = triggers
        .iter()
        .filter_map(|trigger| {
            let alone_in_sentence = triggers.len() == 1;
            build_candidate(view, &context, trigger, alone_in_sentence)
        })
        .collect();
    // A meeting noun inside another trigger's occasion ("met ... during his visit to
    // China", "on the sidelines of the summit") is that occasion, not a second meeting.
    let occasions: Vec<Range<usize>> = candidates
        .iter()
        .filter_map(|candidate| candidate.occasion_tokens.clone())
        .collect();
    candidates.retain(|candidate| {
        candidate.class == WordClass::Verb
            || !occasions
                .iter()
                .any(|range| range.contains(&candidate.token))
    });
    let mut attached_clauses = Vec::new();
    for candidate in candidates {
        attached_clauses.push(context.clause_of(candidate.token));
        frames.add(view, candidate);
    }
    // Clauses without a trigger may still tell what a meeting was about: "the parties
    // discussed ...".
    for clause in &context.clauses {
        if triggers_per_clause(clause) > 0 || attached_clauses.contains(clause) {
            continue;
        }
        attach_topics(view, &context, clause, frames);
    }
}

fn build_candidate(
    view: &TextView,
    context: &SentenceContext,
    trigger: &Trigger,
    alone_in_sentence: bool,
) -> Option<Candidate> {
    let clause = &trigger.clause;
    // A meeting noun that no verb carries ("During the talks, ...", "said at a meeting with
    // X") has its place and date inside its own phrase; the rest of the clause is about
    // something else.
    let own_phrase = trigger.class == WordClass::Noun && trigger.anchor == trigger.token;
    let details = &if own_phrase {
        noun_scope(view, trigger.token, clause)
    } else {
        clause.clone()
    };
    // With one trigger in the sentence, place and date may sit in another clause.
    let scope = if alone_in_sentence && !own_phrase {
        context.tokens.clone()
    } else {
        details.clone()
    };
    let mut places = Vec::new();
    let mut reference = Reference::default();
    let mut definite = false;
    match trigger.class {
        WordClass::Verb => {
            let subject = if view.word(trigger.token + 1) == "by" && trigger.kind == FrameKind::Host
            {
                // "X was received by Y": Y hosts, X visits.
                let host = object_of(view, trigger.token + 2, clause.end, &mut places, false);
                let mut visitor = subject_of(view, clause, trigger.anchor);
                let mut host = host;
                host.merge(std::mem::take(&mut visitor));
                host
            } else {
                subject_of(view, clause, trigger.anchor)
            };
            reference.merge(subject);
            let object_start = if view.word(trigger.token + 1) == "down" {
                trigger.token + 2
            } else {
                trigger.token + 1
            };
            let visit = trigger.kind == FrameKind::Visit;
            reference.merge(object_of(
                view,
                object_start,
                clause.end,
                &mut places,
                visit,
            ));
        }
        WordClass::Noun => {
            reference.merge(noun_modifiers(view, trigger.token, clause));
            if trigger.anchor != trigger.token {
                reference.merge(subject_of(view, clause, trigger.anchor));
            }
            if let Some(governor) = governing_verb(view, trigger.token, clause) {
                // "X said at a meeting with Y": X was at the meeting.
                if has_with_complement(view, trigger.token, clause) {
                    reference.merge(subject_of(view, clause, governor));
                }
            }
            let next = view.word(trigger.token + 1);
            if matches!(next, "with" | "between" | "among" | "of" | "by") {
                reference.merge(object_of(
                    view,
                    trigger.token + 1,
                    clause.end,
                    &mut places,
                    false,
                ));
            }
            definite = reference.entities.is_empty()
                && (clause.start.max(trigger.token.saturating_sub(3))..trigger.token)
                    .any(|probe| matches!(view.word(probe), "the" | "this" | "that" | "these"));
        }
    }
    // A later "with X" in the clause ("held talks in Quito with X").
    if let Some(with) = ((trigger.token + 2)..clause.end.min(trigger.token + 10))
        .take_while(|&probe| !matches!(view.word(probe), "," | "." | ";"))
        .find(|&probe| view.word(probe) == "with")
    {
        let (later, _) = noun_phrase_participants(view, with + 1, clause.end, None, false);
        reference.merge(Reference {
            entities: later.entities,
            groups: later.groups,
            plural: false,
        });
    }
    let topics = topics_in(view, &trigger.clause);
    let topic_ranges: Vec<Range<usize>> = topics.iter().map(|topic| topic.tokens.clone()).collect();
    let location = places
        .first()
        .copied()
        .filter(|_| trigger.kind == FrameKind::Visit || trigger.class == WordClass::Noun)
        .or_else(|| place_in(view, details, trigger.token, &topic_ranges))
        .or_else(|| place_in(view, &scope, trigger.token, &topic_ranges))
        .or_else(|| places.first().copied());
    let date =
        date_in(view, details, trigger.token).or_else(|| date_in(view, &scope, trigger.token));
    let occasion_tokens = occasion_in(view, details, trigger.token);
    let status = status_of(view, trigger, date);
    let mut participants = reference.entities;
    participants.retain(|&entity| Some(entity) != location);
    let groups = reference
        .groups
        .iter()
        .map(|range| view.span_of(group_name_start(view, range)..range.end))
        .collect();
    let mut frame = Frame {
        participants,
        groups,
        location,
        date,
        occasion: occasion_tokens.clone().map(|range| view.span_of(range)),
        topics: Vec::new(),
        status,
        kind: trigger.kind,
        trigger: view.document.tokens[trigger.token].span,
        evidence: view.document.sentences[context.index].span,
        sentence: context.index,
        paragraph: context.paragraph,
    };
    for topic in topics {
        add_topic(view, &mut frame, view.span_of(topic.tokens));
    }
    if trigger.kind == FrameKind::Visit
        && frame.participants.is_empty()
        && frame.groups.is_empty()
        && !reference.plural
    {
        // "Someone visiting Damascus might wonder": a visit needs a visitor.
        return None;
    }
    Some(Candidate {
        frame,
        plural: reference.plural,
        definite,
        occasion_tokens,
        token: trigger.token,
        class: trigger.class,
    })
}

/// The tokens that describe a meeting noun carried by no verb: back over its modifiers,
/// forward to the end of its phrase, or to the end of the clause when the phrase is the
/// subject of "took place" or "was held".
fn noun_scope(view: &TextView, token: usize, clause: &Range<usize>) -> Range<usize> {
    let mut start = token;
    while start > clause.start && start + 4 > token {
        let word = view.word(start - 1);
        if is_punctuation(word) && word != "'s" || is_in(word, PREPOSITIONS) {
            break;
        }
        start -= 1;
    }
    let mut end = token + 1;
    while end < clause.end {
        let word = view.word(end);
        let stops = (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "&"))
            || is_be(word)
            || is_in(word, &MODALS)
            || is_speech_act(word)
            || is_in(word, &["that", "which", "who", "where", "when", "while"]);
        if stops {
            let reported_here = (end..(end + 4).min(clause.end)).any(|probe| {
                matches!(
                    view.word(probe),
                    "held" | "place" | "convened" | "opened" | "scheduled" | "planned" | "set"
                )
            });
            if reported_here && !is_punctuation(word) {
                return start..clause.end;
            }
            break;
        }
        end += 1;
    }
    start..end
}

/// The verb a meeting noun hangs from through "at/during/after": "said at a meeting".
fn governing_verb(view: &TextView, token: usize, clause: &Range<usize>) -> Option<usize> {
    let lowest = clause.start.max(token.saturating_sub(4));
    let preposition = (lowest..token).rev().find(|&probe| {
        matches!(
            view.word(probe),
            "at" | "during" | "after" | "before" | "following"
        )
    })?;
    let verb = preposition
        .checked_sub(1)
        .filter(|&verb| verb >= clause.start)?;
    let word = view.word(verb);
    (word.chars().all(char::is_alphabetic) && view.mention_at(verb).is_none()).then_some(verb)
}

fn has_with_complement(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    ((token + 1)..(token + 4).min(clause.end)).any(|probe| view.word(probe) == "with")
}

/// Topic phrases of a clause without a trigger go to the meeting its subject refers to:
/// a plural reference ("the parties discussed ...") to the meeting in focus, a named
/// participant to their latest meeting nearby, a passive ("X was discussed") to the
/// meeting of the previous sentence.
fn attach_topics(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::{DateMention, Field, Geo, Granularity, Mention};
    use crate::nlp::text;
    use chrono::DateTime;

    /// An entity for a test document: every occurrence of `surface` is one of its
    /// mentions (longer surfaces are matched first).
    struct TestEntity {
        surfaces: &'static [&'static str],
        entity_type: EntityType,
        subtype: Option<&'static str>,
        country: Option<&'static str>,
        kind: MentionKind,
    }

    fn person(surfaces: &'static [&'static str], country: &'static str) -> TestEntity {
        TestEntity {
            surfaces,
            entity_type: EntityType::Person,
            subtype: None,
            country: Some(country),
            kind: MentionKind::Name,
        }
    }

    fn place(
        surfaces: &'static [&'static str],
        subtype: &'static str,
        country: &'static str,
    ) -> TestEntity {
        TestEntity {
            surfaces,
            entity_type: EntityType::Location,
            subtype: Some(subtype),
            country: Some(country),
            kind: MentionKind::Name,
        }
    }

    fn organization(surfaces: &'static [&'static str], country: &'static str) -> TestEntity {
        TestEntity {
            surfaces,
            entity_type: EntityType::Organization,
            subtype: None,
            country: Some(country),
            kind: MentionKind::Name,
        }
    }

    /// A cast of people and places used across the tests (invented sentences, real names).
    fn cast() -> Vec<TestEntity> {
        vec![
            person(
                &["Antony Blinken", "Blinken", "the Secretary of State"],
                "US",
            ),
            person(&["Annalena Baerbock", "Baerbock"], "DE"),
            person(&["Olaf Scholz", "Scholz"], "DE"),
            person(&["Emmanuel Macron", "Macron"], "FR"),
            person(&["Narendra Modi", "Modi"], "IN"),
            person(&["Fumio Kishida", "Kishida"], "JP"),
            place(&["Germany"], "country", "DE"),
            place(&["France"], "country", "FR"),
            place(&["India"], "country", "IN"),
            place(&["Japan"], "country", "JP"),
            place(&["Berlin"], "city", "DE"),
            place(&["Paris"], "city", "FR"),
            place(&["Geneva"], "city", "CH"),
            place(&["Vienna"], "city", "AT"),
            place(&["New Delhi"], "city", "IN"),
            place(&["Tokyo"], "city", "JP"),
            organization(&["the European Commission"], "BE"),
            TestEntity {
                surfaces: &["German"],
                entity_type: EntityType::Misc,
                subtype: Some("nationality"),
                country: Some("DE"),
                kind: MentionKind::Name,
            },
        ]
    }

    /// Builds a tokenised document with the cast's mentions and the given dates
    /// (surface, TIMEX3 value), published on 2023-05-20.
    fn document(text: &str, dates: &[(&str, &str)]) -> Document {
        document_with_fields(&[("body", text)], dates)
    }

    /// Like [`document`] with several fields (a title before the body); dates are looked
    /// up in the last field.
    fn document_with_fields(fields: &[(&str, &str)], dates: &[(&str, &str)]) -> Document {
        let mut document = Document {
            fields: fields
                .iter()
                .map(|(name, text)| Field {
                    name: name.to_string(),
                    text: text.to_string(),
                })
                .collect(),
            published_at: Some(DateTime::parse_from_rfc3339("2023-05-20T12:00:00+00:00").unwrap()),
            ..Document::default()
        };
        text::tokenize(&mut document);
        let cast = cast();
        document.entities = cast
            .iter()
            .map(|cast| Entity {
                entity_type: cast.entity_type,
                subtype: cast.subtype.map(str::to_string),
                name: cast.surfaces[0].to_string(),
                aliases: Vec::new(),
                key: cast.surfaces[0].to_lowercase(),
                roles: Vec::new(),
                country: cast.country.map(str::to_string),
                geo: (cast.entity_type == EntityType::Location).then(|| Geo {
                    geonames_id: None,
                    country: cast.country.map(str::to_string),
                    lat: None,
                    lon: None,
                }),
                salience: 0.0,
                mentions: Vec::new(),
            })
            .collect();
        let mut surfaces: Vec<(&str, usize)> = cast
            .iter()
            .enumerate()
            .flat_map(|(entity, cast)| cast.surfaces.iter().map(move |s| (*s, entity)))
            .collect();
        surfaces.sort_by_key(|(surface, _)| std::cmp::Reverse(surface.len()));
        for (field, (_, text)) in fields.iter().enumerate() {
            let mut taken = vec![false; text.len()];
            let mut mentions = Vec::new();
            for &(surface, entity) in &surfaces {
                for (start, _) in text.match_indices(surface) {
                    let end = start + surface.len();
                    let right_edge = text[end..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric());
                    let left_edge = text[..start]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric());
                    if taken[start..end].iter().any(|t| *t) || !left_edge || !right_edge {
                        continue;
                    }
                    taken[start..end].iter_mut().for_each(|t| *t = true);
                    mentions.push((start, end, entity));
                }
            }
            mentions.sort();
            for (start, end, entity) in mentions {
                let sentence = document.sentence_at(field, start).unwrap();
                document.entities[entity]
                    .mentions
                    .push(document.mentions.len());
                document.mentions.push(Mention {
                    span: Span::new(field, start, end),
                    kind: cast[entity].kind,
                    entity,
                    sentence,
                });
            }
        }
        let (last, text) = (fields.len() - 1, fields[fields.len() - 1].1);
        for (surface, value) in dates {
            let start = text.find(surface).expect("date surface in text");
            document.dates.push(DateMention {
                span: Span::new(last, start, start + surface.len()),
                kind: TemporalKind::Date,
                value: Some(value.to_string()),
                granularity: Some(Granularity::Day),
            });
        }
        document
    }

    /// A meeting as the tests compare it: names, place, date value, status, CAMEO.
    #[derive(Debug, PartialEq)]
    struct Summary {
        participants: Vec<String>,
        location: Option<String>,
        date: Option<String>,
        status: &'static str,
        cameo: String,
        trigger: String,
    }

    fn meetings(text: &str, dates: &[(&str, &str)]) -> (Document, Vec<Summary>) {
        let mut document = document(text, dates);
        extract(&mut document, Gazetteer::embedded());
        let summaries = document
            .meetings
            .iter()
            .map(|meeting| Summary {
                participants: meeting
                    .participants
                    .iter()
                    .map(|&entity| document.entities[entity].name.clone())
                    .collect(),
                location: meeting
                    .location
                    .map(|entity| document.entities[entity].name.clone()),
                date: meeting
                    .date
                    .and_then(|date| document.dates[date].value.clone()),
                status: meeting.status.as_str(),
                cameo: meeting.cameo.clone(),
                trigger: document.text(meeting.trigger).to_string(),
            })
            .collect();
        (document, summaries)
    }

    fn summary(
        participants: &[&str],
        location: Option<&str>,
        date: Option<&str>,
        status: &'static str,
        cameo: &str,
        trigger: &str,
    ) -> Summary {
        Summary {
            participants: participants.iter().map(|name| name.to_string()).collect(),
            location: location.map(str::to_string),
            date: date.map(str::to_string),
            status,
            cameo: cameo.to_string(),
            trigger: trigger.to_string(),
        }
    }

    struct Case {
        name: &'static str,
        text: &'static str,
        dates: &'static [(&'static str, &'static str)],
        expected: Vec<Summary>,
    }

    #[test]
    fn frames_match_the_table() {
        let cases = vec![
            Case {
                name: "plain meeting at a third location",
                text: "Antony Blinken met Annalena Baerbock in Geneva on Tuesday.",
                dates: &[("on Tuesday", "2023-05-16")],
                expected: vec![summary(
                    &["Antony Blinken", "Annalena Baerbock"],
                    Some("Geneva"),
                    Some("2023-05-16"),
                    "held",
                    "044",
                    "met",
                )],
            },
            Case {
                name: "met with and a title before the name",
                text: "German Foreign Minister Annalena Baerbock met with Narendra Modi in Vienna.",
                dates: &[],
                expected: vec![summary(
                    &["Annalena Baerbock", "Narendra Modi"],
                    Some("Vienna"),
                    None,
                    "held",
                    "044",
                    "met",
                )],
            },
            Case {
                name: "coordinated subject and held talks",
                text: "Olaf Scholz and Emmanuel Macron held talks in Tokyo.",
                dates: &[],
                expected: vec![summary(
                    &["Olaf Scholz", "Emmanuel Macron"],
                    Some("Tokyo"),
                    None,
                    "held",
                    "044",
                    "talks",
                )],
            },
            Case {
                name: "the host meets at home: 043",
                text: "Olaf Scholz met Narendra Modi in Berlin.",
                dates: &[],
                expected: vec![summary(
                    &["Olaf Scholz", "Narendra Modi"],
                    Some("Berlin"),
                    None,
                    "held",
                    "043",
                    "met",
                )],
            },
            Case {
                name: "the guest meets abroad: 042",
                text: "Narendra Modi met Olaf Scholz in Berlin.",
                dates: &[],
                expected: vec![summary(
                    &["Narendra Modi", "Olaf Scholz"],
                    Some("Berlin"),
                    None,
                    "held",
                    "042",
                    "met",
                )],
            },
            Case {
                name: "a visit: 042",
                text: "Fumio Kishida visited New Delhi last week.",
                dates: &[],
                expected: vec![summary(
                    &["Fumio Kishida"],
                    Some("New Delhi"),
                    None,
                    "held",
                    "042",
                    "visited",
                )],
            },
            Case {
                name: "received a visitor: 043",
                text: "Emmanuel Macron received Fumio Kishida at the Elysee Palace.",
                dates: &[],
                expected: vec![summary(
                    &["Emmanuel Macron", "Fumio Kishida"],
                    None,
                    None,
                    "held",
                    "043",
                    "received",
                )],
            },
            Case {
                name: "countries as participants when no person is named",
                text: "Germany and Japan held talks in Geneva.",
                dates: &[],
                expected: vec![summary(
                    &["Germany", "Japan"],
                    Some("Geneva"),
                    None,
                    "held",
                    "044",
                    "talks",
                )],
            },
            Case {
                name: "planned: will meet",
                text: "Blinken will meet Baerbock in Vienna next month.",
                dates: &[],
                expected: vec![summary(
                    &["Antony Blinken", "Annalena Baerbock"],
                    Some("Vienna"),
                    None,
                    "planned",
                    "044",
                    "meet",
                )],
            },
            Case {
                name: "planned: is due to hold talks",
                text: "Scholz is due to hold talks with Kishida.",
                dates: &[],
                expected: vec![summary(
                    &["Olaf Scholz", "Fumio Kishida"],
                    None,
                    None,
                    "planned",
                    "040",
                    "talks",
                )],
            },
            Case {
                name: "planned from a future date",
                text: "Macron meets Modi in Geneva on June 2.",
                dates: &[("June 2", "2023-06-02")],
                expected: vec![summary(
                    &["Emmanuel Macron", "Narendra Modi"],
                    Some("Geneva"),
                    Some("2023-06-02"),
                    "planned",
                    "044",
                    "meets",
                )],
            },
            Case {
                name: "cancelled",
                text: "Macron cancelled his meeting with Modi.",
                dates: &[],
                expected: vec![summary(
                    &["Emmanuel Macron", "Narendra Modi"],
                    None,
                    None,
                    "cancelled",
                    "040",
                    "meeting",
                )],
            },
            Case {
                name: "postponed after the noun",
                text: "The summit between Scholz and Macron was postponed.",
                dates: &[],
                expected: vec![summary(
                    &["Olaf Scholz", "Emmanuel Macron"],
                    None,
                    None,
                    "cancelled",
                    "040",
                    "summit",
                )],
            },
            Case {
                name: "negotiations: 046",
                text: "Germany and France began negotiations in Vienna.",
                dates: &[],
                expected: vec![summary(
                    &["Germany", "France"],
                    Some("Vienna"),
                    None,
                    "held",
                    "046",
                    "negotiations",
                )],
            },
            Case {
                name: "the subject after a subordinator, not the clause before it",
                text: "Blinken waited in Paris as Scholz and Macron met in Vienna.",
                dates: &[],
                expected: vec![summary(
                    &["Olaf Scholz", "Emmanuel Macron"],
                    Some("Vienna"),
                    None,
                    "held",
                    "044",
                    "met",
                )],
            },
            Case {
                name: "a progressive 'were meeting' in session, its subject after an adverbial",
                text: "On Sunday the Germany delegates were meeting in closed session in Vienna.",
                dates: &[],
                expected: vec![summary(
                    &["Germany"],
                    Some("Vienna"),
                    None,
                    "held",
                    "044",
                    "meeting",
                )],
            },
            Case {
                name: "sat down with",
                text: "Blinken sat down with Kishida in Paris.",
                dates: &[],
                expected: vec![summary(
                    &["Antony Blinken", "Fumio Kishida"],
                    Some("Paris"),
                    None,
                    "held",
                    "044",
                    "sat",
                )],
            },
            Case {
                name: "idioms, calls, speech and negation are not meetings",
                text: "The plan met with criticism in Berlin. Germany will meet its climate target. \
                       Scholz spoke with Macron by phone. Macron held talks with Modi by telephone. \
                       Blinken told Baerbock about it. Kishida did not meet Modi. \
                       The party meeting in Paris ended late. Families struggle to make ends meet.",
                dates: &[],
                expected: vec![],
            },
            Case {
                name: "counterfactuals, interviews, things received and discourse",
                text: "To meet Scholz 's two - year goal , Germany must act. \
                       Was this the deal Macron would have negotiated? \
                       Officials spent a week meeting and interviewing Modi. \
                       Macron received the European Commission letter. \
                       There is a big debate about drones, and the immigration debate goes on.",
                dates: &[],
                expected: vec![],
            },
            Case {
                name: "passive reaction",
                text: "The proposal by Scholz was met with skepticism by Macron.",
                dates: &[],
                expected: vec![],
            },
        ];
        for case in cases {
            let (_, found) = meetings(case.text, case.dates);
            assert_eq!(found, case.expected, "case: {}", case.name);
        }
    }

    #[test]
    fn unnamed_groups_infinitive_subjects_and_places_met_with_take_part() {
        let groups = |document: &Document| -> Vec<String> {
            document.meetings[0]
                .groups
                .iter()
                .map(|&group| document.text(group).to_string())
                .collect()
        };
        let (document, found) = meetings("Macron and the trade delegates convened in Paris.", &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].participants, ["Emmanuel Macron"]);
        assert_eq!(groups(&document), ["trade delegates"]);

        let (document, _) = meetings("Delegates of the member states convened.", &[]);
        assert_eq!(groups(&document), ["Delegates"]);

        let (document, found) = meetings("Modi met Kishida and local officials in Tokyo.", &[]);
        assert_eq!(found[0].participants, ["Narendra Modi", "Fumio Kishida"]);
        assert_eq!(groups(&document), ["local officials"]);

        let (_, found) = meetings("The organisers urged Modi to meet Kishida in Tokyo.", &[]);
        assert_eq!(found[0].participants, ["Narendra Modi", "Fumio Kishida"]);

        let (_, found) = meetings("Macron left early, conferring instead with Scholz.", &[]);
        assert_eq!(found[0].trigger, "conferring");
        assert!(found[0].participants.contains(&"Olaf Scholz".to_string()));

        let (_, found) = meetings("Kishida welcomed an offer by Germany to negotiate.", &[]);
        assert_eq!(found[0].participants, ["Germany"]);

        let (_, found) = meetings("Macron negotiated with Berlin for months.", &[]);
        assert_eq!(found[0].participants, ["Emmanuel Macron", "Berlin"]);
        assert_eq!(found[0].location, None);

        let (_, found) = meetings("Modi met Kishida at the European Commission.", &[]);
        assert_eq!(
            found[0].location.as_deref(),
            Some("the European Commission")
        );

        let (_, found) = meetings("Kishida and Modi opened a dialogue on shipping.", &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].trigger, "dialogue");
        let (_, found) = meetings("The film's dialogue was sharp.", &[]);
        assert!(found.is_empty());
    }

    #[test]
    fn plural_references_inherit_the_participants() {
        let text = "Antony Blinken met Annalena Baerbock in Geneva.\n\
                    On May 2, the two ministers held talks in Paris, and on May 9 they met in Vienna.";
        let (_, found) = meetings(text, &[("May 2", "2023-05-02"), ("May 9", "2023-05-09")]);
        let pair = ["Antony Blinken", "Annalena Baerbock"];
        assert_eq!(
            found,
            vec![
                summary(&pair, Some("Geneva"), None, "held", "044", "met"),
                summary(
                    &pair,
                    Some("Paris"),
                    Some("2023-05-02"),
                    "held",
                    "044",
                    "talks"
                ),
                summary(
                    &pair,
                    Some("Vienna"),
                    Some("2023-05-09"),
                    "held",
                    "044",
                    "met"
                ),
            ]
        );
    }

    #[test]
    fn a_plural_reference_without_a_meeting_takes_the_last_two_persons() {
        let text = "Kishida praised Modi. The two leaders met in Tokyo.";
        let (_, found) = meetings(text, &[]);
        assert_eq!(
            found,
            vec![summary(
                &["Fumio Kishida", "Narendra Modi"],
                Some("Tokyo"),
                None,
                "held",
                "043",
                "met"
            )]
        );
    }

    #[test]
    fn later_references_merge_into_one_frame() {
        let text = "Olaf Scholz met with Fumio Kishida in Geneva on the margins of a trade forum.\n\
                    “We agree on a lot,” Scholz said at a meeting with Kishida.\n\
                    Scholz noted that it was the second meeting between Germany and Japan this year. \
                    During the talks, the leaders also discussed energy security.";
        let (document, found) = meetings(text, &[]);
        assert_eq!(
            found,
            vec![summary(
                &["Olaf Scholz", "Fumio Kishida"],
                Some("Geneva"),
                None,
                "held",
                "044",
                "met"
            )]
        );
        let meeting = &document.meetings[0];
        assert_eq!(
            meeting.occasion.map(|span| document.text(span)),
            Some("on the margins of a trade forum")
        );
        let topics: Vec<&str> = meeting.topics.iter().map(|&t| document.text(t)).collect();
        assert_eq!(topics, ["energy security"]);
    }

    #[test]
    fn different_places_or_dates_stay_separate() {
        let text = "Macron met Scholz in Paris on May 3. Macron met Scholz in Berlin on May 12.";
        let (_, found) = meetings(text, &[("May 3", "2023-05-03"), ("May 12", "2023-05-12")]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].location.as_deref(), Some("Paris"));
        assert_eq!(found[1].location.as_deref(), Some("Berlin"));
    }

    #[test]
    fn topics_come_from_the_trigger_and_the_next_sentence() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Blinken met Baerbock in Geneva to discuss arms control.",
                &["arms control"],
            ),
            (
                "Macron held talks on energy prices with Scholz.",
                &["energy prices"],
            ),
            (
                "Kishida met Modi in Tokyo. Their talks focused on maritime security against the backdrop of new naval drills, officials said.",
                &["maritime security"],
            ),
            (
                "Ruto met Museveni in Kampala. The talks centred on water rights against the background of a drought.",
                &["water rights"],
            ),
            (
                "Scholz met Macron in Paris. The leaders focused on defence spending and considered the question of reforming the farm subsidy rules.",
                &["defence spending", "reforming the farm subsidy rules"],
            ),
            (
                "Scholz met Macron in Paris. Separately, Blinken discussed sanctions with reporters.",
                &[],
            ),
        ];
        for (text, expected) in cases {
            let (document, found) = meetings(text, &[]);
            assert_eq!(found.len(), 1, "{text}");
            let topics: Vec<&str> = document.meetings[0]
                .topics
                .iter()
                .map(|&topic| document.text(topic))
                .collect();
            assert_eq!(&topics, expected, "{text}");
        }
    }

    #[test]
    fn works_without_entities_or_dates() {
        let mut document = Document {
            fields: vec![Field {
                name: "body".into(),
                text: "The two presidents met in a castle. They later held talks.".into(),
            }],
            ..Document::default()
        };
        text::tokenize(&mut document);
        extract(&mut document, Gazetteer::embedded());
        assert_eq!(document.meetings.len(), 1);
        assert!(document.meetings[0].participants.is_empty());
        assert_eq!(document.meetings[0].cameo, "040");
    }

    #[test]
    fn headline_merges_into_the_body() {
        let mut document = document_with_fields(
            &[
                ("title", "Scholz Meets Kishida"),
                ("body", "Scholz met Kishida in Geneva."),
            ],
            &[],
        );
        extract(&mut document, Gazetteer::embedded());
        assert_eq!(document.meetings.len(), 1);
        assert_eq!(document.meetings[0].trigger.field, 1);
    }
}
