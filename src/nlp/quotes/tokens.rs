//! Small questions about one token or a stretch of tokens that every rule asks: its text
//! and lower-case form, its sentence, paragraph and field, whether it is a word, a capital,
//! a speech verb, clause punctuation; the mentions around a span.

use super::*;

impl QuoteFinder<'_> {
    pub(super) fn text(&self, index: usize) -> &str {
        self.document.token_text(index)
    }

    /// The token's normalised form: lower case, `’` written `'`.
    pub(super) fn low(&self, index: usize) -> &str {
        self.document.token_lower(index)
    }

    pub(super) fn sentence_of(&self, index: usize) -> usize {
        self.document.tokens[index].sentence
    }

    pub(super) fn sentence_tokens(&self, index: usize) -> Range<usize> {
        self.document.sentences[self.sentence_of(index)]
            .tokens
            .clone()
    }

    /// The sentence an opening mark starts. The tokenizer may leave a straight mark after a
    /// full stop at the end of the previous sentence; it then starts the next one.
    pub(super) fn sentence_of_opening(&self, open: usize) -> Range<usize> {
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

    pub(super) fn paragraph_of(&self, index: usize) -> usize {
        self.document.sentences[self.sentence_of(index)].paragraph
    }

    pub(super) fn field_of(&self, index: usize) -> usize {
        self.document.tokens[index].span.field
    }

    pub(super) fn span_of(&self, tokens: &Range<usize>) -> Span {
        self.document.tokens_span(tokens)
    }

    /// Position in `mentions_by_start` of the first mention at or after `(field, start)`.
    pub(super) fn mention_position(&self, field: usize, start: usize) -> usize {
        self.mentions_by_start.partition_point(|&index| {
            let span = self.document.mentions[index].span;
            (span.field, span.start) < (field, start)
        })
    }

    /// Indices (ascending) of every mention that overlaps, contains or lies inside `span`,
    /// among possibly a few more nearby: all start within the longest mention's length
    /// before `span` and no later than its end.
    pub(super) fn mentions_around(&self, span: Span) -> Vec<usize> {
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

    pub(super) fn is_word(&self, index: usize) -> bool {
        self.text(index)
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    }

    /// Whether token `index` starts with a lower-case letter.
    pub(super) fn is_lowercase(&self, index: usize) -> bool {
        self.text(index)
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
    }

    pub(super) fn is_capitalised(&self, index: usize) -> bool {
        text::is_capitalised(self.text(index))
    }

    pub(super) fn is_one_of(&self, index: usize, words: &[&str]) -> bool {
        words.contains(&self.low(index))
    }

    /// Whether the lowercase text of token `index` is in `list`.
    pub(super) fn is_in(&self, index: usize, list: &Lexicon) -> bool {
        list.contains(self.low(index))
    }

    /// A speech verb as written in running text (lowercase), never a capitalised name.
    pub(super) fn is_speech_verb(&self, index: usize) -> bool {
        let text = self.text(index);
        if text.chars().next().is_some_and(char::is_lowercase) {
            static SPEECH_VERB_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(&SPEECH_VERBS));
            return SPEECH_VERB_SET.contains(text);
        }
        // In a title-case headline the verb is capitalised too: "Minister Says Talks ...".
        self.title_case[self.sentence_of(index)]
            && index > self.sentence_tokens(index).start
            && headline_speech_verbs().contains(self.low(index))
    }

    /// The end of the description words from `start` (before "pollster Mark Dunne"'s name):
    /// up to three words before `limit` that `lowercase` accepts, none a stop word of a
    /// speaker phrase or a speech verb.
    pub(super) fn description_end(
        &self,
        start: usize,
        limit: usize,
        lowercase: impl Fn(usize) -> bool,
    ) -> usize {
        let mut next = start;
        while next < limit
            && next - start < 3
            && self.is_word(next)
            && lowercase(next)
            && !self.is_in(next, phrase_stop_words())
            && !self.is_speech_verb(next)
        {
            next += 1;
        }
        next
    }

    pub(super) fn is_according_to(&self, index: usize) -> bool {
        self.low(index) == "according"
            && index + 1 < self.document.tokens.len()
            && self.low(index + 1) == "to"
            && self.sentence_of(index + 1) == self.sentence_of(index)
    }

    pub(super) fn is_clause_punctuation(&self, index: usize) -> bool {
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

    pub(super) fn is_terminal(&self, index: usize) -> bool {
        matches!(self.text(index), "." | "!" | "?" | "…" | "...")
    }

    pub(super) fn word_count(&self, tokens: Range<usize>) -> usize {
        tokens.filter(|&index| self.is_word(index)).count()
    }
}
