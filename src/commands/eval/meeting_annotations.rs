//! Meetings against annotations of our own (`devsets/meetings/annotations.jsonl`):
//! `article-enricher eval meetings --annotations FILE --data DIR`.
//!
//! The texts are rebuilt from the corpora under `DIR` exactly as `devsets/meetings/select.py`
//! builds them: `bbc/<category>/<nnn>` is the body of that BBC News article; `gmb/<a>-<b>` is
//! sentences `a..=b` of the GMB CSV, each sentence's tokens joined by single spaces and the
//! sentences by newlines. Every text must hash to its `text_sha256`.
//!
//! Scoring (`../shared/docs/evaluation.md`, "Meetings"), one frame per meeting:
//! - each gold meeting pairs with at most one predicted frame: the first unpaired frame whose
//!   trigger overlaps the gold trigger or one of the gold meeting's other mentions, else
//!   whose evidence covers the gold trigger within one line of the text;
//! - meeting recall is paired gold meetings over gold meetings; precision is paired frames
//!   over all frames, so a second frame of a meeting already found, a decoy and any other
//!   frame count against it;
//! - on paired meetings: participants one to one by entity mention or name (as on RAMS and
//!   WikiEvents), the place by name containment, the date by overlap of the predicted date
//!   with the gold date span, the status by equality, and the gold meeting's later mentions
//!   found among the frame's `mentions` (mention recall).
//!
//! The report also counts frames on annotated decoys, and gives the figures for the BBC and
//! the GMB texts apart.

use super::meetings::{
    predicted_meetings, score_participants, CharSpan, GoldArgument, PredictedMeeting,
};
use super::{corpus_name, precision_recall_f1, round4, scores, sha256_hex, share};
use super::{write_outcomes, EvalError};
use super::{Report, Speed};
use crate::commands::train::csv_fields;
use crate::contract::Article;
use crate::nlp::Pipeline;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, Deserialize)]
pub(crate) struct AnnotatedText {
    pub(crate) id: String,
    text_sha256: String,
    meetings: Vec<AnnotatedMeeting>,
    #[serde(default)]
    decoys: Vec<Decoy>,
}

#[derive(Debug, Deserialize)]
struct AnnotatedMeeting {
    trigger: (usize, usize),
    #[serde(default)]
    mentions: Vec<(usize, usize)>,
    participants: Vec<(usize, usize)>,
    place: Option<(usize, usize)>,
    date: Option<(usize, usize)>,
    status: String,
}

#[derive(Debug, Deserialize)]
struct Decoy {
    span: (usize, usize),
}

counts! {
    /// Counts of one text, one source or the whole set.
    struct Tally {
        gold: usize,
        found: usize,
        frames: usize,
        frames_on_decoys: usize,
        decoys: usize,
        gold_participants: usize,
        predicted_participants: usize,
        correct_participants: usize,
        with_place: usize,
        place_correct: usize,
        with_date: usize,
        date_correct: usize,
        status_correct: usize,
        /// Later mentions of found meetings, and those the paired frame lists (or
        /// has as its trigger).
        gold_mentions: usize,
        mentions_listed: usize,
    }
}

impl Tally {
    fn json(&self) -> Value {
        let (p, r, f1) = precision_recall_f1(
            self.correct_participants,
            self.predicted_participants,
            self.gold_participants,
        );
        json!({
            "gold_meetings": self.gold,
            "found": self.found,
            "frames": self.frames,
            "meeting_recall": share(self.found, self.gold),
            "meeting_precision": share(self.found, self.frames),
            "decoys": self.decoys,
            "frames_on_decoys": self.frames_on_decoys,
            "participant_precision": round4(p),
            "participant_recall": round4(r),
            "participant_f1": round4(f1),
            "place_accuracy": share(self.place_correct, self.with_place),
            "date_accuracy": share(self.date_correct, self.with_date),
            "status_accuracy": share(self.status_correct, self.found),
            "mention_recall": share(self.mentions_listed, self.gold_mentions),
        })
    }
}

fn span((start, end): (usize, usize)) -> CharSpan {
    CharSpan { start, end }
}

fn overlaps(a: CharSpan, b: CharSpan) -> bool {
    a.start < b.end && b.start < a.end
}

fn slice(text: &[char], (start, end): (usize, usize)) -> String {
    text[start.min(text.len())..end.min(text.len())]
        .iter()
        .collect()
}

