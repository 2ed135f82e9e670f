//! Speaker noun phrases: the subject of a cue before or after it ("the Nigerian Foreign
//! Minister said", "said party strategist Jon Reyes", "Smith, a lawyer at ..., said"), the
//! antecedent of a relative "who", and the checks that a phrase can speak at all.

use super::*;

impl QuoteFinder<'_> {
    /// Walks back from a verb over "has", "also" and the like to where the subject ends.
    pub(super) fn skip_auxiliaries_back(&self, verb: usize, floor: usize) -> usize {
        let mut end = verb;
        while end > floor && verb - end < 3 && self.is_in(end - 1, auxiliaries_and_adverbs()) {
            end -= 1;
        }
        end
    }

    /// The subject noun phrase ending just before `end` (exclusive), not reaching before
    /// `floor`: back to a clause boundary, over an apposition ("Smith, a lawyer at X,").
    /// The subject of a reported clause: [`Self::subject_phrase`], or the antecedent of a
    /// relative "who" right before the verb.
    pub(super) fn reporting_subject(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        if end > floor && self.low(end - 1) == "who" {
            return self.relative_antecedent(floor, end - 1);
        }
        self.subject_phrase(floor, end)
    }

    pub(super) fn subject_phrase(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        if end <= floor {
            return None;
        }
        let mut end = end;
        if let Some(name) = self.name_apposed_before(floor, end) {
            return Some(name);
        }
        if self.text(end - 1) == "," {
            // "Steven Rosenthal, a lawyer at the center, said": the name before the apposition.
            // A long apposition ("Jane Roe, director of ..., who ..., said") starts at the
            // first comma of the clause.
            let nearest = (floor..end - 1)
                .rev()
                .take(MAX_SPEAKER_TOKENS + 2)
                .find(|&index| self.text(index) == ",");
            let first = (floor.max(end.saturating_sub(MAX_APPOSITION_TOKENS))..end - 1)
                .find(|&index| self.text(index) == ",");
            let leads_a_name = |comma: &usize| {
                let start = (floor..*comma)
                    .rev()
                    .find(|&index| self.is_clause_punctuation(index))
                    .map_or(floor, |index| index + 1);
                start < *comma
                    && self.is_capitalised(start)
                    && !self.is_in(start, leading_prepositions())
                    && !self.is_in(start, leading_connectors())
            };
            end = first.filter(leads_a_name).or(nearest).or(first)?;
        }
        let mut start = end;
        while start > floor {
            let index = start - 1;
            if self.is_clause_punctuation(index) {
                break;
            }
            if self.is_lowercase(index) && self.is_in(index, subject_boundary_words()) {
                break;
            }
            if end - start >= MAX_SPEAKER_TOKENS {
                return None;
            }
            start -= 1;
        }
        // Leading connectors and adverbials are not part of the speaker.
        while start < end && self.is_in(start, leading_connectors()) {
            start += 1;
        }
        if start < end && self.is_in(start, leading_prepositions()) {
            if let Some(determiner) = (start + 1..end).find(|&index| {
                self.is_one_of(index, &["the", "a", "an", "his", "her", "their", "its"])
                    || self.is_in(index, &PERSON_PRONOUNS)
                    || self.is_in(index, &GROUP_PRONOUNS)
            }) {
                start = determiner;
            } else {
                // "In Ms. Lund's plan ..." is an adverbial, not a subject.
                return None;
            }
        }
        // A pronoun subject takes no modifiers: "... at 7 p.m. He said", "She then turned
        // to the crowd:" name "He" and "She", not the words around them.
        if let Some(pronoun) = (start..end)
            .rev()
            .find(|&index| self.is_one_of(index, &["he", "she", "they", "we", "i"]))
        {
            return Some(pronoun..pronoun + 1);
        }
        self.valid_speaker(start..end).then_some(start..end)
    }

    /// A token that may stand inside a noun phrase: a word, a possessive, a hyphen, an
    /// ampersand or an abbreviation ("Mr.", "U.S.").
    pub(super) fn is_phrase_word(&self, index: usize) -> bool {
        let text = self.text(index);
        self.is_word(index)
            || matches!(text, "'s" | "’s" | "-" | "&")
            || (text.len() > 1 && text.ends_with('.'))
    }

    /// The subject of a relative "who" at `who`: the noun phrase right before it ("Ms. Roe,
    /// who said ...", "business leaders who say ..."), back to punctuation, a clause word or
    /// a preposition, at most a few words.
    pub(super) fn relative_antecedent(&self, floor: usize, who: usize) -> Option<Range<usize>> {
        let mut end = who;
        if end > floor && self.text(end - 1) == "," {
            end -= 1;
        }
        let mut start = end;
        while start > floor && end - start < MAX_ANTECEDENT_TOKENS {
            let index = start - 1;
            let text = self.text(index);
            if !self.is_phrase_word(index) {
                break;
            }
            let lowercase = text.chars().next().is_some_and(char::is_lowercase);
            if lowercase
                && (self.is_in(index, subject_boundary_words())
                    || self.is_in(index, antecedent_stop_words()))
            {
                break;
            }
            start -= 1;
        }
        (start < end && self.valid_speaker(start..end)).then_some(start..end)
    }

    /// The noun phrase starting at `start` ("Smith", "the minister", "a spokesman for the
    /// ministry", "he"), up to punctuation or a word that starts something else.
    pub(super) fn phrase_after(&self, start: usize, limit: usize) -> Option<Range<usize>> {
        if start >= limit {
            return None;
        }
        if self.is_in(start, &PERSON_PRONOUNS) || self.is_in(start, &GROUP_PRONOUNS) {
            return Some(start..start + 1);
        }
        let first = self.text(start);
        let opens_phrase = self.is_capitalised(start)
            || self.is_in(start, phrase_openers())
            || first.chars().next().is_some_and(|c| c.is_ascii_digit())
            || self.leads_to_a_name(start, limit);
        if !opens_phrase || self.is_speech_verb(start) {
            return None;
        }
        // A name ("Reed", "Secretary of State Jane Roe") ends at the first lowercase word
        // that does not join two capitalised ones: "Reed attacked ..." is a clause.
        let is_name = self.is_capitalised(start)
            && !self.is_one_of(
                start,
                &["the", "a", "an", "his", "her", "their", "its", "this"],
            );
        let mut end = start;
        while end < limit && end - start < MAX_SPEAKER_TOKENS {
            let text = self.text(end);
            if !self.is_phrase_word(end) {
                break;
            }
            let lowercase = text.chars().next().is_some_and(char::is_lowercase);
            if end > start
                && lowercase
                && self.is_in(end, phrase_stop_words())
                && !self.joins_possessor(end, limit)
            {
                break;
            }
            let joins_names = (self.is_in(end, name_joiners())
                && end + 1 < limit
                && self.is_capitalised(end + 1))
                || self.joins_possessor(end, limit);
            if is_name && lowercase && !joins_names {
                // A name, a description and a name: "Lopez constituent Dana Hill",
                // "Labour party whip Anna Berg", "party strategist Jon Reyes":
                // up to three lowercase words that lead to another capitalised word.
                let next = self.description_end(end, limit, |next| self.is_lowercase(next));
                if next > end && next < limit && self.is_capitalised(next) {
                    end = next;
                    continue;
                }
                break;
            }
            end += 1;
        }
        // A trailing "of"/"for" belongs to what follows, not to the name.
        while end > start && self.is_one_of(end - 1, &["of", "for", "the", "a", "an"]) {
            end -= 1;
        }
        // A description is short ("the minister", "a spokesman for the ministry"); a longer
        // run of lowercase words is a clause ("the event brought back memories").
        let lowercase_words = (start..end)
            .filter(|&index| {
                self.is_lowercase(index) && !self.is_one_of(index, &["the", "a", "an", "of", "for"])
            })
            .count();
        // A longer description may close the sentence: "said a former senior law
        // enforcement official."
        let closes_sentence = end >= limit || self.is_terminal(end);
        if lowercase_words > 4 && !(closes_sentence && lowercase_words <= 6) {
            return None;
        }
        if end <= start || !self.valid_speaker(start..end) {
            return None;
        }
        // "said BA director of commercial planning, Robert Boyle.": the phrase runs on to the
        // person named in apposition to the description.
        match self.name_apposed_after(start, limit) {
            Some(name) if !self.names_a_person(start..end) => Some(start..name.end),
            _ => Some(start..end),
        }
    }

    /// "Ernst and Young's Sanjay Mehta": "and" (or "&") followed by capitalised words and a
    /// possessive joins the first name to the owner of what follows.
    fn joins_possessor(&self, index: usize, limit: usize) -> bool {
        if !matches!(self.low(index), "and" | "&") {
            return false;
        }
        let owner_end = (index + 1..limit.min(index + 4))
            .find(|&next| !self.is_capitalised(next))
            .unwrap_or(limit);
        owner_end > index + 1 && owner_end < limit && matches!(self.text(owner_end), "'s" | "’s")
    }

    /// "the chancellor, John Roe": the name after the last comma of a speaker phrase, when it
    /// is a person's name that ends the phrase.
    pub(super) fn apposed_name_in(&self, phrase: &Range<usize>) -> Option<Range<usize>> {
        let comma = phrase
            .clone()
            .rev()
            .take(MAX_SPEAKER_TOKENS)
            .find(|&index| self.text(index) == ",")?;
        self.person_name_at(comma + 1)
            .filter(|name| name.end == phrase.end)
    }

    /// A person's name at `start` (over up to two capitalised title words such as "Dr"): the
    /// tokens of a person name mention that starts there.
    fn person_name_at(&self, start: usize) -> Option<Range<usize>> {
        let tokens = self.document.tokens.len();
        (start..tokens.min(start + 3))
            .take_while(|&index| self.is_capitalised(index) || self.text(index).ends_with('.'))
            .find_map(|first| {
                let span = self.document.tokens[first].span;
                self.mentions_around(span).into_iter().find_map(|index| {
                    let mention = &self.document.mentions[index];
                    (mention.span.field == span.field
                        && mention.span.start == span.start
                        && mention.kind == MentionKind::Name
                        && self.document.entities[mention.entity].entity_type == EntityType::Person)
                        .then(|| {
                            first
                                ..self.token_at(Span::new(
                                    span.field,
                                    mention.span.end,
                                    mention.span.end,
                                ))
                        })
                })
            })
            .map(|name| start..name.end)
    }

    /// Whether a person name mention lies inside `tokens`.
    fn names_a_person(&self, tokens: Range<usize>) -> bool {
        let span = self.span_of(&tokens);
        self.mentions_around(span).into_iter().any(|mention| {
            let mention = &self.document.mentions[mention];
            span.contains(&mention.span)
                && mention.kind == MentionKind::Name
                && self.document.entities[mention.entity].entity_type == EntityType::Person
        })
    }

    /// A description starting at `start`, then a comma and a person's name that closes the
    /// phrase (at a comma, bracket, the end of the sentence or a speech verb): the name's
    /// tokens.
    fn name_apposed_after(&self, start: usize, limit: usize) -> Option<Range<usize>> {
        let comma = (start..limit.min(start + MAX_SPEAKER_TOKENS + 2))
            .find(|&index| !self.is_phrase_word(index) && !matches!(self.text(index), "(" | ")"))?;
        if self.text(comma) != "," || comma == start {
            return None;
        }
        let name = self.person_name_at(comma + 1)?;
        let closes = name.end >= limit
            || matches!(self.text(name.end), "," | ")")
            || self.is_terminal(name.end)
            || self.is_speech_verb(name.end);
        closes.then_some(name)
    }

    /// "the new chair of the task force, Brian Carpenter, says": before a cue, a description
    /// and a person's name between the last two commas of the subject make the speaker
    /// phrase, description and name.
    pub(super) fn name_apposed_before(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        if end < floor + 4 || self.text(end - 1) != "," {
            return None;
        }
        let comma = (floor..end - 1)
            .rev()
            .take(MAX_SPEAKER_TOKENS)
            .find(|&index| self.text(index) == ",")?;
        let name = self.person_name_at(comma + 1)?;
        if name.end != end - 1 || comma == floor {
            return None;
        }
        // What stands before the comma (and a bracketed short form) is a description, not a
        // clause or another name.
        let mut before = comma;
        if self.text(before - 1) == ")" {
            before = (floor..before - 1)
                .rev()
                .take(4)
                .find(|&index| self.text(index) == "(")?;
        }
        let description = self.subject_phrase(floor, before)?;
        // A description that is itself in apposition ("Jane Roe, the editor of the paper,
        // The Daily Post, said") leaves the speaker to the name before it.
        let apposition = description.start > floor && self.text(description.start - 1) == ",";
        (description.end == before && !apposition && !self.names_a_person(description.clone()))
            .then_some(description.start..name.end)
    }

    pub(super) fn valid_speaker(&self, phrase: Range<usize>) -> bool {
        if phrase.is_empty() || phrase.len() > MAX_SPEAKER_TOKENS {
            return false;
        }
        let head = phrase.end - 1;
        if self.is_in(head, non_speaker_words()) || !self.is_word(head) {
            return false;
        }
        if phrase.len() == 1 && self.is_one_of(head, &["which", "what", "there", "this", "that"]) {
            return false;
        }

        phrase
            .clone()
            .any(|index| self.is_word(index) && !self.is_in(index, non_speaker_words()))
    }

    /// A speaker phrase cut before its first modal or form of "be" or "have", which start the
    /// predicate ("Police had last month" -> "Police", "The foundation will continue to ..."
    /// -> "The foundation"); none when the phrase opens with one.
    pub(super) fn without_predicate(&self, phrase: Range<usize>) -> Option<Range<usize>> {
        let predicate = phrase
            .clone()
            .find(|&index| self.is_in(index, clause_words()) && self.is_lowercase(index));
        match predicate {
            Some(index) => (index > phrase.start).then_some(phrase.start..index),
            None => Some(phrase),
        }
    }

    pub(super) fn has_person_or_org_mention(&self, tokens: Range<usize>) -> bool {
        let span = self.span_of(&tokens);
        self.mentions_around(span).into_iter().any(|mention| {
            let mention = &self.document.mentions[mention];
            span.contains(&mention.span)
                && matches!(
                    self.document.entities[mention.entity].entity_type,
                    EntityType::Person | EntityType::Organization
                )
        })
    }
}
