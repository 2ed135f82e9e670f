//! Frames: meetings being assembled, how a later reference merges into an earlier frame
//! (same participants, no other place or date), and the output form with its CAMEO code.

use super::candidate_model::{choose, MeetingModels};
use super::triggers::{FrameKind, WordClass};
use super::view::{is_country, TextView, TokenMention};
use super::words::deliberative_bodies;
use crate::nlp::document::{EntityType, Meeting, MeetingStatus, Span};
use std::ops::Range;

/// A meeting being assembled; becomes a [`Meeting`] at the end.
#[derive(Debug, Clone)]
pub(super) struct Frame {
    pub(super) participants: Vec<usize>,
    /// Unnamed participant groups ("delegates").
    pub(super) groups: Vec<Span>,
    pub(super) location: Option<usize>,
    pub(super) date: Option<usize>,
    pub(super) occasion: Option<Span>,
    pub(super) topics: Vec<Span>,
    pub(super) status: MeetingStatus,
    pub(super) kind: FrameKind,
    pub(super) trigger: Span,
    pub(super) evidence: Span,
    /// Later words merged into this frame ("the talks"), in text order.
    pub(super) mentions: Vec<Span>,
    pub(super) sentence: usize,
    /// The sentence where the frame was last mentioned.
    pub(super) last_sentence: usize,
    /// The paragraph where the frame was last mentioned.
    pub(super) paragraph: usize,
}

/// A frame found on one trigger, before it is merged with earlier ones.
#[derive(Clone)]
pub(super) struct Candidate {
    pub(super) frame: Frame,
    pub(super) plural: bool,
    /// "the talks", "the meeting": a definite noun that refers back and may add a place or
    /// date to an earlier frame.
    pub(super) definite: bool,
    /// A noun with a determiner that points back ("the talks with X", "his visit") or a
    /// bare noun naming no party ("Talks had been scheduled"): it may join a recent frame
    /// that shares one of its parties, and add a place or date to it.
    pub(super) refers_back: bool,
    pub(super) occasion_tokens: Option<Range<usize>>,
    pub(super) token: usize,
    pub(super) class: WordClass,
    /// The countries a visit verb lists as its destinations ("visits Norway, Finland and
    /// France"), when there are two or more.
    pub(super) tour: Vec<usize>,
}

impl Candidate {
    /// A visit to a list of countries is one visit to each (CAMEO 042: each government
    /// hosts its own): one candidate per country, with that country as the place.
    pub(super) fn into_tour_legs(self) -> Vec<Candidate> {
        let visitor_named = self
            .frame
            .participants
            .iter()
            .any(|entity| !self.tour.contains(entity));
        if self.tour.len() < 2 || !visitor_named {
            return vec![self];
        }
        self.tour
            .iter()
            .map(|&country| {
                let mut leg = self.clone();
                leg.frame
                    .participants
                    .retain(|entity| !self.tour.contains(entity));
                leg.frame.location = Some(country);
                leg.tour.clear();
                leg
            })
            .collect()
    }
}

#[derive(Default)]
pub(super) struct FrameSet {
    pub(super) frames: Vec<Frame>,
    /// Index of the frame mentioned last (created or merged into).
    pub(super) latest: Option<usize>,
    /// The most frames kept: a candidate that would add one more is dropped (merging into
    /// a kept frame still works), so the look-back over the frames stays bounded.
    pub(super) cap: usize,
    /// Whether a candidate was dropped for the cap.
    pub(super) capped: bool,
}

impl FrameSet {
    pub(super) fn with_cap(cap: usize) -> FrameSet {
        FrameSet {
            cap,
            ..FrameSet::default()
        }
    }

    /// The frame a reference without names points to: the latest one when it was
    /// mentioned in this or the previous paragraph, else the article's lead meeting (news
    /// reports its main event first and returns to it).
    pub(super) fn referent(
        &self,
        paragraph: usize,
        allowed: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        if let Some(latest) = self.latest.filter(|&latest| allowed(latest)) {
            if paragraph.abs_diff(self.frames[latest].paragraph) <= 1 {
                return Some(latest);
            }
        }
        let recent = (0..self.frames.len())
            .rev()
            .find(|&index| allowed(index) && paragraph.abs_diff(self.frames[index].paragraph) <= 1);
        recent.or_else(|| (0..self.frames.len()).find(|&index| allowed(index)))
    }

