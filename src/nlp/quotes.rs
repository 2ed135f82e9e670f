//! Quotes: direct speech in quotation marks and reported speech, with speakers, cues and
//! the outlets they came through.
//!
//! The stage runs after the entity stage and reads its mentions to name speakers; with no
//! entities it still finds quotes and leaves the speaker unresolved (`entity: None`, the
//! mention span on the words that name the speaker). It is rule-based and linear in the
//! number of tokens. Quotation marks are paired per field: curly, straight (`"`, and `''`
//! used both ways), single (outside double quotes only, British style), guillemets, `„“`
//! and ` `` '' `; a straight mark opens or closes by its neighbours; a quote whose paragraphs
//! each open with the same mark and only the last closes is one quote; an unclosed mark
//! ends at its paragraph. Each top-level quoted stretch is then judged:
//!
//! * **Direct quote**: the opening mark starts a clause (sentence start, or after `:` `,`
//!   `;` a dash, a bracket or a speech verb) and either a speech cue is adjacent ("...,” he
//!   said", "said Smith", "Smith said:", "..., saying, “...”", "according to X, “...”", a
//!   signature "― Jane Roe", a colon after a name or ending the previous paragraph), or it
//!   is the next sentence after an attributed quote in the same paragraph (“A,” she said.
//!   “B.”), or, with no cue, it has sentence form: it opens a sentence (or follows a colon),
//!   starts with a capital, ends with `.` `!` `?` or `…` inside the marks and has at least
//!   five words. Everything else (a title, a name, a scare-quoted term, a partial quote
//!   woven into a sentence, "the recently created “group of ...”") is not a direct quote,
//!   except a lowercase phrase right after a naming verb ("who she dubbed “the quiet
//!   fixer”"), the subject's words. A quote that hangs on a comma, `?` or `!` inside its
//!   marks takes the cue after it whatever follows the cue ("...,” she said an hour into
//!   the call"), also with verbs that attribute only there ("she answered", "he mused").
//!   The span is the content without the marks and without a trailing comma; a quote
//!   split by its attribution gives one quote per part.
//! * **Speaker**: the subject noun phrase of the cue ("the Nigerian Foreign Minister said",
//!   "said Smith", "said party strategist Jon Reyes", "Smith, a lawyer at ..., said" ->
//!   "Smith"), resolved through the entity
//!   mentions on its head word; for a spokesperson-type head ("a spokesman for the ministry",
//!   "the press service of X") the organisation or person spoken for. A pronoun ("he said")
//!   refers to the nearest earlier named speaker within three paragraphs (on PolNeAR dev
//!   this beat both the entity stage's salience-based pronoun link and the nearest person
//!   mention), else to the entity stage's pronoun mention, else to the nearest earlier
//!   person (for "it"/"they": organisation) outside direct quotes. A quote without a cue
//!   inherits the speaker of the previous quote in the same paragraph, or in the previous
//!   paragraph when that one ended on it, or of the next attributed quote in the same
//!   paragraph.
//! * **Via**: "quoted by X", "in an interview with X", "X quoted Y as saying", and "told X",
//!   "X reported", "according to X" when X is a news outlet (an agency or outlet of the
//!   gazetteer, a few short outlet names that are also ordinary words, a name ending in
//!   "News", "Agency", "Times"..., or an entity whose subtype says it is a news
//!   organisation).
//! * **Reported speech** (`indirect`): "X said (that) ...", "X told Y (that) ...", "X
//!   believes ...", "the study found that ...", "according to X, ...", "..., according to
//!   X.", "..., X said.", "The bridge, the mayor said, will ...", "..., adding that ...",
//!   "X did Y and said ...", "Reyes, who said ..." (the noun phrase before the relative
//!   "who" speaks), "X said if ..., ..." and "X said on balance it ..." (content led by a
//!   subordinate clause or an adverbial when a finite clause follows in it), "..., said X,
//!   who ..." (an apposition or relative clause may close the sentence after the speaker):
//!   the content clause up to the end of its clause (a semicolon, a
//!   dash, or a comma before a conjunction, a relative pronoun or a participle of speech),
//!   without "that" and the final full stop (the whole sentence when the attribution sits
//!   inside it). Political news also reports stances, so the complement of a **stance
//!   verb** after its subject is reported content too ("X wants ...", "X criticized ...",
//!   "X called for ...", "polls show ...", ", citing ..."), as is that of any other finite
//!   verb right after a named or pronoun subject ("X voted against ...", not verbs of
//!   motion or routine), ending earlier at a comma before an apposition, a participle or a
//!   new clause; and a transcript or headline label ("SMITH: ...", "Q: ...") reports the
//!   rest of its paragraph; in a title-case headline a capitalised speech verb reports too
//!   ("Minister Says Talks Will Resume"). Such content shorter than three words is not output but its
//!   speaker still counts for later pronouns. A verb inside quotation marks, inside a
//!   direct quote or already used to attribute one, or inside content already reported
//!   starts no reported speech.
//!
//! **Reported speech refined by a trained tagger.** When the pipeline gives the stage the
//! reported-speech model (`attribution`; `models/reported-speech.bin`), the model reads every
//! sentence with what the rules above found and marks content, source and cue. A content it
//! marks replaces the rule content it overlaps (the model's boundaries, without leading
//! punctuation or "that", and without trailing punctuation other than a closing mark whose
//! opening mark it holds; a second content on the same rule content keeps its attribution);
//! one the rules did not find becomes reported speech when the model also marks a source
//! and a cue in the sentence (the speaker is then resolved from the source as above); rule
//! content the model does not overlap is dropped, its speaker still kept for pronouns.
//! On PolNeAR dev this raises reported-speech F1 from 0.519 (rules alone) to 0.607.
//!
//! On PolNeAR, pronoun speakers follow the last named speaker unless a person named as the
//! subject of a later sentence (in the same or the previous paragraph, outside quotes) is
//! nearer and the words of that name do not give the other gender; singular descriptions
//! ("the minister") count as named speakers. A direct quote with nothing to inherit takes
//! the last attribution of its paragraph, else the speech verb of the sentence before it.
//!
//! It does not split a reported-speech clause that holds two attributions, takes a speaker
//! from a relative pronoun only for speech verbs (not for stances: "Reyes, who backs ..."),
//! does not take a speaker from a sentence after the quote other than a bare "Smith said.",
//! and does not resolve nominal speakers ("the
//! minister") itself: that is the entity stage's job.

use super::attribution::{self, AttributionModel, Part, SentenceFeatures, TokenMarks};
use super::document::{
    Document, EntityType, Mention, MentionKind, Quote, QuoteKind, Span, Speaker,
};
use super::gazetteer::{Gazetteer, Gender};
use super::lexicon::{
    word_set, WordSet, GROUP_PRONOUNS, MODALS, OBJECT_PRONOUNS, PERSON_PRONOUNS, SPEECH_VERBS,
};
use super::tagger::clusters::WordClusters;
use super::text;
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// The class of a cue word for the reported-speech tagger: 1 a speech verb or a verb of
/// finding, 2 a stance verb, 3 "according", 0 none. One hash lookup per token.
fn cue_word_class(lower: &str) -> u8 {
    static CLASSES: LazyLock<FxHashMap<&'static str, u8>> = LazyLock::new(|| {
        let mut classes = FxHashMap::default();
        for &word in STANCE_VERBS {
            classes.insert(word, 2);
        }
        for &word in SPEECH_VERBS.iter().chain(THAT_VERBS) {
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

/// Verbs of finding and showing that report a claim only with an explicit "that" ("the
/// study found that ...", "polls show that ...").
const THAT_VERBS: &[&str] = &[
    "found",
    "finds",
    "shows",
    "show",
    "showed",
    "learned",
    "concluded",
    "conclude",
    "concludes",
    "realized",
    "knows",
    "know",
    "warn",
    "argue",
    "insist",
    "claim",
    "note",
    "doubt",
    "doubts",
    "worry",
    "worries",
    "worried",
    "fear",
    "feared",
    "recognized",
    "recognizes",
    "acknowledge",
    "admit",
    "deny",
    "confirm",
    "suggest",
    "predict",
    "estimate",
    "add",
    "stress",
    "emphasize",
    "report",
    "hope",
    "expect",
    "expects",
    "expected",
];

/// Verbs of wanting, believing, judging, supporting, opposing, proposing and showing whose
/// complement is the attributed content ("the governor wants the tax repealed", "the senator
/// criticized the plan as too costly", "polls show a close race"), in the inflected forms
/// news uses. With a subject before them, their complement to the end of the clause is
/// reported content.
const STANCE_VERBS: &[&str] = &[
    "want",
    "wants",
    "wanted",
    "believe",
    "believes",
    "believed",
    "think",
    "thinks",
    "thought",
    "feel",
    "feels",
    "felt",
    "hope",
    "hopes",
    "hoped",
    "fear",
    "fears",
    "feared",
    "expect",
    "expects",
    "expected",
    "know",
    "knows",
    "knew",
    "see",
    "sees",
    "saw",
    "view",
    "views",
    "viewed",
    "consider",
    "considers",
    "considered",
    "criticize",
    "criticizes",
    "criticized",
    "criticise",
    "criticises",
    "criticised",
    "endorse",
    "endorses",
    "endorsed",
    "support",
    "supports",
    "supported",
    "back",
    "backs",
    "backed",
    "favor",
    "favors",
    "favored",
    "favour",
    "favours",
    "favoured",
    "oppose",
    "opposes",
    "opposed",
    "defend",
    "defends",
    "defended",
    "praise",
    "praises",
    "praised",
    "accuse",
    "accuses",
    "accused",
    "blame",
    "blames",
    "blamed",
    "attack",
    "attacks",
    "attacked",
    "slam",
    "slams",
    "slammed",
    "blast",
    "blasts",
    "blasted",
    "condemn",
    "condemns",
    "condemned",
    "denounce",
    "denounces",
    "denounced",
    "dismiss",
    "dismisses",
    "dismissed",
    "reject",
    "rejects",
    "rejected",
    "welcome",
    "welcomes",
    "welcomed",
    "propose",
    "proposes",
    "proposed",
    "suggest",
    "suggests",
    "suggested",
    "recommend",
    "recommends",
    "recommended",
    "urge",
    "urges",
    "urged",
    "demand",
    "demands",
    "demanded",
    "seek",
    "seeks",
    "sought",
    "promise",
    "promises",
    "promised",
    "pledge",
    "pledges",
    "pledged",
    "vow",
    "vows",
    "vowed",
    "threaten",
    "threatens",
    "threatened",
    "refuse",
    "refuses",
    "refused",
    "decline",
    "declines",
    "declined",
    "deny",
    "denies",
    "denied",
    "question",
    "questions",
    "questioned",
    "doubt",
    "doubts",
    "doubted",
    "describe",
    "describes",
    "described",
    "cite",
    "cites",
    "cited",
    "predict",
    "predicts",
    "predicted",
    "estimate",
    "estimates",
    "estimated",
    "show",
    "shows",
    "showed",
    "shown",
    "find",
    "finds",
    "found",
    "plan",
    "plans",
    "planned",
    "intend",
    "intends",
    "intended",
    "prefer",
    "prefers",
    "preferred",
    "like",
    "likes",
    "liked",
    "dislike",
    "dislikes",
    "disliked",
    "love",
    "loves",
    "loved",
    "hate",
    "hates",
    "hated",
    "agree",
    "agrees",
    "agreed",
    "disagree",
    "disagrees",
    "disagreed",
    "worry",
    "worries",
    "worried",
    "acknowledge",
    "acknowledges",
    "admit",
    "admits",
    "concede",
    "concedes",
    "conceded",
    "insist",
    "argue",
    "claim",
    "warn",
    "note",
    "stress",
    "emphasize",
    "emphasized",
    "emphasizes",
    "announce",
    "predict",
    "mock",
    "mocks",
    "mocked",
    "ridicule",
    "ridiculed",
    "challenge",
    "challenges",
    "challenged",
    "embrace",
    "embraces",
    "embraced",
    "tout",
    "touts",
    "touted",
    "champion",
    "champions",
    "championed",
    "advocate",
    "advocates",
    "advocated",
    "decry",
    "decries",
    "decried",
    "lament",
    "laments",
    "lamented",
    "applaud",
    "applauds",
    "applauded",
    "credit",
    "credits",
    "credited",
    "assail",
    "assails",
    "assailed",
    "rebuke",
    "rebukes",
    "rebuked",
    "dispute",
    "disputes",
    "disputed",
    "deem",
    "deems",
    "deemed",
    "regard",
    "regards",
    "regarded",
];

/// Stance verb forms that are also common nouns or prepositions ("the plan", "attacks on",
/// "people like her"): verbs only after a pronoun, a relative pronoun or an auxiliary.
const NOUN_LIKE_STANCE_FORMS: &[&str] = &[
    "like",
    "likes",
    "back",
    "backs",
    "support",
    "supports",
    "attack",
    "attacks",
    "plan",
    "plans",
    "question",
    "questions",
    "view",
    "views",
    "advocate",
    "advocates",
    "challenge",
    "challenges",
    "find",
    "finds",
    "doubt",
    "doubts",
    "fear",
    "fears",
    "hope",
    "hopes",
    "favor",
    "favors",
    "favour",
    "favours",
    "credit",
    "credits",
    "dispute",
    "disputes",
    "regard",
    "regards",
    "promise",
    "promises",
    "pledge",
    "pledges",
    "vow",
    "vows",
    "demand",
    "demands",
    "welcome",
    "welcomes",
    "blame",
    "blames",
    "praise",
    "praises",
    "claim",
    "note",
    "stress",
    "worry",
    "worries",
    "love",
    "loves",
    "hate",
    "hates",
    "estimate",
    "estimates",
    "call",
    "calls",
    "focus",
    "talks",
    "talk",
    "push",
    "slam",
    "slams",
    "blast",
    "blasts",
    "champion",
    "champions",
    "tout",
    "deny",
    "decline",
    "declines",
    "cite",
    "rebuke",
    "rebukes",
    "embrace",
    "embraces",
    "mock",
    "mocks",
    "lament",
    "laments",
    "complain",
    "point",
    "points",
    "refer",
    "speak",
    "hint",
    "hints",
];

/// Stance verbs that carry their content after a particle: "called for", "pointed to",
/// "talked about", "referred to", "spoke about".
const STANCE_PARTICLES: &[(&str, &str)] = &[
    ("call", "for"),
    ("calls", "for"),
    ("called", "for"),
    ("calling", "for"),
    ("point", "to"),
    ("points", "to"),
    ("pointed", "to"),
    ("pointing", "to"),
    ("talk", "about"),
    ("talks", "about"),
    ("talked", "about"),
    ("talking", "about"),
    ("speak", "about"),
    ("spoke", "about"),
    ("speaks", "about"),
    ("refer", "to"),
    ("refers", "to"),
    ("referred", "to"),
    ("referring", "to"),
    ("complain", "about"),
    ("complained", "about"),
    ("complains", "about"),
    ("push", "for"),
    ("pushed", "for"),
    ("pushes", "for"),
    ("argue", "for"),
    ("argued", "for"),
    ("argues", "for"),
    ("focus", "on"),
    ("focused", "on"),
    ("focuses", "on"),
    ("insist", "on"),
    ("insisted", "on"),
    ("insists", "on"),
    ("worry", "about"),
    ("worried", "about"),
    ("warned", "about"),
    ("warned", "of"),
    ("warns", "of"),
    ("warns", "about"),
    ("hint", "at"),
    ("hinted", "at"),
    ("hints", "at"),
    ("took", "aim"),
    ("takes", "aim"),
];

/// Words right after a speech verb that start an adverbial or an object, not a reported
/// clause ("said nothing", "said of the plan", "says so").
const NOT_CLAUSE_STARTS: &[&str] = &[
    "of",
    "about",
    "for",
    "by",
    "into",
    "under",
    "over",
    "against",
    "so",
    "nothing",
    "little",
    "much",
    "more",
    "something",
    "anything",
    "otherwise",
    "again",
    "goodbye",
    "hello",
    "thanks",
    "sorry",
    "no",
    "yes",
    "not",
    "only",
    "what",
    "how",
    "why",
    "whether",
    "if",
    "aloud",
    "repeatedly",
    "previously",
    "publicly",
    "privately",
    "recently",
    "once",
    "twice",
    "simply",
    "flatly",
    "firmly",
    "bluntly",
    "just",
    "also",
    "too",
];

/// Plural nouns of people and events that follow a name ("Reyes voters", "the Okafor
/// supporters", "Iowa caucuses") and so are not verbs.
const PLURAL_GROUP_NOUNS: &[&str] = &[
    "voters",
    "supporters",
    "candidates",
    "caucuses",
    "officials",
    "leaders",
    "members",
    "delegates",
    "donors",
    "workers",
    "lawmakers",
    "senators",
    "residents",
    "critics",
    "advisers",
    "advisors",
    "aides",
    "allies",
    "fans",
    "protesters",
    "activists",
    "experts",
    "analysts",
    "economists",
    "observers",
    "polls",
    "primaries",
    "debates",
    "states",
    "voices",
    "forces",
    "loyalists",
    "backers",
    "staffers",
    "rallies",
    "events",
    "policies",
];

/// Finite forms of "be", "have" and "do": after a noun, they show it to be the subject.
const FINITE_AUXILIARIES: &[&str] = &[
    "was", "were", "is", "are", "has", "have", "had", "does", "did", "do",
];

/// Lowercase words after a subject that are not verbs reporting a stance (besides the
/// [`FINITE_AUXILIARIES`]): verbs of motion, state and routine, and adverbs.
const ACTING_STOP_WORDS: &[&str] = &[
    "become",
    "becomes",
    "faces",
    "faced",
    "raised",
    "raises",
    "launched",
    "launches",
    "earned",
    "earns",
    "turned",
    "turns",
    "captured",
    "captures",
    "delivered",
    "delivers",
    "just",
    "done",
    "played",
    "plays",
    "entered",
    "enters",
    "make",
    "include",
    "includes",
    "included",
    "scored",
    "scores",
    "adopted",
    "obtained",
    "created",
    "creates",
    "provided",
    "provides",
    "less",
    "more",
    "picked",
    "incites",
    "emphasizing",
    "been",
    "being",
    "also",
    "then",
    "and",
    "only",
    "still",
    "even",
    "himself",
    "herself",
    "themselves",
    "always",
    "never",
    "often",
    "already",
    "later",
    "once",
    "this",
    "that",
    "these",
    "those",
    "who",
    "whose",
    "which",
    "went",
    "goes",
    "came",
    "comes",
    "lived",
    "lives",
    "died",
    "dies",
    "arrived",
    "arrives",
    "left",
    "leaves",
    "returned",
    "returns",
    "walked",
    "walks",
    "traveled",
    "travels",
    "travelled",
    "stood",
    "stands",
    "sat",
    "sits",
    "appeared",
    "appears",
    "seemed",
    "seems",
    "looked",
    "looks",
    "became",
    "becomes",
    "remained",
    "remains",
    "served",
    "serves",
    "worked",
    "works",
    "spent",
    "spends",
    "grew",
    "grows",
    "won",
    "wins",
    "lost",
    "loses",
    "finished",
    "finishes",
    "led",
    "leads",
    "trailed",
    "trails",
    "ran",
    "runs",
    "received",
    "receives",
    "got",
    "gets",
    "needed",
    "needs",
    "happened",
    "began",
    "begins",
    "started",
    "starts",
    "ended",
    "ends",
    "joined",
    "joins",
    "moved",
    "moves",
    "held",
    "holds",
    "visited",
    "visits",
    "met",
    "meets",
    "campaigned",
    "campaigns",
    "spoke",
    "speaks",
    "quoted",
    "quotes",
    "took",
    "takes",
    "made",
    "makes",
    "gave",
    "gives",
    "kept",
    "keeps",
    "used",
    "uses",
    "tried",
    "tries",
];

/// Words that put a following name in an object or oblique position ("told Smith",
/// "than Smith", "like Smith").
const NOT_BEFORE_SUBJECT: &[&str] = &[
    "to", "with", "of", "by", "for", "from", "than", "as", "told", "asked", "on", "in", "at",
    "about", "against", "like", "said", "says", "and", "or", "but", "that", "who",
];

/// Verbs of naming: what follows them in quotation marks is the subject's phrase.
const NAMING_VERBS: &[&str] = &[
    "called",
    "calls",
    "dubbed",
    "dubs",
    "labeled",
    "labelled",
    "labels",
    "termed",
    "terms",
    "branded",
    "brands",
    "nicknamed",
    "described",
];

/// Verbs that attribute a quote only when they follow it ("“...,” she answered"): in
/// running text they mostly mean something else.
const AFTER_QUOTE_VERBS: &[&str] = &[
    "demanded",
    "demands",
    "wondered",
    "wonders",
    "pressed",
    "presses",
    "challenged",
    "gushed",
    "raged",
    "vowed",
    "promised",
    "pleads",
    "recalled",
    "answered",
    "answers",
    "posted",
    "posts",
    "mocked",
    "mocks",
    "barked",
    "fumed",
    "fumes",
    "scoffed",
    "scoffs",
    "mused",
    "muses",
    "concluded",
    "concludes",
    "snapped",
    "snaps",
    "countered",
    "counters",
    "retorted",
    "cautioned",
    "cautions",
    "pleaded",
    "marveled",
    "marvelled",
    "sighed",
    "laughed",
    "shrugged",
    "deadpanned",
    "boasted",
    "boasts",
    "bragged",
    "griped",
    "complained",
    "complains",
    "predicted",
    "predicts",
    "reads",
    "read",
    "wrote",
    "writes",
    "tweeted",
    "tweets",
    "texted",
    "emailed",
    "chimed",
    "interjected",
];

/// Speech verbs whose content may be an infinitive ("vowed to repeal the law").
const INFINITIVE_SPEECH_VERBS: &[&str] = &[
    "vowed",
    "vows",
    "vow",
    "promised",
    "promises",
    "promise",
    "pledged",
    "pledges",
    "pledge",
    "threatened",
    "threatens",
    "asked",
    "asks",
    "urged",
    "urges",
    "agreed",
    "agrees",
    "refused",
    "refuses",
    "declined",
    "declines",
    "offered",
    "offers",
    "vowing",
    "promising",
    "pledging",
    "urging",
    "asking",
    "threatening",
    "proposed",
    "proposes",
];

/// Prepositions that join an acting verb to its content ("voted against the measure",
/// "called on the administration to ...", "doubled down on his comments").
const ACTING_PARTICLES: &[&str] = &[
    "on", "over", "against", "about", "at", "for", "with", "into", "of", "down", "up", "back",
    "out",
];

/// Words after a comma that start a new clause and so end reported content: conjunctions,
/// relative pronouns and participles of further speech.
const CLAUSE_BREAKS: &[&str] = &[
    "and",
    "but",
    "while",
    "whereas",
    "who",
    "which",
    "because",
    "although",
    "though",
    "as",
    "after",
    "before",
    "when",
    "where",
    "saying",
    "adding",
    "according",
    "noting",
    "arguing",
    "insisting",
    "claiming",
    "telling",
    "warning",
    "calling",
    "citing",
];

/// Speech verbs that are also common nouns ("battleground states"): they report speech only
/// with an explicit "that".
const SPEECH_VERBS_NEEDING_THAT: &[&str] = &["states", "state"];

/// Speech verbs that do not introduce a reported clause ("he continued to ...", "she asked
/// for ...", "he urged them to ...") and so only attribute direct quotes.
const DIRECT_ONLY_VERBS: &[&str] = &[
    "quoted",
    "quotes",
    "continued",
    "continues",
    "asked",
    "asks",
    "urged",
    "urges",
    "shouted",
    "yelled",
    "exclaimed",
    "joked",
    "quipped",
    "recounted",
    "commented",
    "tweeted",
    "remarked",
    "reads",
    "opined",
    "lamented",
    "retorted",
    "testified",
    "objected",
    "tell",
    "tells",
];

/// Speech verbs that take the hearer as object before the content ("told reporters that").
const VERBS_WITH_HEARER: &[&str] = &[
    "told", "tells", "tell", "assured", "reminded", "warned", "warns", "urged", "urges", "asked",
    "asks",
];

/// Participles that report more speech of the clause's speaker (", adding that ...").
const SPEECH_PARTICIPLES: &[&str] = &[
    "asking",
    "tweeting",
    "writing",
    "telling",
    "chanting",
    "shouting",
    "yelling",
    "responding",
    "replying",
    "recalling",
    "quipping",
    "joking",
    "saying",
    "adding",
    "noting",
    "arguing",
    "warning",
    "insisting",
    "stressing",
    "explaining",
    "claiming",
    "declaring",
    "stating",
    "suggesting",
    "emphasizing",
    "emphasising",
    "acknowledging",
    "admitting",
    "conceding",
    "predicting",
    "asserting",
    "contending",
    "alleging",
];

/// Words that may stand between a subject and its speech verb ("He has also said").
const AUXILIARIES_AND_ADVERBS: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "then",
    "previously",
    "repeatedly",
    "again",
    "further",
    "once",
    "recently",
    "earlier",
    "publicly",
    "privately",
    "reportedly",
    "would",
    "will",
    "did",
    "does",
    "do",
    "already",
    "often",
    "always",
    "frequently",
    "openly",
    "explicitly",
    "flatly",
    "simply",
    "just",
];

/// Words that end a subject noun phrase when walking back from the verb.
const SUBJECT_BOUNDARY_WORDS: &[&str] = &[
    "that", "and", "but", "or", "as", "when", "while", "after", "before", "because", "where", "if",
    "since", "although", "though", "who", "whom", "which", "whose", "what", "how", "why",
    "whether", "than", "until", "unless", "once", "is", "are", "was", "were", "be", "been",
    "being",
];

/// Words that open a subordinate clause at the start of reported content ("said if ...").
const SUBORDINATORS: &[&str] = &[
    "if", "when", "once", "unless", "while", "because", "since", "although", "though", "after",
    "before", "until",
];

/// Adverbial starts that do not lead reported content: participles and adverbs of the
/// attribution itself ("said, adding ...", "said again").
const NON_CLAUSE_ADJUNCTS: &[&str] = &[
    "adding",
    "referring",
    "speaking",
    "citing",
    "noting",
    "according",
    "again",
    "also",
    "repeatedly",
    "then",
    "to",
    "of",
    "about",
    "by",
    "via",
    "as",
];

/// The most tokens of an adverbial after "CONTENT, said X" ("... said Smith on Monday in Iowa").
const MAX_TRAILING_ADVERBIAL_TOKENS: usize = 6;

/// The fewest words of reported content led by an adverbial.
const MIN_LED_CLAUSE_WORDS: usize = 5;

/// Words that open an apposition or a relative clause after a speaker's name.
const APPOSITION_STARTS: &[&str] = &[
    "who", "whose", "a", "an", "the", "one", "his", "her", "its", "their", "now", "formerly",
];

/// The most words of the noun phrase a relative "who" refers to.
const MAX_ANTECEDENT_TOKENS: usize = 5;

/// Words that end the noun phrase before a relative "who" when walking back: prepositions
/// and verbs that take an object ("met with Ms. Roe, who said").
const ANTECEDENT_STOP_WORDS: &[&str] = &[
    "of",
    "for",
    "to",
    "with",
    "by",
    "from",
    "on",
    "in",
    "at",
    "about",
    "against",
    "among",
    "like",
    "including",
    "among",
    "said",
    "says",
    "told",
    "met",
    "called",
    "joined",
    "backed",
    "praised",
    "criticized",
    "nor",
];

/// Leading words dropped from a subject ("But Smith said").
const LEADING_CONNECTORS: &[&str] = &[
    "but",
    "and",
    "yet",
    "so",
    "however",
    "meanwhile",
    "also",
    "still",
    "now",
    "instead",
    "indeed",
    "moreover",
    "furthermore",
    "separately",
    "later",
    "earlier",
    "then",
    "thus",
    "nevertheless",
];

/// Prepositions that open an adverbial before the subject ("On Thursday the ministry said").
const LEADING_PREPOSITIONS: &[&str] = &[
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "since",
    "by",
    "with",
    "from",
    "last",
    "this",
    "next",
    "over",
    "under",
    "for",
    "following",
    "speaking",
    "asked",
];

/// Words that end a speaker noun phrase after an inverted verb ("said Smith on Monday").
const PHRASE_STOP_WORDS: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "with",
    "while",
    "when",
    "who",
    "whom",
    "which",
    "that",
    "as",
    "and",
    "but",
    "or",
    "adding",
    "referring",
    "speaking",
    "citing",
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "earlier",
    "later",
    "last",
    "this",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "recently",
    "also",
    "about",
    "via",
    "through",
    "into",
    "from",
    "after",
    "than",
    "is",
    "was",
    "are",
    "were",
    "has",
    "had",
    "have",
    "will",
    "would",
    "said",
    "says",
    "told",
];

