//! The JSON contract above the NLP core (design.md sections 2 and 3): what scrapers send and
//! what indexers receive.
//!
//! [`article`] decodes a message into an [`Article`] (field aliases, publication time, id)
//! and writes the enriched message back; [`html`] turns an article sent as HTML only into
//! text; [`enrichment`] is the `enrichment` object, built from the core's
//! [`Analysis`](crate::nlp::Analysis). [`enrich`] goes from the raw bytes of one message to
//! its encoded output (or a decode error): the worker, the `enrich` and `loadgen` commands and
//! the benchmarks all call it; [`enrichment_of`] stops short of the encoding, for the
//! evaluations and tests that read the result. Nothing here knows about NATS; the core knows
//! nothing of this layer.

pub mod article;
pub mod enrichment;
pub mod html;

pub use article::{Article, DecodeError};
pub use enrichment::Enrichment;

use crate::nlp::{Analysis, Pipeline, StageTimings};

/// One message enriched: the bytes to publish and what the service reports about it.
#[derive(Debug, Clone)]
pub struct Enriched {
    pub article_id: String,
    /// The input object with `enrichment` added, as JSON.
    pub output: Vec<u8>,
    pub timings: StageTimings,
}

/// Decodes one message of at most `limit` bytes, analyses it and encodes the enriched
/// message.
pub fn enrich(pipeline: &Pipeline, payload: &[u8], limit: usize) -> Result<Enriched, DecodeError> {
    enrich_batch(pipeline, &[payload], limit)
        .pop()
        .expect("one result per message")
}

/// How many messages the batch paths (`enrich`, the HTTP API's JSONL batch, and by default
/// the worker's `worker.batch_articles`) give [`enrich_batch`] at a time: batches of 16 or more take about 14% less time than one by
/// one over BBC articles, and larger ones gain little more.
pub const BATCH_ARTICLES: usize = 32;

/// [`enrich`] of several messages at once, one result per message in order, each the same
/// as [`enrich`] would give it: the decoded articles are analysed as one batch
/// ([`Pipeline::analyse_batch`], each stage over all of them before the next), which is
/// faster than one by one.
pub fn enrich_batch(
    pipeline: &Pipeline,
    payloads: &[&[u8]],
    limit: usize,
) -> Vec<Result<Enriched, DecodeError>> {
    let decoded: Vec<Result<Article, DecodeError>> = payloads
        .iter()
        .map(|payload| Article::decode_within(payload, limit))
        .collect();
    let inputs: Vec<_> = decoded.iter().flatten().map(Article::input).collect();
    let mut analyses = pipeline.analyse_batch(&inputs).into_iter();
    decoded
        .into_iter()
        .map(|article| {
            let article = article?;
            let analysis = analyses.next().expect("one analysis per decoded article");
            let enrichment = enrichment_from(&article, &analysis);
            Ok(Enriched {
                output: article.encode(&enrichment),
                article_id: article.id,
                timings: analysis.timings,
            })
        })
        .collect()
}

/// The error object given in place of an article that cannot be decoded:
/// `{"error": {"kind", "message"}}`, plus `"line": N` when it stands for a line of a batch.
/// `enrich` prints it as the line's output; the HTTP API answers it with a 4xx status.
pub fn error_object(error: &DecodeError, line: Option<usize>) -> Vec<u8> {
    let mut value = serde_json::json!({
        "error": {"kind": error.kind(), "message": error.to_string()},
    });
    if let Some(line) = line {
        value["line"] = line.into();
    }
    serde_json::to_vec(&value).expect("a JSON value is always serializable")
}

/// The enrichment of a decoded article (for evaluations and tests that read it).
pub fn enrichment_of(pipeline: &Pipeline, article: &Article) -> Enrichment {
    enrichment_from(article, &pipeline.analyse(&article.input()))
}