    /// Participants of the latest meeting with two or more of them, for "they met".
    pub(super) fn latest_group(&self) -> Option<Vec<usize>> {
        let latest = self.latest?;
        let frame = &self.frames[latest];
        if frame.participants.len() >= 2 {
            return Some(frame.participants.clone());
        }
        self.frames
            .iter()
            .rev()
            .find(|frame| frame.participants.len() >= 2)
            .map(|frame| frame.participants.clone())
    }

    pub(super) fn add(&mut self, view: &TextView, mut candidate: Candidate) {
        if candidate.plural {
            let group = self
                .latest_group()
                .or_else(|| recent_person_pair(view, candidate.frame.trigger));
            let group = group.unwrap_or_default();
            if !group.is_empty() {
                // "the two ministers" are the named ones, not a group of their own.
                candidate.frame.groups.clear();
            }
            for entity in group {
                if !candidate.frame.participants.contains(&entity) {
                    candidate.frame.participants.push(entity);
                }
            }
        }
        let paragraph = candidate.frame.paragraph;
        let sentence = candidate.frame.sentence;
        let target = self.referent(paragraph, |index| {
            compatible(view, &self.frames[index], &candidate)
        });
        match target {
            Some(index) => {
                merge_into(view, &mut self.frames[index], candidate);
                self.frames[index].paragraph = paragraph;
                self.frames[index].last_sentence = sentence;
                self.latest = Some(index);
            }
            None if self.frames.len() >= self.cap => self.capped = true,
            None => {
                self.frames.push(candidate.frame);
                self.latest = Some(self.frames.len() - 1);
            }
        }
    }

    /// The meetings, their participants and places completed by `model` when one is given.
    pub(super) fn into_meetings(
        self,
        view: &TextView,
        model: Option<&MeetingModels>,
    ) -> Vec<Meeting> {
        self.frames
            .into_iter()
            .map(|frame| finish(view, frame, model))
            .filter(|meeting| !one_body_session(view, meeting))
            .collect()
    }
}

/// How many mentions back the persons of "they met" are looked for: far more than one
/// news article holds (the BBC's most is 247).
const MAX_LOOKBACK_MENTIONS: usize = 2_000;

/// The two persons named last before `before`, for a plural reference when no earlier
/// meeting gives the group (among the last [`MAX_LOOKBACK_MENTIONS`] mentions).
pub(super) fn recent_person_pair(view: &TextView, before: Span) -> Option<Vec<usize>> {
    let all = &view.document.mentions;
    // The pipeline's mentions are in text order: past the look-back, only the last ones
    // before `before` are read, so that "they met" repeated stays linear.
    let window = if all.len() > MAX_LOOKBACK_MENTIONS {
        let until = all.partition_point(|mention| {
            (mention.span.field, mention.span.start) < (before.field, before.start)
        });
        &all[until.saturating_sub(MAX_LOOKBACK_MENTIONS)..until]
    } else {
        &all[..]
    };
    let mut mentions: Vec<(Span, usize)> = window
        .iter()
        .filter(|mention| {
            mention.span.field == before.field
                && mention.span.end <= before.start
                && view
                    .entity(mention.entity)
                    .is_some_and(|entity| entity.entity_type == EntityType::Person)
        })
        .map(|mention| (mention.span, mention.entity))
        .collect();
    mentions.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut pair = Vec::new();
    for (_, entity) in mentions {
        if !pair.contains(&entity) {
            pair.push(entity);
        }
        if pair.len() == 2 {
            pair.reverse();
            return Some(pair);
        }
    }
    None
}

/// Whether a participant of a later reference can be one of the frame's participants:
/// the same entity, or a country and a participant from it ("between Russia and China"
/// after "Okafor met Lena Lindqvist").
pub(super) fn same_party(view: &TextView, entity: usize, frame: &Frame) -> bool {
    frame.participants.iter().any(|&participant| {
        participant == entity
            || (country_level(view, entity) || country_level(view, participant))
                && view.country_of(entity).is_some()
                && view.country_of(entity) == view.country_of(participant)
    })
}

