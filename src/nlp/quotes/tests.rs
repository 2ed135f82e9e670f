//! The stage on invented sentences.

use super::*;
use crate::nlp::document::{Entity, Field};
use crate::nlp::text;

/// An entity the test puts in the document: its type, name and the surface strings of
/// its mentions (every occurrence) with their kinds.
struct GivenEntity {
    entity_type: EntityType,
    name: &'static str,
    mentions: &'static [(&'static str, MentionKind)],
}

struct Expected {
    kind: QuoteKind,
    text: &'static str,
    /// The entity name when resolved, else the speaker mention text.
    speaker: Option<&'static str>,
    cue: Option<&'static str>,
    via: Option<&'static str>,
}

struct Case {
    name: &'static str,
    text: &'static str,
    entities: &'static [GivenEntity],
    expected: &'static [Expected],
}

const fn direct(
    text: &'static str,
    speaker: Option<&'static str>,
    cue: Option<&'static str>,
    via: Option<&'static str>,
) -> Expected {
    Expected {
        kind: QuoteKind::Direct,
        text,
        speaker,
        cue,
        via,
    }
}

const fn indirect(
    text: &'static str,
    speaker: Option<&'static str>,
    cue: Option<&'static str>,
) -> Expected {
    Expected {
        kind: QuoteKind::Indirect,
        text,
        speaker,
        cue,
        via: None,
    }
}

fn document(text: &str, entities: &[GivenEntity]) -> Document {
    let mut document = Document {
        fields: vec![Field {
            name: "body".into(),
            text: text.into(),
        }],
        ..Document::default()
    };
    text::tokenize(&mut document);
    for given in entities {
        let entity = document.entities.len();
        document.entities.push(Entity {
            entity_type: given.entity_type,
            subtype: None,
            name: given.name.into(),
            aliases: Vec::new(),
            key: given.name.to_lowercase(),
            roles: Vec::new(),
            country: None,
            geo: None,
            salience: 0.0,
            mentions: Vec::new(),
        });
        for &(surface, kind) in given.mentions {
            for (start, _) in text.match_indices(surface) {
                let span = Span::new(0, start, start + surface.len());
                let sentence = document.sentence_at(0, start).unwrap_or(0);
                document.entities[entity]
                    .mentions
                    .push(document.mentions.len());
                document.mentions.push(Mention {
                    span,
                    kind,
                    entity,
                    sentence,
                });
            }
        }
    }
    document
}

fn describe(document: &Document, quote: &Quote) -> String {
    let speaker = quote.speaker.as_ref().map(|speaker| match speaker.entity {
        Some(entity) => document.entities[entity].name.clone(),
        None => document.text(speaker.mention).to_string(),
    });
    format!(
        "{} {:?} speaker={:?} cue={:?} via={:?}",
        quote.kind.as_str(),
        document.text(quote.span),
        speaker,
        quote.cue.map(|cue| document.text(cue)),
        quote.via.map(|via| document.text(via)),
    )
}

fn describe_expected(expected: &Expected) -> String {
    format!(
        "{} {:?} speaker={:?} cue={:?} via={:?}",
        expected.kind.as_str(),
        expected.text,
        expected.speaker,
        expected.cue,
        expected.via,
    )
}

use EntityType::{Organization, Person};
use MentionKind::{Name, Nominal, Pronoun};

