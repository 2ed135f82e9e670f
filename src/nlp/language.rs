//! Which language a text is in, decided after tokenising and before any other stage: only
//! English is analysed, and text in another language is passed through with its language.
//!
//! A declared language wins ([`declared`] reads it; an empty or `und` tag declares
//! nothing). Otherwise the identifier is [`whatlang`] (character trigrams, small and fast,
//! no model files). Text mostly in another script (Cyrillic, Han, Arabic, ...) is not
//! English. Latin-script text is judged on its running words, those written in lower case:
//! names, numbers and headings say little about the language, and English news is full of
//! foreign names. Text with few running words (tables, results, market lists) cannot be
//! judged reliably and stays English, as does text the identifier is not confident about,
//! so sports results and market reports are still analysed. Text whose running words are
//! plainly English (a third or more of them the commonest English words) is English without
//! asking the identifier, which keeps the common case cheap.

use super::document::Document;
use super::lexicon::lexicon;
use std::collections::HashMap;
use std::sync::LazyLock;
use whatlang::Lang;

/// Fewer running words than this, and Latin-script text stays English.
const MIN_RUNNING_WORDS: usize = 12;
/// The running words the identifier reads at most: the start of an article tells its
/// language (on the BBC articles, 40 running words already decide every one reliably), and
/// the cost stays bounded on long articles. The identifier's cost is mostly fixed (about
/// 70 µs an article, scoring every Latin-script language), some 3% of an article's analysis.
const MAX_RUNNING_WORDS: usize = 60;
/// Fewer letters than this, and the script alone does not rule English out.
const MIN_LETTERS: usize = 20;

/// Whether a declared language (`en`, `en-GB`, `eng`, `English`, ...) is English.
pub fn is_english(language: &str) -> bool {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(primary.as_str(), "en" | "eng" | "english")
}

/// A declared language tag (`de`, `de-DE`, `deu`, `German`, `en_GB`, ...) as the ISO 639-1
/// code the output reports (`de`, `en`); `None` when the tag declares nothing usable (empty,
/// `und`, `mul`, `zxx`), so that the language is detected instead.
pub fn declared(tag: &str) -> Option<String> {
    let primary = tag
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    if primary.is_empty() || matches!(primary.as_str(), "und" | "mul" | "zxx") {
        return None;
    }
    if is_english(&primary) {
        return Some("en".to_string());
    }
    let named = Lang::all()
        .iter()
        .find(|lang| lang.code() == primary || lang.eng_name().eq_ignore_ascii_case(&primary));
    Some(named.map_or(primary, |lang| iso_639_1(*lang).to_string()))
}

/// The language of a tokenised document when it is not English: its ISO 639-1 code (or
/// `und` when the identifier cannot name it); `None` for English and for text that cannot be
/// judged.
pub fn other_than_english(document: &Document) -> Option<&'static str> {
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
    if letters >= MIN_LETTERS && latin * 2 < letters {
        let text: Vec<&str> = document
            .fields
            .iter()
            .map(|field| field.text.as_str())
            .collect();
        return match whatlang::detect_lang(&text.join("\n")) {
            // Latin the largest script of several: the running words decide.
            Some(Lang::Eng) => running_words_language(document),
            found => Some(found.map_or("und", iso_639_1)),
        };
    }
    running_words_language(document)
}

/// The language of the running words (those written in lower case) when the identifier is
/// sure it is not English, judged on the first [`MAX_RUNNING_WORDS`] and, when those are not
/// English, confirmed on the last ones: an English article that opens with a quotation or a
/// paragraph in another language is still English.
fn running_words_language(document: &Document) -> Option<&'static str> {
    let running: Vec<usize> = (0..document.tokens.len())
        .filter(|&index| {
            document
                .token_text(index)
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
        })
        .collect();
    if running.len() < MIN_RUNNING_WORDS {
        return None;
    }
    let judge = |window: &[usize]| -> Option<Lang> {
        let mut text = String::new();
        for &index in window {
            text.push_str(document.token_text(index));
            text.push(' ');
        }
        let info = whatlang::detect(&text)?;
        (info.lang() != Lang::Eng && info.is_reliable()).then(|| info.lang())
    };
    let window = &running[..running.len().min(MAX_RUNNING_WORDS)];
    if plainly_english(document, window) {
        return None;
    }
    let first = judge(window)?;
    if running.len() > MAX_RUNNING_WORDS {
        judge(&running[running.len().saturating_sub(MAX_RUNNING_WORDS)..])?;
    }
    Some(iso_639_1(first))
}

/// Whether a third or more of the running words are the commonest words of English: such
/// text is English without asking the identifier, whose cost is mostly fixed (it scores
/// every language of the script), so the common case of English news stays cheap. Text in
/// another language has few of these words, and any doubt goes to the identifier.
fn plainly_english(document: &Document, window: &[usize]) -> bool {
    let common = lexicon!("language/english_function_words");
    let found = window
        .iter()
        .filter(|&&index| common.contains(document.token_lower(index)))
        .count();
    found * 3 >= window.len()
}

/// The two-letter code of a language (its three-letter one where it has none).
fn iso_639_1(lang: Lang) -> &'static str {
    static CODES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
        lexicon!("language/iso_639_codes")
            .iter()
            .filter_map(|line| line.split_once(' '))
            .collect()
    });
    CODES.get(lang.code()).copied().unwrap_or(lang.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_of_the_identifier_has_a_code() {
        for lang in Lang::all() {
            let code = iso_639_1(*lang);
            assert!(code.len() == 2, "{lang:?} -> {code}");
        }
        assert_eq!(iso_639_1(Lang::Deu), "de");
        assert_eq!(iso_639_1(Lang::Cmn), "zh");
    }

    #[test]
    fn declared_english_in_its_spellings() {
        for declared in ["en", "en-GB", "en_US", "EN", "eng", "English"] {
            assert!(is_english(declared), "{declared}");
        }
        for declared in ["de", "fr-FR", "und", ""] {
            assert!(!is_english(declared), "{declared}");
        }
    }

    #[test]
    fn declared_tags_become_iso_639_1_codes() {
        let cases = [
            ("de-DE", Some("de")),
            ("deu", Some("de")),
            ("German", Some("de")),
            ("FR", Some("fr")),
            ("en_GB", Some("en")),
            ("English", Some("en")),
            ("und", None),
            ("", None),
            ("  ", None),
            ("mul", None),
        ];
        for (tag, code) in cases {
            assert_eq!(declared(tag).as_deref(), code, "{tag:?}");
        }
    }
}