/// Words that may follow the speaker and cue of a quote's attribution without starting a
/// new clause ("he said on Monday", "said Smith at a rally").
const ADJUNCT_STARTS: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "with",
    "while",
    "when",
    "as",
    "from",
    "via",
    "through",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "later",
    "last",
    "this",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "recently",
    "adding",
    "referring",
    "speaking",
    "citing",
    "noting",
    "according",
    "of",
    "about",
    "again",
    "also",
    "repeatedly",
    "once",
    "outside",
    "inside",
    "following",
    "under",
    "amid",
    "by",
    "shortly",
    "moments",
    "afterwards",
    "afterward",
    "then",
];

/// Words that start a that-less reported clause ("said the plan failed", "believes it will").
const CLAUSE_STARTS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "there",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "some",
    "many",
    "most",
    "no",
    "all",
    "both",
    "several",
    "such",
    "any",
    "every",
    "each",
    "one",
    "two",
    "three",
    "none",
    "nobody",
    "everyone",
    "everybody",
    "someone",
    "nothing",
    "everything",
    "something",
];

/// Heads of noun phrases that speak for someone else ("a spokesman for the ministry").
const SPOKESPERSON_HEADS: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokesmen",
    "spokeswomen",
    "spokespeople",
    "spokespersons",
    "service",
    "office",
    "secretary",
    "representative",
    "representatives",
    "official",
    "officials",
    "department",
    "press",
    "team",
    "statement",
    "staff",
    "aide",
    "aides",
    "mouthpiece",
];

/// Words that are never a speaker by themselves.
const NON_SPEAKER_WORDS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "there", "which", "what", "it's", "of",
    "for", "to", "in", "on", "at", "by", "with", "from", "his", "her", "their", "its", "our", "my",
    "your", "'s", "’s", "-", "also", "not", "never",
];

/// Outlets known by a short name that is also an ordinary word or another name ("told The
/// Hill", "told Sky", "the Nikkei reported"), lowercase without a leading "the". They are
/// outlets only as the hearer of "told" or the subject of "reported", so they stay here: in
/// the gazetteer every "Hill", "Fox" or "Vox" would become an organisation. Outlets with an
/// unambiguous name are data (`Gazetteer::news_outlet`, data/organizations.tsv).
const SHORT_OUTLET_NAMES: &[&str] = &[
    "hill",
    "atlantic",
    "independent",
    "sky",
    "fox",
    "vox",
    "nikkei",
];

/// Last words that make a capitalised name an outlet ("Sky News", "Kyodo News Agency").
const OUTLET_SUFFIXES: &[&str] = &[
    "news",
    "agency",
    "newspaper",
    "daily",
    "times",
    "post",
    "journal",
    "tribune",
    "herald",
    "gazette",
    "magazine",
    "radio",
    "television",
    "tv",
    "channel",
    "network",
    "broadcaster",
    "wire",
    "press",
];

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
    let mut finder = QuoteFinder::new(document, gazetteer);
    finder.content_model = content_model;
    let quotes = finder.find();
    document.quotes = quotes;
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
    let candidates = finder.rule_candidates();
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

/// A pair of quotation marks at the top level (not nested in another quote).
#[derive(Debug, Clone, Copy)]
struct QuotedStretch {
    /// Token index of the opening mark.
    open: usize,
    /// Token index of the closing mark.
    close: usize,
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
    token: usize,
    paragraph: usize,
    speaker: Speaker,
}

struct QuoteFinder<'a> {
    document: &'a Document,
    gazetteer: &'a Gazetteer,
    /// Lowercase text of every token.
    lower: Vec<String>,
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
}

/// Speech verbs that report speech in a title-case headline.
const HEADLINE_SPEECH_VERBS: &[&str] = &[
    "says", "say", "said", "tells", "told", "warns", "warned", "claims", "claimed", "admits",
    "admitted", "insists", "insisted", "denies", "denied", "urges", "urged",
];

/// The fewest words of a title-case headline.
const MIN_HEADLINE_WORDS: usize = 4;

