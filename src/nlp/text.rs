//! Tokens, sentences and paragraphs with byte offsets.
//!
//! The first stage of the pipeline: it splits each field into paragraphs (one per non-blank
//! line), tokens (words, numbers, abbreviations such as "Mr." and "U.S.", possessive "'s",
//! single punctuation marks) and sentences (ended by `.`, `!`, `?` or `…` that is not part of
//! an abbreviation, plus any closing quotation marks or brackets). It does not change the
//! text: every span points into the field as given.

use super::document::{Document, Sentence, Span, Token};
use super::lexicon::lexicon;

/// Whether a word starts with a capital letter.
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a word has letters and all of them are capitals ("NATO", "U.S.").
pub fn is_all_caps(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// A word with its first letter capitalised and the rest lower case ("RUSSIAN" -> "Russian").
pub fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Splits every field of `document` into tokens and sentences.
pub fn tokenize(document: &mut Document) {
    let mut paragraph = 0;
    for field in 0..document.fields.len() {
        let text = document.fields[field].text.clone();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let line_end = line_start + line.len();
            if !line.trim().is_empty() {
                split_paragraph(document, field, &text, line_start, line_end, paragraph);
                paragraph += 1;
            }
            line_start = line_end;
        }
    }
}

/// Longer runs without a sentence end (lists, tables, hostile input such as a text of quotation
/// marks alone) are cut into pieces of this many tokens, which bounds the memory and time of
/// the per-sentence stages. Sentences of news prose are far shorter.
pub const MAX_SENTENCE_TOKENS: usize = 400;

fn split_paragraph(
    document: &mut Document,
    field: usize,
    text: &str,
    start: usize,
    end: usize,
    paragraph: usize,
) {
    let spans = token_spans(text, start, end);
    let mut sentence_first = 0;
    for index in 0..spans.len() {
        let is_last = index + 1 == spans.len();
        let is_full = index + 1 - sentence_first == MAX_SENTENCE_TOKENS;
        if is_last || is_full || ends_sentence(text, &spans, index) {
            push_sentence(document, field, &spans[sentence_first..=index], paragraph);
            sentence_first = index + 1;
        }
    }
}

fn push_sentence(
    document: &mut Document,
    field: usize,
    spans: &[(usize, usize)],
    paragraph: usize,
) {
    let Some(&(first_start, _)) = spans.first() else {
        return;
    };
    let (_, last_end) = spans[spans.len() - 1];
    let sentence_index = document.sentences.len();
    let token_start = document.tokens.len();
    for &(start, end) in spans {
        let lower_start = document.lowered.len() as u32;
        push_normalised(
            &mut document.lowered,
            &document.fields[field].text[start..end],
        );
        document.tokens.push(Token {
            span: Span::new(field, start, end),
            sentence: sentence_index,
            lower: lower_start..document.lowered.len() as u32,
        });
    }
    document.sentences.push(Sentence {
        span: Span::new(field, first_start, last_end),
        tokens: token_start..document.tokens.len(),
        paragraph,
    });
}

