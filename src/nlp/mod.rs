//! The NLP core: plain text fields in, an [`Analysis`] out. Pure, synchronous, no I/O.
//!
//! [`Pipeline::analyse`] builds a [`Document`] from an [`Input`] (named text fields, the
//! publication time, the declared language) and runs the stages in order, each reading what
//! the earlier ones wrote: `text` (tokens, sentences) -> `language` (English or not; other
//! languages stop here) -> `entities` (names, descriptions, pronouns clustered into one entity
//! per real thing, places geocoded) -> `dates` -> `quotes` -> `meetings`.
//! Each stage is a module of that name (the last four are folders whose `mod.rs` names their
//! files); beside them, [`linear`] is the sequence model both trained taggers share,
//! [`lexicon`](mod@lexicon) loads the word lists of `data/lexicon/` and [`gazetteer`] the
//! gazetteers of `data/`. The gazetteers and models are embedded in the binary and loaded
//! once. The core knows nothing of the wire format, the broker or telemetry: the contract
//! above it turns an [`Analysis`] into output, and the service reports the stage timings it
//! returns.

pub mod bounds;
pub mod dates;
pub mod document;
pub mod entities;
pub mod gazetteer;
pub mod language;
pub mod lexicon;
pub mod linear;
pub mod meetings;
pub mod quotes;
pub mod text;

use bounds::Deadline;
use chrono::{DateTime, FixedOffset};
use document::{Document, Field};
use entities::tagger::{self, model::Model, TrainedTagger};
use gazetteer::Gazetteer;
use linear::clusters::WordClusters;
use meetings::MeetingModels;
use quotes::speech_tagger::{self, AttributionModel};
use quotes::ContentModel;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Identifies the extraction logic and data in every output (`enrichment.enricher.model`).
pub const MODEL_ID: &str = "perceptron-ner-v1";

/// The pipeline stages, in the order they run; used to label timings.
pub const STAGES: &[&str] = &[
    "text", "language", "entities", "dates", "quotes", "meetings",
];

/// One named text field of the input; offsets in the result refer to it by its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextField<'a> {
    /// The name the field is reported under (`title`, `body`, ...).
    pub name: &'a str,
    pub text: &'a str,
}

/// What the core analyses: text fields (borrowed, copied once into the [`Document`]), the
/// publication time that anchors relative dates, and the language the sender declared.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    /// The fields in order (title first, then body).
    pub fields: Vec<TextField<'a>>,
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The declared language (`en`, `de-DE`, `english`, ...), if any; it wins over detection.
    pub language: Option<&'a str>,
}

impl<'a> Input<'a> {
    /// An input of one field, `name`, with no publication time or declared language.
    pub fn field(name: &'a str, text: &'a str) -> Input<'a> {
        Input {
            fields: vec![TextField { name, text }],
            ..Input::default()
        }
    }
}

/// What the core made of one input.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The analysed document: tokens and what every stage found. Only tokenised when the
    /// text is not in English; empty when a declared language was not English.
    pub document: Document,
    /// The language: `en`, the detected ISO 639-1 code, or the declared one.
    pub language: String,
    /// True when the language was declared by the input rather than detected.
    pub declared: bool,
    /// True when the text was analysed (it is English); otherwise nothing was extracted.
    pub analysed: bool,
    /// Notes on partial or missing results, in the order they arose.
    pub warnings: Vec<String>,
    pub timings: StageTimings,
}

/// How long each stage took on one article, in the order of [`STAGES`], and which stages
/// the time budget left out.
#[derive(Debug, Clone, Default)]
pub struct StageTimings {
    pub took: Vec<(&'static str, Duration)>,
    pub skipped: Vec<&'static str>,
}

/// The enrichment pipeline. Cheap to share: it holds a reference to the embedded gazetteers
/// and shared models (name tagging, reported speech).
#[derive(Clone)]
pub struct Pipeline {
    gazetteer: &'static Gazetteer,
    model: Arc<Model>,
    /// The reported-speech tagger; `None` leaves reported speech to the rules alone.
    content_model: Option<Arc<AttributionModel>>,
    /// The meeting participant and place models; `None` leaves them to the rules alone.
    meeting_models: Option<Arc<MeetingModels>>,
    /// Past this time on one article, the stages not yet started are skipped (with a warning).
    time_budget: Option<Duration>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new()
    }
}

