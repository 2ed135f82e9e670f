//! Pronouns: he/she/him/his/her and the reflexives go to the most salient earlier person of
//! compatible gender, a person known to be of the pronoun's gender counting double; a
//! pronoun that fits nobody is dropped. A reflexive, or a pronoun that chose its person
//! clearly, gives that person its gender.

use super::salience::CLEAR_LEAD;
use super::{Cluster, Resolver};
use crate::nlp::document::MentionKind;
use crate::nlp::gazetteer::Gender;

/// How much more a person known to be of a pronoun's gender weighs than one of unknown
/// gender when the pronoun picks its person.
const KNOWN_GENDER_BOOST: f64 = 2.0;

impl<'a> Resolver<'a> {
    pub(super) fn add_pronoun(&mut self, token: usize, gender: Gender) {
        let sentence = self.document.tokens[token].sentence;
        let fits =
            |cluster: &Cluster| cluster.gender == Gender::Unknown || cluster.gender == gender;
        // A pronoun points back: names later in its own sentence count only when nothing
        // earlier fits ("Before he left, Okafor said ...").
        let start = self.document.tokens[token].span.start;
        let mut ranked = self.ranked_people(sentence, Some(start), fits);
        if ranked.is_empty() {
            ranked = self.ranked_people(sentence, None, fits);
        }
        // A clear lead over another named person; a lone candidate is no proof, since the
        // pronoun may mean someone unnamed ("a man ... He").
        let clear_lead = matches!(
            ranked.as_slice(),
            [(_, top), (_, second), ..] if *top > CLEAR_LEAD * second
        );
        if let Some(target) = self.prefer_known_gender(ranked, gender) {
            let draft = self.draft(&(token..token + 1), MentionKind::Pronoun);
            self.push_mention(target, draft);
            // "Kolbeck ... himself": a person of unknown gender takes the gender of a
            // reflexive, which is bound within its clause, or of a pronoun that chose them
            // clearly, so a later "her" looks elsewhere.
            let reflexive = self.document.token_lower(token).ends_with("self");
            if self.clusters[target].gender == Gender::Unknown && (reflexive || clear_lead) {
                self.clusters[target].gender = gender;
            }
        }
    }

    /// The best of `ranked` people for a pronoun of `gender`, where a person known to be of
    /// that gender counts [`KNOWN_GENDER_BOOST`] times a person of unknown gender: "her" after
    /// "Dana Whitcombe" and "Kolbeck" is more likely Whitcombe's.
    pub(super) fn prefer_known_gender(
        &self,
        ranked: Vec<(usize, f64)>,
        gender: Gender,
    ) -> Option<usize> {
        ranked
            .into_iter()
            .map(|(cluster, score)| {
                let known = gender != Gender::Unknown && self.clusters[cluster].gender == gender;
                (
                    cluster,
                    if known {
                        score * KNOWN_GENDER_BOOST
                    } else {
                        score
                    },
                )
            })
            .fold(None, |best: Option<(usize, f64)>, candidate| match best {
                Some(best) if best.1 >= candidate.1 => Some(best),
                _ => Some(candidate),
            })
            .map(|(cluster, _)| cluster)
    }
}
