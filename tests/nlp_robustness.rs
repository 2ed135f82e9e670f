//! The pipeline never panics on an article and every offset it reports points at its text,
//! whatever the text looks like: empty-ish, huge, repetitive, unbalanced quotes, control
//! characters, other scripts, odd dates and odd publication times.
//!
//! Table-driven: each case is an input message; each output is checked as a whole by
//! [`check_output`] (offsets, entity references, mention lists, salience).
//!
//! Fuzzed too (proptest): raw bytes through decoding, and texts assembled from the words and
//! marks the rules react to (names, titles, speech verbs, quotation marks, dates) mixed with
//! arbitrary characters, through decode and enrich, under the same checks. A longer run:
//! `PROPTEST_CASES=20000 cargo test --release --test nlp_robustness fuzz`.

use article_enricher::contract::{enrichment_of, Article};
use article_enricher::nlp::Pipeline;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// An input message as a scraper might send it.
struct Case {
    name: String,
    message: Value,
}

fn case(name: impl Into<String>, message: Value) -> Case {
    Case {
        name: name.into(),
        message,
    }
}

/// A body-only case.
fn body(name: &str, text: impl Into<String>) -> Case {
    case(name, json!({ "id": name, "body": text.into() }))
}

/// A case with a body and a publication time.
fn dated(name: &str, text: &str, published_at: &str) -> Case {
    case(
        name,
        json!({ "id": name, "body": text, "published_at": published_at }),
    )
}

/// Ordinary English news prose with names, places, dates, quotes and a meeting, used as
/// filler around odd content so that every stage has something to do.
const PROSE: &str = "Finance Minister Ngozi Okafor met her Kenyan counterpart Daniel Mwangi in \
    Nairobi on Tuesday. “We agreed to cut tariffs,” Okafor said after the talks. Mwangi told \
    reporters that the two countries would sign a trade accord in March 2023. According to the \
    Kenyan Foreign Ministry, the ministers will meet again next month.";

