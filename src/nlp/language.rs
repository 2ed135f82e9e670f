//! Which language a text is in, decided after tokenising and before any other stage: only
//! English is analysed, and text in another language is passed through with its language.
//!
//! A declared language wins ([`is_english`] reads it). Otherwise the identifier is
//! [`whatlang`] (character trigrams, small and fast, no model files). Text mostly in another
//! script (Cyrillic, Han, Arabic, ...) is not English. Latin-script text is judged on its
//! running words, those written in lower case: names, numbers and headings say little about
//! the language, and English news is full of foreign names. Text with few running words
//! (tables, results, market lists) cannot be judged reliably and stays English, as does text
//! the identifier is not confident about, so sports results and market reports are still
//! analysed.

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
        return Some(whatlang::detect_lang(&text.join("\n")).map_or("und", iso_639_1));
    }
    let mut running = String::new();
    let mut words = 0;
    for index in 0..document.tokens.len() {
        let word = document.token_text(index);
        if !word.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        running.push_str(word);
        running.push(' ');
        words += 1;
        if words == MAX_RUNNING_WORDS {
            break;
        }
    }
    if words < MIN_RUNNING_WORDS {
        return None;
    }
    let info = whatlang::detect(&running)?;
    (info.lang() != Lang::Eng && info.is_reliable()).then(|| iso_639_1(info.lang()))
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
}
