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
pub mod meetings;
pub mod ner;
pub mod quotes;
pub mod text;

use crate::article::Article;
use crate::enrichment::Enrichment;
use document::{Document, Field};
use gazetteer::Gazetteer;
use std::time::{Duration, Instant};

/// Identifies the extraction logic and data in every output (`enrichment.enricher.model`).
pub const MODEL_ID: &str = "rules-gazetteer-v1";

/// The pipeline stages, in the order they run; used to label timings.
pub const STAGES: &[&str] = &["text", "entities", "dates", "quotes", "meetings"];

/// How long each stage took on one article, in the order of [`STAGES`].
#[derive(Debug, Clone, Default)]
pub struct StageTimings(pub Vec<(&'static str, Duration)>);

/// The enrichment pipeline. Cheap to share: it only holds references to the embedded data.
#[derive(Clone)]
pub struct Pipeline {
    gazetteer: &'static Gazetteer,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new()
    }
}

impl Pipeline {
    /// A pipeline over the embedded gazetteers (parsed on first use, once per process).
    pub fn new() -> Pipeline {
        Pipeline {
            gazetteer: Gazetteer::embedded(),
        }
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
        let mut document = Document {
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
        };
        let mut timings = StageTimings::default();
        let mut run = |name: &'static str, stage: &mut dyn FnMut(&mut Document)| {
            let started = Instant::now();
            stage(&mut document);
            timings.0.push((name, started.elapsed()));
        };
        run("text", &mut text::tokenize);
        run("entities", &mut |document| {
            entities::resolve(document, self.gazetteer)
        });
        run("dates", &mut dates::extract);
        run("quotes", &mut |document| {
            quotes::extract(document, self.gazetteer)
        });
        run("meetings", &mut |document| {
            meetings::extract(document, self.gazetteer)
        });
        (document, timings)
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

/// A cheap check for undeclared languages: English running text has many of these function
/// words. Only lower-case words count, so that tables, lists and headlines full of names and
/// numbers (sports results, market reports) are not mistaken for another language.
fn looks_english(document: &Document) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "it",
        "as", "at", "by", "said", "his", "be", "from", "has", "have", "are", "an", "this", "not",
    ];
    let words: Vec<&str> = (0..document.tokens.len())
        .map(|index| document.token_text(index))
        .filter(|token| token.chars().next().is_some_and(char::is_lowercase))
        .collect();
    if words.len() < 20 {
        return true;
    }
    let hits = words
        .iter()
        .filter(|word| FUNCTION_WORDS.contains(word))
        .count();
    hits * 100 / words.len() >= 10
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let table: String = (0..30)
            .map(|row| format!("Team {row} Arsenal 2 Chelsea 1 Liverpool 0\n"))
            .collect();
        let document = Pipeline::new().analyse(&article(
            &serde_json::json!({ "body": format!("SOCCER RESULTS\n{table}") }).to_string(),
        ));
        assert!(looks_english(&document));
    }
}