/// Appends the normalised form of a token: lower case, with the typographic apostrophe
/// (U+2019) written as `'`, so that "Britain’s" and "Britain's" read alike.
fn push_normalised(out: &mut String, token: &str) {
    if token.is_ascii() {
        out.extend(token.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    out.push_str(&token.to_lowercase().replace('’', "'"));
}

fn is_closing(token: &str) -> bool {
    matches!(token, "”" | "\"" | "’" | "'" | ")" | "]" | "»")
}

/// Whether the token at `index` closes what precedes it. A straight quotation mark is
/// ambiguous: with a space before it and text right after it, it opens the next sentence.
fn closes_at(text: &str, spans: &[(usize, usize)], index: usize) -> bool {
    let (start, end) = spans[index];
    let token = &text[start..end];
    if !is_closing(token) {
        return false;
    }
    if matches!(token, "\"" | "'") {
        let space_before = text[..start]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let text_after = text[end..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace());
        return !(space_before && text_after);
    }
    true
}

/// Whether the sentence ends after token `index` (more tokens follow in the paragraph).
fn ends_sentence(text: &str, spans: &[(usize, usize)], index: usize) -> bool {
    let next = &text[spans[index + 1].0..spans[index + 1].1];
    if closes_at(text, spans, index + 1) {
        // The closing mark belongs to this sentence; decide after it.
        return false;
    }
    // Walk back over closing marks to the terminal punctuation, if any.
    let mut probe = index;
    while probe > 0 && closes_at(text, spans, probe) {
        probe -= 1;
    }
    let probe_token = &text[spans[probe].0..spans[probe].1];
    let terminal = match probe_token {
        "." | "!" | "?" | "…" => true,
        word if word.ends_with('.') && word.len() > 1 => !is_abbreviation(word),
        _ => false,
    };
    if !terminal {
        return false;
    }
    // A sentence starts with a capital, a digit or an opening mark (`` is the ASCII opening
    // quote of older wire text).
    let first = next.chars().next().unwrap_or(' ');
    first.is_uppercase() || first.is_ascii_digit() || "“\"‘'«(„[`".contains(first)
}

fn is_abbreviation(word: &str) -> bool {
    let stem = word.trim_end_matches('.');
    let lower = stem.to_lowercase();
    // Abbreviations that end with a period but do not end a sentence.
    if lexicon!("text/abbreviations").contains(&lower) {
        return true;
    }
    // Initials ("J.") and dotted acronyms ("U.S.") do not end a sentence by themselves; a
    // number with a decimal point ("$12.05bn.", "3.5.") does.
    let letters: Vec<char> = stem.chars().filter(|c| *c != '.').collect();
    (letters.len() == 1 && letters[0].is_uppercase())
        || (stem.contains('.') && letters.iter().all(|c| c.is_alphabetic()))
}

/// Byte spans of the tokens in `text[start..end]`.
fn token_spans(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let segment = &text[start..end];
    let chars: Vec<(usize, char)> = segment.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (offset, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() {
                let ch = chars[j].1;
                if ch.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                // Joiners kept inside a word when a letter or digit follows: "Asia-Pacific",
                // "U.S", "1,000", "3.5", "O'Brien", "don't".
                let joins = matches!(ch, '-' | '.' | ',' | '\'' | '’' | '&' | '/')
                    && j + 1 < chars.len()
                    && chars[j + 1].1.is_alphanumeric();
                let numeric_only = matches!(ch, ',' | '/') && !chars[j - 1].1.is_ascii_digit();
                if joins && !numeric_only {
                    j += 1;
                    continue;
                }
                break;
            }
            let mut word_end = if j < chars.len() {
                chars[j].0
            } else {
                segment.len()
            };
            // A trailing period belongs to abbreviations and initials ("Mr.", "J.", "U.S.").
            if j < chars.len() && chars[j].1 == '.' {
                let candidate = &segment[offset..word_end + 1];
                if is_abbreviation(candidate) {
                    word_end += 1;
                    j += 1;
                }
            }
            // Split the possessive: "Russia's" -> "Russia" + "'s".
            let word_text = &segment[offset..word_end];
            let possessive = ["'s", "’s", "'S", "’S"]
                .iter()
                .find(|suffix| word_text.len() > suffix.len() + 1 && word_text.ends_with(*suffix));
            if let Some(suffix) = possessive {
                let split = word_end - suffix.len();
                spans.push((start + offset, start + split));
                spans.push((start + split, start + word_end));
            } else {
                spans.push((start + offset, start + word_end));
            }
            i = j;
            continue;
        }
        // A detached possessive ("U.S. 's", text rebuilt from tokens) is one token.
        if matches!(c, '\'' | '’')
            && chars
                .get(i + 1)
                .is_some_and(|&(_, next)| next == 's' || next == 'S')
            && chars
                .get(i + 2)
                .is_none_or(|&(_, after)| !after.is_alphanumeric())
        {
            let token_end = chars.get(i + 2).map_or(segment.len(), |&(at, _)| at);
            spans.push((start + offset, start + token_end));
            i += 2;
            continue;
        }
        // Runs of the same mark ("...", "--", "''", "``") are one token.
        let mut j = i + 1;
        if matches!(c, '.' | '-' | '\'' | '`') {
            while j < chars.len() && chars[j].1 == c {
                j += 1;
            }
        }
        let token_end = if j < chars.len() {
            chars[j].0
        } else {
            segment.len()
        };
        spans.push((start + offset, start + token_end));
        i = j;
    }
    spans
}

/// A tokenized document whose only field is a `body` of `text`, for tests.
#[cfg(test)]
pub(crate) fn body_document(text: &str) -> Document {
    let mut document = Document {
        fields: vec![crate::nlp::document::Field {
            name: "body".into(),
            text: text.into(),
        }],
        ..Document::default()
    };
    tokenize(&mut document);
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each sentence of a `body` of `text`.
    fn sentence_texts(text: &str) -> Vec<String> {
        let document = body_document(text);
        document
            .sentences
            .iter()
            .map(|sentence| document.text(sentence.span).to_string())
            .collect()
    }

    fn tokens(document: &Document) -> Vec<&str> {
        (0..document.tokens.len())
            .map(|index| document.token_text(index))
            .collect()
    }

    #[test]
    fn a_run_without_a_sentence_end_is_cut_into_bounded_sentences() {
        let long = body_document(&"word ".repeat(MAX_SENTENCE_TOKENS * 2 + 10));
        let lengths: Vec<usize> = long
            .sentences
            .iter()
            .map(|sentence| sentence.tokens.len())
            .collect();
        assert_eq!(lengths, [MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS, 10]);
        assert_eq!(
            body_document("One short sentence. Another one.")
                .sentences
                .len(),
            2
        );
    }

    #[test]
    fn keeps_abbreviations_and_splits_possessives() {
        let document = body_document("Mr. Okafor met U.S. officials in Kenya's capital.");
        assert_eq!(
            tokens(&document),
            [
                "Mr.",
                "Okafor",
                "met",
                "U.S.",
                "officials",
                "in",
                "Kenya",
                "'s",
                "capital",
                "."
            ]
        );
        assert_eq!(document.sentences.len(), 1);
    }

    #[test]
    fn a_number_with_a_decimal_point_ends_a_sentence() {
        let sentences =
            sentence_texts("It owes $12.05bn. \"We will pay,\" he said. It rose 3.5. Then fell.");
        assert_eq!(
            sentences,
            [
                "It owes $12.05bn.",
                "\"We will pay,\" he said.",
                "It rose 3.5.",
                "Then fell."
            ]
        );
    }

    #[test]
    fn titles_of_delegates_and_plurals_do_not_end_a_sentence() {
        let document = body_document("It passed, said Del. Jane Roe and Sens. Al Poe and Bo Li.");
        assert_eq!(document.sentences.len(), 1);
    }

    #[test]
    fn splits_sentences_and_keeps_closing_quotes() {
        let sentences = sentence_texts("He left. “It is over.” She stayed in Asia-Pacific states.");
        assert_eq!(
            sentences,
            [
                "He left.",
                "“It is over.”",
                "She stayed in Asia-Pacific states."
            ]
        );
    }

    #[test]
    fn a_straight_quote_after_a_space_opens_the_next_sentence() {
        let sentences = sentence_texts("He said so. \"It is over.\" Then he left.");
        assert_eq!(
            sentences,
            ["He said so.", "\"It is over.\"", "Then he left."]
        );
    }

    #[test]
    fn paragraphs_are_lines_and_numbers_stay_whole() {
        let document =
            body_document("Prices rose 3.5 percent to 1,000 dollars.\n\nMaria Lindqvist\n");
        assert_eq!(document.sentences.len(), 2);
        assert_eq!(document.sentences[1].paragraph, 1);
        assert!(tokens(&document).contains(&"3.5"));
        assert!(tokens(&document).contains(&"1,000"));
    }

    #[test]
    fn a_detached_possessive_is_one_token() {
        let document = body_document("The U.S. 's debt and Monday ’s vote; 'so' he said.");
        let tokens = tokens(&document);
        assert!(
            tokens.contains(&"'s") && tokens.contains(&"’s"),
            "{tokens:?}"
        );
        assert!(tokens.contains(&"so"), "{tokens:?}");
    }
}