/// The sentences of the GMB CSV (`Sentence #,Word,POS,Tag`) as token lists.
fn gmb_sentences(csv: &str) -> Vec<Vec<String>> {
    let mut sentences: Vec<Vec<String>> = Vec::new();
    for line in csv.lines().skip(1).filter(|line| !line.trim().is_empty()) {
        let fields = csv_fields(line);
        if fields[0].starts_with("Sentence:") || sentences.is_empty() {
            sentences.push(Vec::new());
        }
        if let (Some(sentence), Some(word)) = (sentences.last_mut(), fields.get(1)) {
            sentence.push(word.clone());
        }
    }
    sentences
}

/// The text of `gmb/<first>-<last>` (sentence numbers from 1).
fn gmb_text(sentences: &[Vec<String>], id: &str) -> Option<String> {
    let (first, last) = id.strip_prefix("gmb/")?.split_once('-')?;
    let (first, last): (usize, usize) = (first.parse().ok()?, last.parse().ok()?);
    if first == 0 || last < first || last > sentences.len() {
        return None;
    }
    Some(
        sentences[first - 1..last]
            .iter()
            .map(|sentence| sentence.join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A rule that lets a predicted frame find a gold meeting.
type PairRule<'a> = dyn Fn(&AnnotatedMeeting, &PredictedMeeting) -> bool + 'a;

/// Pairs gold meetings with predicted frames, one to one (see the module comment): every
/// gold meeting by trigger first, then by a later mention, and only then the meetings still
/// unpaired by evidence, so that a missed meeting cannot take the frame of another one in
/// its sentence.
fn pair(
    gold: &[AnnotatedMeeting],
    predicted: &[PredictedMeeting],
    lines: &[CharSpan],
) -> Vec<Option<usize>> {
    let mut used = vec![false; predicted.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; gold.len()];
    let on_trigger = |meeting: &AnnotatedMeeting, frame: &PredictedMeeting| {
        overlaps(frame.trigger, span(meeting.trigger))
    };
    let on_mention = |meeting: &AnnotatedMeeting, frame: &PredictedMeeting| {
        meeting
            .mentions
            .iter()
            .any(|&mention| overlaps(frame.trigger, span(mention)))
    };
    let by_evidence = |meeting: &AnnotatedMeeting, frame: &PredictedMeeting| {
        let (trigger, evidence) = (span(meeting.trigger), frame.evidence);
        evidence.start <= trigger.start
            && trigger.end <= evidence.end
            && lines
                .iter()
                .any(|line| line.start <= evidence.start && evidence.end <= line.end)
    };
    let rules: [&PairRule; 3] = [&on_trigger, &on_mention, &by_evidence];
    for rule in rules {
        for (meeting, paired) in gold.iter().zip(pairs.iter_mut()) {
            if paired.is_some() {
                continue;
            }
            *paired = (0..predicted.len())
                .find(|&index| !used[index] && rule(meeting, &predicted[index]));
            if let Some(index) = *paired {
                used[index] = true;
            }
        }
    }
    pairs
}

/// Scores one text; lists every gold meeting's and every unpaired frame's outcome.
fn score_text(
    entry: &AnnotatedText,
    text: &[char],
    predicted: &[PredictedMeeting],
    statuses: &[Option<String>],
    dates: &[Option<CharSpan>],
    records: &mut Vec<Value>,
) -> Tally {
    let pairs = pair(&entry.meetings, predicted, &lines_of(text));
    let mut tally = Tally {
        gold: entry.meetings.len(),
        frames: predicted.len(),
        decoys: entry.decoys.len(),
        ..Tally::default()
    };
    tally.frames_on_decoys = predicted
        .iter()
        .filter(|frame| {
            entry
                .decoys
                .iter()
                .any(|decoy| overlaps(frame.trigger, span(decoy.span)))
        })
        .count();
    for (meeting, paired) in entry.meetings.iter().zip(&pairs) {
        let participants = gold_participants(meeting, text);
        let mut record = json!({
            "document": entry.id,
            "outcome": "missed",
            "trigger": slice(text, meeting.trigger),
            "at": meeting.trigger.0,
            "gold_participants": participants.iter().map(|p| p.text.clone()).collect::<Vec<_>>(),
            "gold_place": meeting.place.map(|place| slice(text, place)),
            "gold_date": meeting.date.map(|date| slice(text, date)),
            "gold_status": meeting.status,
        });
        let Some(index) = *paired else {
            records.push(record);
            continue;
        };
        let frame = &predicted[index];
        tally.found += 1;
        tally.gold_participants += participants.len();
        tally.predicted_participants += frame.participants.len();
        let correct = score_participants(&participants, &frame.participants);
        tally.correct_participants += correct;
        if let Some(place) = meeting.place {
            tally.with_place += 1;
            tally.place_correct += usize::from(
                frame
                    .place
                    .as_deref()
                    .is_some_and(|name| super::meetings::names_contain(&slice(text, place), name)),
            );
        }
        if let Some(date) = meeting.date {
            tally.with_date += 1;
            tally.date_correct +=
                usize::from(dates[index].is_some_and(|d| overlaps(d, span(date))));
        }
        tally.status_correct += usize::from(statuses[index].as_deref() == Some(&meeting.status));
        tally.gold_mentions += meeting.mentions.len();
        tally.mentions_listed += meeting
            .mentions
            .iter()
            .filter(|&&mention| {
                std::iter::once(frame.trigger)
                    .chain(frame.mentions.iter().copied())
                    .any(|listed| overlaps(listed, span(mention)))
            })
            .count();
        record["outcome"] = json!("found");
        record["predicted_trigger"] = json!(slice(text, (frame.trigger.start, frame.trigger.end)));
        record["predicted_participants"] = json!(frame
            .participants
            .iter()
            .map(|participant| participant.name.clone())
            .collect::<Vec<_>>());
        record["correct_participants"] = json!(correct);
        record["predicted_place"] = json!(frame.place);
        record["predicted_status"] = json!(statuses[index]);
        records.push(record);
    }
    for (index, frame) in predicted.iter().enumerate() {
        if pairs.contains(&Some(index)) {
            continue;
        }
        let trigger = (frame.trigger.start, frame.trigger.end);
        let on_decoy = entry
            .decoys
            .iter()
            .any(|decoy| overlaps(frame.trigger, span(decoy.span)));
        let repeats = entry.meetings.iter().any(|meeting| {
            std::iter::once(meeting.trigger)
                .chain(meeting.mentions.iter().copied())
                .any(|gold| overlaps(frame.trigger, span(gold)))
        });
        records.push(json!({
            "document": entry.id,
            "outcome": if on_decoy { "decoy" } else if repeats { "second_frame" } else { "spurious" },
            "predicted_trigger": slice(text, trigger),
            "at": frame.trigger.start,
            "predicted_participants": frame
                .participants
                .iter()
                .map(|participant| participant.name.clone())
                .collect::<Vec<_>>(),
        }));
    }
    tally
}

/// Reads the annotations and rebuilds, hash-checks and bound-checks every text: each entry
/// with its body.
pub(crate) fn load(
    annotations: &Path,
    data: &Path,
) -> Result<Vec<(AnnotatedText, String)>, EvalError> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| EvalError::Read {
            path: path.display().to_string(),
            source,
        })
    };
    let format_error = |message: String| EvalError::Format {
        path: annotations.display().to_string(),
        message,
    };
    let mut annotated: Vec<AnnotatedText> = Vec::new();
    for (number, line) in read(annotations)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        annotated.push(
            serde_json::from_str(line)
                .map_err(|error| format_error(format!("line {}: {error}", number + 1)))?,
        );
    }
    let bbc_path = data.join("articles/bbc_news.jsonl");
    let mut bbc: HashMap<String, String> = HashMap::new();
    if annotated.iter().any(|entry| entry.id.starts_with("bbc/")) {
        for line in read(&bbc_path)?
            .lines()
            .filter(|line| !line.trim().is_empty())
        {
            let Ok(Value::Object(object)) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if let (Some(Value::String(id)), Some(Value::String(body))) =
                (object.get("id"), object.get("body"))
            {
                bbc.insert(format!("bbc/{id}"), body.clone());
            }
        }
    }
    let gmb = if annotated.iter().any(|entry| entry.id.starts_with("gmb/")) {
        gmb_sentences(&read(&data.join("ner/gmb/ner_dataset.csv"))?)
    } else {
        Vec::new()
    };

    let mut loaded = Vec::with_capacity(annotated.len());
    for entry in annotated {
        let body = if entry.id.starts_with("gmb/") {
            gmb_text(&gmb, &entry.id)
        } else {
            bbc.get(&entry.id).cloned()
        }
        .ok_or_else(|| format_error(format!("{}: no such text in the corpora", entry.id)))?;
        if sha256_hex(&body) != entry.text_sha256 {
            return Err(format_error(format!(
                "{}: the text does not hash to text_sha256 (the corpus changed)",
                entry.id
            )));
        }
        let text: Vec<char> = body.chars().collect();
        let inside = |(start, end): (usize, usize)| start < end && end <= text.len();
        let bad = entry.meetings.iter().any(|meeting| {
            !inside(meeting.trigger)
                || !meeting.mentions.iter().copied().all(inside)
                || !meeting.participants.iter().copied().all(inside)
                || !meeting.place.is_none_or(inside)
                || !meeting.date.is_none_or(inside)
        }) || !entry.decoys.iter().all(|decoy| inside(decoy.span));
        if bad {
            return Err(format_error(format!(
                "{}: a span lies outside the text",
                entry.id
            )));
        }
        loaded.push((entry, body));
    }
    Ok(loaded)
}

