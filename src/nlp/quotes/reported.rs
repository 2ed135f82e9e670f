//! Reported speech: "X said (that) ...", "X told Y ...", "according to X, ...", "..., X
//! said.", relative "who said", stance verbs whose complement is the attributed content ("X
//! wants ...", "X called for ..."), other finite verbs after a named subject, transcript and
//! headline labels, and title-case headlines. The content runs to the end of its clause;
//! content shorter than a few words is kept hidden so that its speaker still counts.

use super::*;

impl QuoteFinder<'_> {
    pub(super) fn indirect_quotes(&self, directs: &[Candidate]) -> Vec<Candidate> {
        let mut quotes = Vec::new();
        // The end of the last reported content: a stance verb inside it ("they said they
        // want ...") is part of that content, not a claim of its own.
        let mut reported_until = 0;
        for index in 0..self.document.tokens.len() {
            if index % DEADLINE_EVERY_TOKENS == 0 && self.out_of_time() {
                break;
            }
            if self.claimed[index] {
                continue;
            }
            let found = if self.is_according_to(index) {
                self.according_to(index)
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else if self.is_speech_verb(index)
                && !self.is_in(index, direct_only_verbs())
                && !(self.is_in(index, speech_verbs_needing_that())
                    && !(index + 1 < self.document.tokens.len() && self.low(index + 1) == "that"))
            {
                self.reported_clause(index).map(|(speaker, cue, content)| {
                    let continues = speaker.is_none();
                    (speaker, cue, content, continues)
                })
            } else if self.is_in(index, that_verbs())
                && index + 1 < self.document.tokens.len()
                && self.low(index + 1) == "that"
            {
                self.reported_clause(index).map(|(speaker, cue, content)| {
                    let continues = speaker.is_none();
                    (speaker, cue, content, continues)
                })
            } else if self.is_in(index, speech_participles())
                && index > 0
                && self.text(index - 1) == ","
            {
                self.content_after(index + 1, true)
                    .map(|content| (None, index..index + 1, content, true))
            } else if let Some(cue) = self.stance_participle(index) {
                (index >= reported_until)
                    .then(|| {
                        let sentence = self.sentence_tokens(index);
                        let start = cue.end;
                        let end = self.complement_end(start, self.content_end(sentence));
                        (start < end && self.is_word(start)).then_some(start..end)
                    })
                    .flatten()
                    .map(|content| (None, cue, content, true))
            } else if self.text(index) == ":" {
                self.colon_introduction(index)
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else if self.quoted[index] {
                // A verb inside quotation marks that are not a direct quote (a title, a
                // partial quote) reports nothing of its own.
                None
            } else if self.is_stance_verb(index) {
                (index >= reported_until)
                    .then(|| self.stance_clause(index))
                    .flatten()
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else if index >= reported_until {
                self.acting_clause(index)
                    .map(|(speaker, cue, content)| (Some(speaker), cue, content, false))
            } else {
                None
            };
            let Some((speaker, cue, content, continues_clause)) = found else {
                continue;
            };
            let hidden = self.word_count(content.clone()) < MIN_INDIRECT_WORDS;
            let span = self.span_of(&content);
            if directs.iter().any(|quote| quote.span.contains(&span)) {
                continue;
            }
            if !hidden {
                reported_until = reported_until.max(content.end);
            }
            quotes.push(Candidate {
                kind: QuoteKind::Indirect,
                span,
                paragraph: self.paragraph_of(content.start),
                stretch: None,
                attribution: Some(Attribution {
                    speaker,
                    cue,
                    via: None,
                }),
                continues_clause,
                speaker: None,
                hidden,
            });
        }
        quotes
    }

    /// "SMITH: CONTENT", "Q: ...", "Senator Jones: CONTENT" at the start of a paragraph
    /// (transcripts, interviews, headlines): the rest of the paragraph is the speaker's, when
    /// the label is a short name (all capitals, or holding a person or organisation) and the
    /// content does not open with a quotation mark (direct quotes are found elsewhere).
    pub(super) fn colon_introduction(
        &self,
        colon: usize,
    ) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        let paragraph = self.paragraph_of(colon);
        let field = self.field_of(colon);
        let same_paragraph =
            |i: usize| self.paragraph_of(i) == paragraph && self.field_of(i) == field;
        let start = (0..colon)
            .rev()
            .take_while(|&i| same_paragraph(i))
            .last()
            .unwrap_or(colon);
        let label = start..colon;
        if label.is_empty()
            || label.len() > 6
            || label.clone().any(|i| self.is_clause_punctuation(i))
        {
            return None;
        }
        let all_capitals = label.clone().all(|i| {
            let text = self.text(i);
            text.chars().any(char::is_alphabetic)
                && text.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
        });
        let named_label =
            self.is_capitalised(start) && self.has_person_or_org_mention(label.clone());
        if !all_capitals && !named_label {
            return None;
        }
        let end = (colon + 1..self.document.tokens.len())
            .take_while(|&i| same_paragraph(i))
            .last()
            .map_or(colon + 1, |last| last + 1);
        let mut content_end = end;
        while content_end > colon + 1 && self.is_terminal(content_end - 1) {
            content_end -= 1;
        }
        let content = colon + 1..content_end;
        if content.is_empty() || is_quotation_mark(self.text(content.start)) {
            return None;
        }
        Some((label, colon..colon + 1, content))
    }

    /// ", citing the report", ", backing the plan", ", calling for a recount": the present
    /// participle of a stance verb after a comma continues the clause's subject. Returns the
    /// cue (with its particle).
    pub(super) fn stance_participle(&self, index: usize) -> Option<Range<usize>> {
        let text = self.text(index);
        let stem = text.strip_suffix("ing")?;
        if index == 0
            || self.text(index - 1) != ","
            || stem.len() < 2
            || !text.chars().all(|c| c.is_ascii_lowercase())
        {
            return None;
        }
        // "citing" -> "cite", "backing" -> "back", "planning" -> "plan".
        let bytes = stem.as_bytes();
        let undoubled = (bytes.len() > 2 && bytes[bytes.len() - 1] == bytes[bytes.len() - 2])
            .then(|| &stem[..stem.len() - 1]);
        let is_form = |verb: &str| {
            verb == stem
                || verb.strip_suffix('e') == Some(stem)
                || undoubled.is_some_and(|undoubled| verb == undoubled)
        };
        let known = stance_verbs().iter().any(|verb| is_form(verb))
            || stance_particles().iter().any(|(verb, _)| is_form(verb));
        if !known {
            return None;
        }
        let next = index + 1;
        let particle = next < self.document.tokens.len()
            && stance_particles()
                .iter()
                .any(|(verb, particle)| is_form(verb) && *particle == self.low(next));
        Some(if particle {
            index..next + 1
        } else {
            index..next
        })
    }

    /// A stance verb in running text, or one with its particle ("called for").
    pub(super) fn is_stance_verb(&self, index: usize) -> bool {
        let text = self.text(index);
        if !text.chars().next().is_some_and(char::is_lowercase) {
            return false;
        }
        stance_verbs().contains(text) || self.stance_particle(index).is_some()
    }

    /// The index of the particle after a particle verb ("called for" -> "for").
    pub(super) fn stance_particle(&self, index: usize) -> Option<usize> {
        let next = index + 1;
        (next < self.document.tokens.len()
            && stance_particles().contains(&(self.low(index), self.low(next))))
        .then_some(next)
    }

    /// "X wants CONTENT", "X called for CONTENT", "polls show CONTENT": the subject before
    /// the stance verb (over auxiliaries and adverbs), and the complement after it to the
    /// end of its clause.
    pub(super) fn stance_clause(
        &self,
        verb: usize,
    ) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        let sentence = self.sentence_tokens(verb);
        if verb == sentence.start {
            return None;
        }
        let previous = self.low(verb - 1);
        // "to support", "the proposed plan", "a supported claim", "was found", "is
        // expected": not a finite active verb.
        if not_before_finite_verb().contains(previous) {
            return None;
        }
        let floor = self.unclaimed_floor(sentence.start, verb);
        let subject_end = self.subject_end_before(verb, floor);
        if self.is_in(verb, noun_like_stance_forms())
            && subject_end == verb
            && !matches!(
                previous,
                "he" | "she" | "they" | "it" | "we" | "i" | "you" | "who" | "that"
            )
            && !MODALS.contains(previous)
        {
            return None;
        }
        let subject = self.subject_phrase(floor, subject_end)?;
        let cue_end = self
            .stance_particle(verb)
            .map_or(verb + 1, |particle| particle + 1);
        let end = self.complement_end(cue_end, self.content_end(sentence));
        if cue_end >= end
            || self.is_clause_punctuation(cue_end)
            || is_quotation_mark(self.text(cue_end))
        {
            return None;
        }
        Some((subject, verb..cue_end, cue_end..end))
    }

    /// Where a clause of `verb` may start: after the last token before it, in its sentence,
    /// that a direct quote or its cue already claimed.
    pub(super) fn unclaimed_floor(&self, sentence_start: usize, verb: usize) -> usize {
        (sentence_start..verb)
            .rev()
            .find(|&index| self.claimed[index])
            .map_or(sentence_start, |index| index + 1)
    }

    /// Where the subject of a stance or acting verb ends: before its auxiliaries and adverbs
    /// and one manner adverb ("Smith sharply criticized", "she has seriously considered").
    pub(super) fn subject_end_before(&self, verb: usize, floor: usize) -> usize {
        let mut end = self.skip_auxiliaries_back(verb, floor);
        if end > floor + 1
            && self.low(end - 1).ends_with("ly")
            && self.text(end - 1).chars().all(|c| c.is_ascii_lowercase())
        {
            end -= 1;
            end = self.skip_auxiliaries_back(end, floor);
        }
        end
    }

    /// Any other finite verb right after a person or organisation subject ("the senator
    /// dismissed the report as partisan", "she questioned whether ..."): political news reports
    /// stances through actions as much as through speech, so the complement of such a verb
    /// is taken as reported content.
    pub(super) fn acting_clause(
        &self,
        verb: usize,
    ) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        // Words that are never the acting verb, as one set.
        static NOT_ACTING: LazyLock<WordSet> = LazyLock::new(|| {
            acting_stop_words()
                .iter()
                .chain(finite_auxiliaries().iter())
                .chain(plural_group_nouns().iter())
                .chain(MODALS.iter())
                .copied()
                .collect()
        });
        let text = self.text(verb);
        if text.len() < 4
            || !text.chars().all(|c| c.is_ascii_lowercase())
            || NOT_ACTING.contains(text)
        {
            return None;
        }
        let sentence = self.sentence_tokens(verb);
        if verb == sentence.start {
            return None;
        }
        let floor = self.unclaimed_floor(sentence.start, verb);
        let subject_end = self.subject_end_before(verb, floor);
        if subject_end <= floor {
            return None;
        }
        let last = subject_end - 1;
        let pronoun = matches!(self.low(last), "he" | "she" | "they" | "who" | "i" | "we");
        let finite = pronoun
            || text.ends_with("ed")
            || (text.ends_with('s') && !text.ends_with("ss"))
            || subject_end < verb
            || MODALS.contains(self.low(verb - 1));
        if !finite {
            return None;
        }
        let named = self.is_capitalised(last)
            && self.is_word(last)
            && (last > sentence.start || self.has_person_or_org_mention(last..last + 1));
        if !pronoun && !named {
            return None;
        }
        // A noun after a name ("Reyes supporters said"): the verb follows it.
        let next = verb + 1;
        if next < sentence.end
            && (self.is_speech_verb(next)
                || MODALS.contains(self.low(next))
                || finite_auxiliaries().contains(self.low(next)))
        {
            return None;
        }
        let subject = self.subject_phrase(floor, subject_end)?;
        let start = if next < sentence.end && self.is_in(next, acting_particles()) {
            next + 1
        } else {
            next
        };
        let end = self.complement_end(start, self.content_end(sentence));
        if start >= end
            || !(self.is_word(start) || self.text(start).starts_with(|c: char| c.is_ascii_digit()))
            || self.is_in(start, not_clause_starts())
            || self.is_in(start, adjunct_starts())
        {
            return None;
        }
        Some((subject, verb..start, start..end))
    }

    /// Where a clause starting at `start` ends before `limit`: at a semicolon, a dash, or a
    /// comma before a word that starts another clause.
    pub(super) fn clause_end(&self, start: usize, limit: usize) -> usize {
        (start..limit)
            .find(|&index| {
                matches!(self.text(index), ";" | "—" | "–" | "--")
                    || (self.text(index) == ","
                        && index + 1 < limit
                        && self.is_in(index + 1, clause_breaks()))
                    || (self.is_one_of(index, &["and", "but"])
                        && index + 1 < limit
                        && self.is_speech_verb(index + 1))
            })
            .unwrap_or(limit)
    }

    /// Where the complement of a stance or acting verb ends: its clause end, or earlier at a
    /// comma before a participle, an apposition or a new clause ("endorsed Okafor, citing
    /// ...", "cited the program, the federally funded ...", "..., his administration ...").
    pub(super) fn complement_end(&self, start: usize, limit: usize) -> usize {
        let end = self.clause_end(start, limit);
        (start + 1..end)
            .find(|&index| {
                self.text(index) == "," && index + 1 < end && {
                    let next = self.text(index + 1);
                    let low = self.low(index + 1);
                    (low.ends_with("ing") && next.chars().all(|c| c.is_ascii_lowercase()))
                        || clause_starts().contains(low)
                        || self.is_capitalised(index + 1)
                        || next.starts_with(|c: char| c.is_ascii_digit())
                        || matches!(low, "or" | "just" | "including" | "even" | "not")
                }
            })
            .unwrap_or(end)
    }

    /// "According to X, CONTENT." and "CONTENT, according to X."
    pub(super) fn according_to(
        &self,
        index: usize,
    ) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
        let sentence = self.sentence_tokens(index);
        let end = self.content_end(sentence.clone());
        let cue = index..index + 2;
        let opens_sentence = (sentence.start..index)
            .all(|i| !self.is_word(i) || self.is_in(i, leading_connectors()));
        if opens_sentence {
            let source = self.phrase_after(index + 2, end)?;
            let after = source.end;
            return (after < end && self.text(after) == ",").then_some((
                source,
                cue,
                after + 1..end,
            ));
        }
        if index > sentence.start && self.text(index - 1) == "," {
            // "CONTENT, according to X (of Y, who ...)": the source may be a long or lowercase
            // phrase ("people familiar with the talks"); it runs to its first comma.
            let source = self.phrase_after(index + 2, end).unwrap_or_else(|| {
                let stop = (index + 2..end)
                    .find(|&i| self.is_clause_punctuation(i))
                    .unwrap_or(end);
                index + 2..stop.min(index + 2 + MAX_SPEAKER_TOKENS)
            });
            if source.is_empty() {
                return None;
            }
            let mut start = sentence.start;
            while start < index && self.is_in(start, leading_connectors()) {
                start += 1;
            }
            return (start + 1 < index).then_some((source, cue, start..index - 1));
        }
        None
    }

    /// "X said (that) CONTENT", "CONTENT, X said.", "CONTENT, said X."
    #[allow(clippy::type_complexity)]
    pub(super) fn reported_clause(
        &self,
        verb: usize,
    ) -> Option<(Option<Range<usize>>, Range<usize>, Range<usize>)> {
        let sentence = self.sentence_tokens(verb);
        let floor = self.unclaimed_floor(sentence.start, verb);
        let subject_end = self.skip_auxiliaries_back(verb, floor);
        let subject = self.reporting_subject(floor, subject_end);
        let end = self.content_end(sentence.clone());
        // "CONTENT, said X." (X ends the sentence) before "Smith, a lawyer, said ...".
        if verb > sentence.start && self.text(verb - 1) == "," {
            let inverted = self
                .phrase_after(verb + 1, end)
                .filter(|source| {
                    (self.has_person_or_org_mention(source.clone())
                        || self.is_pronoun_phrase(source)
                        || self.phrase_is_person_description(self.span_of(source)))
                        && (source.end >= end
                            || self.apposition_to_sentence_end(source.end, end)
                            || (self.ends_clause_at_sentence_end(source.end, end)
                                && end - source.end <= MAX_TRAILING_ADVERBIAL_TOKENS
                                && !self.holds_finite_clause(source.end..end)))
                })
                .and_then(|source| {
                    let content = self.content_around(sentence.start, verb - 1, source.end, end)?;
                    Some((Some(source), verb..verb + 1, content))
                });
            if inverted.is_some() {
                return inverted;
            }
        }
        if let Some(subject) = subject {
            // "X said (that) CONTENT"
            if let Some(content) =
                self.content_after(verb + 1, self.is_in(verb, verbs_with_hearer()))
            {
                return Some((Some(subject), verb..verb + 1, content));
            }
            // "CONTENT, X said." and "CONTENT, X said, MORE CONTENT."
            let content = subject
                .start
                .checked_sub(1)
                .filter(|&comma| comma > sentence.start && self.text(comma) == ",")
                .and_then(|comma| self.content_around(sentence.start, comma, verb + 1, end));
            if let Some(content) = content {
                return Some((Some(subject), verb..verb + 1, content));
            }
            if self.text(verb - 1) != "," {
                return None;
            }
        }
        // "CONTENT, said X." and "CONTENT, said X, MORE CONTENT."
        if verb > sentence.start && self.text(verb - 1) == "," {
            let source = self.phrase_after(verb + 1, end)?;
            let content = self.content_around(sentence.start, verb - 1, source.end, end)?;
            return Some((Some(source), verb..verb + 1, content));
        }
        // "X visited the plant and said (that) CONTENT": the speaker is the clause's subject,
        // taken from the attribution before it in the sentence when there is one.
        if verb > sentence.start && self.is_one_of(verb - 1, &["and", "but"]) {
            let content = self.content_after(verb + 1, self.is_in(verb, verbs_with_hearer()))?;
            return Some((None, verb..verb + 1, content));
        }
        None
    }

    /// The reported content around an attribution that sits after a comma at `comma`: the
    /// clause before it when the attribution ends the sentence, or the whole sentence when
    /// the content goes on after it ("The museum, he said, would ...").
    pub(super) fn content_around(
        &self,
        sentence_start: usize,
        comma: usize,
        after_attribution: usize,
        end: usize,
    ) -> Option<Range<usize>> {
        let start = (sentence_start..comma)
            .find(|&index| !self.is_in(index, leading_connectors()))
            .unwrap_or(sentence_start);
        if is_quotation_mark(self.text(start)) {
            return None;
        }
        if self.ends_clause_at_sentence_end(after_attribution, end)
            || self.apposition_to_sentence_end(after_attribution, end)
        {
            return Some(start..comma);
        }
        // Only an adverbial, then a comma and more of the content.
        let resumes = (after_attribution..end.min(after_attribution + 8))
            .find(|&index| self.text(index) == ",")
            .filter(|&index| {
                (after_attribution..index).all(|i| self.is_word(i))
                    && (after_attribution == index
                        || (self.is_in(after_attribution, adjunct_starts())
                            && self.low(after_attribution) != "to"
                            && index - after_attribution <= 4))
                    && index + 1 < end
                    && !(index + 1..end).any(|i| self.is_speech_verb(i))
            });
        resumes.map(|_| start..end)
    }

    /// ", who ran it for a decade." or ", a lawyer at the firm." after a speaker: an apposition
    /// or a relative clause that runs to the end of the sentence, with no speech of its own.
    pub(super) fn apposition_to_sentence_end(&self, after: usize, end: usize) -> bool {
        after + 1 < end
            && self.text(after) == ","
            && (self.is_in(after + 1, apposition_starts()) || self.is_capitalised(after + 1))
            && !(after + 1..end).any(|index| {
                self.is_speech_verb(index)
                    || is_quotation_mark(self.text(index))
                    || matches!(self.text(index), ";" | ":")
                    || self.low(index) == "that"
            })
    }

    /// After an attribution at the end of a sentence only adverbials may follow.
    pub(super) fn ends_clause_at_sentence_end(&self, after: usize, end: usize) -> bool {
        if after >= end {
            return true;
        }
        let rest_is_adverbial = !(after..end).any(|index| {
            self.is_speech_verb(index) || self.low(index) == "that" || self.text(index) == ","
        });
        (self.is_in(after, adjunct_starts()) || self.text(after) == "(") && rest_is_adverbial
    }

    /// The reported clause after a verb: "(told Y) (on Monday) that CONTENT" or a that-less
    /// clause starting right after the verb (or its hearer).
    pub(super) fn content_after(&self, start: usize, hearer: bool) -> Option<Range<usize>> {
        let sentence = self.sentence_tokens(start.min(self.document.tokens.len() - 1));
        if start >= sentence.end || self.sentence_of(start - 1) != self.sentence_of(start) {
            return None;
        }
        let end = self.content_end(sentence.clone());
        let mut index = start;
        if hearer {
            if let Some(phrase) = self.phrase_after(index, end) {
                if self.low(phrase.start) != "that" {
                    index = phrase.end;
                }
            }
        }
        // "that" within a short adverbial: "said on Thursday that", "said in a statement that".
        let that = (index..end.min(index + 8))
            .take_while(|&i| {
                !matches!(self.text(i), "." | ";" | ":") && !is_quotation_mark(self.text(i))
            })
            .find(|&i| self.low(i) == "that");
        if let Some(that) = that {
            let adverbial_only = (index..that)
                .all(|i| self.is_word(i) || matches!(self.text(i), "," | "'s" | "’s"))
                && (that == index
                    || self.is_in(index, adjunct_starts())
                    || self.text(index) == ",");
            if adverbial_only && that + 1 < end {
                return Some(that + 1..self.clause_end(that + 1, end));
            }
        }
        // "vowed to repeal ...", "asked to see ...": the infinitive is the content.
        if index + 1 < end
            && self.low(index) == "to"
            && self.is_in(index - 1, infinitive_speech_verbs())
            && self.text(index + 1).chars().all(|c| c.is_ascii_lowercase())
        {
            return Some(index..self.clause_end(index, end));
        }
        if index < end
            && (self.is_in(index, clause_starts())
                || (self.is_word(index)
                    && !self.is_in(index, adjunct_starts())
                    && !self.is_in(index, not_clause_starts())))
        {
            if index + 1 < end && self.text(index + 1) == ":" {
                return None;
            }
            return Some(index..self.clause_end(index, end));
        }
        // "said if elected she would ...", "said on balance it was worth it ...", "said, if
        // elected, she would ...": a clause led by a subordinate clause or an adverbial,
        // taken when a finite clause follows in it.
        let lead =
            if index + 1 < end && self.text(index) == "," && self.is_in(index + 1, subordinators())
            {
                index + 1
            } else {
                index
            };
        if lead < end
            && (self.is_in(lead, subordinators())
                || (self.is_in(lead, adjunct_starts()) && !self.is_in(lead, non_clause_adjuncts())))
        {
            let content = lead..self.clause_end(lead, end);
            if self.word_count(content.clone()) >= MIN_LED_CLAUSE_WORDS
                && self.holds_finite_clause(lead + 2..content.end)
            {
                return Some(content);
            }
        }
        None
    }

    /// Whether a subject pronoun or a finite auxiliary or modal stands in `tokens`: the mark
    /// of a clause after an adverbial.
    pub(super) fn holds_finite_clause(&self, tokens: Range<usize>) -> bool {
        tokens.into_iter().any(|index| {
            self.is_in(index, &PERSON_PRONOUNS)
                || self.is_one_of(index, &["it", "they", "we", "there"])
                || self.is_in(index, finite_auxiliaries())
                || MODALS.contains(self.low(index))
        })
    }

    /// Where reported content ends in a sentence: before the final full stop.
    pub(super) fn content_end(&self, sentence: Range<usize>) -> usize {
        let mut end = sentence.end;
        while end > sentence.start && self.is_terminal(end - 1) {
            end -= 1;
        }
        end
    }
}