pub(super) fn country_level(view: &TextView, entity: usize) -> bool {
    view.entity(entity).is_some_and(is_country)
}

/// How many sentences after a frame's last mention a noun that refers back ("the talks
/// with X") may still join it on one shared party.
const BACK_REFERENCE_SENTENCES: usize = 2;

/// A candidate continues a frame when every participant it names is one of the frame's
/// (or the reverse: a fuller report of the same encounter), and it brings no other place
/// or date. Only a definite back-reference ("the talks") may add a place or date. A noun
/// that refers back to a frame mentioned in the last [`BACK_REFERENCE_SENTENCES`]
/// ("... met an official. She praised the talks with Roe") needs to share only one party
/// (or the frame's place) and may add a place or date; its status does not part it from
/// the frame, because a noun's status is read from less ("his visit").
pub(super) fn compatible(view: &TextView, frame: &Frame, candidate: &Candidate) -> bool {
    let new = &candidate.frame;
    let anaphor = candidate.refers_back
        && candidate.class == WordClass::Noun
        && new.sentence >= frame.last_sentence
        && new.sentence - frame.last_sentence <= BACK_REFERENCE_SENTENCES;
    // "the Vienna summit" after "a summit in Vienna": a reference back may also name the
    // frame's place.
    let shares = new
        .participants
        .iter()
        .any(|&entity| same_party(view, entity, frame))
        || frame
            .location
            .is_some_and(|place| new.location == Some(place) || new.participants.contains(&place));
    let within = new
        .participants
        .iter()
        .all(|&entity| same_party(view, entity, frame));
    let covers = frame.participants.iter().all(|&entity| {
        new.participants.iter().any(|&other| {
            other == entity
                || (country_level(view, entity) || country_level(view, other))
                    && view.country_of(entity).is_some()
                    && view.country_of(entity) == view.country_of(other)
        })
    });
    // A verb whose participants were not found ("an offer to negotiate") reports an event
    // of its own; only a noun ("the talks") or a plural reference refers back.
    if new.participants.is_empty() && !candidate.plural && candidate.class == WordClass::Verb {
        return false;
    }
    // A frame without participants only absorbs other references without names.
    let covers = covers && !frame.participants.is_empty();
    if !(within || covers || anaphor && shares) {
        return false;
    }
    // "will meet" and "met" with the same people are two meetings.
    let named = !new.participants.is_empty() && !candidate.plural && !anaphor;
    if named
        && is_planned_or_held(frame.status)
        && is_planned_or_held(new.status)
        && frame.status != new.status
    {
        return false;
    }
    let place_fits = match (frame.location, new.location) {
        (_, None) => true,
        (Some(old), Some(new)) => old == new || place_within(view, new, old),
        (None, Some(_)) => candidate.definite || anaphor,
    };
    let date_fits = match (frame.date, new.date) {
        (_, None) => true,
        (Some(old), Some(new)) => dates_agree(view, old, new),
        (None, Some(_)) => candidate.definite || anaphor,
    };
    place_fits && date_fits
}

pub(super) fn is_planned_or_held(status: MeetingStatus) -> bool {
    matches!(status, MeetingStatus::Planned | MeetingStatus::Held)
}

/// "Guayaquil" after "Ecuador": a place inside the frame's country is the same place,
/// more precisely.
pub(super) fn place_within(view: &TextView, inner: usize, outer: usize) -> bool {
    country_level(view, outer)
        && !country_level(view, inner)
        && view.country_of(inner).is_some()
        && view.country_of(inner) == view.country_of(outer)
}

/// Two dates that can be one meeting's: the same value, or one inside the other ("next
/// month" and "October 2", "2005-10" and "2005-10-02").
pub(super) fn dates_agree(view: &TextView, old: usize, new: usize) -> bool {
    match (date_value(view, old), date_value(view, new)) {
        (Some(a), Some(b)) => a == b || within_value(a, b) || within_value(b, a),
        // A date with no calendar value ("next month" with no publication time) does not
        // contradict another.
        _ => true,
    }
}