/// The gold participants and place of each annotated meeting of `entry` and the predicted
/// frame it pairs with (as the scorer pairs them).
pub(crate) fn paired_gold(
    entry: &AnnotatedText,
    body: &str,
    predicted: &[PredictedMeeting],
) -> Vec<PairedGold> {
    let text: Vec<char> = body.chars().collect();
    let pairs = pair(&entry.meetings, predicted, &lines_of(&text));
    entry
        .meetings
        .iter()
        .zip(pairs)
        .map(|(meeting, frame)| PairedGold {
            participants: gold_participants(meeting, &text),
            place: meeting.place.map(|place| GoldArgument {
                span: span(place),
                text: slice(&text, place),
            }),
            frame,
        })
        .collect()
}

/// One annotated meeting for training: its gold participants and place and the index of
/// the predicted frame it pairs with.
pub(crate) struct PairedGold {
    pub(crate) participants: Vec<GoldArgument>,
    pub(crate) place: Option<GoldArgument>,
    pub(crate) frame: Option<usize>,
}

fn gold_participants(meeting: &AnnotatedMeeting, text: &[char]) -> Vec<GoldArgument> {
    meeting
        .participants
        .iter()
        .map(|&participant| GoldArgument {
            span: span(participant),
            text: slice(text, participant),
        })
        .collect()
}