fn cases() -> Vec<Case> {
    let mut cases = vec![
        // Empty-ish bodies: rejected by decoding (no text) or enriched with nothing.
        body("a space", " "),
        body("blank lines", "\n\n"),
        body("whitespace of all kinds", " \t\r\n\u{a0}\u{2003}\u{3000}\n"),
        body("one letter", "a"),
        body("one capital", "A"),
        body("one full stop", "."),
        // Quotation marks alone, unbalanced, nested and empty.
        body("a single straight quotation mark", "\""),
        body("a single curly quotation mark", "“"),
        body("a single closing mark", "”"),
        body("a single apostrophe", "'"),
        body(
            "an opening mark without end",
            "“We will never agree to this, Okafor said on Monday. Mwangi left Nairobi.",
        ),
        body(
            "an opening mark at the very end",
            "Okafor said on Monday in Lagos: “",
        ),
        body("a colon and an opening mark", ": “"),
        body("empty curly quotes", "“”"),
        body(
            "empty quotes with a cue",
            "“” he said. \"\" she said. ‘’ they said.",
        ),
        body(
            "nested quotes",
            "“He told me ‘the “deal” is “off”’ and left,” Okafor said. ‘She said “no” twice,’ \
             Mwangi added.",
        ),
        body(
            "quotes nested without closing",
            "“One ‘two “three ‘four “five, Okafor said.",
        ),
        body(
            "closing marks only",
            "” ” ’ » ” said Okafor ” Mwangi said ”.",
        ),
        body(
            "straight quotes everywhere",
            "\"\"\"\" \" \"a\" \"\"b\"\" '\"c\"' \"Okafor\" said \"Mwangi\" \"said\".",
        ),
        body("said said said", "said said said said said said"),
        body(
            "speech verbs without speakers",
            "Said said said, said said. According to, according to. Told told told \
             that that that.",
        ),
        body(
            "attributions without quotes",
            ", he said. , she added. \"\", according to. — said Okafor —",
        ),
        body(
            "a quote that is the whole paragraph",
            format!("“{}”", PROSE.replace(['“', '”'], "")),
        ),
        // Repetition and size.
        body("one word ten thousand times", "word ".repeat(10_000)),
        body("one name ten thousand times", "Okafor ".repeat(10_000)),
        body(
            "one sentence ten thousand times",
            "Okafor met Mwangi in Nairobi on Tuesday. ".repeat(10_000),
        ),
        body(
            "the same quote many times",
            "“We agreed,” he said. ".repeat(2_000),
        ),
        body(
            "a paragraph per line, many lines",
            "Okafor said so.\n".repeat(5_000),
        ),
        body(
            "a two megabyte article",
            format!("{PROSE}\n\n").repeat(2 * 1024 * 1024 / (PROSE.len() + 2) + 1),
        ),
        // Punctuation, symbols and other scripts.
        body(
            "only punctuation",
            ".,;:!?…-–—()[]{}<>\"'“”‘’«»„‟‹›`´/\\|@#$%^&*_+=~ ... -- '' `` ?! !!! ...",
        ),
        body(
            "every mark the tokenizer knows, around names",
            "Mr. Okafor's (U.S.) \"deal\"; Dr. Mwangi’s [U.K.] ‘talks’: Okafor—Mwangi… \
             «Nairobi» „Lagos‟ ‹Accra› ``Abuja'' 1,000 3.5 Asia-Pacific O'Brien don't \
             A&B 24/7 e.g. i.e. a.m. p.m. etc. No. 5 vs. Inc. Ltd. — – -- ... !? ?!",
        ),
        body(
            "emoji and combining characters",
            "Okafor 🙂 met Mwangi 👩🏽‍💼 in Nairobi 🇰🇪. Zoe\u{301} said “café\u{301} 🎉” on \
             Tuesday. e\u{301}\u{302}\u{303}\u{304} n\u{303} 👨‍👩‍👧‍👦👨‍👩‍👧‍👦",
        ),
        body(
            "right-to-left text",
            "قال وزير الخارجية إن المحادثات كانت مثمرة. \u{202b}Okafor met Mwangi\u{202c} \
             שלום עולם. “مرحبا” said Okafor in Cairo on Tuesday.",
        ),
        body(
            "bidirectional and other format controls",
            "\u{202e}Okafor said\u{202d} \u{2066}Mwangi\u{2069} \u{200e}met\u{200f} in \
             Nairobi\u{feff}.",
        ),
        body(
            "CRLF line endings",
            PROSE.replace(". ", ".\r\n\r\n").replace(", ", ",\r\n"),
        ),
        body("CR only line endings", PROSE.replace(". ", ".\r")),
        body(
            "NUL and control characters",
            "Okafor\u{0}met\u{1}Mwangi\u{7} in\u{8} Nairobi\u{1b}[0m on\u{7f} Tuesday.\u{0}\
             \u{0} “We\u{0}agreed,”\u{c} he said\u{85} in\u{2028}Lagos\u{2029}today.",
        ),
        body(
            "zero-width spaces and joiners",
            "Oka\u{200b}for met Mw\u{200d}angi in\u{200b}Nairobi on\u{2060}Tuesday. \
             “We\u{200b}agreed,”\u{200c} Okafor\u{200b} said.\u{200b}",
        ),
        body(
            "text full of capitalised words",
            "The Great Northern Trade And Finance Development Council Of The United Republic \
             Said On Tuesday That The Minister Of Foreign Affairs Mr. Daniel Mwangi Will Meet \
             The President Of The Federal Republic In The City Of Lagos. ",
        ),
        body("all caps text", PROSE.to_uppercase()),
        body("all lower-case text", PROSE.to_lowercase()),
        body(
            "numbers only",
            "1 2 3 4 5 6 7 8 9 10 100 1,000 1.5 2022 1999 0001 9999 99999 -1 +2 3/4 5:30 \
             12.12.12 2022-13-45 31/02/2022 10,000,000 0.0001",
        ),
        body(
            "very long words and numbers",
            format!(
                "{} said {} on {}.",
                "A".repeat(50_000),
                "9".repeat(10_000),
                "Tuesday".repeat(1_000)
            ),
        ),
        body(
            "only title-like words",
            "Minister President Mr. Mrs. Dr. Foreign Minister the minister his counterpart \
             her counterpart",
        ),
        body(
            "pronouns only",
            "He said she said they said it said. His her their its him.",
        ),
        body(
            "abbreviations everywhere",
            "Mr. Mrs. Dr. Prof. U.S. U.K. U.N. E.U. Jan. Feb. Inc. Corp. St. Jr. No. vs. etc.",
        ),
        body(
            "a word ending in an apostrophe s only",
            "'s ’s 's's ’s’s Okafor's's",
        ),
        body(
            "meeting words without parties",
            "Met. Talks. Meeting. Summit. Negotiations. They met. The talks were held. A \
             meeting will take place on the sidelines of the summit.",
        ),
        body(
            "a meeting between one person and itself",
            "Okafor met Okafor in Okafor. Okafor held talks with Okafor on Okafor.",
        ),
        // Dates at the edges.
        dated(
            "dates at the edges of the calendar",
            "The treaty of 1 January 0001 ended on 31 December 9999. It was signed on \
             February 29, 2023 and on 31 February 2022, on 29 February 2024, on \
             April 31, 2021, on 0 March 2020, on 32 May 2020 and in the year 10000. \
             Talks on 00/00/0000 and 2022-02-30 and 12/31/9999 failed.",
            "2022-08-05T14:30:00+03:00",
        ),
        dated(
            "relative dates near the start of the calendar",
            "Okafor met Mwangi last year, two years ago, yesterday, last month, in the 1990s, \
             last week, on Monday, in the first quarter and last summer.",
            "0001-01-01T00:00:00Z",
        ),
        dated(
            "relative dates near the end of the calendar",
            "Okafor will meet Mwangi next year, in two years, tomorrow, next month, next \
             week, on Friday, in the fourth quarter and next winter.",
            "9999-12-31T23:59:59Z",
        ),
        dated(
            "huge counts in relative dates",
            "It happened 99999999999999999999 years ago, 4294967297 days ago, 2147483648 \
             weeks ago and 99999 months ago; it ends in 99999999999 years, 9999999 decades \
             from now, within 18446744073709551616 days and in week 54 of 2022, in Q5 2022, \
             in the 99999th century and in the 4294967296s.",
            "2022-08-05T14:30:00+03:00",
        ),
        dated(
            "huge counts at the end of the calendar",
            "It ends in 300000 years, 100 million days from now and next century; it began \
             262143 years ago and in the year 262144.",
            "9999-12-31T23:59:59Z",
        ),
        dated(
            "spelled-out and ordinal dates",
            "On the thirty-first of February, the twenty-ninth of February 2023, the first \
             of Smarch, the 0th of May, the 31st of April and the fifth week of the year, \
             Okafor met Mwangi.",
            "2023-03-01T00:00:00Z",
        ),
        dated(
            "year-less dates around a leap day",
            "Okafor met Mwangi on Feb. 29 and on February 28, on March 1 and Dec. 31.",
            "2023-03-01T00:00:00Z",
        ),
        dated(
            "year-less Feb 29 published in a leap year",
            "The vote on February 29 was delayed until March 1.",
            "2024-03-15T00:00:00Z",
        ),
        dated(
            "decades and centuries",
            "In the 1990s, the 2000s, the 00s, the 90s, the '80s, the 1800s and the 21st \
             century, prices rose.",
            "1990-01-01T00:00:00Z",
        ),
        dated(
            "publication time with an odd offset",
            PROSE,
            "2022-08-05T23:59:59-12:00",
        ),
        dated(
            "publication time in the far past",
            PROSE,
            "1000-01-01T00:00:00Z",
        ),
        dated(
            "publication time in the far future",
            PROSE,
            "3000-12-31T00:00:00Z",
        ),
        dated("publication time that is not a time", PROSE, "not a date"),
        dated(
            "publication time out of range",
            PROSE,
            "99999-01-01T00:00:00Z",
        ),
        case(
            "publication time as epoch-like number text",
            json!({ "id": "epoch", "body": PROSE, "date": "1659699000" }),
        ),
        // Titles and HTML.
        case(
            "a title and html without text",
            json!({
                "id": "html",
                "title": "Okafor meets Mwangi",
                "html": "<html><head><style>p{}</style><script>var a = \"“\";</script></head>\
                         <body><h1>Okafor &amp; Mwangi</h1><p>“We agreed,” Okafor said on \
                         Tuesday in <b>Nairobi</b>.</p><p>&lt;b&gt; &#8220;quoted&#8221; \
                         &nbsp;&nbsp; &unknown; &#xZZ; &#99999999;</p><br><br/></body></html>"
            }),
        ),
        case(
            "html that is only markup",
            json!({ "id": "markup", "title": "Okafor", "html": "<p></p><br/><div> </div>" }),
        ),
        case(
            "html with broken tags",
            json!({ "id": "broken", "raw_html": "<p>Okafor <b said “yes <i>on Tuesday</p" }),
        ),
        case(
            "an empty title",
            json!({ "id": "empty-title", "title": "", "body": PROSE }),
        ),
        case(
            "a colon and quotes in the title before the body's first word",
            json!({ "id": "colon-title", "title": "\" :\n \" Anna", "body": "Anna" }),
        ),
        case(
            "a title that is all the text",
            json!({ "id": "title", "title": "“Okafor met Mwangi,” he said", "body": "." }),
        ),
        case(
            "a title with a line break and quotes",
            json!({ "id": "title2", "title": "“Okafor\n\nsaid", "body": "” Mwangi said." }),
        ),
        case(
            "text under another accepted name",
            json!({ "id": "maintext", "headline": "Okafor\u{0}", "maintext": PROSE }),
        ),
        case(
            "a declared language that is not English",
            json!({ "id": "de", "body": PROSE, "language": "de" }),
        ),
        case(
            "a declared language that is odd",
            json!({ "id": "odd-lang", "body": PROSE, "language": "" }),
        ),
    ];
    // Every single character class the tokenizer treats specially, alone and doubled.
    for mark in [
        ".", "!", "?", "…", "”", "\"", "’", "'", ")", "]", "»", "“", "‘", "«", "(", "„", "[", "-",
        "--", "`", "``", "''", ",", ";", ":", "—", "–", "&", "/",
    ] {
        cases.push(body(&format!("the mark {mark}"), mark));
        cases.push(body(
            &format!("the mark {mark} between words"),
            format!("Okafor{mark}Mwangi {mark}said{mark} {mark}{mark} Nairobi {mark}"),
        ));
    }
    cases
}

