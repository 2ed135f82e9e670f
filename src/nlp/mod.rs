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
        self.analyse_batch(std::slice::from_ref(input))
            .pop()
            .expect("one analysis per input")
    }

    /// Analyses several inputs, each exactly as [`Pipeline::analyse`] would, one analysis per
    /// input in order. Each stage runs over every input before the next stage starts, so
    /// a stage's weight tables and word lists stay in the caches from one article to the
    /// next instead of being evicted by the other stages' (about 14% less time over BBC
    /// articles in batches of 16 or more). The time budget counts each article's own time.
    pub fn analyse_batch(&self, inputs: &[Input]) -> Vec<Analysis> {
        let declared: Vec<Option<String>> = inputs
            .iter()
            .map(|input| input.language.and_then(language::declared))
            .collect();
        // Inputs declared in another language are not analysed at all.
        let other =
            |declared: &Option<String>| declared.as_deref().is_some_and(|code| code != "en");
        let runs: Vec<(&Input, bool)> = inputs
            .iter()
            .zip(&declared)
            .filter(|(_, declared)| !other(declared))
            .map(|(input, declared)| (input, declared.is_none()))
            .collect();
        let mut analysed = self.run_stages(&runs).into_iter();
        declared
            .into_iter()
            .map(|declared| {
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
                let (mut document, timings, language) =
                    analysed.next().expect("one run per analysed input");
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
            })
            .collect()
    }

    /// Runs every stage on `input` whatever its language and returns the finished document
    /// (for training, tests and evaluations that read the document itself).
    pub fn annotate(&self, input: &Input) -> Document {
        let (document, _, _) = self
            .run_stages(&[(input, false)])
            .pop()
            .expect("one run per input");
        document
    }

    /// The stages in order, timed, each over every input before the next (see
    /// [`Pipeline::analyse_batch`]). An input with `detect` has its language identified
    /// after tokenising, and text not in English stops there: its language code is
    /// returned.
    fn run_stages(
        &self,
        inputs: &[(&Input, bool)],
    ) -> Vec<(Document, StageTimings, Option<String>)> {
        let mut runs: Vec<Run> = inputs
            .iter()
            .map(|&(input, detect)| Run {
                document: unanalysed_document(input),
                timings: StageTimings::default(),
                spent: Duration::ZERO,
                detect,
                other_language: None,
            })
            .collect();
        let budget = self.time_budget;
        // Runs one stage over every input still going (and among those, the ones `only`
        // picks), timing each.
        let stage = |name: &'static str,
                     runs: &mut [Run],
                     only: &dyn Fn(&Run) -> bool,
                     work: &mut dyn FnMut(&mut Run, Deadline)| {
            for run in runs
                .iter_mut()
                .filter(|run| run.other_language.is_none() && only(run))
            {
                let out_of_time = budget.is_some_and(|budget| run.spent > budget);
                if out_of_time && name != "text" && name != "language" {
                    run.timings.skipped.push(name);
                    continue;
                }
                let started = Instant::now();
                // The article's deadline as if it ran alone: its budget counted from when
                // its first stage would have started.
                let deadline = budget.map_or(Deadline::none(), |budget| {
                    Deadline::after(started.checked_sub(run.spent).unwrap_or(started), budget)
                });
                work(run, deadline);
                let took = started.elapsed();
                run.spent += took;
                run.timings.took.push((name, took));
            }
        };
        let all = |_: &Run| true;
        stage("text", &mut runs, &all, &mut |run, _| {
            text::tokenize(&mut run.document)
        });
        stage("language", &mut runs, &|run| run.detect, &mut |run, _| {
            run.other_language = language::other_than_english(&run.document).map(str::to_string);
        });
        let tagger = TrainedTagger::new(&self.model);
        stage("entities", &mut runs, &all, &mut |run, _| {
            entities::resolve_with(&mut run.document, self.gazetteer, &tagger);
            cap_mentions(&mut run.document);
        });
        stage("dates", &mut runs, &all, &mut |run, _| {
            dates::extract(&mut run.document);
            cap_dates(&mut run.document);
        });
        let content_model = || {
            self.content_model.as_deref().map(|model| ContentModel {
                model,
                clusters: self.model.clusters(),
            })
        };
        stage("quotes", &mut runs, &all, &mut |run, deadline| {
            quotes::extract_within(&mut run.document, self.gazetteer, content_model(), deadline)
        });
        let meeting_models = self.meeting_models.as_deref();
        stage("meetings", &mut runs, &all, &mut |run, deadline| {
            meetings::extract_within(&mut run.document, self.gazetteer, meeting_models, deadline)
        });
        runs.into_iter()
            .map(|mut run| {
                if let (false, Some(budget)) = (run.timings.skipped.is_empty(), budget) {
                    run.document.warnings.push(format!(
                        "the time budget of {} ms per article ran out; not extracted: {}",
                        budget.as_millis(),
                        run.timings.skipped.join(", ")
                    ));
                }
                (run.document, run.timings, run.other_language)
            })
            .collect()
    }
}

/// One input on its way through the stages of a batch.
struct Run {
    document: Document,
    timings: StageTimings,
    /// Time spent on this input so far, what its time budget counts.
    spent: Duration,
    /// Whether its language is identified (none was declared).
    detect: bool,
    /// The language it turned out to be in, when not English: no more stages run on it.
    other_language: Option<String>,
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
    fn in_a_batch_each_article_spends_its_own_time_budget() {
        let text = "Anna Berg met Omar Haddad in Oslo on Monday, she said.";
        let inputs = [body(text), body(text), body(text)];
        let spent = Pipeline::new().with_time_budget(Duration::ZERO);
        for analysis in spent.analyse_batch(&inputs) {
            assert_eq!(analysis.timings.skipped, STAGES[2..]);
            assert!(analysis.document.entities.is_empty());
        }
        // With time to spare, every article of the batch is analysed in full.
        let ample = Pipeline::new().with_time_budget(Duration::from_secs(60));
        let batch = ample.analyse_batch(&inputs);
        assert_eq!(batch.len(), 3);
        for analysis in batch {
            assert!(analysis.timings.skipped.is_empty());
            assert!(!analysis.document.entities.is_empty());
        }
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