const CASES: &[Case] = &[
    Case {
        name: "british colon introduction",
        text: "Mr Blair said: “We will not walk away from this.”",
        entities: &[],
        expected: &[direct("We will not walk away from this.", Some("Mr Blair"), Some("said"), None)],
    },
    Case {
        name: "american inverted attribution after the quote",
        text: "“The budget is a disgrace,” said Smith.",
        entities: &[],
        expected: &[direct("The budget is a disgrace", Some("Smith"), Some("said"), None)],
    },
    Case {
        name: "inverted attribution with a description between two names",
        text: "“Nobody saw the bill before the vote,” said Labour party whip Anna Berg when asked.",
        entities: &[],
        expected: &[direct(
            "Nobody saw the bill before the vote",
            Some("Labour party whip Anna Berg"),
            Some("said"),
            None,
        )],
    },
    Case {
        name: "straight marks and a nominal speaker",
        text: "\"We will appeal,\" the lawyer said.",
        entities: &[],
        expected: &[direct("We will appeal", Some("the lawyer"), Some("said"), None)],
    },
    Case {
        name: "backtick marks and guillemets",
        text: "``We will appeal,'' the lawyer said.\n«We shall prevail,» the general declared.",
        entities: &[],
        expected: &[
            direct("We will appeal", Some("the lawyer"), Some("said"), None),
            direct("We shall prevail", Some("the general"), Some("declared"), None),
        ],
    },
    Case {
        name: "a pronoun without a pronoun mention falls back to the nearest person",
        text: "Anna Berg arrived in Oslo on Monday.\n\n“We have much to discuss,” she said.",
        entities: &[GivenEntity {
            entity_type: Person,
            name: "Anna Berg",
            mentions: &[("Anna Berg", Name)],
        }],
        expected: &[direct("We have much to discuss", Some("Anna Berg"), Some("said"), None)],
    },
    Case {
        name: "a pronoun mention from the entity stage wins",
        text: "Tom Hale met Ruth Lind.\n\n“The deal is done,” he said.",
        entities: &[
            GivenEntity {
                entity_type: Person,
                name: "Tom Hale",
                mentions: &[("Tom Hale", Name), ("he said", Pronoun)],
            },
            GivenEntity {
                entity_type: Person,
                name: "Ruth Lind",
                mentions: &[("Ruth Lind", Name)],
            },
        ],
        expected: &[direct("The deal is done", Some("Tom Hale"), Some("said"), None)],
    },
    Case {
        name: "a quote over several paragraphs is one quote",
        text: "The senator spoke for an hour.\n\n“First, we must fix the roads.\n\n“Second, we must pay the teachers,” Senator Jones said.",
        entities: &[],
        expected: &[direct(
            "First, we must fix the roads.\n\n“Second, we must pay the teachers",
            Some("Senator Jones"),
            Some("said"),
            None,
        )],
    },
    Case {
        name: "a quote split by its attribution keeps the speaker",
        text: "“We are ready,” the minister said. “The talks will begin tomorrow.”",
        entities: &[GivenEntity {
            entity_type: Person,
            name: "Ivan Petrov",
            mentions: &[("the minister", Nominal)],
        }],
        expected: &[
            direct("We are ready", Some("Ivan Petrov"), Some("said"), None),
            direct("The talks will begin tomorrow.", Some("Ivan Petrov"), None, None),
        ],
    },
    Case {
        name: "a split quote inside one sentence",
        text: "“The plan,” he said, “is already late.”",
        entities: &[],
        expected: &[
            direct("The plan", Some("he"), Some("said"), None),
            direct("is already late.", Some("he"), Some("said"), None),
        ],
    },
    Case {
        name: "scare quotes, titles and group names are not quotes",
        text: "The mayor joined the newly formed “coalition for clean water.” She starred in “The Long Night of the Soul” in 1999. The so-called “peace dividend” never came.",
        entities: &[],
        expected: &[],
    },
    Case {
        name: "according to, before and after the content",
        text: "According to the Interior Ministry, three people were injured in the blast. The factory will close next year, according to a company spokesman.",
        entities: &[GivenEntity {
            entity_type: Organization,
            name: "Interior Ministry",
            mentions: &[("Interior Ministry", Name)],
        }],
        expected: &[
            indirect("three people were injured in the blast", Some("Interior Ministry"), Some("According to")),
            indirect("The factory will close next year", Some("a company spokesman"), Some("according to")),
        ],
    },
    Case {
        name: "outlets a quote came through",
        text: "“Prices will keep rising,” the governor said (quoted by Interfax).\n\n“We are not afraid,” Jones told Reuters.\n\n“It was a mistake,” Smith said in an interview with the BBC.\n\n“The talks were useful,” Xinhua quoted Li as saying.",
        entities: &[],
        expected: &[
            direct("Prices will keep rising", Some("the governor"), Some("said"), Some("Interfax")),
            direct("We are not afraid", Some("Jones"), Some("told"), Some("Reuters")),
            direct("It was a mistake", Some("Smith"), Some("said"), Some("the BBC")),
            direct("The talks were useful", Some("Li"), Some("as saying"), Some("Xinhua")),
        ],
    },
    Case {
        name: "a spokesman speaks for the organisation",
        text: "A spokesman for the Foreign Ministry said the visit had been postponed.",
        entities: &[GivenEntity {
            entity_type: Organization,
            name: "Foreign Ministry",
            mentions: &[("Foreign Ministry", Name)],
        }],
        expected: &[indirect("the visit had been postponed", Some("Foreign Ministry"), Some("said"))],
    },
    Case {
        name: "reported speech with and without that",
        text: "The president said on Tuesday that the economy was recovering. Ms Ortiz believes the vote will be close. The deal is dead, one diplomat said.",
        entities: &[],
        expected: &[
            indirect("the economy was recovering", Some("The president"), Some("said")),
            indirect("the vote will be close", Some("Ms Ortiz"), Some("believes")),
            indirect("The deal is dead", Some("one diplomat"), Some("said")),
        ],
    },
    Case {
        name: "stance verbs report their complement",
        text: "Senator Okafor wants the tax credit extended to renters. The governor sharply criticized the budget deal as reckless. Polls show a tight race in the state. Ms Ito called for an inquiry into the contracts.",
        entities: &[],
        expected: &[
            indirect("the tax credit extended to renters", Some("Senator Okafor"), Some("wants")),
            indirect("the budget deal as reckless", Some("The governor"), Some("criticized")),
            indirect("a tight race in the state", Some("Polls"), Some("show")),
            indirect("an inquiry into the contracts", Some("Ms Ito"), Some("called for")),
        ],
    },
    Case {
        name: "reported content ends before a new clause and holds the stances inside it",
        text: "Mr Dube said the plan would fail, but his party backed it anyway. Most voters say they want a new direction for the country.",
        entities: &[],
        expected: &[
            indirect("the plan would fail", Some("Mr Dube"), Some("said")),
            indirect("they want a new direction for the country", Some("Most voters"), Some("say")),
        ],
    },
    Case {
        name: "an acting verb after a named subject, and nouns that only look like verbs",
        text: "On Tuesday, Ramos voted against a measure to extend the subsidies. Her plans include new taxes on imports. The attacks on the press continued for weeks.",
        entities: &[GivenEntity {
            entity_type: Person,
            name: "Ramos",
            mentions: &[("Ramos", Name)],
        }],
        expected: &[indirect("a measure to extend the subsidies", Some("Ramos"), Some("voted against"))],
    },
    Case {
        name: "inverted attribution with a lowercase description before the name",
        text: "“Nobody saw this coming,” said pollster Mark Dunne. “It changes the race.”",
        entities: &[GivenEntity {
            entity_type: Person,
            name: "Mark Dunne",
            mentions: &[("Mark Dunne", Name)],
        }],
        expected: &[
            direct("Nobody saw this coming", Some("Mark Dunne"), Some("said"), None),
            direct("It changes the race.", Some("Mark Dunne"), None, None),
        ],
    },
    Case {
        name: "a second verb of the same subject reports",
        text: "Mayor Ines Lund toured the flooded district and said the repairs would take months.",
        entities: &[],
        expected: &[
            indirect("the flooded district", Some("Mayor Ines Lund"), Some("toured")),
            indirect("the repairs would take months", Some("Mayor Ines Lund"), Some("said")),
        ],
    },
    Case {
        name: "a passive attribution, and no reported speech inside quotation marks",
        text: "“We want a fair count,” Okoro is quoted as saying. She starred in “They Want It All” last year.",
        entities: &[],
        expected: &[direct("We want a fair count", Some("Okoro"), Some("quoted as saying"), None)],
    },
    Case {
        name: "a stance participle after a comma continues the clause's subject",
        text: "The union rejected the latest wage offer, citing the lack of a pension guarantee.",
        entities: &[],
        expected: &[
            indirect("the latest wage offer", Some("The union"), Some("rejected")),
            indirect("the lack of a pension guarantee", Some("The union"), Some("citing")),
        ],
    },
    Case {
        name: "a second verb introduces the quote, and a bare hearer after told",
        text: "Ms Lund paused and said, “No deal is better than this one.”\n\n“We will keep talking,” Ortiz told reporters.",
        entities: &[],
        expected: &[
            direct("No deal is better than this one.", Some("Ms Lund"), Some("said"), None),
            direct("We will keep talking", Some("Ortiz"), Some("told"), None),
        ],
    },
    Case {
        name: "attributions after a quote that hangs on a comma",
        text: "“Nobody believes that,” Ortiz answered.\n\n“We will see,” she said an hour into the call.\n\n“There was wrongdoing,” said a retired senior district court official.",
        entities: &[],
        expected: &[
            direct("Nobody believes that", Some("Ortiz"), Some("answered"), None),
            direct("We will see", Some("Ortiz"), Some("said"), None),
            direct(
                "There was wrongdoing",
                Some("a retired senior district court official"),
                Some("said"),
                None,
            ),
        ],
    },
    Case {
        name: "a phrase the subject coined, after a naming verb",
        text: "Ortiz, who Ms Lund dubbed “the quiet fixer,” left early. She starred in the film dubbed “Night Train” last year.",
        entities: &[],
        expected: &[direct("the quiet fixer", Some("Ms Lund"), Some("dubbed"), None)],
    },
    Case {
        name: "a quote after a partial quote takes that sentence's speaker",
        text: "The mayor is also a “safe pair of hands,” Pereira said. “That is exactly what voters want.”",
        entities: &[],
        expected: &[direct("That is exactly what voters want.", Some("Pereira"), None, None)],
    },
    Case {
        name: "a colon after a clause with no speech verb",
        text: "Mayor Ines Lund leaned in toward the crowd: “We are not done yet.”",
        entities: &[GivenEntity {
            entity_type: Person,
            name: "Ines Lund",
            mentions: &[("Ines Lund", Name)],
        }],
        expected: &[direct("We are not done yet.", Some("Ines Lund"), Some(":"), None)],
    },
    Case {
        name: "a pronoun refers to a person named as a later subject, not the last speaker",
        text: "“We will win,” said Tom Reyes.\n\nSen. Jo Pike arrived late for the vote on Tuesday. “It was a mistake,” he said.",
        entities: &[
            GivenEntity {
                entity_type: Person,
                name: "Tom Reyes",
                mentions: &[("Tom Reyes", Name)],
            },
            GivenEntity {
                entity_type: Person,
                name: "Jo Pike",
                mentions: &[("Jo Pike", Name)],
            },
        ],
        expected: &[
            direct("We will win", Some("Tom Reyes"), Some("said"), None),
            direct("It was a mistake", Some("Jo Pike"), Some("said"), None),
        ],
    },
    Case {
        name: "a short opening adverbial is not the subject",
        text: "Here in the capital, Ms Ortiz waved to the crowd, saying, “The count is not over.”",
        entities: &[],
        expected: &[direct("The count is not over.", Some("Ms Ortiz"), Some("saying"), None)],
    },
    Case {
        name: "pronoun subjects take no modifiers",
        text: "Polls close at 7 p.m. He said the count would take all night.",
        entities: &[],
        expected: &[indirect("the count would take all night", Some("He"), Some("said"))],
    },
    Case {
        name: "transcript labels and a long source after according to",
        text: "MARTINEZ: We expect the bill to pass next week.\n\nThe bill stalled last year, according to people familiar with the talks.",
        entities: &[],
        expected: &[
            indirect("We expect the bill to pass next week", Some("MARTINEZ"), Some(":")),
            indirect("The bill stalled last year", Some("people familiar with the talks"), Some("according to")),
        ],
    },
    Case {
        name: "nested quotes stay inside the outer quote",
        text: "“He told me, ‘Never give up,’ and I never did,” Brown said.",
        entities: &[],
        expected: &[direct(
            "He told me, ‘Never give up,’ and I never did",
            Some("Brown"),
            Some("said"),
            None,
        )],
    },
    Case {
        name: "british single marks",
        text: "‘We have done nothing wrong,’ the chairman said.",
        entities: &[],
        expected: &[direct("We have done nothing wrong", Some("the chairman"), Some("said"), None)],
    },
    Case {
        name: "a quote with no cue continues the speaker of the paragraph",
        text: "Smith said: “We will win.” “Nobody can stop us now.”",
        entities: &[],
        expected: &[
            direct("We will win.", Some("Smith"), Some("said"), None),
            direct("Nobody can stop us now.", Some("Smith"), None, None),
        ],
    },
    Case {
        name: "a one-word answer with a cue is a quote",
        text: "Asked whether he would resign, the chairman paused. “No,” he said.",
        entities: &[],
        expected: &[direct("No", Some("he"), Some("said"), None)],
    },
    Case {
        name: "a participle continues the speaker with reported speech",
        text: "“We are done,” Smith said, adding that the team would leave on Friday.",
        entities: &[],
        expected: &[
            direct("We are done", Some("Smith"), Some("said"), None),
            indirect("the team would leave on Friday", Some("Smith"), Some("adding")),
        ],
    },
    Case {
        name: "no reported speech inside a direct quote",
        text: "“I think the plan will fail, and he said that too,” Jones said.",
        entities: &[],
        expected: &[direct(
            "I think the plan will fail, and he said that too",
            Some("Jones"),
            Some("said"),
            None,
        )],
    },
    Case {
        name: "an apposition is not the speaker's name",
        text: "“Rates will stay high,” said Lena Park, an economist at the bank.\n\nOmar Diaz, a lawyer for the family, said the ruling would be appealed.",
        entities: &[],
        expected: &[
            direct("Rates will stay high", Some("Lena Park"), Some("said"), None),
            indirect("the ruling would be appealed", Some("Omar Diaz"), Some("said")),
        ],
    },
    Case {
        name: "a colon paragraph introduces the next paragraph's quote",
        text: "Mrs Hale continued:\n\n“The roads are a scandal. They have been for years.”",
        entities: &[],
        expected: &[direct(
            "The roads are a scandal. They have been for years.",
            Some("Mrs Hale"),
            Some("continued"),
            None,
        )],
    },
        Case {
        name: "two apostrophes open and close a quote",
        text: "''We must not overreact,'' he told me. ''The rest is noise.''",
        entities: &[],
        expected: &[
            direct("We must not overreact", Some("he"), Some("told"), None),
            direct("The rest is noise.", Some("he"), None, None),
        ],
    },
    Case {
        name: "a signature after a dash",
        text: "“The debate changed nothing for me at all.” ― Maria Lopez\n“I will vote anyway.” ― Tom Reed.",
        entities: &[],
        expected: &[
            direct("The debate changed nothing for me at all.", Some("Maria Lopez"), Some("―"), None),
            direct("I will vote anyway.", Some("Tom Reed"), Some("―"), None),
        ],
    },
    Case {
        name: "the short second part of a split quote",
        text: "“Does anyone know the plan?” Grant asked. “Neither do I.”",
        entities: &[],
        expected: &[
            direct("Does anyone know the plan?", Some("Grant"), Some("asked"), None),
            direct("Neither do I.", Some("Grant"), None, None),
        ],
    },
    Case {
        name: "a long apposition between the quote and the cue",
        text: "“The numbers do not add up,” Carl Weber, a senior fellow at an institute that studies budgets and a former adviser, said on Friday.",
        entities: &[],
        expected: &[direct("The numbers do not add up", Some("Carl Weber"), Some("said"), None)],
    },
    Case {
        name: "a participle after a comma introduces the quote",
        text: "During the speech, Reed attacked his rival, saying, “She is not ready for the job.”",
        entities: &[],
        expected: &[direct("She is not ready for the job.", Some("Reed"), Some("saying"), None)],
    },
    Case {
        name: "an attribution inside the reported sentence",
        text: "The new bridge, the mayor said, will open in the spring. Polls show that voters are tired of the race.",
        entities: &[],
        expected: &[
            indirect("The new bridge, the mayor said, will open in the spring", Some("the mayor"), Some("said")),
            indirect("voters are tired of the race", Some("Polls"), Some("show")),
        ],
    },
    Case {
        name: "a relative who takes the noun phrase before it as the speaker",
        text: "The panel heard from Dana Ortiz, who said the rules were unfair to small farms.",
        entities: &[],
        expected: &[indirect("the rules were unfair to small farms", Some("Dana Ortiz"), Some("said"))],
    },
    Case {
        name: "reported content led by a subordinate clause",
        text: "Nora Pike said if the vote fails, she will resign from the board. Nora Pike said on Monday.",
        entities: &[],
        expected: &[indirect("if the vote fails, she will resign from the board", Some("Nora Pike"), Some("said"))],
    },
    Case {
        name: "content before 'said X' with a relative clause after the speaker",
        text: "Even if the office closed, most of its staff would stay, said Arlo Brandt, who ran it for a decade.",
        entities: &[GivenEntity {
            entity_type: Person,
            name: "Arlo Brandt",
            mentions: &[("Arlo Brandt", Name)],
        }],
        expected: &[indirect("Even if the office closed, most of its staff would stay", Some("Arlo Brandt"), Some("said"))],
    },
    Case {
        name: "a title-case headline reports with a capitalised speech verb",
        text: "Harbour Chief Says New Dock Will Open In Spring\n\nThe Dock Board Meets On Monday.",
        entities: &[],
        expected: &[indirect("New Dock Will Open In Spring", Some("Harbour Chief"), Some("Says"))],
    },
    Case {
        name: "an unclosed straight mark does not swallow the next paragraph",
        text: "\"Kevin was asleep.\n\n“Here he is,” she said.",
        entities: &[],
        expected: &[direct("Here he is", Some("she"), Some("said"), None)],
    },
];