/// The enrichment of `article` from the core's `analysis` of it, the article's own warnings
/// (about its input) first.
fn enrichment_from(article: &Article, analysis: &Analysis) -> Enrichment {
    let mut enrichment = Enrichment::from_analysis(&article.id, analysis, article.converted_text());
    if !article.warnings().is_empty() {
        enrichment
            .warnings
            .splice(0..0, article.warnings().iter().cloned());
    }
    enrichment
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn enriched(message: &Value) -> Value {
        let payload = message.to_string();
        let enriched = enrich(&Pipeline::new(), payload.as_bytes(), usize::MAX).unwrap();
        serde_json::from_slice::<Value>(&enriched.output).unwrap()["enrichment"].clone()
    }

    const GERMAN: &str = "Die Bundesregierung hat am Montag beschlossen, dass die neuen Regeln ab \
        nächster Woche gelten sollen, wie ein Sprecher des Ministeriums in Berlin mitteilte. Die \
        Opposition kritisierte den Beschluss und sprach von einem Fehler, der die Wirtschaft \
        schwer belasten werde, während die Gewerkschaften eine schnelle Einigung forderten.";
    const FRENCH: &str = "Le ministre des Affaires étrangères a rencontré mardi son homologue \
        allemand à Paris pour des discussions sur la sécurité et le commerce. « Nous avons \
        beaucoup de travail devant nous », a déclaré le ministre à la presse après la réunion, \
        qui a duré plus de trois heures.";
    const SPANISH: &str = "El presidente del Gobierno se reunió el jueves en Madrid con los \
        líderes de la oposición para hablar de la reforma de las pensiones. Según fuentes del \
        ministerio, las negociaciones continuarán la próxima semana, aunque los sindicatos ya \
        han convocado una huelga general para finales de mes.";
    const RUSSIAN: &str = "Министр иностранных дел во вторник встретился со своим коллегой в \
        столице, чтобы обсудить вопросы безопасности и торговли. По словам представителя \
        министерства, переговоры продолжатся на следующей неделе, а новое соглашение может быть \
        подписано уже в следующем месяце.";
    const ENGLISH: &str = "The foreign minister met his German counterpart in Paris on Tuesday \
        for talks on security and trade. \"We have a lot of work ahead of us,\" the minister told \
        reporters after the meeting, which lasted more than three hours.";

    #[test]
    fn other_languages_come_out_with_their_code_and_nothing_extracted() {
        for (text, code) in [
            (GERMAN, "de"),
            (FRENCH, "fr"),
            (SPANISH, "es"),
            (RUSSIAN, "ru"),
        ] {
            let enrichment = enriched(&json!({"title": "Nachrichten", "body": text}));
            assert_eq!(enrichment["language"], code, "{text}");
            for list in ["entities", "dates", "quotes", "meetings"] {
                assert_eq!(enrichment[list], json!([]), "{list} of {text}");
            }
            assert_eq!(enrichment["warnings"].as_array().unwrap().len(), 1);
        }
    }

    #[test]
    fn english_stays_english_and_is_analysed() {
        let enrichment = enriched(&json!({"body": ENGLISH}));
        assert_eq!(enrichment["language"], "en");
        assert_ne!(enrichment["entities"], json!([]));
        assert_eq!(enrichment["warnings"], json!([]));
    }

    #[test]
    fn a_declared_language_wins() {
        let enrichment = enriched(&json!({"body": GERMAN, "language": "en"}));
        assert_eq!(enrichment["language"], "en");
        let enrichment = enriched(&json!({"body": ENGLISH, "language": "es"}));
        assert_eq!(enrichment["language"], "es");
        assert_eq!(enrichment["entities"], json!([]));
        // Declared tags come out as ISO 639-1 codes; an empty or undetermined one declares
        // nothing, and the text's own language decides.
        let enrichment = enriched(&json!({"body": ENGLISH, "language": "de-DE"}));
        assert_eq!(enrichment["language"], "de");
        for nothing in ["", "und"] {
            let enrichment = enriched(&json!({"body": ENGLISH, "language": nothing}));
            assert_eq!(enrichment["language"], "en", "{nothing:?}");
            assert_ne!(enrichment["entities"], json!([]));
            let enrichment = enriched(&json!({"body": FRENCH, "language": nothing}));
            assert_eq!(enrichment["language"], "fr", "{nothing:?}");
        }
    }

    #[test]
    fn an_english_article_that_opens_in_another_language_stays_english() {
        let text = format!("{FRENCH} {ENGLISH} {ENGLISH} {ENGLISH}");
        let enrichment = enriched(&json!({ "body": text }));
        assert_eq!(enrichment["language"], "en");
        assert_ne!(enrichment["entities"], json!([]));
    }

    #[test]
    fn few_words_stay_english() {
        // Tables, results and market lists have too few running words to judge.
        let table: String = (0..30)
            .map(|row| format!("Team {row} Arsenal 2 Chelsea 1 Liverpool 0\n"))
            .collect();
        let enrichment = enriched(&json!({ "body": format!("SOCCER RESULTS\n{table}") }));
        assert_eq!(enrichment["language"], "en");
        let enrichment = enriched(
            &json!({"body": "The minister met his counterpart in the capital on Tuesday."}),
        );
        assert_eq!(enrichment["language"], "en");
        for text in [
            "外长在首都会见了同行。双方讨论了安全合作问题。",
            "Министр встретился с коллегой на полях встречи в столице.",
        ] {
            let enrichment = enriched(&json!({ "body": text }));
            assert_ne!(enrichment["language"], "en", "{text}");
            assert_eq!(enrichment["entities"], json!([]));
        }
    }

    #[test]
    fn html_text_is_reported_and_a_too_large_message_refused() {
        let payload = br#"{"id": "h", "html": "<p>Anna Berg met Omar Haddad in Oslo.</p>"}"#;
        let enriched = enrich(&Pipeline::new(), payload, usize::MAX).unwrap();
        assert_eq!(enriched.article_id, "h");
        let output: Value = serde_json::from_slice(&enriched.output).unwrap();
        assert_eq!(
            output["enrichment"]["text"],
            "Anna Berg met Omar Haddad in Oslo."
        );
        assert_eq!(
            enrich(&Pipeline::new(), payload, 10).unwrap_err().kind(),
            "input_too_large"
        );
    }

    #[test]
    fn a_batch_gives_each_message_what_it_gives_alone() {
        // English, detected and declared other languages, a declared English one, a message
        // that does not decode and one with a published time, in one batch.
        let messages = [
            json!({"id": "a", "body": ENGLISH}).to_string(),
            json!({"id": "b", "body": FRENCH}).to_string(),
            "not json".to_string(),
            json!({"id": "c", "body": ENGLISH, "language": "de"}).to_string(),
            json!({"id": "d", "body": ENGLISH, "language": "en",
                   "published_at": "2024-03-05T10:00:00Z"})
            .to_string(),
        ];
        let payloads: Vec<&[u8]> = messages.iter().map(|m| m.as_bytes()).collect();
        let pipeline = Pipeline::new();
        let batch = enrich_batch(&pipeline, &payloads, usize::MAX);
        assert_eq!(batch.len(), payloads.len());
        for (payload, together) in payloads.iter().zip(batch) {
            match (enrich(&pipeline, payload, usize::MAX), together) {
                (Ok(alone), Ok(together)) => {
                    assert_eq!(alone.output, together.output);
                    assert_eq!(alone.article_id, together.article_id);
                    let stages = |timings: &StageTimings| {
                        timings
                            .took
                            .iter()
                            .map(|(name, _)| *name)
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(stages(&alone.timings), stages(&together.timings));
                }
                (Err(alone), Err(together)) => assert_eq!(alone.kind(), together.kind()),
                (alone, together) => panic!("{alone:?} alone but {together:?} in a batch"),
            }
        }
    }
}
