//! The reported-speech tagger's side of the stage: what the rules found, turned into the
//! tagger's token marks and sentence features, and the tagger's content, source and cue
//! marks merged back into the rule candidates. A content the model marks replaces the rule
//! content it overlaps; one the rules did not find becomes reported speech when the model
//! also marks a source and a cue; rule content it does not overlap is dropped (its speaker
//! still counts for later pronouns).

use super::*;

impl QuoteFinder<'_> {
    /// What the rules and the entity stage say about every token, for the tagger's features.
    pub(super) fn token_marks(&self, candidates: &[Candidate]) -> Vec<TokenMarks> {
        let document = self.document;
        let mut marks = vec![TokenMarks::default(); document.tokens.len()];
        for (index, mark) in marks.iter_mut().enumerate() {
            if self.quoted[index] {
                mark.rules |= speech_tagger::QUOTED;
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
                        marks[index].rules |= speech_tagger::DIRECT;
                    }
                }
                QuoteKind::Indirect => {
                    if tokens.start < tokens.end {
                        marks[tokens.start].rules |= speech_tagger::RULE_CONTENT_START;
                    }
                    for index in tokens {
                        marks[index].rules |= speech_tagger::RULE_CONTENT;
                    }
                }
            }
            if let Some(found) = &candidate.attribution {
                for index in found.cue.clone() {
                    marks[index].rules |= speech_tagger::RULE_CUE;
                    if marks[index].cue_word == 0 {
                        marks[index].cue_word = 4;
                    }
                }
                for index in found.speaker.clone().unwrap_or_default() {
                    marks[index].rules |= speech_tagger::RULE_SPEAKER;
                }
            }
        }
        marks
    }

    /// The tokens that lie inside `span`.
    pub(super) fn tokens_within(&self, span: Span) -> Range<usize> {
        let start = self.token_at(span);
        let end = self.document.tokens[start..]
            .partition_point(|token| (token.span.field, token.span.end) <= (span.field, span.end))
            + start;
        start..end.max(start)
    }

    pub(super) fn sentence_features(
        &self,
        tokens: Range<usize>,
        marks: &[TokenMarks],
        clusters: &WordClusters,
        out: &mut SentenceFeatures,
    ) {
        let words: Vec<&str> = tokens.clone().map(|index| self.text(index)).collect();
        // The tagger was trained on the plain lower case of the tokens (`’` kept as it is),
        // not on their normalised form: its features keep reading that. The two differ only
        // for a token with a `’`, the one case that is lower-cased again.
        let relowered: Vec<Option<String>> = tokens
            .clone()
            .map(|index| {
                let text = self.text(index);
                text.contains('’').then(|| text.to_lowercase())
            })
            .collect();
        let lower: Vec<&str> = tokens
            .clone()
            .zip(&relowered)
            .map(|(index, plain)| plain.as_deref().unwrap_or(self.document.token_lower(index)))
            .collect();
        speech_tagger::sentence_features(&words, &lower, &marks[tokens], clusters, out);
    }

    /// Reported speech as the tagger reads it: a content span it marks takes over the rule
    /// content it overlaps (the model's boundaries); one the rules did not find becomes a
    /// quote when the model also marks a source and a cue in its sentence.
    pub(super) fn apply_content_model(
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
        // When the candidates are in text order (they nearly always are), a rule span that
        // overlaps `span` starts at most the longest rule span before it, so only those
        // candidates are read; otherwise every one is.
        let in_order = rule_spans
            .windows(2)
            .all(|pair| (pair[0].field, pair[0].start) <= (pair[1].field, pair[1].start));
        let longest = rule_spans
            .iter()
            .map(|rule| rule.end.saturating_sub(rule.start))
            .max()
            .unwrap_or(0);
        let near = |span: Span| {
            if !in_order {
                return 0..rule_spans.len();
            }
            let first = rule_spans.partition_point(|rule| {
                (rule.field, rule.start) < (span.field, span.start.saturating_sub(longest))
            });
            let last = rule_spans
                .partition_point(|rule| (rule.field, rule.start) < (span.field, span.end));
            first..last.max(first)
        };
        let mut found = Vec::new();
        for sentence in &self.document.sentences {
            let range = sentence.tokens.clone();
            if range.is_empty() {
                continue;
            }
            if self.out_of_time() {
                break;
            }
            self.sentence_features(range.clone(), &marks, content_model.clusters, &mut features);
            content_model.model.tag(&features, &mut labels);
            let shift = |chunk: Range<usize>| range.start + chunk.start..range.start + chunk.end;
            let sources: Vec<Range<usize>> = speech_tagger::chunks(&labels, Part::Source)
                .into_iter()
                .map(shift)
                .collect();
            let cues: Vec<Range<usize>> = speech_tagger::chunks(&labels, Part::Cue)
                .into_iter()
                .map(shift)
                .collect();
            for chunk in speech_tagger::chunks(&labels, Part::Content) {
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
                        .filter(|&i| marks[i].rules & speech_tagger::DIRECT != 0)
                        .count()
                        * 2
                        > tokens.len()
                {
                    continue;
                }
                let span = self.span_of(&tokens);
                let words = self.word_count(tokens.clone());
                let overlapping: Vec<usize> = near(span)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule cases (`tests/cases/quotes/`) hold the rules alone; with the embedded reported-speech model, plain
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
}
