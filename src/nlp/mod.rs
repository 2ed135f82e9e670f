//! The NLP core: text in, [`Enrichment`] out. Pure, synchronous, no I/O.
//!
//! [`Pipeline::enrich`] builds a [`Document`] from an [`Article`] and runs the stages in
//! order, each reading what the earlier ones wrote:
//! `text` (tokens, sentences) -> `entities` (names, descriptions, pronouns clustered into one
//! entity per real thing, places geocoded) -> `dates` -> `quotes` -> `meetings`.
//! The gazetteers are embedded in the binary and loaded once. The transport and the worker
//! never look inside; they call `enrich` on a blocking thread.

pub mod dates;
pub mod document;
pub mod entities;
pub mod gazetteer;
pub mod lexicon;
pub mod linear;
pub mod meetings;
pub use entities::rule_names as ner;
pub use entities::tagger;
pub use quotes::speech_tagger as attribution;
pub mod quotes;
pub mod text;

use crate::article::Article;
use crate::enrichment::Enrichment;
use attribution::AttributionModel;
use document::{Document, Field};
use gazetteer::Gazetteer;
use lexicon::{word_set, WordSet};
use quotes::ContentModel;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};
use tagger::clusters::WordClusters;
use tagger::model::Model;
use tagger::TrainedTagger;

/// Identifies the extraction logic and data in every output (`enrichment.enricher.model`).
pub const MODEL_ID: &str = "perceptron-ner-v1";

/// The pipeline stages, in the order they run; used to label timings.
pub const STAGES: &[&str] = &["text", "entities", "dates", "quotes", "meetings"];

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
            content_model: Some(attribution::embedded_model()),
            time_budget: None,
        }
    }

    /// This pipeline with a time budget per article: once it has run out, the stages not
    /// yet started are skipped and the enrichment says so in `warnings`. Tokenising always
    /// runs; a stage that has started finishes.
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

    /// The gazetteers and word clusters the pipeline reads (for training the
    /// reported-speech tagger on what the pipeline sees).
    pub fn gazetteer_and_clusters(&self) -> (&'static Gazetteer, &WordClusters) {
        (self.gazetteer, self.model.clusters())
    }

    /// Enriches one article.
    pub fn enrich(&self, article: &Article) -> Enrichment {
        self.enrich_timed(article).0
    }

    /// Enriches one article and reports how long each stage took.
    pub fn enrich_timed(&self, article: &Article) -> (Enrichment, StageTimings) {
        if let Some(language) = article.language.as_deref().filter(|lang| !is_english(lang)) {
            let warning = format!(
                "language `{language}` is not supported; only English is analysed, so nothing was extracted"
            );
            return (
                Enrichment::empty(&article.id, language, warning),
                StageTimings::default(),
            );
        }
        let (document, timings) = self.analyse_timed(article);
        if article.language.is_none() && !looks_english(&document) {
            let warning = "the text does not look like English; only English is analysed, so nothing was extracted".to_string();
            let mut enrichment = Enrichment::empty(&article.id, "und", warning);
            enrichment.warnings.extend(document.warnings);
            enrichment.text = converted_text(article);
            return (enrichment, timings);
        }
        let mut enrichment = Enrichment::from_document(&article.id, &document);
        enrichment.text = converted_text(article);
        (enrichment, timings)
    }

    /// Runs every stage and returns the finished document (for tests and evaluations).
    pub fn analyse(&self, article: &Article) -> Document {
        self.analyse_timed(article).0
    }

    fn analyse_timed(&self, article: &Article) -> (Document, StageTimings) {
        let mut document = unanalysed_document(article);
        let mut timings = StageTimings::default();
        let article_started = Instant::now();
        let budget = self.time_budget;
        let mut run = |name: &'static str, stage: &mut dyn FnMut(&mut Document)| {
            let out_of_time = budget.is_some_and(|budget| article_started.elapsed() > budget);
            if out_of_time && name != "text" {
                timings.skipped.push(name);
                return;
            }
            let started = Instant::now();
            stage(&mut document);
            timings.took.push((name, started.elapsed()));
        };
        run("text", &mut text::tokenize);
        run("entities", &mut |document| {
            entities::resolve_with(document, self.gazetteer, &TrainedTagger::new(&self.model))
        });
        run("dates", &mut dates::extract);
        run("quotes", &mut |document| {
            let content_model = self.content_model.as_deref().map(|model| ContentModel {
                model,
                clusters: self.model.clusters(),
            });
            quotes::extract(document, self.gazetteer, content_model)
        });
        run("meetings", &mut |document| {
            meetings::extract(document, self.gazetteer)
        });
        if let (false, Some(budget)) = (timings.skipped.is_empty(), budget) {
            document.warnings.push(format!(
                "the time budget of {} ms per article ran out; not extracted: {}",
                budget.as_millis(),
                timings.skipped.join(", ")
            ));
        }
        (document, timings)
    }
}