/// The lines of a text, as code point spans.
fn lines_of(text: &[char]) -> Vec<CharSpan> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (index, &c) in text.iter().enumerate() {
        if c == '\n' {
            lines.push(CharSpan { start, end: index });
            start = index + 1;
        }
    }
    lines.push(CharSpan {
        start,
        end: text.len(),
    });
    lines
}

/// Scores the annotated texts; with `outcomes`, also writes every gold meeting's and every
/// unpaired frame's outcome there as JSON lines.
pub fn evaluate(
    annotations: &Path,
    data: &Path,
    pipeline: &Pipeline,
    outcomes: Option<&Path>,
) -> Result<Report, EvalError> {
    let loaded = load(annotations, data)?;
    let format_error = |message: String| EvalError::Format {
        path: annotations.display().to_string(),
        message,
    };
    let mut speed = Speed::default();
    let mut total = Tally::default();
    let mut by_source: BTreeMap<String, Tally> = BTreeMap::new();
    let mut records = Vec::new();
    for (entry, body) in &loaded {
        let text: Vec<char> = body.chars().collect();
        let mut raw = Map::new();
        raw.insert("body".into(), Value::String(body.clone()));
        let article = Article::from_object(raw)
            .map_err(|error| format_error(format!("{}: {error}", entry.id)))?;
        let enrichment = speed.enrich(pipeline, &article, body);
        let body_field = article.body().name;
        let predicted = predicted_meetings(&enrichment, body_field);
        let kept = enrichment.meetings.iter().filter(|meeting| {
            meeting.trigger.field == body_field && meeting.evidence.field == body_field
        });
        let (statuses, dates): (Vec<Option<String>>, Vec<Option<CharSpan>>) = kept
            .map(|meeting| {
                let status = Some(meeting.status.clone());
                let date = meeting.date.as_ref().map(|date| CharSpan {
                    start: date.start,
                    end: date.end,
                });
                (status, date)
            })
            .unzip();
        let tally = score_text(entry, &text, &predicted, &statuses, &dates, &mut records);
        total += tally;
        let source = entry.id.split('/').next().unwrap_or("").to_string();
        *by_source.entry(source).or_default() += tally;
    }
    if let Some(outcomes) = outcomes {
        write_outcomes(outcomes, &records)?;
    }
    let figures = total.json();
    let figure = |key: &str| figures[key].as_f64().unwrap_or(0.0);
    let scores = scores(&[
        ("meeting_recall", figure("meeting_recall")),
        ("meeting_precision", figure("meeting_precision")),
        ("participant_precision", figure("participant_precision")),
        ("participant_recall", figure("participant_recall")),
        ("participant_f1", figure("participant_f1")),
        ("place_accuracy", figure("place_accuracy")),
        ("mention_recall", figure("mention_recall")),
    ]);
    let details = json!({
        "texts": loaded.len(),
        "all": figures,
        "sources": by_source
            .iter()
            .map(|(source, tally)| (source.clone(), tally.json()))
            .collect::<Map<String, Value>>(),
        "speed": speed.details(),
    });
    Ok(Report {
        task: "meetings".into(),
        corpus: corpus_name(annotations),
        scores,
        details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_keep_quoted_commas_and_doubled_quotes() {
        assert_eq!(csv_fields(r#","""",``,O"#), vec!["", "\"", "``", "O"]);
        assert_eq!(csv_fields(",\"10,000\",CD,O")[1], "10,000");
    }

    #[test]
    fn gmb_windows_join_tokens_by_spaces_and_sentences_by_newlines() {
        let csv =
            "Sentence #,Word,POS,Tag\nSentence: 1,A,DT,O\n,b,NN,O\nSentence: 2,C,NN,O\n,.,.,O\n";
        let sentences = gmb_sentences(csv);
        assert_eq!(gmb_text(&sentences, "gmb/1-2").as_deref(), Some("A b\nC ."));
        assert_eq!(gmb_text(&sentences, "gmb/2-3"), None);
    }

    fn frame(trigger: (usize, usize)) -> PredictedMeeting {
        PredictedMeeting {
            trigger: span(trigger),
            evidence: span(trigger),
            mentions: Vec::new(),
            participants: Vec::new(),
            place: None,
        }
    }

    #[test]
    fn one_frame_per_meeting_and_later_mentions_find_it() {
        let gold = vec![AnnotatedMeeting {
            trigger: (4, 7),
            mentions: vec![(30, 35)],
            participants: Vec::new(),
            place: None,
            date: None,
            status: "held".into(),
        }];
        // A frame on the trigger is preferred to one on a later mention, which is then a
        // second frame; alone, a frame on a later mention finds the meeting.
        let predicted = vec![frame((31, 35)), frame((4, 7))];
        assert_eq!(pair(&gold, &predicted, &[]), vec![Some(1)]);
        let predicted = vec![frame((31, 35))];
        assert_eq!(pair(&gold, &predicted, &[]), vec![Some(0)]);
        assert_eq!(pair(&gold, &[frame((10, 12))], &[]), vec![None]);
    }

    #[test]
    fn texts_are_rebuilt_hashed_and_scored_through_the_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        std::fs::create_dir_all(data.join("articles")).unwrap();
        std::fs::create_dir_all(data.join("ner/gmb")).unwrap();
        let body = "Ann Lee met Bo Roe in Paris on Monday. The talks went well.";
        std::fs::write(
            data.join("articles/bbc_news.jsonl"),
            format!(
                "{}\n",
                json!({"id": "business/001", "category": "business", "body": body})
            ),
        )
        .unwrap();
        std::fs::write(
            data.join("ner/gmb/ner_dataset.csv"),
            "Sentence #,Word,POS,Tag\nSentence: 1,Prices,NNS,O\n,rose,VBD,O\n,.,.,O\n",
        )
        .unwrap();
        let hash = sha256_hex;
        let annotations = data.join("annotations.jsonl");
        let lines = [
            json!({"id": "bbc/business/001", "text_sha256": hash(body),
                   "meetings": [{"trigger": [8, 11], "mentions": [[43, 48]],
                                 "participants": [[0, 7], [12, 18]], "place": [22, 27],
                                 "date": [31, 37], "status": "held"}],
                   "decoys": []}),
            json!({"id": "gmb/1-1", "text_sha256": hash("Prices rose ."),
                   "meetings": [], "decoys": []}),
        ];
        let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
        std::fs::write(&annotations, text).unwrap();
        let report = evaluate(&annotations, data, &Pipeline::new(), None).unwrap();
        assert_eq!(report.details["texts"], 2);
        assert_eq!(report.details["all"]["gold_meetings"], 1);
        assert_eq!(report.scores["meeting_recall"], 1.0, "{}", report.details);
        assert_eq!(report.scores["participant_f1"], 1.0, "{}", report.details);
        // "The talks" is listed among the frame's mentions.
        assert_eq!(report.scores["mention_recall"], 1.0, "{}", report.details);

        // A changed corpus is refused.
        std::fs::write(
            &annotations,
            format!("{}\n", lines[0]).replace(&hash(body), "00"),
        )
        .unwrap();
        assert!(matches!(
            evaluate(&annotations, data, &Pipeline::new(), None),
            Err(EvalError::Format { .. })
        ));
    }
}