/// Whether TIMEX3 value `inner` lies inside `outer` ("2005-10-02" in "2005-10").
fn within_value(inner: &str, outer: &str) -> bool {
    outer.len() >= 4
        && inner.len() > outer.len()
        && inner.starts_with(outer)
        && inner[outer.len()..].starts_with('-')
}

pub(super) fn date_value<'v>(view: &'v TextView, date: usize) -> Option<&'v str> {
    view.document.dates.get(date)?.value.as_deref()
}

pub(super) fn merge_into(view: &TextView, frame: &mut Frame, candidate: Candidate) {
    let new = candidate.frame;
    if new.trigger != frame.trigger && !frame.mentions.contains(&new.trigger) {
        frame.mentions.push(new.trigger);
        frame.mentions.sort_by_key(|span| (span.field, span.start));
    }
    for group in new.groups {
        let text = view.document.text(group).to_lowercase();
        let known = frame
            .groups
            .iter()
            .any(|&old| view.document.text(old).to_lowercase() == text);
        if !known && !candidate.plural {
            frame.groups.push(group);
        }
    }
    for entity in new.participants {
        if !same_party(view, entity, frame) {
            frame.participants.push(entity);
        } else if !frame.participants.contains(&entity) && !country_level(view, entity) {
            // A person where the frame only had their country: the person is more precise.
            if let Some(slot) = frame.participants.iter().position(|&participant| {
                country_level(view, participant)
                    && view.country_of(participant) == view.country_of(entity)
            }) {
                frame.participants[slot] = entity;
            }
        }
    }
    match (frame.location, new.location) {
        (None, Some(location)) => frame.location = Some(location),
        (Some(old), Some(location)) if place_within(view, location, old) => {
            frame.location = Some(location)
        }
        _ => {}
    }
    frame.date = match (frame.date, new.date) {
        // The more precise of two agreeing dates.
        (Some(old), Some(date))
            if date_value(view, date)
                .zip(date_value(view, old))
                .is_some_and(|(a, b)| within_value(a, b)) =>
        {
            Some(date)
        }
        // A date with a calendar value over one without.
        (Some(old), Some(date))
            if date_value(view, old).is_none() && date_value(view, date).is_some() =>
        {
            Some(date)
        }
        (old, date) => old.or(date),
    };
    frame.occasion = frame.occasion.or(new.occasion);
    for topic in new.topics {
        add_topic(view, frame, topic);
    }
    if new.status == MeetingStatus::Cancelled {
        frame.status = MeetingStatus::Cancelled;
    }
    if frame.kind == FrameKind::Meet && new.kind == FrameKind::Negotiate {
        frame.kind = FrameKind::Negotiate;
    }
}

pub(super) fn add_topic(view: &TextView, frame: &mut Frame, topic: Span) {
    let text = view.document.text(topic).to_lowercase();
    let known = frame
        .topics
        .iter()
        .any(|&old| old.overlaps(&topic) || view.document.text(old).to_lowercase() == text);
    if !known {
        frame.topics.push(topic);
    }
}

/// The output form, with the CAMEO code decided from the kind, the place and the
/// participants' countries; with a `model`, the participants and place the rules chose are
/// completed by it first.
pub(super) fn finish(view: &TextView, frame: Frame, model: Option<&MeetingModels>) -> Meeting {
    let has_actor = frame.participants.iter().any(|&entity| {
        view.entity(entity).is_some_and(|entity| {
            matches!(
                entity.entity_type,
                EntityType::Person | EntityType::Organization
            )
        })
    });
    let mut participants: Vec<usize> = frame
        .participants
        .iter()
        .copied()
        .filter(|&entity| !has_actor || !country_level(view, entity))
        .filter(|&entity| Some(entity) != frame.location)
        .collect();
    // CAMEO 042: a visit to a country is a visit to its government, which hosts it ("Chavez
    // visits Russia": Chavez and Russia), unless someone there is named as the host.
    if frame.kind == FrameKind::Visit {
        if let Some(country) = frame.location.filter(|&place| country_level(view, place)) {
            let host_named = participants.iter().any(|&entity| {
                view.country_of(entity)
                    .is_some_and(|home| view.country_of(country) == Some(home))
            });
            if !host_named {
                participants.push(country);
            }
        }
    }
    let mut meeting = Meeting {
        participants,
        groups: frame.groups,
        location: frame.location,
        date: frame.date,
        occasion: frame.occasion,
        topics: frame.topics,
        status: frame.status,
        cameo: String::new(),
        trigger: frame.trigger,
        evidence: frame.evidence,
        mentions: frame.mentions,
    };
    if let Some(model) = model {
        choose(view, &mut meeting, model);
    }
    fold_modifiers_into_groups(view, &mut meeting);
    meeting.cameo = cameo_code(view, frame.kind, frame.location, &meeting.participants).to_string();
    meeting
}