/// The text of `field` in the output: an input key, or `enrichment.text`.
fn field_text<'a>(output: &'a Value, field: &str) -> Option<&'a str> {
    match field {
        "enrichment.text" => output["enrichment"]["text"].as_str(),
        _ => output[field].as_str(),
    }
}

/// The code points of every text field of an output, decoded once per output (slicing a
/// `str` by code points for every span would make the check quadratic on big articles).
struct Fields<'a> {
    output: &'a Value,
    chars: HashMap<String, Option<Vec<char>>>,
}

impl Fields<'_> {
    fn get(&mut self, field: &str) -> Option<&[char]> {
        let output = self.output;
        self.chars
            .entry(field.to_string())
            .or_insert_with(|| field_text(output, field).map(|text| text.chars().collect()))
            .as_deref()
    }
}

/// Every object with `field`, `start`, `end` and `text` names a code point span of its field
/// whose text is `text`.
fn check_offsets(value: &Value, fields: &mut Fields, path: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let (Some(field), Some(start), Some(end), Some(text)) = (
                map.get("field").and_then(Value::as_str),
                map.get("start").and_then(Value::as_u64),
                map.get("end").and_then(Value::as_u64),
                map.get("text").and_then(Value::as_str),
            ) {
                match fields.get(field) {
                    None => problems.push(format!("{path}: no field {field:?}")),
                    Some(source) => {
                        let (start, end) = (start as usize, end as usize);
                        if start > end || end > source.len() {
                            problems.push(format!(
                                "{path}: span {start}..{end} outside {field} of {} chars",
                                source.len()
                            ));
                        } else {
                            let slice: String = source[start..end].iter().collect();
                            if slice != text {
                                problems.push(format!(
                                    "{path}: {field}[{start}..{end}] is {slice:?}, not {text:?}"
                                ));
                            }
                        }
                    }
                }
            }
            for (key, child) in map {
                check_offsets(child, fields, &format!("{path}.{key}"), problems);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_offsets(child, fields, &format!("{path}[{index}]"), problems);
            }
        }
        _ => {}
    }
}