impl Pipeline {
    /// A pipeline over the embedded gazetteers and model (parsed on first use, once per
    /// process).
    pub fn new() -> Pipeline {
        Pipeline {
            gazetteer: Gazetteer::embedded(),
            model: tagger::embedded_model(),
            content_model: Some(speech_tagger::embedded_model()),
            meeting_models: Some(meetings::embedded_models()),
            time_budget: None,
        }
    }

    /// This pipeline with a time budget per article: once it has run out, the stages not
    /// yet started are skipped and the analysis says so in `warnings`. Tokenising and the
    /// language check always run; the quote and meeting stages check the budget as they go
    /// and stop early with a warning naming the stage (see [`bounds`]).
    pub fn with_time_budget(self, budget: Duration) -> Pipeline {
        Pipeline {
            time_budget: Some(budget),
            ..self
        }
    }

    /// A pipeline whose name tagger uses `model` instead of the embedded one.
    pub fn with_model(model: Model) -> Pipeline {
        Pipeline {
            model: Arc::new(model),
            ..Pipeline::new()
        }
    }

    /// This pipeline with `model` as its reported-speech tagger, or with none (`None`: the
    /// quote rules alone, as the tagger's training reads them).
    pub fn with_content_model(self, model: Option<AttributionModel>) -> Pipeline {
        Pipeline {
            content_model: model.map(Arc::new),
            ..self
        }
    }

    /// This pipeline with `model` completing meeting participants and places, or with none
    /// (`None`: the meeting rules alone, as the models' training reads them).
    pub fn with_meeting_models(self, models: Option<MeetingModels>) -> Pipeline {
        Pipeline {
            meeting_models: models.map(Arc::new),
            ..self
        }
    }

    /// The gazetteers and word clusters the pipeline reads (for training the
    /// reported-speech tagger on what the pipeline sees).
    pub fn gazetteer_and_clusters(&self) -> (&'static Gazetteer, &WordClusters) {
        (self.gazetteer, self.model.clusters())
    }

    /// Analyses one input: tokenises it, decides its language (a declared one wins) and,
    /// when it is English, runs every other stage.
    pub fn analyse(&self, input: &Input) -> Analysis {
        let declared = input.language.and_then(language::declared);
        if let Some(language) = declared.as_deref().filter(|&code| code != "en") {
            let warning = format!(
                "language `{language}` is not supported; only English is analysed, so nothing was extracted"
            );
            return Analysis {
                language: language.to_string(),
                declared: true,
                warnings: vec![warning],
                ..Analysis::default()
            };
        }
        let (mut document, timings, language) = self.run_stages(input, declared.is_none());
        let analysed = language.is_none();
        let mut warnings = std::mem::take(&mut document.warnings);
        if let Some(language) = &language {
            warnings.insert(0, format!(
                "the text does not look like English (`{language}`); only English is analysed, so nothing was extracted"
            ));
        }
        Analysis {
            document,
            language: language.unwrap_or_else(|| "en".to_string()),
            declared: declared.is_some(),
            analysed,
            warnings,
            timings,
        }
    }

    /// Runs every stage on `input` whatever its language and returns the finished document
    /// (for training, tests and evaluations that read the document itself).
    pub fn annotate(&self, input: &Input) -> Document {
        self.run_stages(input, false).0
    }

