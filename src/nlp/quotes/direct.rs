//! Direct quotes: which top-level quoted stretches are speech, and the cue next to them.
//! A stretch is a direct quote when its opening mark starts a clause and a speech cue is
//! adjacent (before or after it, a signature, a colon after a name), when it follows an
//! attributed quote in the same paragraph, or, with no cue, when it has sentence form.
//! Titles, names, scare quotes and partial quotes woven into a sentence are not quotes.

use super::*;

impl QuoteFinder<'_> {
    pub(super) fn direct_quotes(&self, stretches: &[QuotedStretch]) -> Vec<Candidate> {
        let mut directs: Vec<Candidate> = Vec::new();
        // Whether the last direct quote was attributed, or continues one that was: only such
        // a chain runs on into an unclosed stretch with no attribution of its own.
        let mut chain_attributed = false;
        // For each stretch, the position of its candidate in `directs`, if it is one.
        let mut accepted: Vec<Option<usize>> = vec![None; stretches.len()];
        for (position, stretch) in stretches.iter().enumerate() {
            if self.out_of_time() {
                break;
            }
            let previous_close = position
                .checked_sub(1)
                .map(|previous| stretches[previous].last());
            let next_open = stretches.get(position + 1).map(|next| next.open);
            // The part after a split ("“A,” she said. “B.”"), or the next paragraph of a quote
            // over several paragraphs (or after a closing mark lost at a paragraph end).
            let continues_quote = directs.last().is_some_and(|last| {
                last.stretch.is_some_and(|last_stretch| {
                    let paragraph = self.paragraph_of(last_stretch.last());
                    Some(last_stretch.last()) == previous_close
                        && chain_attributed
                        && (paragraph == self.paragraph_of(stretch.open)
                            || (!last_stretch.closed
                                && self.paragraph_of(stretch.open) == paragraph + 1
                                && self.field_of(stretch.open) == self.field_of(last_stretch.open)))
                })
            });
            // The last paragraph of a run that opened each paragraph with a mark and was
            // not taken for a quote (an excerpt) does not stand alone either.
            let ends_excerpt = position > 0
                && !stretches[position - 1].closed
                && stretches[position - 1].close == stretch.open
                && accepted[position - 1].is_none();
            if let Some(candidate) = self
                .judge_stretch(
                    *stretch,
                    previous_close,
                    next_open,
                    continues_quote && !ends_excerpt,
                )
                .filter(|candidate| !ends_excerpt || candidate.attribution.is_some())
            {
                chain_attributed = candidate.attribution.is_some() || continues_quote;
                accepted[position] = Some(directs.len());
                directs.push(candidate);
            }
        }
        // A quote over several paragraphs attributed in its last one ("“A.\n\n“B,” she
        // said."): each earlier paragraph that runs unclosed into the next paragraph's opening
        // mark takes the attribution of the paragraph after it.
        for position in (0..stretches.len().saturating_sub(1)).rev() {
            let stretch = stretches[position];
            let next = stretches[position + 1];
            let Some(next_candidate) = accepted[position + 1] else {
                continue;
            };
            let runs_into_next = !stretch.closed
                && next.open == stretch.close
                && self.text(next.open) == self.text(stretch.open)
                && self.paragraph_of(next.open) == self.paragraph_of(stretch.open) + 1
                && self.field_of(next.open) == self.field_of(stretch.open);
            let Some(attribution) = directs[next_candidate].attribution.clone() else {
                continue;
            };
            if accepted[position].is_some() || !runs_into_next {
                continue;
            }
            if self.word_count(stretch.open + 1..stretch.close) == 0 {
                continue;
            }
            accepted[position] = Some(directs.len());
            directs.push(Candidate {
                kind: QuoteKind::Direct,
                span: self.span_of(&(stretch.open + 1..stretch.close)),
                paragraph: self.paragraph_of(stretch.open),
                stretch: Some(stretch),
                attribution: Some(attribution),
                continues_clause: false,
                speaker: None,
                hidden: false,
            });
        }
        directs.sort_by_key(|candidate| (candidate.span.field, candidate.span.start));
        directs
    }

    /// Whether a quoted stretch is a direct quote, and its attribution if one is adjacent.
    pub(super) fn judge_stretch(
        &self,
        stretch: QuotedStretch,
        previous_close: Option<usize>,
        next_open: Option<usize>,
        continues_quote: bool,
    ) -> Option<Candidate> {
        let QuotedStretch {
            open,
            close,
            closed,
        } = stretch;
        let mut content_end = close;
        while content_end > open + 1 && self.text(content_end - 1) == "," {
            content_end -= 1;
        }
        if content_end <= open + 1 || self.word_count(open + 1..content_end) == 0 {
            return None;
        }
        let opens_clause = self.opens_clause(open);
        if !opens_clause {
            return None;
        }
        // An unclosed quote ran to its paragraph's end or to the next quote: nothing after it
        // is its attribution.
        let attribution = closed
            .then(|| self.attribution_after(close, next_open))
            .flatten()
            .or_else(|| self.attribution_before(open, previous_close));
        // “A,” she said. “B.” - the second part of a split quote may be short.
        let continuation = continues_quote
            && open == self.sentence_of_opening(open).start
            && self
                .text(open + 1)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        // An unclosed stretch that ran to its paragraph's end stands alone only as a
        // continuation: a run of paragraphs that each open with a mark and name no speaker
        // is an excerpt or a transcript. One cut short by the next opening mark in its
        // paragraph lost its closing mark to the scraper, and is judged like a closed one.
        let ended_by_mark = closed
            || (next_open == Some(close)
                && self.paragraph_of(close) == self.paragraph_of(open)
                && self.field_of(close) == self.field_of(open));
        let standalone = attribution.is_none()
            && (continuation || (ended_by_mark && self.has_sentence_form(open, close)));
        if attribution.is_none() && !standalone {
            return None;
        }
        Some(Candidate {
            kind: QuoteKind::Direct,
            span: self.span_of(&(open + 1..content_end)),
            paragraph: self.paragraph_of(open),
            stretch: Some(stretch),
            attribution,
            continues_clause: false,
            speaker: None,
            hidden: false,
        })
    }

    /// The opening mark starts a clause: a quote, not a word quoted inside a sentence.
    pub(super) fn opens_clause(&self, open: usize) -> bool {
        let sentence = self.sentence_of_opening(open);
        if open == sentence.start {
            return true;
        }
        let previous = open - 1;
        matches!(
            self.text(previous),
            ":" | "," | ";" | "—" | "–" | "-" | "--" | "(" | "…" | "..."
        ) || self.is_speech_verb(previous)
            || self.is_in(previous, speech_participles())
            || self.names_in_quotes(open)
            || is_quotation_mark(self.text(previous))
    }

    /// "who he dubbed “the little senator”": a naming verb right before the mark and a
    /// lowercase start, a phrase the subject coined (a capitalised one is mostly a title).
    pub(super) fn names_in_quotes(&self, open: usize) -> bool {
        open > 0
            && open + 1 < self.document.tokens.len()
            && self.is_in(open - 1, naming_verbs())
            && self.is_lowercase(open + 1)
    }

    /// A stretch that reads as a sentence of its own: starts a sentence (or follows a colon),
    /// starts with a capital, ends with terminal punctuation inside the marks.
    pub(super) fn has_sentence_form(&self, open: usize, close: usize) -> bool {
        let sentence = self.sentence_of_opening(open);
        let starts_sentence = open == sentence.start || self.text(open - 1) == ":";
        let first = self.text(open + 1).chars().next().unwrap_or(' ');
        let capitalised = first.is_uppercase() || first.is_ascii_digit() || "…[".contains(first);
        // "‘Legend in the Coal Fields.’" on a line of its own is a heading.
        let title_case = (open + 1..close)
            .filter(|&index| self.is_word(index) && self.text(index).chars().count() > 3)
            .all(|index| self.is_capitalised(index));
        starts_sentence
            && capitalised
            && !title_case
            && self.is_terminal(close - 1)
            && self.word_count(open + 1..close) >= MIN_STANDALONE_WORDS
    }

    /// "..., he said", "...,” said Smith", "...” Smith said." (the next sentence when it is
    /// only the attribution).
    pub(super) fn attribution_after(
        &self,
        close: usize,
        next_open: Option<usize>,
    ) -> Option<Attribution> {
        let sentence = self.sentence_tokens(close);
        let (from, limit) = if close + 1 < sentence.end {
            (close + 1, sentence.end)
        } else {
            // The closing mark ended the sentence; the next one may be "Smith said."
            let next = self.document.sentences.get(self.sentence_of(close) + 1)?;
            if next.paragraph != self.paragraph_of(close) || next.tokens.len() > 16 {
                return None;
            }
            (next.tokens.start, next.tokens.end)
        };
        let limit = next_open.map_or(limit, |next| limit.min(next + 1));
        if let Some(signed) = self.signature_after(from, limit) {
            return Some(signed);
        }
        let mut start = from;
        while start < limit && matches!(self.text(start), "," | "—" | "–" | "--") {
            start += 1;
        }
        // The cue is within a few tokens, before any other clause punctuation; a speaker in
        // apposition ("Smith, a lawyer at X, said") or with a bracket ("Smith (D-Mo.) said")
        // may push it further.
        let mut cue = None;
        let mut index = start;
        let mut reach = MAX_SPEAKER_TOKENS + 4;
        while index < limit && index < start + reach {
            if self.is_speech_verb(index)
                || (self.is_in(index, after_quote_verbs()) && index > start)
                || self.is_according_to(index)
                || (self.low(index) == "quoted" && index > start)
            {
                cue = Some(index);
                break;
            }
            match self.text(index) {
                "(" => {
                    let closing = (index + 1..limit.min(index + 8)).find(|&i| self.text(i) == ")");
                    match closing {
                        Some(closing) if index > start => index = closing,
                        _ => break,
                    }
                }
                "," if index > start => reach = MAX_APPOSITION_TOKENS,
                "." | "!" | "?" | ";" | ":" | ")" => break,
                text if is_quotation_mark(text) => break,
                _ => {}
            }
            index += 1;
        }
        let cue = cue?;
        if self.is_according_to(cue) {
            // "...,” according to the ministry.
            if cue != start {
                return None;
            }
            let speaker = self.phrase_after(cue + 2, limit)?;
            if !self.ends_clause(speaker.end, limit) {
                return None;
            }
            return Some(Attribution {
                via: self.find_via(speaker.end, limit),
                speaker: Some(speaker),
                cue: cue..cue + 2,
            });
        }
        // "..., Smith is quoted as saying."
        if self.low(cue) == "quoted"
            && cue > start + 1
            && self.is_one_of(cue - 1, &["is", "was", "were", "are", "been"])
            && cue + 2 < limit
            && self.low(cue + 1) == "as"
            && self.is_in(cue + 2, speech_participles())
        {
            let subject_end = self.skip_auxiliaries_back(cue - 1, start);
            let speaker = self.subject_phrase(start, subject_end)?;
            return self.ends_clause(cue + 3, limit).then(|| Attribution {
                via: self.find_via(cue, limit),
                speaker: Some(speaker),
                cue: cue..cue + 3,
            });
        }
        let mut subject_end = self.skip_auxiliaries_back(cue, start);
        // "the chair of the task force, Brian Carpenter, says" names its speaker last; other
        // asides ("Smith, a lawyer at X, said") follow the speaker.
        if self.name_apposed_before(start, subject_end).is_none() {
            if let Some(aside) = (start..subject_end).find(|&i| matches!(self.text(i), "," | "(")) {
                subject_end = aside;
            }
        }
        let (speaker, cue_range, after) = if subject_end == start {
            // "said Smith", "said the minister"
            let speaker = self.phrase_after(cue + 1, limit)?;
            let after = speaker.end;
            (speaker, cue..cue + 1, after)
        } else {
            let speaker = self.subject_phrase(start, subject_end)?;
            if let Some(quoted) = self.quoted_as_saying(cue, limit) {
                // "..., Reuters quoted Okafor as saying."
                let after = quoted.cue.end;
                return self.ends_clause(after, limit).then_some(Attribution {
                    speaker: quoted.speaker,
                    cue: quoted.cue,
                    via: Some(speaker),
                });
            }
            let mut after = cue + 1;
            if self.is_in(cue, verbs_with_hearer()) {
                after = if after < limit && self.is_in(after, &OBJECT_PRONOUNS) {
                    after + 1
                } else {
                    self.phrase_after(after, limit)
                        .map_or_else(|| self.plain_hearer_end(after, limit), |hearer| hearer.end)
                };
            }
            (speaker, cue..cue + 1, after)
        };
        // A quote that hangs on a comma, "?" or "!" inside its marks needs its attribution:
        // whatever follows the cue ("said an hour into the meeting") is the cue's clause.
        let hangs = close > 0 && matches!(self.text(close - 1), "," | "?" | "!");
        if !hangs && !self.ends_clause(after, limit) {
            return None;
        }
        // "...” Roe said: “...": a cue before a colon introduces the quote that follows.
        if after < limit && self.text(after) == ":" {
            return None;
        }
        Some(Attribution {
            via: self.find_via(cue_range.start, limit),
            speaker: Some(speaker),
            cue: cue_range,
        })
    }

    /// A signature after a quote: "...” ― Jane Doe" (a dash, then a name ending the
    /// sentence or followed by a comma).
    pub(super) fn signature_after(&self, from: usize, limit: usize) -> Option<Attribution> {
        if from >= limit || !matches!(self.text(from), "―" | "—" | "–" | "--") {
            return None;
        }
        let speaker = self.phrase_after(from + 1, limit)?;
        let ends = speaker.end >= limit
            || self.text(speaker.end) == ","
            || (speaker.end..limit).all(|index| !self.is_word(index));
        (ends && self.is_capitalised(speaker.start)).then(|| Attribution {
            speaker: Some(speaker),
            cue: from..from + 1,
            via: None,
        })
    }

    /// "X quoted Y as saying": Y and the cue span, when `cue` is "quoted".
    pub(super) fn quoted_as_saying(&self, cue: usize, limit: usize) -> Option<Attribution> {
        if self.low(cue) != "quoted" {
            return None;
        }
        let speaker = self.phrase_after(cue + 1, limit)?;
        let as_index = speaker.end;
        (as_index + 1 < limit
            && self.low(as_index) == "as"
            && self.is_in(as_index + 1, speech_participles()))
        .then(|| Attribution {
            speaker: Some(speaker),
            cue: as_index..as_index + 2,
            via: None,
        })
    }

    /// After "told": a bare plural or lowercase hearer ("told reporters", "told local
    /// officials"), up to three lowercase words; `start` itself when there is none.
    pub(super) fn plain_hearer_end(&self, start: usize, limit: usize) -> usize {
        let mut end = start;
        while end < limit
            && end - start < 3
            && self.is_word(end)
            && self.text(end).chars().all(|c| c.is_lowercase())
            && !self.is_in(end, adjunct_starts())
            && !self.is_one_of(end, &["that", "and", "but"])
        {
            end += 1;
        }
        end
    }

    /// Nothing but punctuation or an adverbial follows the attribution: it is not the start
    /// of a clause of its own ("he said the plan ...").
    pub(super) fn ends_clause(&self, after: usize, limit: usize) -> bool {
        if after >= limit {
            return true;
        }
        let text = self.text(after);
        matches!(
            text,
            "." | "," | "(" | ";" | "!" | "?" | ":" | "—" | "–" | "-" | "--" | "…" | "..."
        ) || is_quotation_mark(text)
            || self.is_in(after, adjunct_starts())
            // "Smith said sarcastically."
            || (text.len() > 4 && self.low(after).ends_with("ly") && self.ends_clause(after + 1, limit))
    }

    /// "Smith said: “...”", "Smith told reporters, “...”", "According to X, “...”", a colon
    /// after a name, and a paragraph ending with "Smith continued:" before a quote paragraph.
    pub(super) fn attribution_before(
        &self,
        open: usize,
        previous_close: Option<usize>,
    ) -> Option<Attribution> {
        let sentence = self.sentence_of_opening(open);
        let floor = previous_close
            .filter(|&close| close >= sentence.start)
            .map_or(sentence.start, |close| close + 1);
        if open == floor {
            // A quote paragraph introduced by a colon at the end of the previous paragraph.
            let first_of_paragraph = open == sentence.start
                && (open == 0 || self.paragraph_of(open - 1) != self.paragraph_of(open));
            if first_of_paragraph && open > 0 && self.text(open - 1) == ":" {
                let previous = self.sentence_tokens(open - 1);
                let floor = previous_close
                    .filter(|&close| close >= previous.start)
                    .map_or(previous.start, |close| close + 1);
                return self.attribution_ending_at(open - 1, floor, true);
            }
            return None;
        }
        let last = open - 1;
        let introduced = matches!(self.text(last), ":" | ",");
        if introduced {
            self.attribution_ending_at(last, floor, self.text(last) == ":")
        } else if self.is_speech_verb(last) || self.is_in(last, speech_participles()) {
            self.attribution_ending_at(open, floor, false)
        } else if self.names_in_quotes(open) {
            let subject_end = self.skip_auxiliaries_back(last, floor);
            let speaker = self.subject_phrase(floor, subject_end)?;
            Some(Attribution {
                speaker: Some(speaker),
                cue: last..open,
                via: None,
            })
        } else {
            None
        }
    }

    /// An attribution in `floor..end` whose cue is near `end` (the introducing mark).
    pub(super) fn attribution_ending_at(
        &self,
        end: usize,
        floor: usize,
        colon: bool,
    ) -> Option<Attribution> {
        let earliest = end.saturating_sub(8).max(floor);
        let cue = (earliest..end).rev().find(|&index| {
            self.is_speech_verb(index)
                || self.is_according_to(index)
                || (self.is_in(index, speech_participles())
                    && index > floor
                    && matches!(self.low(index - 1), "as" | ","))
        });
        let Some(cue) = cue else {
            if colon && end > floor {
                if let Some(speaker) = self.colon_clause_speaker(floor, end) {
                    return Some(Attribution {
                        speaker: Some(speaker),
                        cue: end..end + 1,
                        via: None,
                    });
                }
            }
            // "Pat Smith: “...”" - a colon after a name.
            if !colon || end <= floor || end - floor > 6 {
                return None;
            }
            let names_someone = self.has_person_or_org_mention(floor..end)
                || (floor..end).all(|index| self.is_capitalised(index) || !self.is_word(index));
            return names_someone.then(|| Attribution {
                speaker: self.subject_phrase(floor, end),
                cue: end..end + 1,
                via: None,
            });
        };
        if self.is_according_to(cue) {
            let speaker = self.phrase_after(cue + 2, end)?;
            return Some(Attribution {
                via: self.find_via(cue, end),
                speaker: Some(speaker),
                cue: cue..cue + 2,
            });
        }
        if self.is_in(cue, speech_participles()) && self.text(cue - 1) == "," {
            // "Pike attacked Lund ..., saying, “...”": the subject of the sentence.
            let speaker = self.sentence_subject(floor, cue)?;
            return Some(Attribution {
                speaker: Some(speaker),
                cue: cue..cue + 1,
                via: None,
            });
        }
        if self.is_in(cue, speech_participles()) {
            // "X was quoted as saying:" or "Reuters quoted X as saying:"
            let quoted = cue - 2;
            if quoted < floor {
                return None;
            }
            if self.low(quoted) == "quoted" && quoted > floor {
                let subject_end = self.skip_auxiliaries_back(quoted, floor);
                let subject_end = if subject_end > floor && self.low(subject_end - 1) == "was" {
                    subject_end - 1
                } else {
                    subject_end
                };
                let speaker = self.subject_phrase(floor, subject_end)?;
                return Some(Attribution {
                    speaker: Some(speaker),
                    cue: cue - 1..cue + 1,
                    via: None,
                });
            }
            let via = self.subject_phrase(floor, self.skip_auxiliaries_back(cue, floor));
            let quoted = (floor..cue)
                .rev()
                .find(|&index| self.low(index) == "quoted")?;
            let speaker = self.phrase_after(quoted + 1, cue - 1)?;
            let via = via.filter(|via| via.end <= quoted).or_else(|| {
                let subject_end = self.skip_auxiliaries_back(quoted, floor);
                self.subject_phrase(floor, subject_end)
            });
            return Some(Attribution {
                speaker: Some(speaker),
                cue: cue - 1..cue + 1,
                via,
            });
        }
        let subject_end = self.skip_auxiliaries_back(cue, floor);
        let speaker = if subject_end > floor {
            self.subject_phrase(floor, subject_end)
        } else {
            self.phrase_after(cue + 1, end)
        };
        // "Smith paused and said, “No.”": the subject of the first verb.
        let speaker = speaker.or_else(|| {
            (subject_end > floor && self.is_one_of(subject_end - 1, &["and", "but"]))
                .then(|| self.sentence_subject(floor, cue))
                .flatten()
        })?;
        Some(Attribution {
            via: self.find_via(floor, end),
            speaker: Some(speaker),
            cue: cue..cue + 1,
        })
    }

    /// The speaker of a clause that introduces a quote with a colon but no speech verb:
    /// a name after the last dash of a heading ("MORE STATES VOTE - Pat Smith: “...”"), or
    /// the named subject of the clause ("Smith leaned in and boomed: “...”").
    pub(super) fn colon_clause_speaker(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        let after_dash = (floor..end)
            .rev()
            .find(|&index| matches!(self.text(index), "-" | "—" | "–" | "--"))
            .map_or(floor, |index| index + 1);
        if after_dash > floor
            && end > after_dash
            && end - after_dash <= 8
            && self.has_person_or_org_mention(after_dash..end)
            && (after_dash..end).all(|index| {
                self.is_capitalised(index)
                    || !self.is_word(index)
                    || self.is_one_of(index, &["of", "for", "the"])
            })
        {
            return self
                .subject_phrase(after_dash, end)
                .or(Some(after_dash..end));
        }
        let subject = self.sentence_subject(floor, end)?;
        (self.is_capitalised(subject.start)
            && subject.end < end
            && self.has_person_or_org_mention(subject.clone()))
        .then_some(subject)
    }

    /// The noun phrase that opens the clause at `floor` (over a leading adverbial and
    /// connectors), before `limit`: the subject a later verb of the sentence shares.
    pub(super) fn sentence_subject(&self, floor: usize, limit: usize) -> Option<Range<usize>> {
        let mut start = floor;
        if self.is_in(start, leading_prepositions()) {
            start = (start..limit).find(|&index| self.text(index) == ",")? + 1;
        } else if let Some(comma) = (start..limit.min(start + 6)).find(|&i| self.text(i) == ",") {
            // "Here in the capital, Smith ...", "Just last week, Smith ...": a short opening
            // adverbial that names no one.
            if comma > start && !self.has_person_or_org_mention(start..comma) {
                start = comma + 1;
            }
        }
        while start < limit && self.is_in(start, leading_connectors()) {
            start += 1;
        }
        self.phrase_after(start, limit)
    }
}