/// The rule cases hold the rules alone; with the embedded reported-speech model, plain
/// reported speech keeps its speaker and content, and the model never turns a direct
/// quote into reported speech.
#[test]
fn the_embedded_model_keeps_plain_reported_speech() {
    use crate::article::Article;
    let body = "Marta Quill, the harbour director, said on Monday that the north pier \
        will reopen in May after repairs.\n\n“We are ready,” Quill said.";
    let mut raw = serde_json::Map::new();
    raw.insert("id".into(), "t".into());
    raw.insert("body".into(), body.into());
    let article = Article::from_object(raw).expect("an article");
    let document = crate::nlp::Pipeline::new().analyse(&article);
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

#[test]
fn cases() {
    let mut failures = Vec::new();
    for case in CASES {
        let mut document = document(case.text, case.entities);
        extract(&mut document, Gazetteer::embedded(), None);
        let found: Vec<String> = document
            .quotes
            .iter()
            .map(|quote| describe(&document, quote))
            .collect();
        let expected: Vec<String> = case.expected.iter().map(describe_expected).collect();
        if found != expected {
            failures.push(format!(
                "{}:\n  expected {:#?}\n  found    {:#?}",
                case.name, expected, found
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn speaker_mentions_are_the_words_naming_the_speaker() {
    let mut document = document("“We will respond,” the defence minister said.", &[]);
    extract(&mut document, Gazetteer::embedded(), None);
    let speaker = document.quotes[0].speaker.as_ref().expect("a speaker");
    assert_eq!(document.text(speaker.mention), "the defence minister");
    assert_eq!(speaker.entity, None);
}