    /// The stages in order, timed. With `detect`, the language is identified after
    /// tokenising, and text not in English stops there: its language code is returned.
    fn run_stages(&self, input: &Input, detect: bool) -> (Document, StageTimings, Option<String>) {
        let mut document = unanalysed_document(input);
        let mut timings = StageTimings::default();
        let article_started = Instant::now();
        let budget = self.time_budget;
        let deadline = budget.map_or(Deadline::none(), |budget| {
            Deadline::after(article_started, budget)
        });
        let mut run = |name: &'static str, stage: &mut dyn FnMut(&mut Document)| {
            let out_of_time = budget.is_some_and(|budget| article_started.elapsed() > budget);
            if out_of_time && name != "text" && name != "language" {
                timings.skipped.push(name);
                return;
            }
            let started = Instant::now();
            stage(&mut document);
            timings.took.push((name, started.elapsed()));
        };
        run("text", &mut text::tokenize);
        let mut other_language = None;
        if detect {
            run("language", &mut |document| {
                other_language = language::other_than_english(document).map(str::to_string);
            });
            if other_language.is_some() {
                return (document, timings, other_language);
            }
        }
        run("entities", &mut |document| {
            entities::resolve_with(document, self.gazetteer, &TrainedTagger::new(&self.model));
            cap_mentions(document);
        });
        run("dates", &mut |document| {
            dates::extract(document);
            cap_dates(document);
        });
        run("quotes", &mut |document| {
            let content_model = self.content_model.as_deref().map(|model| ContentModel {
                model,
                clusters: self.model.clusters(),
            });
            quotes::extract_within(document, self.gazetteer, content_model, deadline)
        });
        run("meetings", &mut |document| {
            let model = self.meeting_models.as_deref();
            meetings::extract_within(document, self.gazetteer, model, deadline)
        });
        if let (false, Some(budget)) = (timings.skipped.is_empty(), budget) {
            document.warnings.push(format!(
                "the time budget of {} ms per article ran out; not extracted: {}",
                budget.as_millis(),
                timings.skipped.join(", ")
            ));
        }
        (document, timings, None)
    }
}

/// The size of the document's text, which the caps of [`bounds`] grow with.
fn text_bytes(document: &Document) -> usize {
    document.fields.iter().map(|field| field.text.len()).sum()
}

/// Keeps the first mentions up to the article's cap (a warning says when some were cut).
fn cap_mentions(document: &mut Document) {
    let cap = bounds::mention_cap(text_bytes(document));
    if document.mentions.len() <= cap {
        return;
    }
    document.mentions.truncate(cap);
    for entity in &mut document.entities {
        entity.mentions.retain(|&mention| mention < cap);
    }
    let warning = bounds::cap_warning("entities", "mentions", cap);
    document.warnings.push(warning);
}

/// Keeps the first dates up to the article's cap (a warning says when some were cut).
fn cap_dates(document: &mut Document) {
    let cap = bounds::date_cap(text_bytes(document));
    if document.dates.len() > cap {
        document.dates.truncate(cap);
        let warning = bounds::cap_warning("dates", "dates", cap);
        document.warnings.push(warning);
    }
}

/// The document of an input before any stage ran: its fields (copied) and its publication
/// time.
pub fn unanalysed_document(input: &Input) -> Document {
    Document {
        fields: input
            .fields
            .iter()
            .map(|field| Field {
                name: field.name.to_string(),
                text: field.text.to_string(),
            })
            .collect(),
        published_at: input.published_at,
        ..Document::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Input<'_> {
        Input::field("body", text)
    }

    #[test]
    fn a_spent_time_budget_skips_the_later_stages_and_says_so() {
        let text = "Anna Berg met Omar Haddad in Oslo on Monday, she said.";
        let spent = Pipeline::new().with_time_budget(Duration::ZERO);
        let analysis = spent.analyse(&body(text));
        assert!(analysis.document.entities.is_empty());
        assert_eq!(
            analysis
                .timings
                .took
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>(),
            STAGES[..2]
        );
        assert_eq!(analysis.timings.skipped, STAGES[2..]);
        assert_eq!(analysis.warnings.len(), 1, "{:?}", analysis.warnings);
        assert!(analysis.warnings[0].contains("entities, dates, quotes, meetings"));
        let ample = Pipeline::new().with_time_budget(Duration::from_secs(60));
        let analysis = ample.analyse(&body(text));
        assert!(analysis.warnings.is_empty(), "{:?}", analysis.warnings);
        assert!(analysis.analysed);
        assert!(!analysis.document.entities.is_empty());
    }

    #[test]
    fn another_declared_language_is_passed_through_with_a_warning() {
        let analysis = Pipeline::new().analyse(&Input {
            language: Some("de"),
            ..body("Angela Merkel besuchte Paris am Montag.")
        });
        assert_eq!(analysis.language, "de");
        assert!(analysis.declared && !analysis.analysed);
        assert!(analysis.document.entities.is_empty());
        assert_eq!(analysis.warnings.len(), 1);
    }
}