/// The document of an article before any stage ran: its title and body fields and its
/// publication time.
pub fn unanalysed_document(article: &Article) -> Document {
    Document {
        fields: article
            .title
            .iter()
            .chain(std::iter::once(&article.body))
            .map(|field| Field {
                name: field.name.clone(),
                text: field.text.clone(),
            })
            .collect(),
        published_at: article.published_at,
        ..Document::default()
    }
}

fn converted_text(article: &Article) -> Option<String> {
    (article.body.name == crate::article::CONVERTED_TEXT_FIELD).then(|| article.body.text.clone())
}

fn is_english(language: &str) -> bool {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(primary.as_str(), "en" | "eng" | "english")
}

/// A cheap check for undeclared languages. Text mostly in another script (Cyrillic, Han,
/// Arabic, ...) is not English. Latin-script text is not English when the function words of
/// other major Latin-script languages (German, French, Spanish, Italian, Portuguese, Dutch)
/// outnumber English ones; text with few of either (tables, lists, results) counts as
/// English, so sports results and market reports are still analysed.
fn looks_english(document: &Document) -> bool {
    const ENGLISH: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "it",
        "as", "at", "by", "said", "his", "be", "from", "has", "have", "are", "an", "this", "not",
        "were", "they", "which", "would", "their", "will", "been", "after", "but", "who",
    ];
    // Frequent function words of other languages that are not English words.
    const OTHER: &[&str] = &[
        "der", "das", "und", "ist", "nicht", "mit", "sich", "dem", "den", "des", "ein", "eine",
        "zu", "auf", "für", "von", "im", "bei", "über", "auch", "wird", "sind", "hat", "le", "la",
        "les", "et", "est", "une", "du", "pour", "dans", "qui", "que", "sur", "pas", "au", "aux",
        "avec", "par", "ce", "il", "elle", "ont", "été", "el", "los", "las", "y", "del", "en",
        "por", "con", "una", "para", "es", "se", "su", "al", "lo", "como", "más", "pero", "sus",
        "di", "che", "è", "della", "nel", "alla", "gli", "sono", "os", "em", "um", "uma", "com",
        "não", "na", "no", "do", "da", "het", "een", "van", "op", "te", "voor", "zijn", "niet",
        "aan", "ook", "als", "bij",
    ];
    let (mut letters, mut latin) = (0usize, 0usize);
    for field in &document.fields {
        for c in field.text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            // Basic Latin, Latin-1, Latin Extended-A/B and Latin Extended Additional.
            latin += usize::from(
                c.is_ascii()
                    || ('\u{c0}'..='\u{24f}').contains(&c)
                    || ('\u{1e00}'..='\u{1eff}').contains(&c),
            );
        }
    }
    if letters >= 20 && latin * 2 < letters {
        return false;
    }
    static ENGLISH_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(ENGLISH));
    static OTHER_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(OTHER));
    let (mut english, mut other) = (0usize, 0usize);
    for index in 0..document.tokens.len() {
        let word = document.token_text(index);
        if !word.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        english += usize::from(ENGLISH_SET.contains(word));
        other += usize::from(OTHER_SET.contains(word));
    }
    other < 3 || english >= other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spent_time_budget_skips_the_later_stages_and_says_so() {
        let article = Article::decode(
            br#"{"id": "b", "body": "Anna Berg met Omar Haddad in Oslo on Monday, she said."}"#,
        )
        .unwrap();
        let spent = Pipeline::new().with_time_budget(Duration::ZERO);
        let (enrichment, timings) = spent.enrich_timed(&article);
        assert!(enrichment.entities.is_empty());
        assert_eq!(
            timings
                .took
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>(),
            ["text"]
        );
        assert_eq!(timings.skipped, ["entities", "dates", "quotes", "meetings"]);
        assert_eq!(enrichment.warnings.len(), 1, "{:?}", enrichment.warnings);
        assert!(enrichment.warnings[0].contains("entities, dates, quotes, meetings"));
        // Text judged not English keeps the budget's warning after its own.
        let german = Article::decode(
            "{\"id\": \"g\", \"body\": \"Die Regierung hat am Montag über die neuen \
             Gesetze beraten, und die Abgeordneten waren sich nicht einig.\"}"
                .as_bytes(),
        )
        .unwrap();
        let (enrichment, _) = spent.enrich_timed(&german);
        assert_eq!(enrichment.warnings.len(), 2, "{:?}", enrichment.warnings);
        assert!(enrichment.warnings[1].contains("time budget"));
        let ample = Pipeline::new().with_time_budget(Duration::from_secs(60));
        let enrichment = ample.enrich(&article);
        assert!(enrichment.warnings.is_empty(), "{:?}", enrichment.warnings);
        assert!(!enrichment.entities.is_empty());
    }

    fn article(json: &str) -> Article {
        Article::decode(json.as_bytes()).unwrap()
    }

    #[test]
    fn another_declared_language_is_passed_through_with_a_warning() {
        let enrichment = Pipeline::new().enrich(&article(
            r#"{"body": "Angela Merkel besuchte Paris am Montag.", "language": "de"}"#,
        ));
        assert_eq!(enrichment.language, "de");
        assert!(enrichment.entities.is_empty());
        assert_eq!(enrichment.warnings.len(), 1);
    }

    #[test]
    fn undeclared_other_languages_are_recognised_but_tables_are_not_rejected() {
        let german = "Die Bundesregierung hat am Montag beschlossen, dass die neuen Regeln ab \
            nächster Woche gelten sollen, wie ein Sprecher des Ministeriums in Berlin mitteilte. \
            Die Opposition kritisierte den Beschluss und sprach von einem Fehler, der die \
            Wirtschaft schwer belasten werde, während die Gewerkschaften eine schnelle Einigung \
            forderten und weitere Gespräche mit der Regierung ankündigten.";
        let enrichment = Pipeline::new().enrich(&article(&format!(r#"{{"body": "{german}"}}"#)));
        assert_eq!(enrichment.language, "und");
        for text in [
            "Der Minister hat sich am Dienstag in Berlin mit dem Präsidenten getroffen. Die beiden sprachen über die Krise und die Hilfe für die Region.",
            "Le ministre a rencontré son homologue dans la capitale pour des discussions sur la sécurité et le commerce.",
            "Министр встретился с коллегой на полях встречи в столице.",
            "外长在首都会见了同行。双方讨论了安全合作问题。",
        ] {
            let enrichment =
                Pipeline::new().enrich(&article(&serde_json::json!({ "body": text }).to_string()));
            assert_eq!(enrichment.language, "und", "{text}");
            assert!(enrichment.entities.is_empty());
        }
        let short_english = "The minister met his counterpart in the capital on Tuesday.";
        let enrichment = Pipeline::new().enrich(&article(
            &serde_json::json!({ "body": short_english }).to_string(),
        ));
        assert_eq!(enrichment.language, "en");
        let table: String = (0..30)
            .map(|row| format!("Team {row} Arsenal 2 Chelsea 1 Liverpool 0\n"))
            .collect();
        let document = Pipeline::new().analyse(&article(
            &serde_json::json!({ "body": format!("SOCCER RESULTS\n{table}") }).to_string(),
        ));
        assert!(looks_english(&document));
    }
}