/// "a meeting of the Ruritanian Senate", "the Council, at its May meeting": a meeting or
/// session whose only party is one deliberative body is that body's session, not a
/// consultation. A verb stays a meeting ("the committee convened"): event corpora count it.
fn one_body_session(view: &TextView, meeting: &Meeting) -> bool {
    let [only] = meeting.participants[..] else {
        return false;
    };
    // Talks and negotiations have sides even when one is named; a meeting or a session may
    // be one body's.
    let session = view.tokens_of(meeting.trigger).is_some_and(|tokens| {
        matches!(
            view.word(tokens.start),
            "meeting" | "meetings" | "session" | "sessions"
        )
    });
    session
        && meeting.groups.is_empty()
        && view.entity(only).is_some_and(|entity| {
            entity.entity_type == EntityType::Organization
                && entity.name.rsplit(' ').next().is_some_and(|head| {
                    deliberative_bodies().contains(head.to_lowercase().as_str())
                })
        })
}

/// "Egyptian officials", "the Colombian government", "Western nations": a nationality that
/// modifies a group noun names that group, not a party of its own. The group's span takes
/// the modifier in, and the nationality leaves the participants. A country name stays a
/// participant ("the Germany delegates": Germany), linked to its entity.
fn fold_modifiers_into_groups(view: &TextView, meeting: &mut Meeting) {
    let modifier = |mention: &TokenMention| {
        view.entity(mention.entity).is_some_and(|entity| {
            entity.entity_type == EntityType::Misc
                && entity.subtype.as_deref() == Some("nationality")
        })
    };
    let mut folded = Vec::new();
    for group in meeting.groups.iter_mut() {
        let Some(tokens) = view.tokens_of(*group) else {
            continue;
        };
        let mut start = tokens.start;
        if let Some(before) = start
            .checked_sub(1)
            .and_then(|token| view.mention_at(token))
        {
            if before.end == start && modifier(before) {
                start = before.first;
            }
        }
        for token in start..tokens.end {
            if let Some(mention) = view.mention_at(token).filter(|mention| modifier(mention)) {
                folded.push(mention.entity);
            }
        }
        *group = view.span_of(start..tokens.end);
    }
    meeting
        .participants
        .retain(|entity| !folded.contains(entity));
    let mut seen = Vec::new();
    meeting.groups.retain(|group| {
        let text = view.document.text(*group).to_lowercase();
        let new = !seen.contains(&text);
        seen.push(text);
        new
    });
}

/// CAMEO 04x: 046 negotiate, 045 mediate; with a place in a participant's country, 043
/// when the first-named participant is at home (hosts) and 042 when it travels; 044 when
/// the place is in none of their countries; 040 when the place or a country is unknown.
pub(super) fn cameo_code(
    view: &TextView,
    kind: FrameKind,
    location: Option<usize>,
    participants: &[usize],
) -> &'static str {
    match kind {
        FrameKind::Negotiate => return "046",
        FrameKind::Mediate => return "045",
        _ => {}
    }
    let place_country = location.and_then(|location| view.country_of(location));
    let countries: Vec<Option<&str>> = participants
        .iter()
        .map(|&entity| view.country_of(entity))
        .collect();
    match (kind, place_country) {
        (FrameKind::Visit, _) => "042",
        (FrameKind::Host, _) => "043",
        (_, None) => "040",
        (_, Some(place)) => {
            if countries.first().copied().flatten() == Some(place) {
                "043"
            } else if countries.contains(&Some(place)) {
                "042"
            } else if !countries.is_empty() && countries.iter().all(Option::is_some) {
                "044"
            } else {
                "040"
            }
        }
    }
}