impl<'a> QuoteFinder<'a> {
    fn new(document: &'a Document, gazetteer: &'a Gazetteer) -> Self {
        let lower = (0..document.tokens.len())
            .map(|index| document.token_text(index).to_lowercase())
            .collect();
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
            lower,
            claimed: vec![false; document.tokens.len()],
            quoted: vec![false; document.tokens.len()],
            mentions_by_start,
            longest_mention,
            content_model: None,
        }
    }

    /// What the rules find: direct quotes, then reported speech, in text order.
    fn rule_candidates(&mut self) -> Vec<Candidate> {
        let stretches = self.pair_quotation_marks();
        for stretch in &stretches {
            for index in stretch.open..=stretch.close {
                self.quoted[index] = true;
            }
        }
        let mut candidates = self.direct_quotes(&stretches);
        for candidate in &candidates {
            if let Some(stretch) = candidate.stretch {
                for index in stretch.open..=stretch.close {
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
        candidates
    }

    fn find(mut self) -> Vec<Quote> {
        let mut candidates = self.rule_candidates();
        if let Some(content_model) = self.content_model {
            self.apply_content_model(content_model, &mut candidates);
            sort_candidates(&mut candidates);
        }
        self.resolve_speakers(&mut candidates);
        candidates
            .into_iter()
            .filter(|candidate| !candidate.hidden)
            .map(|candidate| Quote {
                kind: candidate.kind,
                span: candidate.span,
                speaker: candidate.speaker,
                cue: candidate.attribution.as_ref().map(|a| self.span_of(&a.cue)),
                via: candidate
                    .attribution
                    .as_ref()
                    .and_then(|a| a.via.as_ref())
                    .map(|via| self.span_of(via)),
            })
            .collect()
    }

    // ---- the reported-speech tagger ----------------------------------------------------------

    /// What the rules and the entity stage say about every token, for the tagger's features.
    fn token_marks(&self, candidates: &[Candidate]) -> Vec<TokenMarks> {
        let document = self.document;
        let mut marks = vec![TokenMarks::default(); document.tokens.len()];
        for (index, mark) in marks.iter_mut().enumerate() {
            if self.quoted[index] {
                mark.rules |= attribution::QUOTED;
            }
            mark.cue_word = cue_word_class(self.low(index));
        }
        for mention in &document.mentions {
            let code = match (mention.kind, document.entities[mention.entity].entity_type) {
                (MentionKind::Pronoun, _) => 5,
                (MentionKind::Nominal, _) => 6,
                (_, EntityType::Person) => 1,
                (_, EntityType::Organization) => 2,
                (_, EntityType::Location) => 3,
                (_, EntityType::Misc) => 4,
            };
            for index in self.tokens_within(mention.span) {
                marks[index].mention = code;
            }
        }
        for candidate in candidates {
            let tokens = self.tokens_within(candidate.span);
            match candidate.kind {
                QuoteKind::Direct => {
                    for index in tokens {
                        marks[index].rules |= attribution::DIRECT;
                    }
                }
                QuoteKind::Indirect => {
                    if tokens.start < tokens.end {
                        marks[tokens.start].rules |= attribution::RULE_CONTENT_START;
                    }
                    for index in tokens {
                        marks[index].rules |= attribution::RULE_CONTENT;
                    }
                }
            }
            if let Some(found) = &candidate.attribution {
                for index in found.cue.clone() {
                    marks[index].rules |= attribution::RULE_CUE;
                    if marks[index].cue_word == 0 {
                        marks[index].cue_word = 4;
                    }
                }
                for index in found.speaker.clone().unwrap_or_default() {
                    marks[index].rules |= attribution::RULE_SPEAKER;
                }
            }
        }
        marks
    }

    /// The tokens that lie inside `span`.
    fn tokens_within(&self, span: Span) -> Range<usize> {
        let start = self.token_at(span);
        let end = self.document.tokens[start..]
            .partition_point(|token| (token.span.field, token.span.end) <= (span.field, span.end))
            + start;
        start..end.max(start)
    }

    fn sentence_features(
        &self,
        tokens: Range<usize>,
        marks: &[TokenMarks],
        clusters: &WordClusters,
        out: &mut SentenceFeatures,
    ) {
        let words: Vec<&str> = tokens.clone().map(|index| self.text(index)).collect();
        let lower: Vec<&str> = tokens.clone().map(|index| self.low(index)).collect();
        attribution::sentence_features(&words, &lower, &marks[tokens], clusters, out);
    }

    /// Reported speech as the tagger reads it: a content span it marks takes over the rule
    /// content it overlaps (the model's boundaries); one the rules did not find becomes a
    /// quote when the model also marks a source and a cue in its sentence.
    fn apply_content_model(
        &self,
        content_model: ContentModel<'_>,
        candidates: &mut Vec<Candidate>,
    ) {
        let marks = self.token_marks(candidates);
        let mut features = SentenceFeatures::default();
        let mut labels = Vec::new();
        let mut covered = vec![false; candidates.len()];
        // Rule spans as the rules found them: the model may move a candidate's span.
        let rule_spans: Vec<Span> = candidates.iter().map(|candidate| candidate.span).collect();
        let mut found = Vec::new();
        for sentence in &self.document.sentences {
            let range = sentence.tokens.clone();
            if range.is_empty() {
                continue;
            }
            self.sentence_features(range.clone(), &marks, content_model.clusters, &mut features);
            content_model.model.tag(&features, &mut labels);
            let shift = |chunk: Range<usize>| range.start + chunk.start..range.start + chunk.end;
            let sources: Vec<Range<usize>> = attribution::chunks(&labels, Part::Source)
                .into_iter()
                .map(shift)
                .collect();
            let cues: Vec<Range<usize>> = attribution::chunks(&labels, Part::Cue)
                .into_iter()
                .map(shift)
                .collect();
            for chunk in attribution::chunks(&labels, Part::Content) {
                let mut tokens = shift(chunk);
                // Content opens after its complementiser, as rule content does.
                while tokens.start < tokens.end
                    && (!self.is_word(tokens.start) || self.low(tokens.start) == "that")
                {
                    tokens.start += 1;
                }
                // Trailing punctuation goes, except a closing mark whose opening mark the
                // content holds (“... the UN Charter.”).
                while tokens.end > tokens.start && !self.is_word(tokens.end - 1) {
                    let marks_inside = tokens
                        .clone()
                        .filter(|&index| is_quotation_mark(self.text(index)))
                        .count();
                    if is_quotation_mark(self.text(tokens.end - 1)) && marks_inside % 2 == 0 {
                        break;
                    }
                    tokens.end -= 1;
                }
                if tokens.is_empty()
                    || tokens
                        .clone()
                        .filter(|&i| marks[i].rules & attribution::DIRECT != 0)
                        .count()
                        * 2
                        > tokens.len()
                {
                    continue;
                }
                let span = self.span_of(&tokens);
                let words = self.word_count(tokens.clone());
                let overlapping: Vec<usize> = (0..candidates.len())
                    .filter(|&c| {
                        candidates[c].kind == QuoteKind::Indirect && rule_spans[c].overlaps(&span)
                    })
                    .collect();
                if let Some(&first) = overlapping.first() {
                    match overlapping.iter().find(|&&c| !covered[c]) {
                        Some(&free) => {
                            let candidate = &mut candidates[free];
                            candidate.span = span;
                            candidate.hidden = words < MIN_INDIRECT_WORDS;
                            for &other in &overlapping {
                                if !covered[other] && other != free {
                                    candidates[other].hidden = true;
                                }
                            }
                        }
                        // The model splits one rule content in two: the second part keeps
                        // the same attribution.
                        None if words >= MIN_INDIRECT_WORDS => found.push(Candidate {
                            span,
                            hidden: false,
                            ..candidates[first].clone()
                        }),
                        None => {}
                    }
                    for &other in &overlapping {
                        covered[other] = true;
                    }
                    continue;
                }
                if words < MIN_INDIRECT_WORDS {
                    continue;
                }
                let nearest = |chunks: &[Range<usize>]| -> Option<Range<usize>> {
                    chunks
                        .iter()
                        .filter(|chunk| chunk.end <= tokens.start || chunk.start >= tokens.end)
                        .min_by_key(|chunk| {
                            if chunk.end <= tokens.start {
                                tokens.start - chunk.end
                            } else {
                                chunk.start - tokens.end
                            }
                        })
                        .cloned()
                };
                let (Some(speaker), Some(cue)) = (nearest(&sources), nearest(&cues)) else {
                    continue;
                };
                found.push(Candidate {
                    kind: QuoteKind::Indirect,
                    span,
                    paragraph: sentence.paragraph,
                    stretch: None,
                    attribution: Some(Attribution {
                        speaker: Some(speaker),
                        cue,
                        via: None,
                    }),
                    continues_clause: false,
                    speaker: None,
                    hidden: false,
                });
            }
        }
        // Rule content the model does not confirm is dropped (kept for pronouns).
        for (candidate, covered) in candidates.iter_mut().zip(covered) {
            if candidate.kind == QuoteKind::Indirect && !covered {
                candidate.hidden = true;
            }
        }
        candidates.extend(found);
    }

    // ---- token helpers -------------------------------------------------------------------

    fn text(&self, index: usize) -> &str {
        self.document.token_text(index)
    }

    fn low(&self, index: usize) -> &str {
        &self.lower[index]
    }

    fn sentence_of(&self, index: usize) -> usize {
        self.document.tokens[index].sentence
    }

    fn sentence_tokens(&self, index: usize) -> Range<usize> {
        self.document.sentences[self.sentence_of(index)]
            .tokens
            .clone()
    }

    /// The sentence an opening mark starts. The tokenizer may leave a straight mark after a
    /// full stop at the end of the previous sentence; it then starts the next one.
    fn sentence_of_opening(&self, open: usize) -> Range<usize> {
        let sentence = self.sentence_tokens(open);
        let dangling = open + 1 == sentence.end
            && open + 1 < self.document.tokens.len()
            && self.paragraph_of(open + 1) == self.paragraph_of(open);
        if dangling {
            open..self.sentence_tokens(open + 1).end
        } else {
            sentence
        }
    }

    fn paragraph_of(&self, index: usize) -> usize {
        self.document.sentences[self.sentence_of(index)].paragraph
    }

    fn field_of(&self, index: usize) -> usize {
        self.document.tokens[index].span.field
    }

    fn span_of(&self, tokens: &Range<usize>) -> Span {
        self.document.tokens_span(tokens)
    }

    /// Position in `mentions_by_start` of the first mention at or after `(field, start)`.
    fn mention_position(&self, field: usize, start: usize) -> usize {
        self.mentions_by_start.partition_point(|&index| {
            let span = self.document.mentions[index].span;
            (span.field, span.start) < (field, start)
        })
    }

    /// Indices (ascending) of every mention that overlaps, contains or lies inside `span`,
    /// among possibly a few more nearby: all start within the longest mention's length
    /// before `span` and no later than its end.
    fn mentions_around(&self, span: Span) -> Vec<usize> {
        let from =
            self.mention_position(span.field, span.start.saturating_sub(self.longest_mention));
        let mut found: Vec<usize> = self.mentions_by_start[from..]
            .iter()
            .copied()
            .take_while(|&index| {
                let mention = self.document.mentions[index].span;
                (mention.field, mention.start) <= (span.field, span.end)
            })
            .collect();
        found.sort_unstable();
        found
    }

    fn is_word(&self, index: usize) -> bool {
        self.text(index)
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    }

    fn is_capitalised(&self, index: usize) -> bool {
        text::is_capitalised(self.text(index))
    }

    fn is_one_of(&self, index: usize, words: &[&str]) -> bool {
        words.contains(&self.low(index))
    }

    /// A speech verb as written in running text (lowercase), never a capitalised name.
    fn is_speech_verb(&self, index: usize) -> bool {
        let text = self.text(index);
        if text.chars().next().is_some_and(char::is_lowercase) {
            static SPEECH_VERB_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(&SPEECH_VERBS));
            return SPEECH_VERB_SET.contains(text);
        }
        // In a title-case headline the verb is capitalised too: "Minister Says Talks ...".
        self.title_case[self.sentence_of(index)]
            && index > self.sentence_tokens(index).start
            && HEADLINE_SPEECH_VERBS.contains(&self.low(index))
    }

    fn is_according_to(&self, index: usize) -> bool {
        self.low(index) == "according"
            && index + 1 < self.document.tokens.len()
            && self.low(index + 1) == "to"
            && self.sentence_of(index + 1) == self.sentence_of(index)
    }

    fn is_clause_punctuation(&self, index: usize) -> bool {
        matches!(
            self.text(index),
            "," | ";"
                | ":"
                | "("
                | ")"
                | "—"
                | "–"
                | "--"
                | "."
                | "!"
                | "?"
                | "…"
                | "..."
                | "["
                | "]"
        ) || is_quotation_mark(self.text(index))
    }

    fn is_terminal(&self, index: usize) -> bool {
        matches!(self.text(index), "." | "!" | "?" | "…" | "...")
    }

    fn word_count(&self, tokens: Range<usize>) -> usize {
        tokens.filter(|&index| self.is_word(index)).count()
    }

    // ---- pairing quotation marks ------------------------------------------------------------

    /// Decides the role of a straight mark from the characters around it.
    fn straight_mark_role(&self, index: usize, pending: bool) -> MarkRole {
        let span = self.document.tokens[index].span;
        let text = &self.document.fields[span.field].text;
        let before = text[..span.start].chars().next_back();
        let after = text[span.end..].chars().next();
        let opens_on_left = before.is_none_or(|c| {
            c.is_whitespace() || "([{—–-/".contains(c) || is_quotation_mark(&c.to_string())
        });
        let closes_on_right = after.is_none_or(|c| {
            c.is_whitespace() || ".,;:!?)]}—–-…".contains(c) || is_quotation_mark(&c.to_string())
        });
        match (opens_on_left, closes_on_right) {
            (true, false) => MarkRole::Open,
            (false, true) => MarkRole::Close,
            _ if pending => MarkRole::Close,
            _ => MarkRole::Open,
        }
    }

    /// Top-level quoted stretches, in text order. Double marks are paired first; single
    /// marks are paired outside them (British style) and then contain any double pair.
    fn pair_quotation_marks(&self) -> Vec<QuotedStretch> {
        let doubles = self.pair_family(MarkFamily::Double, &[]);
        let singles = self.pair_family(MarkFamily::Single, &doubles);
        let mut stretches: Vec<QuotedStretch> = doubles
            .into_iter()
            .filter(|double| {
                !singles
                    .iter()
                    .any(|single| single.open < double.open && double.close < single.close)
            })
            .collect();
        stretches.extend(singles);
        stretches.sort_by_key(|stretch| stretch.open);
        stretches
    }

    /// Pairs the marks of one family, skipping tokens inside `inside` (already paired
    /// stretches of the other family, whose marks of this family are nested quotes).
    fn pair_family(&self, family: MarkFamily, inside: &[QuotedStretch]) -> Vec<QuotedStretch> {
        let tokens = &self.document.tokens;
        let mut stretches = Vec::new();
        // (token index of the opening mark, its text, the paragraph the quote has reached)
        let mut pending: Option<(usize, &str, usize)> = None;
        let mut skip = inside.iter().peekable();
        let mut index = 0;
        while index < tokens.len() {
            while skip.peek().is_some_and(|stretch| stretch.close < index) {
                skip.next();
            }
            if let Some(stretch) = skip.peek() {
                if stretch.open <= index && index <= stretch.close {
                    index = stretch.close + 1;
                    continue;
                }
            }
            if let Some((open, open_text, reached)) = pending {
                let new_paragraph = reached != self.paragraph_of(index)
                    || self.field_of(open) != self.field_of(index);
                if new_paragraph {
                    // A quote runs on only when the next paragraph opens with a mark too.
                    let continues = self.field_of(open) == self.field_of(index)
                        && self.paragraph_of(index) == reached + 1
                        && self.text(index) == open_text
                        && quotation_mark(self.text(index)).is_some_and(|(f, role)| {
                            f == family
                                && (role == MarkRole::Open
                                    || (role == MarkRole::Either
                                        && self.straight_mark_role(index, false) == MarkRole::Open))
                        });
                    if continues {
                        pending = Some((open, open_text, self.paragraph_of(index)));
                        index += 1;
                        continue;
                    }
                    pending = None;
                }
            }
            let Some((mark_family, role)) = quotation_mark(self.text(index)) else {
                index += 1;
                continue;
            };
            if mark_family != family {
                index += 1;
                continue;
            }
            let role = match role {
                MarkRole::Either => self.straight_mark_role(index, pending.is_some()),
                // „ is closed by “ in German-style typography.
                MarkRole::Open
                    if self.text(index) == "“" && pending.is_some_and(|(_, t, _)| t == "„") =>
                {
                    MarkRole::Close
                }
                other => other,
            };
            match (role, pending) {
                (MarkRole::Close, Some((open, _, _))) => {
                    if index > open + 1 {
                        stretches.push(QuotedStretch { open, close: index });
                    }
                    pending = None;
                }
                (MarkRole::Close, None) => {}
                _ => {
                    // A single straight mark opens only before a letter: "'90s" is elision.
                    let elision = family == MarkFamily::Single
                        && self.text(index) == "'"
                        && !self.document.fields[tokens[index].span.field].text
                            [tokens[index].span.end..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphabetic);
                    if !elision {
                        pending = Some((index, self.text(index), self.paragraph_of(index)));
                    }
                }
            }
            index += 1;
        }
        stretches
    }

    // ---- direct quotes ----------------------------------------------------------------------

    fn direct_quotes(&self, stretches: &[QuotedStretch]) -> Vec<Candidate> {
        let mut directs: Vec<Candidate> = Vec::new();
        for (position, stretch) in stretches.iter().enumerate() {
            let previous_close = position
                .checked_sub(1)
                .map(|previous| stretches[previous].close);
            let next_open = stretches.get(position + 1).map(|next| next.open);
            let continues_quote = directs.last().is_some_and(|last| {
                last.stretch.is_some_and(|last_stretch| {
                    Some(last_stretch.close) == previous_close
                        && self.paragraph_of(last_stretch.close) == self.paragraph_of(stretch.open)
                        && last.attribution.is_some()
                })
            });
            if let Some(candidate) =
                self.judge_stretch(*stretch, previous_close, next_open, continues_quote)
            {
                directs.push(candidate);
            }
        }
        directs
    }

    /// Whether a quoted stretch is a direct quote, and its attribution if one is adjacent.
    fn judge_stretch(
        &self,
        stretch: QuotedStretch,
        previous_close: Option<usize>,
        next_open: Option<usize>,
        continues_quote: bool,
    ) -> Option<Candidate> {
        let QuotedStretch { open, close } = stretch;
        let mut content_end = close;
        while content_end > open + 1 && self.text(content_end - 1) == "," {
            content_end -= 1;
        }
        if content_end <= open + 1 || self.word_count(open + 1..content_end) == 0 {
            return None;
        }
        let opens_clause = self.opens_clause(open);
        if !opens_clause {
            return None;
        }
        let attribution = self
            .attribution_after(close, next_open)
            .or_else(|| self.attribution_before(open, previous_close));
        // “A,” she said. “B.” - the second part of a split quote may be short.
        let continuation = continues_quote
            && open == self.sentence_of_opening(open).start
            && self
                .text(open + 1)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        let standalone =
            attribution.is_none() && (continuation || self.has_sentence_form(open, close));
        if attribution.is_none() && !standalone {
            return None;
        }
        Some(Candidate {
            kind: QuoteKind::Direct,
            span: self.span_of(&(open + 1..content_end)),
            paragraph: self.paragraph_of(open),
            stretch: Some(stretch),
            attribution,
            continues_clause: false,
            speaker: None,
            hidden: false,
        })
    }

    /// The opening mark starts a clause: a quote, not a word quoted inside a sentence.
    fn opens_clause(&self, open: usize) -> bool {
        let sentence = self.sentence_of_opening(open);
        if open == sentence.start {
            return true;
        }
        let previous = open - 1;
        matches!(
            self.text(previous),
            ":" | "," | ";" | "—" | "–" | "-" | "--" | "(" | "…" | "..."
        ) || self.is_speech_verb(previous)
            || self.is_one_of(previous, SPEECH_PARTICIPLES)
            || self.names_in_quotes(open)
            || is_quotation_mark(self.text(previous))
    }

    /// "who he dubbed “the little senator”": a naming verb right before the mark and a
    /// lowercase start, a phrase the subject coined (a capitalised one is mostly a title).
    fn names_in_quotes(&self, open: usize) -> bool {
        open > 0
            && open + 1 < self.document.tokens.len()
            && self.is_one_of(open - 1, NAMING_VERBS)
            && self
                .text(open + 1)
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
    }

    /// A stretch that reads as a sentence of its own: starts a sentence (or follows a colon),
    /// starts with a capital, ends with terminal punctuation inside the marks.
    fn has_sentence_form(&self, open: usize, close: usize) -> bool {
        let sentence = self.sentence_of_opening(open);
        let starts_sentence = open == sentence.start || self.text(open - 1) == ":";
        let first = self.text(open + 1).chars().next().unwrap_or(' ');
        let capitalised = first.is_uppercase() || first.is_ascii_digit() || "…[".contains(first);
        // "‘Legend in the Coal Fields.’" on a line of its own is a heading.
        let title_case = (open + 1..close)
            .filter(|&index| self.is_word(index) && self.text(index).chars().count() > 3)
            .all(|index| self.is_capitalised(index));
        starts_sentence
            && capitalised
            && !title_case
            && self.is_terminal(close - 1)
            && self.word_count(open + 1..close) >= MIN_STANDALONE_WORDS
    }

    /// "..., he said", "...,” said Smith", "...” Smith said." (the next sentence when it is
    /// only the attribution).
    fn attribution_after(&self, close: usize, next_open: Option<usize>) -> Option<Attribution> {
        let sentence = self.sentence_tokens(close);
        let (from, limit) = if close + 1 < sentence.end {
            (close + 1, sentence.end)
        } else {
            // The closing mark ended the sentence; the next one may be "Smith said."
            let next = self.document.sentences.get(self.sentence_of(close) + 1)?;
            if next.paragraph != self.paragraph_of(close) || next.tokens.len() > 16 {
                return None;
            }
            (next.tokens.start, next.tokens.end)
        };
        let limit = next_open.map_or(limit, |next| limit.min(next + 1));
        if let Some(signed) = self.signature_after(from, limit) {
            return Some(signed);
        }
        let mut start = from;
        while start < limit && matches!(self.text(start), "," | "—" | "–" | "--") {
            start += 1;
        }
        // The cue is within a few tokens, before any other clause punctuation; a speaker in
        // apposition ("Smith, a lawyer at X, said") or with a bracket ("Smith (D-Mo.) said")
        // may push it further.
        let mut cue = None;
        let mut index = start;
        let mut reach = MAX_SPEAKER_TOKENS + 4;
        while index < limit && index < start + reach {
            if self.is_speech_verb(index)
                || (self.is_one_of(index, AFTER_QUOTE_VERBS) && index > start)
                || self.is_according_to(index)
                || (self.low(index) == "quoted" && index > start)
            {
                cue = Some(index);
                break;
            }
            match self.text(index) {
                "(" => {
                    let closing = (index + 1..limit.min(index + 8)).find(|&i| self.text(i) == ")");
                    match closing {
                        Some(closing) if index > start => index = closing,
                        _ => break,
                    }
                }
                "," if index > start => reach = MAX_APPOSITION_TOKENS,
                "." | "!" | "?" | ";" | ":" | ")" => break,
                text if is_quotation_mark(text) => break,
                _ => {}
            }
            index += 1;
        }
        let cue = cue?;
        if self.is_according_to(cue) {
            // "...,” according to the ministry.
            if cue != start {
                return None;
            }
            let speaker = self.phrase_after(cue + 2, limit)?;
            if !self.ends_clause(speaker.end, limit) {
                return None;
            }
            return Some(Attribution {
                via: self.find_via(speaker.end, limit),
                speaker: Some(speaker),
                cue: cue..cue + 2,
            });
        }
        // "..., Smith is quoted as saying."
        if self.low(cue) == "quoted"
            && cue > start + 1
            && self.is_one_of(cue - 1, &["is", "was", "were", "are", "been"])
            && cue + 2 < limit
            && self.low(cue + 1) == "as"
            && self.is_one_of(cue + 2, SPEECH_PARTICIPLES)
        {
            let subject_end = self.skip_auxiliaries_back(cue - 1, start);
            let speaker = self.subject_phrase(start, subject_end)?;
            return self.ends_clause(cue + 3, limit).then(|| Attribution {
                via: self.find_via(cue, limit),
                speaker: Some(speaker),
                cue: cue..cue + 3,
            });
        }
        let mut subject_end = self.skip_auxiliaries_back(cue, start);
        if let Some(aside) = (start..subject_end).find(|&i| matches!(self.text(i), "," | "(")) {
            subject_end = aside;
        }
        let (speaker, cue_range, after) = if subject_end == start {
            // "said Smith", "said the minister"
            let speaker = self.phrase_after(cue + 1, limit)?;
            let after = speaker.end;
            (speaker, cue..cue + 1, after)
        } else {
            let speaker = self.subject_phrase(start, subject_end)?;
            if let Some(quoted) = self.quoted_as_saying(cue, limit) {
                // "..., Reuters quoted Okafor as saying."
                let after = quoted.cue.end;
                return self.ends_clause(after, limit).then_some(Attribution {
                    speaker: quoted.speaker,
                    cue: quoted.cue,
                    via: Some(speaker),
                });
            }
            let mut after = cue + 1;
            if self.is_one_of(cue, VERBS_WITH_HEARER) {
                after = if after < limit && self.is_one_of(after, &OBJECT_PRONOUNS) {
                    after + 1
                } else {
                    self.phrase_after(after, limit)
                        .map_or_else(|| self.plain_hearer_end(after, limit), |hearer| hearer.end)
                };
            }
            (speaker, cue..cue + 1, after)
        };
        // A quote that hangs on a comma, "?" or "!" inside its marks needs its attribution:
        // whatever follows the cue ("said an hour into the meeting") is the cue's clause.
        let hangs = close > 0 && matches!(self.text(close - 1), "," | "?" | "!");
        if !hangs && !self.ends_clause(after, limit) {
            return None;
        }
        Some(Attribution {
            via: self.find_via(cue_range.start, limit),
            speaker: Some(speaker),
            cue: cue_range,
        })
    }

    /// A signature after a quote: "...” ― Jane Doe" (a dash, then a name ending the
    /// sentence or followed by a comma).
    fn signature_after(&self, from: usize, limit: usize) -> Option<Attribution> {
        if from >= limit || !matches!(self.text(from), "―" | "—" | "–" | "--") {
            return None;
        }
        let speaker = self.phrase_after(from + 1, limit)?;
        let ends = speaker.end >= limit
            || self.text(speaker.end) == ","
            || (speaker.end..limit).all(|index| !self.is_word(index));
        (ends && self.is_capitalised(speaker.start)).then(|| Attribution {
            speaker: Some(speaker),
            cue: from..from + 1,
            via: None,
        })
    }

    /// "X quoted Y as saying": Y and the cue span, when `cue` is "quoted".
    fn quoted_as_saying(&self, cue: usize, limit: usize) -> Option<Attribution> {
        if self.low(cue) != "quoted" {
            return None;
        }
        let speaker = self.phrase_after(cue + 1, limit)?;
        let as_index = speaker.end;
        (as_index + 1 < limit
            && self.low(as_index) == "as"
            && self.is_one_of(as_index + 1, SPEECH_PARTICIPLES))
        .then(|| Attribution {
            speaker: Some(speaker),
            cue: as_index..as_index + 2,
            via: None,
        })
    }

    /// After "told": a bare plural or lowercase hearer ("told reporters", "told local
    /// officials"), up to three lowercase words; `start` itself when there is none.
    fn plain_hearer_end(&self, start: usize, limit: usize) -> usize {
        let mut end = start;
        while end < limit
            && end - start < 3
            && self.is_word(end)
            && self.text(end).chars().all(|c| c.is_lowercase())
            && !self.is_one_of(end, ADJUNCT_STARTS)
            && !self.is_one_of(end, &["that", "and", "but"])
        {
            end += 1;
        }
        end
    }

    /// Nothing but punctuation or an adverbial follows the attribution: it is not the start
    /// of a clause of its own ("he said the plan ...").
    fn ends_clause(&self, after: usize, limit: usize) -> bool {
        if after >= limit {
            return true;
        }
        let text = self.text(after);
        matches!(
            text,
            "." | "," | "(" | ";" | "!" | "?" | ":" | "—" | "–" | "-" | "--" | "…" | "..."
        ) || is_quotation_mark(text)
            || self.is_one_of(after, ADJUNCT_STARTS)
            // "Smith said sarcastically."
            || (text.len() > 4 && self.low(after).ends_with("ly") && self.ends_clause(after + 1, limit))
    }

    /// "Smith said: “...”", "Smith told reporters, “...”", "According to X, “...”", a colon
    /// after a name, and a paragraph ending with "Smith continued:" before a quote paragraph.
    fn attribution_before(
        &self,
        open: usize,
        previous_close: Option<usize>,
    ) -> Option<Attribution> {
        let sentence = self.sentence_of_opening(open);
        let floor = previous_close
            .filter(|&close| close >= sentence.start)
            .map_or(sentence.start, |close| close + 1);
        if open == floor {
            // A quote paragraph introduced by a colon at the end of the previous paragraph.
            let first_of_paragraph = open == sentence.start
                && (open == 0 || self.paragraph_of(open - 1) != self.paragraph_of(open));
            if first_of_paragraph && open > 0 && self.text(open - 1) == ":" {
                let previous = self.sentence_tokens(open - 1);
                let floor = previous_close
                    .filter(|&close| close >= previous.start)
                    .map_or(previous.start, |close| close + 1);
                return self.attribution_ending_at(open - 1, floor, true);
            }
            return None;
        }
        let last = open - 1;
        let introduced = matches!(self.text(last), ":" | ",");
        if introduced {
            self.attribution_ending_at(last, floor, self.text(last) == ":")
        } else if self.is_speech_verb(last) || self.is_one_of(last, SPEECH_PARTICIPLES) {
            self.attribution_ending_at(open, floor, false)
        } else if self.names_in_quotes(open) {
            let subject_end = self.skip_auxiliaries_back(last, floor);
            let speaker = self.subject_phrase(floor, subject_end)?;
            Some(Attribution {
                speaker: Some(speaker),
                cue: last..open,
                via: None,
            })
        } else {
            None
        }
    }

    /// An attribution in `floor..end` whose cue is near `end` (the introducing mark).
    fn attribution_ending_at(&self, end: usize, floor: usize, colon: bool) -> Option<Attribution> {
        let earliest = end.saturating_sub(8).max(floor);
        let cue = (earliest..end).rev().find(|&index| {
            self.is_speech_verb(index)
                || self.is_according_to(index)
                || (self.is_one_of(index, SPEECH_PARTICIPLES)
                    && index > floor
                    && matches!(self.low(index - 1), "as" | ","))
        });
        let Some(cue) = cue else {
            if colon && end > floor {
                if let Some(speaker) = self.colon_clause_speaker(floor, end) {
                    return Some(Attribution {
                        speaker: Some(speaker),
                        cue: end..end + 1,
                        via: None,
                    });
                }
            }
            // "Pat Smith: “...”" - a colon after a name.
            if !colon || end - floor > 6 || end == floor {
                return None;
            }
            let names_someone = self.has_person_or_org_mention(floor..end)
                || (floor..end).all(|index| self.is_capitalised(index) || !self.is_word(index));
            return names_someone.then(|| Attribution {
                speaker: self.subject_phrase(floor, end),
                cue: end..end + 1,
                via: None,
            });
        };
        if self.is_according_to(cue) {
            let speaker = self.phrase_after(cue + 2, end)?;
            return Some(Attribution {
                via: self.find_via(cue, end),
                speaker: Some(speaker),
                cue: cue..cue + 2,
            });
        }
        if self.is_one_of(cue, SPEECH_PARTICIPLES) && self.text(cue - 1) == "," {
            // "Pike attacked Lund ..., saying, “...”": the subject of the sentence.
            let speaker = self.sentence_subject(floor, cue)?;
            return Some(Attribution {
                speaker: Some(speaker),
                cue: cue..cue + 1,
                via: None,
            });
        }
        if self.is_one_of(cue, SPEECH_PARTICIPLES) {
            // "X was quoted as saying:" or "Reuters quoted X as saying:"
            let quoted = cue - 2;
            if quoted < floor {
                return None;
            }
            if self.low(quoted) == "quoted" && quoted > floor {
                let subject_end = self.skip_auxiliaries_back(quoted, floor);
                let subject_end = if subject_end > floor && self.low(subject_end - 1) == "was" {
                    subject_end - 1
                } else {
                    subject_end
                };
                let speaker = self.subject_phrase(floor, subject_end)?;
                return Some(Attribution {
                    speaker: Some(speaker),
                    cue: cue - 1..cue + 1,
                    via: None,
                });
            }
            let via = self.subject_phrase(floor, self.skip_auxiliaries_back(cue, floor));
            let quoted = (floor..cue)
                .rev()
                .find(|&index| self.low(index) == "quoted")?;
            let speaker = self.phrase_after(quoted + 1, cue - 1)?;
            let via = via.filter(|via| via.end <= quoted).or_else(|| {
                let subject_end = self.skip_auxiliaries_back(quoted, floor);
                self.subject_phrase(floor, subject_end)
            });
            return Some(Attribution {
                speaker: Some(speaker),
                cue: cue - 1..cue + 1,
                via,
            });
        }
        let subject_end = self.skip_auxiliaries_back(cue, floor);
        let speaker = if subject_end > floor {
            self.subject_phrase(floor, subject_end)
        } else {
            self.phrase_after(cue + 1, end)
        };
        // "Smith paused and said, “No.”": the subject of the first verb.
        let speaker = speaker.or_else(|| {
            (subject_end > floor && self.is_one_of(subject_end - 1, &["and", "but"]))
                .then(|| self.sentence_subject(floor, cue))
                .flatten()
        })?;
        Some(Attribution {
            via: self.find_via(floor, end),
            speaker: Some(speaker),
            cue: cue..cue + 1,
        })
    }

    /// The speaker of a clause that introduces a quote with a colon but no speech verb:
    /// a name after the last dash of a heading ("MORE STATES VOTE - Pat Smith: “...”"), or
    /// the named subject of the clause ("Smith leaned in and boomed: “...”").
    fn colon_clause_speaker(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        let after_dash = (floor..end)
            .rev()
            .find(|&index| matches!(self.text(index), "-" | "—" | "–" | "--"))
            .map_or(floor, |index| index + 1);
        if after_dash > floor
            && end > after_dash
            && end - after_dash <= 8
            && self.has_person_or_org_mention(after_dash..end)
            && (after_dash..end).all(|index| {
                self.is_capitalised(index)
                    || !self.is_word(index)
                    || self.is_one_of(index, &["of", "for", "the"])
            })
        {
            return self
                .subject_phrase(after_dash, end)
                .or(Some(after_dash..end));
        }
        let subject = self.sentence_subject(floor, end)?;
        (self.is_capitalised(subject.start)
            && subject.end < end
            && self.has_person_or_org_mention(subject.clone()))
        .then_some(subject)
    }

    /// The noun phrase that opens the clause at `floor` (over a leading adverbial and
    /// connectors), before `limit`: the subject a later verb of the sentence shares.
    fn sentence_subject(&self, floor: usize, limit: usize) -> Option<Range<usize>> {
        let mut start = floor;
        if self.is_one_of(start, LEADING_PREPOSITIONS) {
            start = (start..limit).find(|&index| self.text(index) == ",")? + 1;
        } else if let Some(comma) = (start..limit.min(start + 6)).find(|&i| self.text(i) == ",") {
            // "Here in the capital, Smith ...", "Just last week, Smith ...": a short opening
            // adverbial that names no one.
            if comma > start && !self.has_person_or_org_mention(start..comma) {
                start = comma + 1;
            }
        }
        while start < limit && self.is_one_of(start, LEADING_CONNECTORS) {
            start += 1;
        }
        self.phrase_after(start, limit)
    }

    // ---- noun phrases ----------------------------------------------------------------------

    /// Walks back from a verb over "has", "also" and the like to where the subject ends.
    fn skip_auxiliaries_back(&self, verb: usize, floor: usize) -> usize {
        let mut end = verb;
        while end > floor && verb - end < 3 && self.is_one_of(end - 1, AUXILIARIES_AND_ADVERBS) {
            end -= 1;
        }
        end
    }

    /// The subject noun phrase ending just before `end` (exclusive), not reaching before
    /// `floor`: back to a clause boundary, over an apposition ("Smith, a lawyer at X,").
    /// The subject of a reported clause: [`Self::subject_phrase`], or the antecedent of a
    /// relative "who" right before the verb.
    fn reporting_subject(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        if end > floor && self.low(end - 1) == "who" {
            return self.relative_antecedent(floor, end - 1);
        }
        self.subject_phrase(floor, end)
    }

    fn subject_phrase(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        if end <= floor {
            return None;
        }
        let mut end = end;
        if self.text(end - 1) == "," {
            // "Steven Rosenthal, a lawyer at the center, said": the name before the apposition.
            // A long apposition ("Jane Roe, director of ..., who ..., said") starts at the
            // first comma of the clause.
            let nearest = (floor..end - 1)
                .rev()
                .take(MAX_SPEAKER_TOKENS + 2)
                .find(|&index| self.text(index) == ",");
            let first = (floor.max(end.saturating_sub(MAX_APPOSITION_TOKENS))..end - 1)
                .find(|&index| self.text(index) == ",");
            let leads_a_name = |comma: &usize| {
                let start = (floor..*comma)
                    .rev()
                    .find(|&index| self.is_clause_punctuation(index))
                    .map_or(floor, |index| index + 1);
                start < *comma
                    && self.is_capitalised(start)
                    && !self.is_one_of(start, LEADING_PREPOSITIONS)
                    && !self.is_one_of(start, LEADING_CONNECTORS)
            };
            end = first.filter(leads_a_name).or(nearest).or(first)?;
        }
        let mut start = end;
        while start > floor {
            let index = start - 1;
            if self.is_clause_punctuation(index) {
                break;
            }
            if self
                .text(index)
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
                && self.is_one_of(index, SUBJECT_BOUNDARY_WORDS)
            {
                break;
            }
            if end - start >= MAX_SPEAKER_TOKENS {
                return None;
            }
            start -= 1;
        }
        // Leading connectors and adverbials are not part of the speaker.
        while start < end && self.is_one_of(start, LEADING_CONNECTORS) {
            start += 1;
        }
        if start < end && self.is_one_of(start, LEADING_PREPOSITIONS) {
            if let Some(determiner) = (start + 1..end).find(|&index| {
                self.is_one_of(index, &["the", "a", "an", "his", "her", "their", "its"])
                    || self.is_one_of(index, &PERSON_PRONOUNS)
                    || self.is_one_of(index, &GROUP_PRONOUNS)
            }) {
                start = determiner;
            } else {
                // "In Ms. Lund's plan ..." is an adverbial, not a subject.
                return None;
            }
        }
        // A pronoun subject takes no modifiers: "... at 7 p.m. He said", "She then turned
        // to the crowd:" name "He" and "She", not the words around them.
        if let Some(pronoun) = (start..end)
            .rev()
            .find(|&index| self.is_one_of(index, &["he", "she", "they", "we", "i"]))
        {
            return Some(pronoun..pronoun + 1);
        }
        self.valid_speaker(start..end).then_some(start..end)
    }

    /// A token that may stand inside a noun phrase: a word, a possessive, a hyphen, an
    /// ampersand or an abbreviation ("Mr.", "U.S.").
    fn is_phrase_word(&self, index: usize) -> bool {
        let text = self.text(index);
        self.is_word(index)
            || matches!(text, "'s" | "’s" | "-" | "&")
            || (text.len() > 1 && text.ends_with('.'))
    }

    /// The subject of a relative "who" at `who`: the noun phrase right before it ("Ms. Roe,
    /// who said ...", "business leaders who say ..."), back to punctuation, a clause word or
    /// a preposition, at most a few words.
    fn relative_antecedent(&self, floor: usize, who: usize) -> Option<Range<usize>> {
        let mut end = who;
        if end > floor && self.text(end - 1) == "," {
            end -= 1;
        }
        let mut start = end;
        while start > floor && end - start < MAX_ANTECEDENT_TOKENS {
            let index = start - 1;
            let text = self.text(index);
            if !self.is_phrase_word(index) {
                break;
            }
            let lowercase = text.chars().next().is_some_and(char::is_lowercase);
            if lowercase
                && (self.is_one_of(index, SUBJECT_BOUNDARY_WORDS)
                    || self.is_one_of(index, ANTECEDENT_STOP_WORDS))
            {
                break;
            }
            start -= 1;
        }
        (start < end && self.valid_speaker(start..end)).then_some(start..end)
    }

    /// The noun phrase starting at `start` ("Smith", "the minister", "a spokesman for the
    /// ministry", "he"), up to punctuation or a word that starts something else.
    fn phrase_after(&self, start: usize, limit: usize) -> Option<Range<usize>> {
        if start >= limit {
            return None;
        }
        if self.is_one_of(start, &PERSON_PRONOUNS) || self.is_one_of(start, &GROUP_PRONOUNS) {
            return Some(start..start + 1);
        }
        let first = self.text(start);
        let opens_phrase = self.is_capitalised(start)
            || self.is_one_of(
                start,
                &[
                    "the", "a", "an", "his", "her", "their", "its", "one", "two", "several",
                    "some", "many", "another", "our", "this", "that",
                ],
            )
            || first.chars().next().is_some_and(|c| c.is_ascii_digit())
            || self.leads_to_a_name(start, limit);
        if !opens_phrase || self.is_speech_verb(start) {
            return None;
        }
        // A name ("Reed", "Secretary of State Jane Roe") ends at the first lowercase word
        // that does not join two capitalised ones: "Reed attacked ..." is a clause.
        let is_name = self.is_capitalised(start)
            && !self.is_one_of(
                start,
                &["the", "a", "an", "his", "her", "their", "its", "this"],
            );
        let mut end = start;
        while end < limit && end - start < MAX_SPEAKER_TOKENS {
            let text = self.text(end);
            if !self.is_phrase_word(end) {
                break;
            }
            let lowercase = text.chars().next().is_some_and(char::is_lowercase);
            if end > start && lowercase && self.is_one_of(end, PHRASE_STOP_WORDS) {
                break;
            }
            let joins_names = self.is_one_of(end, &["of", "for", "de", "van", "von", "al", "bin"])
                && end + 1 < limit
                && self.is_capitalised(end + 1);
            if is_name && lowercase && !joins_names {
                // A name, a description and a name: "Lopez constituent Dana Hill",
                // "Labour party whip Anna Berg", "party strategist Jon Reyes":
                // up to three lowercase words that lead to another capitalised word.
                let mut next = end;
                while next < limit
                    && next - end < 3
                    && self.is_word(next)
                    && self
                        .text(next)
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase)
                    && !self.is_one_of(next, PHRASE_STOP_WORDS)
                    && !self.is_speech_verb(next)
                {
                    next += 1;
                }
                if next > end && next < limit && self.is_capitalised(next) {
                    end = next;
                    continue;
                }
                break;
            }
            end += 1;
        }
        // A trailing "of"/"for" belongs to what follows, not to the name.
        while end > start && self.is_one_of(end - 1, &["of", "for", "the", "a", "an"]) {
            end -= 1;
        }
        // A description is short ("the minister", "a spokesman for the ministry"); a longer
        // run of lowercase words is a clause ("the event brought back memories").
        let lowercase_words = (start..end)
            .filter(|&index| {
                self.text(index)
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
                    && !self.is_one_of(index, &["the", "a", "an", "of", "for"])
            })
            .count();
        // A longer description may close the sentence: "said a former senior law
        // enforcement official."
        let closes_sentence = end >= limit || self.is_terminal(end);
        if lowercase_words > 4 && !(closes_sentence && lowercase_words <= 6) {
            return None;
        }
        (end > start && self.valid_speaker(start..end)).then_some(start..end)
    }

    fn valid_speaker(&self, phrase: Range<usize>) -> bool {
        if phrase.is_empty() || phrase.len() > MAX_SPEAKER_TOKENS {
            return false;
        }
        let head = phrase.end - 1;
        if self.is_one_of(head, NON_SPEAKER_WORDS) || !self.is_word(head) {
            return false;
        }
        if phrase.len() == 1 && self.is_one_of(head, &["which", "what", "there", "this", "that"]) {
            return false;
        }
        phrase
            .clone()
            .any(|index| self.is_word(index) && !self.is_one_of(index, NON_SPEAKER_WORDS))
    }

    fn has_person_or_org_mention(&self, tokens: Range<usize>) -> bool {
        let span = self.span_of(&tokens);
        self.mentions_around(span).into_iter().any(|mention| {
            let mention = &self.document.mentions[mention];
            span.contains(&mention.span)
                && matches!(
                    self.document.entities[mention.entity].entity_type,
                    EntityType::Person | EntityType::Organization
                )
        })
    }

    // ---- outlets ---------------------------------------------------------------------------

    /// The outlet a quote came through, from the attribution's sentence part `from..limit`.
    fn find_via(&self, from: usize, limit: usize) -> Option<Range<usize>> {
        let mut index = from;
        while index < limit {
            let low = self.low(index);
            if low == "quoted" && index + 1 < limit && self.low(index + 1) == "by" {
                return self.phrase_after(index + 2, limit);
            }
            if low == "interview"
                && index + 1 < limit
                && self.is_one_of(index + 1, &["with", "on", "to"])
            {
                if let Some(outlet) = self.phrase_after(index + 2, limit) {
                    if self.is_capitalised(outlet.start) || self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            if matches!(low, "told" | "tells") {
                if let Some(outlet) = self.phrase_after(index + 1, limit) {
                    if self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            if self.is_according_to(index) {
                if let Some(outlet) = self.phrase_after(index + 2, limit) {
                    if self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            if matches!(low, "reported" | "reports" | "reporting") && index > from {
                let subject_end = self.skip_auxiliaries_back(index, from);
                if let Some(outlet) = self.subject_phrase(from, subject_end) {
                    if self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            index += 1;
        }
        None
    }

    fn is_outlet(&self, phrase: &Range<usize>) -> bool {
        let mut start = phrase.start;
        if self.low(start) == "the" {
            start += 1;
        }
        if start >= phrase.end || !self.is_capitalised(start) {
            return false;
        }
        let words: Vec<&str> = (start..phrase.end).map(|index| self.low(index)).collect();
        let name = words.join(" ");
        // The outlet's name may open the phrase ("Reuters TV", "BBC News Online").
        let known = (start + 1..=phrase.end).rev().any(|end| {
            let text: Vec<&str> = (start..end).map(|index| self.text(index)).collect();
            self.gazetteer.news_outlet(&text.join(" ")).is_some()
        }) || SHORT_OUTLET_NAMES.iter().any(|outlet| {
            name == *outlet
                || name
                    .strip_prefix(outlet)
                    .is_some_and(|rest| rest.starts_with(' '))
        });
        let by_suffix = words.len() >= 2
            && OUTLET_SUFFIXES.contains(words.last().unwrap_or(&""))
            && self.is_capitalised(phrase.end - 1);
        let by_entity = {
            let span = self.span_of(phrase);
            self.mentions_around(span).into_iter().any(|mention| {
                let mention = &self.document.mentions[mention];
                span.contains(&mention.span)
                    && self.document.entities[mention.entity]
                        .subtype
                        .as_deref()
                        .is_some_and(|subtype| {
                            matches!(
                                subtype,
                                "news_agency"
                                    | "news agency"
                                    | "media"
                                    | "newspaper"
                                    | "outlet"
                                    | "broadcaster"
                                    | "agency"
                            )
                        })
            })
        };
        known || by_suffix || by_entity
    }

    // ---- speakers --------------------------------------------------------------------------

    /// Gives every candidate its speaker: named phrases first, then pronouns (which refer
    /// back to the nearest earlier named speaker), then continuations and inheritance.
    fn resolve_speakers(&self, candidates: &mut [Candidate]) {
        let mut named: Vec<NamedSpeaker> = Vec::new();
        for candidate in candidates.iter_mut() {
            let Some(phrase) = candidate
                .attribution
                .as_ref()
                .and_then(|a| a.speaker.clone())
            else {
                continue;
            };
            if self.is_pronoun_phrase(&phrase) {
                continue;
            }
            let speaker = self.resolve_phrase(phrase.clone());
            named.push(NamedSpeaker {
                token: phrase.start,
                paragraph: self.paragraph_of(phrase.start),
                speaker: speaker.clone(),
            });
            candidate.speaker = Some(speaker);
        }
        named.sort_by_key(|entry| entry.token);
        for candidate in candidates.iter_mut() {
            let Some(phrase) = candidate
                .attribution
                .as_ref()
                .and_then(|a| a.speaker.clone())
            else {
                continue;
            };
            if self.is_pronoun_phrase(&phrase) {
                candidate.speaker = Some(self.resolve_pronoun(phrase.start, &named));
            }
        }
        // ", adding that ...": the speaker of the quote whose cue is in the same sentence.
        for position in 0..candidates.len() {
            if !candidates[position].continues_clause {
                continue;
            }
            let cue_sentence = candidates[position]
                .attribution
                .as_ref()
                .map(|a| self.sentence_of(a.cue.start));
            let speaker = candidates
                .iter()
                .filter(|other| !other.continues_clause && other.speaker.is_some())
                .filter(|other| {
                    other
                        .attribution
                        .as_ref()
                        .is_some_and(|a| Some(self.sentence_of(a.cue.start)) == cue_sentence)
                })
                .map(|other| other.speaker.clone())
                .next()
                .flatten();
            candidates[position].speaker = speaker;
        }
        self.inherit_speakers(candidates);
    }

    /// A direct quote without a cue continues the speaker of the direct quote before it in
    /// the same paragraph, or in the previous paragraph when that quote ended it; failing
    /// that, it takes the speaker of the next attributed quote in its paragraph.
    fn inherit_speakers(&self, candidates: &mut [Candidate]) {
        let directs: Vec<usize> = (0..candidates.len())
            .filter(|&position| candidates[position].kind == QuoteKind::Direct)
            .collect();
        for (order, &position) in directs.iter().enumerate() {
            if candidates[position].attribution.is_some() {
                continue;
            }
            let Some(&previous) = directs[..order]
                .iter()
                .rev()
                .find(|&&previous| candidates[previous].speaker.is_some())
            else {
                continue;
            };
            let (current, before) = (&candidates[position], &candidates[previous]);
            let (Some(stretch), Some(before_stretch)) = (current.stretch, before.stretch) else {
                continue;
            };
            let same_paragraph = before.paragraph == current.paragraph
                && self.field_of(before_stretch.open) == self.field_of(stretch.open);
            let ends_previous_paragraph = before.paragraph + 1 == current.paragraph
                && self.paragraph_ends_with(before_stretch.close);
            if same_paragraph || ends_previous_paragraph {
                candidates[position].speaker = candidates[previous].speaker.clone();
            }
        }
        for (order, &position) in directs.iter().enumerate().rev() {
            if candidates[position].speaker.is_some() {
                continue;
            }
            let paragraph = candidates[position].paragraph;
            let next = directs[order + 1..]
                .iter()
                .take_while(|&&next| candidates[next].paragraph == paragraph)
                .find(|&&next| {
                    candidates[next].attribution.is_some() && candidates[next].speaker.is_some()
                });
            if let Some(&next) = next {
                candidates[position].speaker = candidates[next].speaker.clone();
            }
        }
        // Still without a speaker: the attribution of any kind whose cue comes last before
        // the quote in its paragraph ("... a “safe pair of hands,” Pereira said. “...”"), else the
        // speech verb of the sentence just before it.
        for &position in &directs {
            let current = &candidates[position];
            if current.speaker.is_some() || current.attribution.is_some() {
                continue;
            }
            let Some(stretch) = current.stretch else {
                continue;
            };
            let paragraph = current.paragraph;
            let field = self.field_of(stretch.open);
            let latest = candidates
                .iter()
                .filter(|other| other.speaker.is_some())
                .filter_map(|other| {
                    let cue = other.attribution.as_ref()?.cue.clone();
                    (cue.end <= stretch.open
                        && self.field_of(cue.start) == field
                        && self.paragraph_of(cue.start) == paragraph)
                        .then_some((cue.start, other.speaker.clone()))
                })
                .max_by_key(|(start, _)| *start)
                .map(|(_, speaker)| speaker);
            let speaker = match latest {
                Some(speaker) => speaker,
                None => self.previous_sentence_speaker(stretch.open, paragraph),
            };
            candidates[position].speaker = speaker;
        }
    }

    /// The named speaker of the last speech verb (outside quotation marks) in the sentence
    /// before `open`, when that sentence is in the same paragraph.
    fn previous_sentence_speaker(&self, open: usize, paragraph: usize) -> Option<Speaker> {
        if open == 0 {
            return None;
        }
        let previous = self.sentence_tokens(open - 1);
        if previous.start >= open || self.paragraph_of(previous.start) != paragraph {
            return None;
        }
        let end = previous.end.min(open);
        let verb = (previous.start..end)
            .rev()
            .take(MAX_APPOSITION_TOKENS)
            .find(|&index| self.is_speech_verb(index) && !self.quoted[index])?;
        let floor = (previous.start..verb)
            .rev()
            .find(|&index| self.quoted[index])
            .map_or(previous.start, |index| index + 1);
        let subject_end = self.skip_auxiliaries_back(verb, floor);
        let phrase = if subject_end > floor && self.text(subject_end - 1) != "," {
            self.subject_phrase(floor, subject_end)
        } else {
            self.phrase_after(verb + 1, end)
        }?;
        (!self.is_pronoun_phrase(&phrase)).then(|| self.resolve_phrase(phrase))
    }

    fn is_pronoun_phrase(&self, phrase: &Range<usize>) -> bool {
        phrase.len() == 1
            && (self.is_one_of(phrase.start, &PERSON_PRONOUNS)
                || self.is_one_of(phrase.start, &GROUP_PRONOUNS))
    }

    /// The quote at `close` ends its paragraph, or only its attribution follows it there.
    fn paragraph_ends_with(&self, close: usize) -> bool {
        let paragraph = self.paragraph_of(close);
        let sentence = self.sentence_of(close);
        let last_in_paragraph = (sentence..self.document.sentences.len())
            .take_while(|&index| self.document.sentences[index].paragraph == paragraph)
            .last()
            .unwrap_or(sentence);
        last_in_paragraph <= sentence + 1
    }

    /// Resolves a speaker phrase to an entity through the mentions on its head word.
    fn resolve_phrase(&self, phrase: Range<usize>) -> Speaker {
        let span = self.span_of(&phrase);
        let head_part_end = (phrase.start + 1..phrase.end)
            .find(|&index| {
                // "Bank of England" is one name; "the center in Dallas" is not.
                self.is_one_of(index, &["at", "from", "with", "in"])
                    || (self.is_one_of(index, &["of", "for"]) && !self.is_capitalised(index - 1))
            })
            .unwrap_or(phrase.end);
        // A possessor is not the head: "the ministry's spokesman" -> "spokesman".
        let head = head_part_end - 1;
        let head_span = self.document.tokens[head].span;
        let inside: Vec<usize> = self
            .mentions_around(span)
            .into_iter()
            .filter(|&index| {
                let mention = self.document.mentions[index].span;
                span.contains(&mention) || mention.contains(&span)
            })
            .collect();
        let is_speaking_type = |mention: usize| {
            matches!(
                self.document.entities[self.document.mentions[mention].entity].entity_type,
                EntityType::Person | EntityType::Organization
            )
        };
        let on_head = inside
            .iter()
            .copied()
            .filter(|&mention| self.document.mentions[mention].span.contains(&head_span))
            .max_by_key(|&mention| {
                (
                    is_speaking_type(mention),
                    self.document.mentions[mention].span.len(),
                )
            });
        if let Some(mention) = on_head {
            let entity = self.document.mentions[mention].entity;
            let pronoun = self.document.mentions[mention].kind == MentionKind::Pronoun;
            return Speaker {
                entity: Some(entity),
                mention: if pronoun {
                    self.document.mentions[mention].span
                } else {
                    span
                },
            };
        }
        let spoken_for = self.is_one_of(head, SPOKESPERSON_HEADS);
        let named_inside = inside
            .iter()
            .copied()
            .filter(|&mention| is_speaking_type(mention))
            .filter(|&mention| {
                spoken_for
                    || self.document.mentions[mention].span.end
                        <= self.document.tokens[head_part_end - 1].span.end
            })
            .filter(|&mention| {
                spoken_for || self.document.mentions[mention].kind == MentionKind::Name
            })
            .max_by_key(|&mention| self.document.mentions[mention].span.start);
        Speaker {
            entity: named_inside.map(|mention| self.document.mentions[mention].entity),
            mention: span,
        }
    }

    /// "he said": the nearest earlier named speaker within a few paragraphs (news names a
    /// speaker, then refers back), else the entity stage's pronoun mention, else the nearest
    /// earlier person (for "it"/"they", organisation) mentioned outside direct quotes.
    fn resolve_pronoun(&self, pronoun: usize, named: &[NamedSpeaker]) -> Speaker {
        let span = self.document.tokens[pronoun].span;
        let wanted = if self.is_one_of(pronoun, &PERSON_PRONOUNS) {
            EntityType::Person
        } else {
            EntityType::Organization
        };
        let paragraph = self.paragraph_of(pronoun);
        let earlier = named.partition_point(|entry| entry.token < pronoun);
        let recent = named[..earlier].iter().rev().find(|entry| {
            self.field_of(entry.token) == span.field
                && paragraph <= entry.paragraph + PRONOUN_REACH_PARAGRAPHS
                && match entry.speaker.entity {
                    Some(entity) => {
                        wanted == EntityType::Organization
                            || self.document.entities[entity].entity_type == wanted
                    }
                    // Unresolved: "he" refers back to a name, not to "the phrase".
                    None => {
                        wanted == EntityType::Organization
                            || self.phrase_is_name(entry.speaker.mention)
                            || self.phrase_is_person_description(entry.speaker.mention)
                    }
                }
        });
        let by_entity_stage = self
            .mentions_around(span)
            .into_iter()
            .map(|index| &self.document.mentions[index])
            .find(|mention| mention.kind == MentionKind::Pronoun && mention.span.contains(&span));
        let nearest = self.nearest_mention_before(span, wanted);
        // A person named as the subject of a sentence after the last named speaker ("Pike
        // voted against the bill. ... “...,” he said") is the likelier antecedent (measured
        // on PolNeAR train and dev).
        if wanted == EntityType::Person {
            let floor = recent.map_or(0, |entry| entry.token);
            if let Some(mention) = self.subject_person_before(pronoun, floor) {
                return Speaker {
                    entity: Some(mention.entity),
                    mention: span,
                };
            }
        }
        // Measured on PolNeAR dev: the last named speaker beats the entity stage's
        // salience-based pronoun link and the nearest person mention.
        if let Some(entry) = recent {
            return match entry.speaker.entity {
                Some(entity) => Speaker {
                    entity: Some(entity),
                    mention: span,
                },
                None => entry.speaker.clone(),
            };
        }
        if let Some(mention) = by_entity_stage {
            return Speaker {
                entity: Some(mention.entity),
                mention: span,
            };
        }
        Speaker {
            entity: nearest.map(|mention| mention.entity),
            mention: span,
        }
    }

    /// The nearest person name in subject position that starts after token `floor` and
    /// before `pronoun`, outside quotation marks, in the pronoun's paragraph or the one
    /// before: at the start of its sentence or clause (after a leading adverbial and a
    /// comma), with at most four title words before it, followed (over an apposition) by a
    /// lowercase word that can be a verb, and not of the other gender by its own words.
    fn subject_person_before(&self, pronoun: usize, floor: usize) -> Option<&Mention> {
        let span = self.document.tokens[pronoun].span;
        let paragraph = self.paragraph_of(pronoun);
        let pronoun_gender = match self.low(pronoun) {
            "he" | "him" => Gender::Male,
            "she" | "her" => Gender::Female,
            _ => Gender::Unknown,
        };
        let until = self.mention_position(span.field, span.start);
        for &index in self.mentions_by_start[..until].iter().rev() {
            let mention = &self.document.mentions[index];
            if mention.span.field != span.field {
                break;
            }
            let first = self.token_at(mention.span);
            if first <= floor || self.paragraph_of(first) + 1 < paragraph {
                break;
            }
            if first >= pronoun
                || mention.kind != MentionKind::Name
                || self.document.entities[mention.entity].entity_type != EntityType::Person
                || self.quoted[first]
            {
                continue;
            }
            let sentence = self.sentence_tokens(first);
            let mut start = first;
            while start > sentence.start
                && first - start < 4
                && self.is_word(start - 1)
                && !self.is_one_of(start - 1, NOT_BEFORE_SUBJECT)
                && !self.is_one_of(start - 1, SUBJECT_BOUNDARY_WORDS)
                && !self.is_one_of(start - 1, LEADING_PREPOSITIONS)
            {
                start -= 1;
            }
            let opens_clause = start == sentence.start
                || (self.text(start - 1) == ","
                    && (self.is_one_of(sentence.start, LEADING_PREPOSITIONS)
                        || self.is_one_of(sentence.start, LEADING_CONNECTORS)
                        || self.is_one_of(sentence.start, SUBJECT_BOUNDARY_WORDS)));
            if !opens_clause || !self.followed_by_predicate(mention.span) {
                continue;
            }
            if pronoun_gender != Gender::Unknown {
                let words = Span::new(
                    mention.span.field,
                    self.document.tokens[start].span.start,
                    mention.span.end,
                );
                let gender = self.phrase_gender(words);
                if gender != Gender::Unknown && gender != pronoun_gender {
                    continue;
                }
            }
            return Some(mention);
        }
        None
    }

    /// Whether a lowercase word that can be a verb follows the name at `name`, over an
    /// apposition in commas or brackets.
    fn followed_by_predicate(&self, name: Span) -> bool {
        let tokens = self.document.tokens.len();
        let mut next = self.token_at(Span::new(name.field, name.end, name.end));
        if next < tokens && matches!(self.text(next), "," | "(") {
            let close = if self.text(next) == "," { "," } else { ")" };
            let limit = (next + MAX_APPOSITION_TOKENS).min(tokens);
            if let Some(closing) = (next + 1..limit).find(|&i| self.text(i) == close) {
                next = closing + 1;
            }
        }
        next < tokens
            && self.is_word(next)
            && self
                .text(next)
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
            && !self.is_one_of(next, &["and", "or", "of", "for", "in", "on", "at", "to"])
    }

    /// The gender the words of a speaker phrase give: an honorific, or a given name followed
    /// by a capitalised surname.
    fn phrase_gender(&self, words: Span) -> Gender {
        let first = self.token_at(words);
        let last = self.token_at(Span::new(words.field, words.end, words.end));
        for index in first..last {
            match self.low(index).trim_end_matches('.') {
                "mr" => return Gender::Male,
                "mrs" | "ms" => return Gender::Female,
                _ => {}
            }
            if self.is_capitalised(index) && index + 1 < last && self.is_capitalised(index + 1) {
                if let Some(gender) = self.gazetteer.first_name(self.text(index)) {
                    if gender != Gender::Unknown {
                        return gender;
                    }
                }
            }
        }
        Gender::Unknown
    }

    /// The mention of a `wanted` entity that starts last among those that end before
    /// `span` in its field, leaving out pronouns and mentions inside direct quotes (the
    /// latest in the article's mention order among those starting at the same place).
    fn nearest_mention_before(&self, span: Span, wanted: EntityType) -> Option<&Mention> {
        let eligible = |mention: &Mention| {
            mention.span.end <= span.start
                && mention.kind != MentionKind::Pronoun
                && self.document.entities[mention.entity].entity_type == wanted
                && !self
                    .claimed
                    .get(self.token_at(mention.span))
                    .copied()
                    .unwrap_or(false)
        };
        let until = self.mention_position(span.field, span.start + 1);
        let mut best: Option<usize> = None;
        for &index in self.mentions_by_start[..until].iter().rev() {
            let mention = &self.document.mentions[index];
            if mention.span.field != span.field {
                break;
            }
            if let Some(found) = best {
                if mention.span.start < self.document.mentions[found].span.start {
                    break;
                }
            }
            if eligible(mention) && best.is_none_or(|found| index > found) {
                best = Some(index);
            }
        }
        best.map(|index| &self.document.mentions[index])
    }

    /// Whether the words of a speaker mention end in a capitalised word ("Mr. Smith",
    /// "the president, Jane Roe"), not a description ("the phrase", "critics").
    fn phrase_is_name(&self, mention: Span) -> bool {
        let last = self.token_at(Span::new(mention.field, mention.end, mention.end));
        last > 0 && {
            let head = last - 1;
            self.is_capitalised(head) && self.document.tokens[head].span.end <= mention.end
        }
    }

    /// Whether one to three lowercase description words at `start` lead to a capitalised
    /// name: "pollster Mark Dunne", "former senator Jo Pike", "campaign manager Al Roe".
    fn leads_to_a_name(&self, start: usize, limit: usize) -> bool {
        let mut next = start;
        while next < limit
            && next - start < 3
            && self.is_word(next)
            && self
                .text(next)
                .chars()
                .all(|c| c.is_lowercase() || c == '-')
            && !self.is_one_of(next, PHRASE_STOP_WORDS)
            && !self.is_one_of(next, ADJUNCT_STARTS)
            && !self.is_speech_verb(next)
        {
            next += 1;
        }
        if next == start || next >= limit || !self.is_capitalised(next) {
            return false;
        }
        let name = self.document.tokens[next].span;
        self.mentions_around(name).into_iter().any(|mention| {
            let mention = &self.document.mentions[mention];
            mention.span.start == name.start
                && mention.span.field == name.field
                && matches!(
                    self.document.entities[mention.entity].entity_type,
                    EntityType::Person | EntityType::Organization
                )
        })
    }

    /// A singular description of a person or body ("the minister", "a senior official"):
    /// a determiner, then a lowercase singular head word.
    fn phrase_is_person_description(&self, mention: Span) -> bool {
        let first = self.token_at(mention);
        let last = self.token_at(Span::new(mention.field, mention.end, mention.end));
        if last <= first + 1 || !self.is_one_of(first, &["the", "a", "an"]) {
            return false;
        }
        let head = self.text(last - 1);
        head.chars().all(|c| c.is_ascii_lowercase()) && !head.ends_with('s')
    }

    /// Index of the first token at or after the start of `span`.
    fn token_at(&self, span: Span) -> usize {
        self.document.tokens.partition_point(|token| {
            (token.span.field, token.span.start) < (span.field, span.start)
        })
    }

    // ---- reported speech -------------------------------------------------------------------

    fn indirect_quotes(&self, directs: &[Candidate]) -> Vec<Candidate> {
        let mut quotes = Vec::new();
        // The end of the last reported content: a stance verb inside it ("they said they
        // want ...") is part of that content, not a claim of its own.
        let mut reported_until = 0;
        for index in 0..self.document.tokens.len() {
            if self.claimed[index] {
                continue;
            }
            let found = if self.is_according_to(index) {
                self.according_to(index)
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else if self.is_speech_verb(index)
                && !self.is_one_of(index, DIRECT_ONLY_VERBS)
                && !(self.is_one_of(index, SPEECH_VERBS_NEEDING_THAT)
                    && !(index + 1 < self.document.tokens.len() && self.low(index + 1) == "that"))
            {
                self.reported_clause(index).map(|(speaker, cue, content)| {
                    let continues = speaker.is_none();
                    (speaker, cue, content, continues)
                })
            } else if self.is_one_of(index, THAT_VERBS)
                && index + 1 < self.document.tokens.len()
                && self.low(index + 1) == "that"
            {
                self.reported_clause(index).map(|(speaker, cue, content)| {
                    let continues = speaker.is_none();
                    (speaker, cue, content, continues)
                })
            } else if self.is_one_of(index, SPEECH_PARTICIPLES)
                && index > 0
                && self.text(index - 1) == ","
            {
                self.content_after(index + 1, true)
                    .map(|content| (None, index..index + 1, content, true))
            } else if let Some(cue) = self.stance_participle(index) {
                (index >= reported_until)
                    .then(|| {
                        let sentence = self.sentence_tokens(index);
                        let start = cue.end;
                        let end = self.complement_end(start, self.content_end(sentence));
                        (start < end && self.is_word(start)).then_some(start..end)
                    })
                    .flatten()
                    .map(|content| (None, cue, content, true))
            } else if self.text(index) == ":" {
                self.colon_introduction(index)
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else if self.quoted[index] {
                // A verb inside quotation marks that are not a direct quote (a title, a
                // partial quote) reports nothing of its own.
                None
            } else if self.is_stance_verb(index) {
                (index >= reported_until)
                    .then(|| self.stance_clause(index))
                    .flatten()
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else if index >= reported_until {
                self.acting_clause(index)
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else {
                None
            };
            let Some((speaker, cue, content, continues_clause)) = found else {
                continue;
            };
            let hidden = self.word_count(content.clone()) < MIN_INDIRECT_WORDS;
            let span = self.span_of(&content);
            if directs.iter().any(|quote| quote.span.contains(&span)) {
                continue;
            }
            if !hidden {
                reported_until = reported_until.max(content.end);
            }
            quotes.push(Candidate {
                kind: QuoteKind::Indirect,
                span,
                paragraph: self.paragraph_of(content.start),
                stretch: None,
                attribution: Some(Attribution {
                    speaker,
                    cue,
                    via: None,
                }),
                continues_clause,
                speaker: None,
                hidden,
            });
        }
        quotes
    }

    /// "SMITH: CONTENT", "Q: ...", "Senator Jones: CONTENT" at the start of a paragraph
    /// (transcripts, interviews, headlines): the rest of the paragraph is the speaker's, when
    /// the label is a short name (all capitals, or holding a person or organisation) and the
    /// content does not open with a quotation mark (direct quotes are found elsewhere).
    fn colon_introduction(
        &self,
        colon: usize,
    ) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        let paragraph = self.paragraph_of(colon);
        let field = self.field_of(colon);
        let same_paragraph =
            |i: usize| self.paragraph_of(i) == paragraph && self.field_of(i) == field;
        let start = (0..colon)
            .rev()
            .take_while(|&i| same_paragraph(i))
            .last()
            .unwrap_or(colon);
        let label = start..colon;
        if label.is_empty()
            || label.len() > 6
            || label.clone().any(|i| self.is_clause_punctuation(i))
        {
            return None;
        }
        let all_capitals = label.clone().all(|i| {
            let text = self.text(i);
            text.chars().any(char::is_alphabetic)
                && text.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
        });
        let named_label =
            self.is_capitalised(start) && self.has_person_or_org_mention(label.clone());
        if !all_capitals && !named_label {
            return None;
        }
        let end = (colon + 1..self.document.tokens.len())
            .take_while(|&i| same_paragraph(i))
            .last()
            .map_or(colon + 1, |last| last + 1);
        let mut content_end = end;
        while content_end > colon + 1 && self.is_terminal(content_end - 1) {
            content_end -= 1;
        }
        let content = colon + 1..content_end;
        if content.is_empty() || is_quotation_mark(self.text(content.start)) {
            return None;
        }
        Some((label, colon..colon + 1, content))
    }

    /// ", citing the report", ", backing the plan", ", calling for a recount": the present
    /// participle of a stance verb after a comma continues the clause's subject. Returns the
    /// cue (with its particle).
    fn stance_participle(&self, index: usize) -> Option<Range<usize>> {
        let text = self.text(index);
        let stem = text.strip_suffix("ing")?;
        if index == 0
            || self.text(index - 1) != ","
            || stem.len() < 2
            || !text.chars().all(|c| c.is_ascii_lowercase())
        {
            return None;
        }
        // "citing" -> "cite", "backing" -> "back", "planning" -> "plan".
        let bytes = stem.as_bytes();
        let undoubled = (bytes.len() > 2 && bytes[bytes.len() - 1] == bytes[bytes.len() - 2])
            .then(|| &stem[..stem.len() - 1]);
        let is_form = |verb: &str| {
            verb == stem
                || verb.strip_suffix('e') == Some(stem)
                || undoubled.is_some_and(|undoubled| verb == undoubled)
        };
        let known = STANCE_VERBS.iter().any(|verb| is_form(verb))
            || STANCE_PARTICLES.iter().any(|(verb, _)| is_form(verb));
        if !known {
            return None;
        }
        let next = index + 1;
        let particle = next < self.document.tokens.len()
            && STANCE_PARTICLES
                .iter()
                .any(|(verb, particle)| is_form(verb) && *particle == self.low(next));
        Some(if particle {
            index..next + 1
        } else {
            index..next
        })
    }

    /// A stance verb in running text, or one with its particle ("called for").
    fn is_stance_verb(&self, index: usize) -> bool {
        let text = self.text(index);
        if !text.chars().next().is_some_and(char::is_lowercase) {
            return false;
        }
        static STANCE_VERB_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(STANCE_VERBS));
        STANCE_VERB_SET.contains(text) || self.stance_particle(index).is_some()
    }

    /// The index of the particle after a particle verb ("called for" -> "for").
    fn stance_particle(&self, index: usize) -> Option<usize> {
        let next = index + 1;
        (next < self.document.tokens.len()
            && STANCE_PARTICLES.contains(&(self.low(index), self.low(next))))
        .then_some(next)
    }

    /// "X wants CONTENT", "X called for CONTENT", "polls show CONTENT": the subject before
    /// the stance verb (over auxiliaries and adverbs), and the complement after it to the
    /// end of its clause.
    fn stance_clause(&self, verb: usize) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        let sentence = self.sentence_tokens(verb);
        if verb == sentence.start {
            return None;
        }
        let previous = self.low(verb - 1);
        // "to support", "the proposed plan", "a supported claim", "was found", "is
        // expected": not a finite active verb.
        if matches!(
            previous,
            "to" | "the"
                | "a"
                | "an"
                | "of"
                | "for"
                | "by"
                | "this"
                | "its"
                | "their"
                | "is"
                | "are"
                | "was"
                | "were"
                | "be"
                | "been"
                | "being"
                | "'s"
                | "’s"
        ) {
            return None;
        }
        let floor = self.unclaimed_floor(sentence.start, verb);
        let subject_end = self.subject_end_before(verb, floor);
        if self.is_one_of(verb, NOUN_LIKE_STANCE_FORMS)
            && subject_end == verb
            && !matches!(
                previous,
                "he" | "she" | "they" | "it" | "we" | "i" | "you" | "who" | "that"
            )
            && !MODALS.contains(previous)
        {
            return None;
        }
        let subject = self.subject_phrase(floor, subject_end)?;
        let cue_end = self
            .stance_particle(verb)
            .map_or(verb + 1, |particle| particle + 1);
        let end = self.complement_end(cue_end, self.content_end(sentence));
        if cue_end >= end
            || self.is_clause_punctuation(cue_end)
            || is_quotation_mark(self.text(cue_end))
        {
            return None;
        }
        Some((subject, verb..cue_end, cue_end..end))
    }

    /// Where a clause of `verb` may start: after the last token before it, in its sentence,
    /// that a direct quote or its cue already claimed.
    fn unclaimed_floor(&self, sentence_start: usize, verb: usize) -> usize {
        (sentence_start..verb)
            .rev()
            .find(|&index| self.claimed[index])
            .map_or(sentence_start, |index| index + 1)
    }

    /// Where the subject of a stance or acting verb ends: before its auxiliaries and adverbs
    /// and one manner adverb ("Smith sharply criticized", "she has seriously considered").
    fn subject_end_before(&self, verb: usize, floor: usize) -> usize {
        let mut end = self.skip_auxiliaries_back(verb, floor);
        if end > floor + 1
            && self.low(end - 1).ends_with("ly")
            && self.text(end - 1).chars().all(|c| c.is_ascii_lowercase())
        {
            end -= 1;
            end = self.skip_auxiliaries_back(end, floor);
        }
        end
    }

    /// Any other finite verb right after a person or organisation subject ("the senator
    /// dismissed the report as partisan", "she questioned whether ..."): political news reports
    /// stances through actions as much as through speech, so the complement of such a verb
    /// is taken as reported content.
    fn acting_clause(&self, verb: usize) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        // Words that are never the acting verb, as one set.
        static NOT_ACTING: LazyLock<WordSet> = LazyLock::new(|| {
            [
                ACTING_STOP_WORDS,
                FINITE_AUXILIARIES,
                PLURAL_GROUP_NOUNS,
                &MODALS,
            ]
            .concat()
            .into_iter()
            .collect()
        });
        let text = self.text(verb);
        if text.len() < 4
            || !text.chars().all(|c| c.is_ascii_lowercase())
            || NOT_ACTING.contains(text)
        {
            return None;
        }
        let sentence = self.sentence_tokens(verb);
        if verb == sentence.start {
            return None;
        }
        let floor = self.unclaimed_floor(sentence.start, verb);
        let subject_end = self.subject_end_before(verb, floor);
        if subject_end <= floor {
            return None;
        }
        let last = subject_end - 1;
        let pronoun = matches!(self.low(last), "he" | "she" | "they" | "who" | "i" | "we");
        let finite = pronoun
            || text.ends_with("ed")
            || (text.ends_with('s') && !text.ends_with("ss"))
            || subject_end < verb
            || MODALS.contains(self.low(verb - 1));
        if !finite {
            return None;
        }
        let named = self.is_capitalised(last)
            && self.is_word(last)
            && (last > sentence.start || self.has_person_or_org_mention(last..last + 1));
        if !pronoun && !named {
            return None;
        }
        // A noun after a name ("Reyes supporters said"): the verb follows it.
        let next = verb + 1;
        if next < sentence.end
            && (self.is_speech_verb(next)
                || MODALS.contains(self.low(next))
                || FINITE_AUXILIARIES.contains(&self.low(next)))
        {
            return None;
        }
        let subject = self.subject_phrase(floor, subject_end)?;
        let start = if next < sentence.end && self.is_one_of(next, ACTING_PARTICLES) {
            next + 1
        } else {
            next
        };
        let end = self.complement_end(start, self.content_end(sentence));
        if start >= end
            || !(self.is_word(start) || self.text(start).starts_with(|c: char| c.is_ascii_digit()))
            || self.is_one_of(start, NOT_CLAUSE_STARTS)
            || self.is_one_of(start, ADJUNCT_STARTS)
        {
            return None;
        }
        Some((subject, verb..start, start..end))
    }

    /// Where a clause starting at `start` ends before `limit`: at a semicolon, a dash, or a
    /// comma before a word that starts another clause.
    fn clause_end(&self, start: usize, limit: usize) -> usize {
        (start..limit)
            .find(|&index| {
                matches!(self.text(index), ";" | "—" | "–" | "--")
                    || (self.text(index) == ","
                        && index + 1 < limit
                        && self.is_one_of(index + 1, CLAUSE_BREAKS))
                    || (self.is_one_of(index, &["and", "but"])
                        && index + 1 < limit
                        && self.is_speech_verb(index + 1))
            })
            .unwrap_or(limit)
    }

    /// Where the complement of a stance or acting verb ends: its clause end, or earlier at a
    /// comma before a participle, an apposition or a new clause ("endorsed Okafor, citing
    /// ...", "cited the program, the federally funded ...", "..., his administration ...").
    fn complement_end(&self, start: usize, limit: usize) -> usize {
        let end = self.clause_end(start, limit);
        (start + 1..end)
            .find(|&index| {
                self.text(index) == "," && index + 1 < end && {
                    let next = self.text(index + 1);
                    let low = self.low(index + 1);
                    (low.ends_with("ing") && next.chars().all(|c| c.is_ascii_lowercase()))
                        || CLAUSE_STARTS.contains(&low)
                        || self.is_capitalised(index + 1)
                        || next.starts_with(|c: char| c.is_ascii_digit())
                        || matches!(low, "or" | "just" | "including" | "even" | "not")
                }
            })
            .unwrap_or(end)
    }

    /// "According to X, CONTENT." and "CONTENT, according to X."
    fn according_to(&self, index: usize) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        let sentence = self.sentence_tokens(index);
        let end = self.content_end(sentence.clone());
        let cue = index..index + 2;
        let opens_sentence = (sentence.start..index)
            .all(|i| !self.is_word(i) || self.is_one_of(i, LEADING_CONNECTORS));
        if opens_sentence {
            let source = self.phrase_after(index + 2, end)?;
            let after = source.end;
            return (after < end && self.text(after) == ",").then_some((
                source,
                cue,
                after + 1..end,
            ));
        }
        if index > sentence.start && self.text(index - 1) == "," {
            // "CONTENT, according to X (of Y, who ...)": the source may be a long or lowercase
            // phrase ("people familiar with the talks"); it runs to its first comma.
            let source = self.phrase_after(index + 2, end).unwrap_or_else(|| {
                let stop = (index + 2..end)
                    .find(|&i| self.is_clause_punctuation(i))
                    .unwrap_or(end);
                index + 2..stop.min(index + 2 + MAX_SPEAKER_TOKENS)
            });
            if source.is_empty() {
                return None;
            }
            let mut start = sentence.start;
            while start < index && self.is_one_of(start, LEADING_CONNECTORS) {
                start += 1;
            }
            return (start + 1 < index).then_some((source, cue, start..index - 1));
        }
        None
    }

    /// "X said (that) CONTENT", "CONTENT, X said.", "CONTENT, said X."
    #[allow(clippy::type_complexity)]
    fn reported_clause(
        &self,
        verb: usize,
    ) -> Option<(Option<Range<usize>>, Range<usize>, Range<usize>)> {
        let sentence = self.sentence_tokens(verb);
        let floor = self.unclaimed_floor(sentence.start, verb);
        let subject_end = self.skip_auxiliaries_back(verb, floor);
        let subject = self.reporting_subject(floor, subject_end);
        let end = self.content_end(sentence.clone());
        // "CONTENT, said X." (X ends the sentence) before "Smith, a lawyer, said ...".
        if verb > sentence.start && self.text(verb - 1) == "," {
            let inverted = self
                .phrase_after(verb + 1, end)
                .filter(|source| {
                    (self.has_person_or_org_mention(source.clone())
                        || self.is_pronoun_phrase(source)
                        || self.phrase_is_person_description(self.span_of(source)))
                        && (source.end >= end
                            || self.apposition_to_sentence_end(source.end, end)
                            || (self.ends_clause_at_sentence_end(source.end, end)
                                && end - source.end <= MAX_TRAILING_ADVERBIAL_TOKENS
                                && !self.holds_finite_clause(source.end..end)))
                })
                .and_then(|source| {
                    let content = self.content_around(sentence.start, verb - 1, source.end, end)?;
                    Some((Some(source), verb..verb + 1, content))
                });
            if inverted.is_some() {
                return inverted;
            }
        }
        if let Some(subject) = subject {
            // "X said (that) CONTENT"
            if let Some(content) =
                self.content_after(verb + 1, self.is_one_of(verb, VERBS_WITH_HEARER))
            {
                return Some((Some(subject), verb..verb + 1, content));
            }
            // "CONTENT, X said." and "CONTENT, X said, MORE CONTENT."
            let content = subject
                .start
                .checked_sub(1)
                .filter(|&comma| comma > sentence.start && self.text(comma) == ",")
                .and_then(|comma| self.content_around(sentence.start, comma, verb + 1, end));
            if let Some(content) = content {
                return Some((Some(subject), verb..verb + 1, content));
            }
            if self.text(verb - 1) != "," {
                return None;
            }
        }
        // "CONTENT, said X." and "CONTENT, said X, MORE CONTENT."
        if verb > sentence.start && self.text(verb - 1) == "," {
            let source = self.phrase_after(verb + 1, end)?;
            let content = self.content_around(sentence.start, verb - 1, source.end, end)?;
            return Some((Some(source), verb..verb + 1, content));
        }
        // "X visited the plant and said (that) CONTENT": the speaker is the clause's subject,
        // taken from the attribution before it in the sentence when there is one.
        if verb > sentence.start && self.is_one_of(verb - 1, &["and", "but"]) {
            let content = self.content_after(verb + 1, self.is_one_of(verb, VERBS_WITH_HEARER))?;
            return Some((None, verb..verb + 1, content));
        }
        None
    }

    /// The reported content around an attribution that sits after a comma at `comma`: the
    /// clause before it when the attribution ends the sentence, or the whole sentence when
    /// the content goes on after it ("The museum, he said, would ...").
    fn content_around(
        &self,
        sentence_start: usize,
        comma: usize,
        after_attribution: usize,
        end: usize,
    ) -> Option<Range<usize>> {
        let start = (sentence_start..comma)
            .find(|&index| !self.is_one_of(index, LEADING_CONNECTORS))
            .unwrap_or(sentence_start);
        if is_quotation_mark(self.text(start)) {
            return None;
        }
        if self.ends_clause_at_sentence_end(after_attribution, end)
            || self.apposition_to_sentence_end(after_attribution, end)
        {
            return Some(start..comma);
        }
        // Only an adverbial, then a comma and more of the content.
        let resumes = (after_attribution..end.min(after_attribution + 8))
            .find(|&index| self.text(index) == ",")
            .filter(|&index| {
                (after_attribution..index).all(|i| self.is_word(i))
                    && (after_attribution == index
                        || (self.is_one_of(after_attribution, ADJUNCT_STARTS)
                            && self.low(after_attribution) != "to"
                            && index - after_attribution <= 4))
                    && index + 1 < end
                    && !(index + 1..end).any(|i| self.is_speech_verb(i))
            });
        resumes.map(|_| start..end)
    }

    /// ", who ran it for a decade." or ", a lawyer at the firm." after a speaker: an apposition
    /// or a relative clause that runs to the end of the sentence, with no speech of its own.
    fn apposition_to_sentence_end(&self, after: usize, end: usize) -> bool {
        after + 1 < end
            && self.text(after) == ","
            && (self.is_one_of(after + 1, APPOSITION_STARTS) || self.is_capitalised(after + 1))
            && !(after + 1..end).any(|index| {
                self.is_speech_verb(index)
                    || is_quotation_mark(self.text(index))
                    || matches!(self.text(index), ";" | ":")
                    || self.low(index) == "that"
            })
    }

    /// After an attribution at the end of a sentence only adverbials may follow.
    fn ends_clause_at_sentence_end(&self, after: usize, end: usize) -> bool {
        if after >= end {
            return true;
        }
        let rest_is_adverbial = !(after..end).any(|index| {
            self.is_speech_verb(index) || self.low(index) == "that" || self.text(index) == ","
        });
        (self.is_one_of(after, ADJUNCT_STARTS) || self.text(after) == "(") && rest_is_adverbial
    }

    /// The reported clause after a verb: "(told Y) (on Monday) that CONTENT" or a that-less
    /// clause starting right after the verb (or its hearer).
    fn content_after(&self, start: usize, hearer: bool) -> Option<Range<usize>> {
        let sentence = self.sentence_tokens(start.min(self.document.tokens.len() - 1));
        if start >= sentence.end || self.sentence_of(start - 1) != self.sentence_of(start) {
            return None;
        }
        let end = self.content_end(sentence.clone());
        let mut index = start;
        if hearer {
            if let Some(phrase) = self.phrase_after(index, end) {
                if self.low(phrase.start) != "that" {
                    index = phrase.end;
                }
            }
        }
        // "that" within a short adverbial: "said on Thursday that", "said in a statement that".
        let that = (index..end.min(index + 8))
            .take_while(|&i| {
                !matches!(self.text(i), "." | ";" | ":") && !is_quotation_mark(self.text(i))
            })
            .find(|&i| self.low(i) == "that");
        if let Some(that) = that {
            let adverbial_only = (index..that)
                .all(|i| self.is_word(i) || matches!(self.text(i), "," | "'s" | "’s"))
                && (that == index
                    || self.is_one_of(index, ADJUNCT_STARTS)
                    || self.text(index) == ",");
            if adverbial_only && that + 1 < end {
                return Some(that + 1..self.clause_end(that + 1, end));
            }
        }
        // "vowed to repeal ...", "asked to see ...": the infinitive is the content.
        if index + 1 < end
            && self.low(index) == "to"
            && self.is_one_of(index - 1, INFINITIVE_SPEECH_VERBS)
            && self.text(index + 1).chars().all(|c| c.is_ascii_lowercase())
        {
            return Some(index..self.clause_end(index, end));
        }
        if index < end
            && (self.is_one_of(index, CLAUSE_STARTS)
                || (self.is_word(index)
                    && !self.is_one_of(index, ADJUNCT_STARTS)
                    && !self.is_one_of(index, NOT_CLAUSE_STARTS)))
        {
            if index + 1 < end && self.text(index + 1) == ":" {
                return None;
            }
            return Some(index..self.clause_end(index, end));
        }
        // "said if elected she would ...", "said on balance it was worth it ...", "said, if
        // elected, she would ...": a clause led by a subordinate clause or an adverbial,
        // taken when a finite clause follows in it.
        let lead = if index + 1 < end
            && self.text(index) == ","
            && self.is_one_of(index + 1, SUBORDINATORS)
        {
            index + 1
        } else {
            index
        };
        if lead < end
            && (self.is_one_of(lead, SUBORDINATORS)
                || (self.is_one_of(lead, ADJUNCT_STARTS)
                    && !self.is_one_of(lead, NON_CLAUSE_ADJUNCTS)))
        {
            let content = lead..self.clause_end(lead, end);
            if self.word_count(content.clone()) >= MIN_LED_CLAUSE_WORDS
                && self.holds_finite_clause(lead + 2..content.end)
            {
                return Some(content);
            }
        }
        None
    }

    /// Whether a subject pronoun or a finite auxiliary or modal stands in `tokens`: the mark
    /// of a clause after an adverbial.
    fn holds_finite_clause(&self, tokens: Range<usize>) -> bool {
        tokens.into_iter().any(|index| {
            self.is_one_of(index, &PERSON_PRONOUNS)
                || self.is_one_of(index, &["it", "they", "we", "there"])
                || self.is_one_of(index, FINITE_AUXILIARIES)
                || MODALS.contains(self.low(index))
        })
    }

    /// Where reported content ends in a sentence: before the final full stop.
    fn content_end(&self, sentence: Range<usize>) -> usize {
        let mut end = sentence.end;
        while end > sentence.start && self.is_terminal(end - 1) {
            end -= 1;
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::{Entity, Field};
    use crate::nlp::text;

    /// An entity the test puts in the document: its type, name and the surface strings of
    /// its mentions (every occurrence) with their kinds.
    struct GivenEntity {
        entity_type: EntityType,
        name: &'static str,
        mentions: &'static [(&'static str, MentionKind)],
    }

    struct Expected {
        kind: QuoteKind,
        text: &'static str,
        /// The entity name when resolved, else the speaker mention text.
        speaker: Option<&'static str>,
        cue: Option<&'static str>,
        via: Option<&'static str>,
    }

    struct Case {
        name: &'static str,
        text: &'static str,
        entities: &'static [GivenEntity],
        expected: &'static [Expected],
    }

    const fn direct(
        text: &'static str,
        speaker: Option<&'static str>,
        cue: Option<&'static str>,
        via: Option<&'static str>,
    ) -> Expected {
        Expected {
            kind: QuoteKind::Direct,
            text,
            speaker,
            cue,
            via,
        }
    }

    const fn indirect(
        text: &'static str,
        speaker: Option<&'static str>,
        cue: Option<&'static str>,
    ) -> Expected {
        Expected {
            kind: QuoteKind::Indirect,
            text,
            speaker,
            cue,
            via: None,
        }
    }

    fn document(text: &str, entities: &[GivenEntity]) -> Document {
        let mut document = Document {
            fields: vec![Field {
                name: "body".into(),
                text: text.into(),
            }],
            ..Document::default()
        };
        text::tokenize(&mut document);
        for given in entities {
            let entity = document.entities.len();
            document.entities.push(Entity {
                entity_type: given.entity_type,
                subtype: None,
                name: given.name.into(),
                aliases: Vec::new(),
                key: given.name.to_lowercase(),
                roles: Vec::new(),
                country: None,
                geo: None,
                salience: 0.0,
                mentions: Vec::new(),
            });
            for &(surface, kind) in given.mentions {
                for (start, _) in text.match_indices(surface) {
                    let span = Span::new(0, start, start + surface.len());
                    let sentence = document.sentence_at(0, start).unwrap_or(0);
                    document.entities[entity]
                        .mentions
                        .push(document.mentions.len());
                    document.mentions.push(Mention {
                        span,
                        kind,
                        entity,
                        sentence,
                    });
                }
            }
        }
        document
    }

    fn describe(document: &Document, quote: &Quote) -> String {
        let speaker = quote.speaker.as_ref().map(|speaker| match speaker.entity {
            Some(entity) => document.entities[entity].name.clone(),
            None => document.text(speaker.mention).to_string(),
        });
        format!(
            "{} {:?} speaker={:?} cue={:?} via={:?}",
            quote.kind.as_str(),
            document.text(quote.span),
            speaker,
            quote.cue.map(|cue| document.text(cue)),
            quote.via.map(|via| document.text(via)),
        )
    }

    fn describe_expected(expected: &Expected) -> String {
        format!(
            "{} {:?} speaker={:?} cue={:?} via={:?}",
            expected.kind.as_str(),
            expected.text,
            expected.speaker,
            expected.cue,
            expected.via,
        )
    }

    use EntityType::{Organization, Person};
    use MentionKind::{Name, Nominal, Pronoun};

    const CASES: &[Case] = &[
        Case {
            name: "british colon introduction",
            text: "Mr Blair said: “We will not walk away from this.”",
            entities: &[],
            expected: &[direct("We will not walk away from this.", Some("Mr Blair"), Some("said"), None)],
        },
        Case {
            name: "american inverted attribution after the quote",
            text: "“The budget is a disgrace,” said Smith.",
            entities: &[],
            expected: &[direct("The budget is a disgrace", Some("Smith"), Some("said"), None)],
        },
        Case {
            name: "inverted attribution with a description between two names",
            text: "“Nobody saw the bill before the vote,” said Labour party whip Anna Berg when asked.",
            entities: &[],
            expected: &[direct(
                "Nobody saw the bill before the vote",
                Some("Labour party whip Anna Berg"),
                Some("said"),
                None,
            )],
        },
        Case {
            name: "straight marks and a nominal speaker",
            text: "\"We will appeal,\" the lawyer said.",
            entities: &[],
            expected: &[direct("We will appeal", Some("the lawyer"), Some("said"), None)],
        },
        Case {
            name: "backtick marks and guillemets",
            text: "``We will appeal,'' the lawyer said.\n«We shall prevail,» the general declared.",
            entities: &[],
            expected: &[
                direct("We will appeal", Some("the lawyer"), Some("said"), None),
                direct("We shall prevail", Some("the general"), Some("declared"), None),
            ],
        },
        Case {
            name: "a pronoun without a pronoun mention falls back to the nearest person",
            text: "Anna Berg arrived in Oslo on Monday.\n\n“We have much to discuss,” she said.",
            entities: &[GivenEntity {
                entity_type: Person,
                name: "Anna Berg",
                mentions: &[("Anna Berg", Name)],
            }],
            expected: &[direct("We have much to discuss", Some("Anna Berg"), Some("said"), None)],
        },
        Case {
            name: "a pronoun mention from the entity stage wins",
            text: "Tom Hale met Ruth Lind.\n\n“The deal is done,” he said.",
            entities: &[
                GivenEntity {
                    entity_type: Person,
                    name: "Tom Hale",
                    mentions: &[("Tom Hale", Name), ("he said", Pronoun)],
                },
                GivenEntity {
                    entity_type: Person,
                    name: "Ruth Lind",
                    mentions: &[("Ruth Lind", Name)],
                },
            ],
            expected: &[direct("The deal is done", Some("Tom Hale"), Some("said"), None)],
        },
        Case {
            name: "a quote over several paragraphs is one quote",
            text: "The senator spoke for an hour.\n\n“First, we must fix the roads.\n\n“Second, we must pay the teachers,” Senator Jones said.",
            entities: &[],
            expected: &[direct(
                "First, we must fix the roads.\n\n“Second, we must pay the teachers",
                Some("Senator Jones"),
                Some("said"),
                None,
            )],
        },
        Case {
            name: "a quote split by its attribution keeps the speaker",
            text: "“We are ready,” the minister said. “The talks will begin tomorrow.”",
            entities: &[GivenEntity {
                entity_type: Person,
                name: "Ivan Petrov",
                mentions: &[("the minister", Nominal)],
            }],
            expected: &[
                direct("We are ready", Some("Ivan Petrov"), Some("said"), None),
                direct("The talks will begin tomorrow.", Some("Ivan Petrov"), None, None),
            ],
        },
        Case {
            name: "a split quote inside one sentence",
            text: "“The plan,” he said, “is already late.”",
            entities: &[],
            expected: &[
                direct("The plan", Some("he"), Some("said"), None),
                direct("is already late.", Some("he"), Some("said"), None),
            ],
        },
        Case {
            name: "scare quotes, titles and group names are not quotes",
            text: "The mayor joined the newly formed “coalition for clean water.” She starred in “The Long Night of the Soul” in 1999. The so-called “peace dividend” never came.",
            entities: &[],
            expected: &[],
        },
        Case {
            name: "according to, before and after the content",
            text: "According to the Interior Ministry, three people were injured in the blast. The factory will close next year, according to a company spokesman.",
            entities: &[GivenEntity {
                entity_type: Organization,
                name: "Interior Ministry",
                mentions: &[("Interior Ministry", Name)],
            }],
            expected: &[
                indirect("three people were injured in the blast", Some("Interior Ministry"), Some("According to")),
                indirect("The factory will close next year", Some("a company spokesman"), Some("according to")),
            ],
        },
        Case {
            name: "outlets a quote came through",
            text: "“Prices will keep rising,” the governor said (quoted by Interfax).\n\n“We are not afraid,” Jones told Reuters.\n\n“It was a mistake,” Smith said in an interview with the BBC.\n\n“The talks were useful,” Xinhua quoted Li as saying.",
            entities: &[],
            expected: &[
                direct("Prices will keep rising", Some("the governor"), Some("said"), Some("Interfax")),
                direct("We are not afraid", Some("Jones"), Some("told"), Some("Reuters")),
                direct("It was a mistake", Some("Smith"), Some("said"), Some("the BBC")),
                direct("The talks were useful", Some("Li"), Some("as saying"), Some("Xinhua")),
            ],
        },
        Case {
            name: "a spokesman speaks for the organisation",
            text: "A spokesman for the Foreign Ministry said the visit had been postponed.",
            entities: &[GivenEntity {
                entity_type: Organization,
                name: "Foreign Ministry",
                mentions: &[("Foreign Ministry", Name)],
            }],
            expected: &[indirect("the visit had been postponed", Some("Foreign Ministry"), Some("said"))],
        },
        Case {
            name: "reported speech with and without that",
            text: "The president said on Tuesday that the economy was recovering. Ms Ortiz believes the vote will be close. The deal is dead, one diplomat said.",
            entities: &[],
            expected: &[
                indirect("the economy was recovering", Some("The president"), Some("said")),
                indirect("the vote will be close", Some("Ms Ortiz"), Some("believes")),
                indirect("The deal is dead", Some("one diplomat"), Some("said")),
            ],
        },
        Case {
            name: "stance verbs report their complement",
            text: "Senator Okafor wants the tax credit extended to renters. The governor sharply criticized the budget deal as reckless. Polls show a tight race in the state. Ms Ito called for an inquiry into the contracts.",
            entities: &[],
            expected: &[
                indirect("the tax credit extended to renters", Some("Senator Okafor"), Some("wants")),
                indirect("the budget deal as reckless", Some("The governor"), Some("criticized")),
                indirect("a tight race in the state", Some("Polls"), Some("show")),
                indirect("an inquiry into the contracts", Some("Ms Ito"), Some("called for")),
            ],
        },
        Case {
            name: "reported content ends before a new clause and holds the stances inside it",
            text: "Mr Dube said the plan would fail, but his party backed it anyway. Most voters say they want a new direction for the country.",
            entities: &[],
            expected: &[
                indirect("the plan would fail", Some("Mr Dube"), Some("said")),
                indirect("they want a new direction for the country", Some("Most voters"), Some("say")),
            ],
        },
        Case {
            name: "an acting verb after a named subject, and nouns that only look like verbs",
            text: "On Tuesday, Ramos voted against a measure to extend the subsidies. Her plans include new taxes on imports. The attacks on the press continued for weeks.",
            entities: &[GivenEntity {
                entity_type: Person,
                name: "Ramos",
                mentions: &[("Ramos", Name)],
            }],
            expected: &[indirect("a measure to extend the subsidies", Some("Ramos"), Some("voted against"))],
        },
        Case {
            name: "inverted attribution with a lowercase description before the name",
            text: "“Nobody saw this coming,” said pollster Mark Dunne. “It changes the race.”",
            entities: &[GivenEntity {
                entity_type: Person,
                name: "Mark Dunne",
                mentions: &[("Mark Dunne", Name)],
            }],
            expected: &[
                direct("Nobody saw this coming", Some("Mark Dunne"), Some("said"), None),
                direct("It changes the race.", Some("Mark Dunne"), None, None),
            ],
        },
        Case {
            name: "a second verb of the same subject reports",
            text: "Mayor Ines Lund toured the flooded district and said the repairs would take months.",
            entities: &[],
            expected: &[
                indirect("the flooded district", Some("Mayor Ines Lund"), Some("toured")),
                indirect("the repairs would take months", Some("Mayor Ines Lund"), Some("said")),
            ],
        },
        Case {
            name: "a passive attribution, and no reported speech inside quotation marks",
            text: "“We want a fair count,” Okoro is quoted as saying. She starred in “They Want It All” last year.",
            entities: &[],
            expected: &[direct("We want a fair count", Some("Okoro"), Some("quoted as saying"), None)],
        },
        Case {
            name: "a stance participle after a comma continues the clause's subject",
            text: "The union rejected the latest wage offer, citing the lack of a pension guarantee.",
            entities: &[],
            expected: &[
                indirect("the latest wage offer", Some("The union"), Some("rejected")),
                indirect("the lack of a pension guarantee", Some("The union"), Some("citing")),
            ],
        },
        Case {
            name: "a second verb introduces the quote, and a bare hearer after told",
            text: "Ms Lund paused and said, “No deal is better than this one.”\n\n“We will keep talking,” Ortiz told reporters.",
            entities: &[],
            expected: &[
                direct("No deal is better than this one.", Some("Ms Lund"), Some("said"), None),
                direct("We will keep talking", Some("Ortiz"), Some("told"), None),
            ],
        },
        Case {
            name: "attributions after a quote that hangs on a comma",
            text: "“Nobody believes that,” Ortiz answered.\n\n“We will see,” she said an hour into the call.\n\n“There was wrongdoing,” said a retired senior district court official.",
            entities: &[],
            expected: &[
                direct("Nobody believes that", Some("Ortiz"), Some("answered"), None),
                direct("We will see", Some("Ortiz"), Some("said"), None),
                direct(
                    "There was wrongdoing",
                    Some("a retired senior district court official"),
                    Some("said"),
                    None,
                ),
            ],
        },
        Case {
            name: "a phrase the subject coined, after a naming verb",
            text: "Ortiz, who Ms Lund dubbed “the quiet fixer,” left early. She starred in the film dubbed “Night Train” last year.",
            entities: &[],
            expected: &[direct("the quiet fixer", Some("Ms Lund"), Some("dubbed"), None)],
        },
        Case {
            name: "a quote after a partial quote takes that sentence's speaker",
            text: "The mayor is also a “safe pair of hands,” Pereira said. “That is exactly what voters want.”",
            entities: &[],
            expected: &[direct("That is exactly what voters want.", Some("Pereira"), None, None)],
        },
        Case {
            name: "a colon after a clause with no speech verb",
            text: "Mayor Ines Lund leaned in toward the crowd: “We are not done yet.”",
            entities: &[GivenEntity {
                entity_type: Person,
                name: "Ines Lund",
                mentions: &[("Ines Lund", Name)],
            }],
            expected: &[direct("We are not done yet.", Some("Ines Lund"), Some(":"), None)],
        },
        Case {
            name: "a pronoun refers to a person named as a later subject, not the last speaker",
            text: "“We will win,” said Tom Reyes.\n\nSen. Jo Pike arrived late for the vote on Tuesday. “It was a mistake,” he said.",
            entities: &[
                GivenEntity {
                    entity_type: Person,
                    name: "Tom Reyes",
                    mentions: &[("Tom Reyes", Name)],
                },
                GivenEntity {
                    entity_type: Person,
                    name: "Jo Pike",
                    mentions: &[("Jo Pike", Name)],
                },
            ],
            expected: &[
                direct("We will win", Some("Tom Reyes"), Some("said"), None),
                direct("It was a mistake", Some("Jo Pike"), Some("said"), None),
            ],
        },
        Case {
            name: "a short opening adverbial is not the subject",
            text: "Here in the capital, Ms Ortiz waved to the crowd, saying, “The count is not over.”",
            entities: &[],
            expected: &[direct("The count is not over.", Some("Ms Ortiz"), Some("saying"), None)],
        },
        Case {
            name: "pronoun subjects take no modifiers",
            text: "Polls close at 7 p.m. He said the count would take all night.",
            entities: &[],
            expected: &[indirect("the count would take all night", Some("He"), Some("said"))],
        },
        Case {
            name: "transcript labels and a long source after according to",
            text: "MARTINEZ: We expect the bill to pass next week.\n\nThe bill stalled last year, according to people familiar with the talks.",
            entities: &[],
            expected: &[
                indirect("We expect the bill to pass next week", Some("MARTINEZ"), Some(":")),
                indirect("The bill stalled last year", Some("people familiar with the talks"), Some("according to")),
            ],
        },
        Case {
            name: "nested quotes stay inside the outer quote",
            text: "“He told me, ‘Never give up,’ and I never did,” Brown said.",
            entities: &[],
            expected: &[direct(
                "He told me, ‘Never give up,’ and I never did",
                Some("Brown"),
                Some("said"),
                None,
            )],
        },
        Case {
            name: "british single marks",
            text: "‘We have done nothing wrong,’ the chairman said.",
            entities: &[],
            expected: &[direct("We have done nothing wrong", Some("the chairman"), Some("said"), None)],
        },
        Case {
            name: "a quote with no cue continues the speaker of the paragraph",
            text: "Smith said: “We will win.” “Nobody can stop us now.”",
            entities: &[],
            expected: &[
                direct("We will win.", Some("Smith"), Some("said"), None),
                direct("Nobody can stop us now.", Some("Smith"), None, None),
            ],
        },
        Case {
            name: "a one-word answer with a cue is a quote",
            text: "Asked whether he would resign, the chairman paused. “No,” he said.",
            entities: &[],
            expected: &[direct("No", Some("he"), Some("said"), None)],
        },
        Case {
            name: "a participle continues the speaker with reported speech",
            text: "“We are done,” Smith said, adding that the team would leave on Friday.",
            entities: &[],
            expected: &[
                direct("We are done", Some("Smith"), Some("said"), None),
                indirect("the team would leave on Friday", Some("Smith"), Some("adding")),
            ],
        },
        Case {
            name: "no reported speech inside a direct quote",
            text: "“I think the plan will fail, and he said that too,” Jones said.",
            entities: &[],
            expected: &[direct(
                "I think the plan will fail, and he said that too",
                Some("Jones"),
                Some("said"),
                None,
            )],
        },
        Case {
            name: "an apposition is not the speaker's name",
            text: "“Rates will stay high,” said Lena Park, an economist at the bank.\n\nOmar Diaz, a lawyer for the family, said the ruling would be appealed.",
            entities: &[],
            expected: &[
                direct("Rates will stay high", Some("Lena Park"), Some("said"), None),
                indirect("the ruling would be appealed", Some("Omar Diaz"), Some("said")),
            ],
        },
        Case {
            name: "a colon paragraph introduces the next paragraph's quote",
            text: "Mrs Hale continued:\n\n“The roads are a scandal. They have been for years.”",
            entities: &[],
            expected: &[direct(
                "The roads are a scandal. They have been for years.",
                Some("Mrs Hale"),
                Some("continued"),
                None,
            )],
        },
            Case {
            name: "two apostrophes open and close a quote",
            text: "''We must not overreact,'' he told me. ''The rest is noise.''",
            entities: &[],
            expected: &[
                direct("We must not overreact", Some("he"), Some("told"), None),
                direct("The rest is noise.", Some("he"), None, None),
            ],
        },
        Case {
            name: "a signature after a dash",
            text: "“The debate changed nothing for me at all.” ― Maria Lopez\n“I will vote anyway.” ― Tom Reed.",
            entities: &[],
            expected: &[
                direct("The debate changed nothing for me at all.", Some("Maria Lopez"), Some("―"), None),
                direct("I will vote anyway.", Some("Tom Reed"), Some("―"), None),
            ],
        },
        Case {
            name: "the short second part of a split quote",
            text: "“Does anyone know the plan?” Grant asked. “Neither do I.”",
            entities: &[],
            expected: &[
                direct("Does anyone know the plan?", Some("Grant"), Some("asked"), None),
                direct("Neither do I.", Some("Grant"), None, None),
            ],
        },
        Case {
            name: "a long apposition between the quote and the cue",
            text: "“The numbers do not add up,” Carl Weber, a senior fellow at an institute that studies budgets and a former adviser, said on Friday.",
            entities: &[],
            expected: &[direct("The numbers do not add up", Some("Carl Weber"), Some("said"), None)],
        },
        Case {
            name: "a participle after a comma introduces the quote",
            text: "During the speech, Reed attacked his rival, saying, “She is not ready for the job.”",
            entities: &[],
            expected: &[direct("She is not ready for the job.", Some("Reed"), Some("saying"), None)],
        },
        Case {
            name: "an attribution inside the reported sentence",
            text: "The new bridge, the mayor said, will open in the spring. Polls show that voters are tired of the race.",
            entities: &[],
            expected: &[
                indirect("The new bridge, the mayor said, will open in the spring", Some("the mayor"), Some("said")),
                indirect("voters are tired of the race", Some("Polls"), Some("show")),
            ],
        },
        Case {
            name: "a relative who takes the noun phrase before it as the speaker",
            text: "The panel heard from Dana Ortiz, who said the rules were unfair to small farms.",
            entities: &[],
            expected: &[indirect("the rules were unfair to small farms", Some("Dana Ortiz"), Some("said"))],
        },
        Case {
            name: "reported content led by a subordinate clause",
            text: "Nora Pike said if the vote fails, she will resign from the board. Nora Pike said on Monday.",
            entities: &[],
            expected: &[indirect("if the vote fails, she will resign from the board", Some("Nora Pike"), Some("said"))],
        },
        Case {
            name: "content before 'said X' with a relative clause after the speaker",
            text: "Even if the office closed, most of its staff would stay, said Arlo Brandt, who ran it for a decade.",
            entities: &[GivenEntity {
                entity_type: Person,
                name: "Arlo Brandt",
                mentions: &[("Arlo Brandt", Name)],
            }],
            expected: &[indirect("Even if the office closed, most of its staff would stay", Some("Arlo Brandt"), Some("said"))],
        },
        Case {
            name: "a title-case headline reports with a capitalised speech verb",
            text: "Harbour Chief Says New Dock Will Open In Spring\n\nThe Dock Board Meets On Monday.",
            entities: &[],
            expected: &[indirect("New Dock Will Open In Spring", Some("Harbour Chief"), Some("Says"))],
        },
        Case {
            name: "an unclosed straight mark does not swallow the next paragraph",
            text: "\"Kevin was asleep.\n\n“Here he is,” she said.",
            entities: &[],
            expected: &[direct("Here he is", Some("she"), Some("said"), None)],
        },
];

    /// The rule cases hold the rules alone; with the embedded reported-speech model, plain
    /// reported speech keeps its speaker and content, and the model never turns a direct
    /// quote into reported speech.
    #[test]
    fn the_embedded_model_keeps_plain_reported_speech() {
        let body = "Marta Quill, the harbour director, said on Monday that the north pier \
            will reopen in May after repairs.\n\n“We are ready,” Quill said.";
        let document =
            crate::nlp::Pipeline::new().annotate(&crate::nlp::Input::field("body", body));
        let quotes: Vec<(QuoteKind, &str, Option<&str>)> = document
            .quotes
            .iter()
            .map(|quote| {
                (
                    quote.kind,
                    document.text(quote.span),
                    quote.speaker.as_ref().map(|s| document.text(s.mention)),
                )
            })
            .collect();
        assert!(
            quotes
                .iter()
                .any(|(kind, text, speaker)| *kind == QuoteKind::Indirect
                    && text.starts_with("the north pier will reopen in May")
                    && speaker.is_some_and(|s| s.contains("Quill"))),
            "{quotes:?}"
        );
        assert!(
            quotes
                .iter()
                .any(|(kind, text, speaker)| *kind == QuoteKind::Direct
                    && *text == "We are ready"
                    && *speaker == Some("Quill")),
            "{quotes:?}"
        );
    }

    #[test]
    fn cases() {
        let mut failures = Vec::new();
        for case in CASES {
            let mut document = document(case.text, case.entities);
            extract(&mut document, Gazetteer::embedded(), None);
            let found: Vec<String> = document
                .quotes
                .iter()
                .map(|quote| describe(&document, quote))
                .collect();
            let expected: Vec<String> = case.expected.iter().map(describe_expected).collect();
            if found != expected {
                failures.push(format!(
                    "{}:\n  expected {:#?}\n  found    {:#?}",
                    case.name, expected, found
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn speaker_mentions_are_the_words_naming_the_speaker() {
        let mut document = document("“We will respond,” the defence minister said.", &[]);
        extract(&mut document, Gazetteer::embedded(), None);
        let speaker = document.quotes[0].speaker.as_ref().expect("a speaker");
        assert_eq!(document.text(speaker.mention), "the defence minister");
        assert_eq!(speaker.entity, None);
    }
}