/// Everything a consumer relies on in one output: offsets, entity references, non-empty
/// mention lists, salience in 0..=1. Returns the problems found.
fn check_output(output: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let enrichment = &output["enrichment"];
    let mut fields = Fields {
        output,
        chars: HashMap::new(),
    };
    check_offsets(enrichment, &mut fields, "enrichment", &mut problems);
    let entities = enrichment["entities"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut ids = HashSet::new();
    for entity in &entities {
        let id = entity["id"].as_str().unwrap_or_default().to_string();
        if !ids.insert(id.clone()) {
            problems.push(format!("entity id {id} twice"));
        }
        if entity["mentions"].as_array().is_none_or(Vec::is_empty) {
            problems.push(format!("entity {id} without mentions"));
        }
        match entity["salience"].as_f64() {
            Some(salience) if (0.0..=1.0).contains(&salience) => {}
            other => problems.push(format!("entity {id} salience {other:?}")),
        }
    }
    let mut referenced = Vec::new();
    for quote in enrichment["quotes"].as_array().into_iter().flatten() {
        if let Some(entity) = quote["speaker"]["entity"].as_str() {
            referenced.push(("quote speaker", entity.to_string()));
        }
    }
    for meeting in enrichment["meetings"].as_array().into_iter().flatten() {
        for participant in meeting["participants"].as_array().into_iter().flatten() {
            if participant["entity"].is_null() {
                // An unnamed group: its words are its name.
                if participant["name"]
                    .as_str()
                    .is_none_or(|name| name.trim().is_empty())
                {
                    problems.push(format!("unnamed meeting participant {participant}"));
                }
                continue;
            }
            referenced.push((
                "meeting participant",
                participant["entity"].as_str().unwrap_or("").to_string(),
            ));
        }
        if let Some(location) = meeting["location"].as_object() {
            referenced.push((
                "meeting location",
                location["entity"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    for (role, entity) in referenced {
        if !ids.contains(&entity) {
            problems.push(format!("{role} {entity:?} is no entity"));
        }
    }
    problems
}

/// Runs one case: decoding may refuse it (no text), enriching must not panic, and the
/// output must pass [`check_output`].
/// Enriches a case and checks its output; returns the language the enrichment reports
/// (empty when the message does not decode).
fn run(case: &Case) -> Result<String, String> {
    let payload = serde_json::to_vec(&case.message).expect("a JSON value encodes");
    let article = match Article::decode(&payload) {
        Ok(article) => article,
        Err(_) => return Ok(String::new()),
    };
    let enrichment = std::panic::catch_unwind(|| enrichment_of(&Pipeline::new(), &article))
        .map_err(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            format!("panicked: {message}")
        })?;
    let output: Value =
        serde_json::from_slice(&article.encode(&enrichment)).map_err(|e| e.to_string())?;
    let problems = check_output(&output);
    if problems.is_empty() {
        Ok(enrichment.language.clone())
    } else {
        Err(problems.join("\n    "))
    }
}

#[test]
fn no_article_makes_the_pipeline_panic_or_misplace_an_offset() {
    let mut failures = Vec::new();
    for case in cases() {
        match run(&case) {
            Err(problem) => failures.push(format!("{}:\n    {problem}", case.name)),
            // A text judged not English skips the stages: run it through them too, declared
            // English, so that hostile text in other scripts still reaches every stage.
            Ok(language) if !language.is_empty() && language != "en" => {
                if case.message.get("language").is_none() {
                    let mut message = case.message.clone();
                    message["language"] = json!("en");
                    let declared = Case {
                        name: format!("{} (declared English)", case.name),
                        message,
                    };
                    if let Err(problem) = run(&declared) {
                        failures.push(format!("{}:\n    {problem}", declared.name));
                    }
                }
            }
            Ok(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_checker_notices_a_misplaced_offset() {
    let good = json!({
        "body": "Zoë met Okafor",
        "enrichment": {
            "entities": [{"id": "e1", "salience": 1.0, "mentions": [
                {"field": "body", "start": 8, "end": 14, "text": "Okafor", "kind": "name"}]}],
            "quotes": [], "meetings": []
        }
    });
    assert_eq!(check_output(&good), Vec::<String>::new());
    let mut shifted = good.clone();
    shifted["enrichment"]["entities"][0]["mentions"][0]["start"] = json!(9);
    assert_eq!(check_output(&shifted).len(), 1);
    let mut dangling = good;
    dangling["enrichment"]["quotes"] = json!([{"speaker": {"entity": "e2"}}]);
    assert_eq!(check_output(&dangling).len(), 1);
}

#[test]
fn a_sample_of_cases_is_really_enriched() {
    // Guards the table against cases that silently test nothing: the filler prose must
    // produce entities and dates, so the checks above run over real output.
    let payload = serde_json::to_vec(&json!({ "body": PROSE })).unwrap();
    let article = Article::decode(&payload).unwrap();
    let enrichment = enrichment_of(&Pipeline::new(), &article);
    assert!(!enrichment.entities.is_empty());
    assert!(!enrichment.dates.is_empty());
    assert!(!enrichment.quotes.is_empty());
}

/// Pieces of news text the stages react to, and some they should shrug off.
const PIECES: &[&str] = &[
    "Anna",
    "Berg",
    "Omar",
    "Haddad",
    "Mr.",
    "Ms",
    "President",
    "the minister",
    "Minister",
    "of",
    "Foreign",
    "Affairs",
    "said",
    "says",
    "told",
    "reporters",
    "according to",
    "met",
    "meeting",
    "talks",
    "with",
    "his",
    "her",
    "counterpart",
    "in",
    "at",
    "Oslo",
    "Paris",
    "Cambodia",
    "Kenya's",
    "Norwegian",
    "on",
    "Monday",
    "July",
    "7",
    "2022",
    "last week",
    "two days ago",
    "next month",
    "Aug.",
    "5,",
    "2022-08-05",
    "the",
    "a",
    "they",
    "she",
    "he",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    ":",
    ",",
    ".",
    "!",
    "?",
    ";",
    "—",
    "-",
    "(",
    ")",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "U.S.",
    "UN",
    "TASS",
    "reported",
    "quoted",
    "by",
    "that",
    "as",
    "summit",
    "visit",
    "hosted",
    "discussed",
    "trade",
    "Ä",
    "ß",
    "王",
    "Иванов",
    "🙂",
    "\u{0}",
    "\u{202e}",
    "\u{a0}",
    "&amp;",
    "<p>",
    "</p>",
];

fn fuzz_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,6}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..120).prop_map(|pieces| {
        let mut text = String::new();
        for piece in pieces {
            if !text.is_empty() && !piece.starts_with(char::is_whitespace) {
                text.push(' ');
            }
            text.push_str(&piece);
        }
        text
    })
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn decoding_any_bytes_gives_an_article_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = Article::decode(&bytes);
        }

        #[test]
        fn any_text_is_enriched_without_a_panic_or_a_misplaced_offset(
            title in proptest::option::of(fuzz_text()),
            body in fuzz_text(),
            published_at in proptest::option::of(prop_oneof![
                Just("2022-08-05T10:00:00Z".to_string()),
                Just("Fri, 05 Aug 2022 10:00:00 +0300".to_string()),
                "\\PC{0,12}",
            ]),
            html in any::<bool>(),
            declare_english in any::<bool>(),
        ) {
            let mut message = json!({"id": "fuzz"});
            if declare_english {
                message["language"] = json!("en");
            }
            message[if html { "html" } else { "body" }] = Value::String(body);
            if let Some(title) = title {
                message["title"] = Value::String(title);
            }
            if let Some(published_at) = published_at {
                message["published_at"] = Value::String(published_at);
            }
            let case = Case { name: "fuzz".to_string(), message };
            if let Err(problem) = run(&case) {
                prop_assert!(false, "{}: {}", case.name, problem);
            }
        }
    }
}
