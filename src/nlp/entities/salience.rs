//! Salience, in two senses: how prominent each person is at a point of the text (recent
//! mentions and subjects weigh more), which decides where a pronoun or description goes; and
//! each finished entity's share of all mention scores, written with the entities, their
//! keys, aliases and mentions in text order.

use super::{Cluster, Draft, Resolver};
use crate::nlp::document::{Entity, EntityType, Mention, MentionKind};
use crate::nlp::gazetteer::slug;

/// How many sentences back a pronoun or description looks for its person.
pub(super) const RESOLUTION_WINDOW: usize = 6;

/// How far ahead the best candidate of a description must be to be linked.
pub(super) const CLEAR_LEAD: f64 = 2.0;

impl<'a> Resolver<'a> {
    /// The person with the highest recency-weighted prominence among those mentioned in the
    /// last few sentences (subjects count double, each sentence back halves the weight), but
    /// only when the choice is clear: the best person scores
    /// more than [`CLEAR_LEAD`] times the next one that fits (a subject alone is not enough
    /// against another person of the same sentence). A description ("the minister")
    /// with two ministers about is left unlinked rather than guessed.
    pub(super) fn clearly_most_salient(
        &self,
        sentence: usize,
        fits: impl Fn(&Cluster) -> bool,
    ) -> Option<usize> {
        match self.ranked_people(sentence, None, fits).as_slice() {
            [] => None,
            [(only, _)] => Some(*only),
            [(best, top), (_, second), ..] => (*top > CLEAR_LEAD * second).then_some(*best),
        }
    }

    /// People that fit, best first, with their recency-weighted prominence. With `before`,
    /// mentions of the sentence itself count only when they start before that offset.
    pub(super) fn ranked_people(
        &self,
        sentence: usize,
        before: Option<usize>,
        fits: impl Fn(&Cluster) -> bool,
    ) -> Vec<(usize, f64)> {
        let mut scores: Vec<(usize, f64)> = Vec::new();
        for back in 0..=RESOLUTION_WINDOW.min(sentence) {
            let decay = 0.5f64.powi(back as i32);
            for &(cluster, weight, start) in self
                .sentence_mentions
                .get(&(sentence - back))
                .into_iter()
                .flatten()
            {
                if back == 0 && before.is_some_and(|before| start >= before) {
                    continue;
                }
                match scores.iter_mut().find(|(known, _)| *known == cluster) {
                    Some((_, score)) => *score += weight * decay,
                    None => scores.push((cluster, weight * decay)),
                }
            }
        }
        scores.retain(|&(index, score)| {
            let cluster = &self.clusters[index];
            score > 0.0 && cluster.entity_type == EntityType::Person && fits(cluster)
        });
        // Best first; ties go to the earliest entity.
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scores
    }

    pub(super) fn finish(self) -> (Vec<Mention>, Vec<Entity>) {
        let document = self.document;
        let position_weight = |draft: &Draft| {
            let field = draft.span.field;
            let paragraph = document.sentences[draft.sentence].paragraph;
            let first_body_paragraph = document
                .sentences
                .iter()
                .find(|sentence| sentence.span.field == document.fields.len() - 1)
                .map(|sentence| sentence.paragraph);
            if document.fields.len() > 1 && field == 0 {
                2.0
            } else if Some(paragraph) == first_body_paragraph {
                1.5
            } else {
                1.0
            }
        };
        let kind_weight = |kind: MentionKind| match kind {
            MentionKind::Name => 1.0,
            MentionKind::Nominal => 0.8,
            MentionKind::Pronoun => 0.5,
        };
        let mut clusters: Vec<Cluster> = self
            .clusters
            .into_iter()
            .filter(|cluster| !cluster.mentions.is_empty())
            .collect();
        for cluster in &mut clusters {
            cluster
                .mentions
                .sort_by_key(|mention| (mention.span.field, mention.span.start));
        }
        clusters.sort_by_key(|cluster| {
            let first = &cluster.mentions[0];
            (first.span.field, first.span.start)
        });
        let scores: Vec<f64> = clusters
            .iter()
            .map(|cluster| {
                cluster
                    .mentions
                    .iter()
                    .map(|mention| kind_weight(mention.kind) * position_weight(mention))
                    .sum()
            })
            .collect();
        let total: f64 = scores.iter().sum::<f64>().max(f64::EPSILON);
        let mut all: Vec<(Draft, usize)> = clusters
            .iter()
            .enumerate()
            .flat_map(|(entity, cluster)| {
                cluster
                    .mentions
                    .iter()
                    .map(move |mention| (mention.clone(), entity))
            })
            .collect();
        all.sort_by_key(|(mention, _)| (mention.span.field, mention.span.start, mention.span.end));
        let mut mentions = Vec::with_capacity(all.len());
        let mut entity_mentions: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
        for (draft, entity) in all {
            entity_mentions[entity].push(mentions.len());
            mentions.push(Mention {
                span: draft.span,
                kind: draft.kind,
                entity,
                sentence: draft.sentence,
            });
        }
        let entities = clusters
            .into_iter()
            .zip(scores)
            .zip(entity_mentions)
            .map(|((cluster, score), mentions)| {
                let key = cluster.key.clone().unwrap_or_else(|| {
                    format!("{}:{}", cluster.entity_type.as_str(), slug(&cluster.name))
                });
                let key = if cluster.entity_type == EntityType::Person {
                    format!("person:{}", slug(&cluster.name))
                } else {
                    key
                };
                let mut aliases: Vec<String> = Vec::new();
                for mention in &cluster.mentions {
                    let text = document.text(mention.span);
                    if mention.kind == MentionKind::Name
                        && text != cluster.name
                        && !aliases.iter().any(|known| known == text)
                    {
                        aliases.push(text.to_string());
                    }
                }
                Entity {
                    entity_type: cluster.entity_type,
                    subtype: cluster.subtype,
                    name: cluster.name,
                    aliases,
                    key,
                    roles: cluster.roles,
                    country: cluster.country,
                    geo: cluster.geo,
                    salience: score / total,
                    mentions,
                }
            })
            .collect();
        (mentions, entities)
    }
}
