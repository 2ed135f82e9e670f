//! Pairing quotation marks per field: curly, straight (`"`, and `''` used both ways), single
//! (outside double quotes only, British style), guillemets, `„“` and ` `` '' `. A straight
//! mark opens or closes by its neighbours.
//!
//! Scraped text loses closing marks: a paragraph break dropped leaves `... this year. "The
//! second part ...`, and a quote over several paragraphs closes only in its last one. So a
//! double quote whose closing mark does not come is ended, unclosed, where its paragraph
//! ends, where the next opening mark starts another quote, or at the end of the text; a
//! quote over several paragraphs is one stretch per paragraph (the way it is judged: one
//! quotation piece per paragraph). Single marks, which are also apostrophes, must close: a
//! single quote over paragraphs is one stretch, and an unclosed one is dropped.

use super::*;

impl QuoteFinder<'_> {
    /// Decides the role of a straight mark from the characters around it.
    pub(super) fn straight_mark_role(&self, index: usize, pending: bool) -> MarkRole {
        let span = self.document.tokens[index].span;
        let text = &self.document.fields[span.field].text;
        let before = text[..span.start].chars().next_back();
        let after = text[span.end..].chars().next();
        let opens_on_left = before.is_none_or(|c| {
            c.is_whitespace() || "([{—–-/".contains(c) || is_quotation_mark(&c.to_string())
        });
        let closes_on_right = after.is_none_or(|c| {
            c.is_whitespace() || ".,;:!?)]}—–-…".contains(c) || is_quotation_mark(&c.to_string())
        });
        match (opens_on_left, closes_on_right) {
            (true, false) => MarkRole::Open,
            (false, true) => MarkRole::Close,
            _ if pending => MarkRole::Close,
            _ => MarkRole::Open,
        }
    }

    /// Top-level quoted stretches, in text order. Double marks are paired first; single
    /// marks are paired outside them (British style) and then contain any double pair.
    pub(super) fn pair_quotation_marks(&self) -> Vec<QuotedStretch> {
        let doubles = self.pair_family(MarkFamily::Double, &[]);
        let singles = self.pair_family(MarkFamily::Single, &doubles);
        let mut stretches: Vec<QuotedStretch> = doubles
            .into_iter()
            .filter(|double| {
                !singles
                    .iter()
                    .any(|single| single.open < double.open && double.close < single.close)
            })
            .collect();
        stretches.extend(singles);
        stretches.sort_by_key(|stretch| stretch.open);
        stretches
    }

    /// Pairs the marks of one family, skipping tokens inside `inside` (already paired
    /// stretches of the other family, whose marks of this family are nested quotes).
    pub(super) fn pair_family(
        &self,
        family: MarkFamily,
        inside: &[QuotedStretch],
    ) -> Vec<QuotedStretch> {
        let tokens = &self.document.tokens;
        let mut stretches = Vec::new();
        // (token index of the opening mark, its text, the paragraph the quote has reached)
        let mut pending: Option<(usize, &str, usize)> = None;
        let mut skip = inside.iter().peekable();
        let mut index = 0;
        while index < tokens.len() {
            while skip.peek().is_some_and(|stretch| stretch.close < index) {
                skip.next();
            }
            if let Some(stretch) = skip.peek() {
                if stretch.open <= index && index <= stretch.close {
                    index = stretch.close + 1;
                    continue;
                }
            }
            if let Some((open, open_text, reached)) = pending {
                let new_paragraph = reached != self.paragraph_of(index)
                    || self.field_of(open) != self.field_of(index);
                if new_paragraph {
                    if family == MarkFamily::Double {
                        // The quote ends with its paragraph; the next paragraph's opening mark,
                        // if any, starts a stretch of its own below.
                        stretches.extend(QuotedStretch::unclosed(open, index));
                        pending = None;
                        continue;
                    }
                    // A quote runs on only when the next paragraph opens with a mark too.
                    let continues = self.field_of(open) == self.field_of(index)
                        && self.paragraph_of(index) == reached + 1
                        && self.text(index) == open_text
                        && quotation_mark(self.text(index)).is_some_and(|(f, role)| {
                            f == family
                                && (role == MarkRole::Open
                                    || (role == MarkRole::Either
                                        && self.straight_mark_role(index, false) == MarkRole::Open))
                        });
                    if continues {
                        pending = Some((open, open_text, self.paragraph_of(index)));
                        index += 1;
                        continue;
                    }
                    pending = None;
                }
            }
            let Some((mark_family, role)) = quotation_mark(self.text(index)) else {
                index += 1;
                continue;
            };
            if mark_family != family {
                index += 1;
                continue;
            }
            let role = match role {
                MarkRole::Either => self.straight_mark_role(index, pending.is_some()),
                // „ is closed by “ in German-style typography.
                MarkRole::Open
                    if self.text(index) == "“" && pending.is_some_and(|(_, t, _)| t == "„") =>
                {
                    MarkRole::Close
                }
                other => other,
            };
            match (role, pending) {
                (MarkRole::Close, Some((open, _, _))) => {
                    if index > open + 1 {
                        stretches.push(QuotedStretch::closed(open, index));
                    }
                    pending = None;
                }
                (MarkRole::Close, None) => {}
                (MarkRole::Open, Some((open, _, _))) if family == MarkFamily::Double => {
                    // An opening mark inside an open double quote: the closing mark before it
                    // was lost, so the quote ends here and another begins.
                    stretches.extend(QuotedStretch::unclosed(open, index));
                    pending = Some((index, self.text(index), self.paragraph_of(index)));
                }
                _ => {
                    // A single straight mark opens only before a letter: "'90s" is elision.
                    let elision = family == MarkFamily::Single
                        && self.text(index) == "'"
                        && !self.document.fields[tokens[index].span.field].text
                            [tokens[index].span.end..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphabetic);
                    if !elision {
                        pending = Some((index, self.text(index), self.paragraph_of(index)));
                    }
                }
            }
            index += 1;
        }
        if let Some((open, _, _)) = pending.filter(|_| family == MarkFamily::Double) {
            stretches.extend(QuotedStretch::unclosed(open, tokens.len()));
        }
        stretches
    }
}
