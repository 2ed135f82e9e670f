//! The table of cases the stage is checked against.

use super::*;
use crate::nlp::document::Field;
use crate::nlp::text;
use chrono::DateTime;

/// One expected expression: its text, kind, value and granularity.
type Expected = (
    &'static str,
    TemporalKind,
    Option<&'static str>,
    Option<Granularity>,
);

struct Case {
    name: &'static str,
    text: &'static str,
    published_at: Option<&'static str>,
    expected: &'static [Expected],
}

use Granularity as G;
use TemporalKind::{Date as D, Duration as P};

const FRIDAY: Option<&str> = Some("2022-08-05T14:30:00+03:00");

const CASES: &[Case] = &[
    Case {
        name: "year-less month-day resolves before publication",
        text: "On July 7 the delegations met, and on July 28 they signed.",
        published_at: FRIDAY,
        expected: &[
            ("July 7", D, Some("2022-07-07"), Some(G::Day)),
            ("July 28", D, Some("2022-07-28"), Some(G::Day)),
        ],
    },
    Case {
        name: "a later month-day in the past tense falls in the previous year",
        text: "The plant closed on September 3.",
        published_at: FRIDAY,
        expected: &[("September 3", D, Some("2021-09-03"), Some(G::Day))],
    },
    Case {
        name: "future tense moves a year-less date forward",
        text: "The court will rule on July 7.",
        published_at: FRIDAY,
        expected: &[("July 7", D, Some("2023-07-07"), Some(G::Day))],
    },
    Case {
        name: "full dates in several spellings",
        text: "Filed Aug. 5, 2022, heard 5 August 2022, logged 2022-08-05 and 08/05/2022, due August 5th.",
        published_at: None,
        expected: &[
            ("Aug. 5, 2022", D, Some("2022-08-05"), Some(G::Day)),
            ("5 August 2022", D, Some("2022-08-05"), Some(G::Day)),
            ("2022-08-05", D, Some("2022-08-05"), Some(G::Day)),
            ("08/05/2022", D, Some("2022-08-05"), Some(G::Day)),
            ("August 5th", D, None, Some(G::Day)),
        ],
    },
    Case {
        name: "an infinitive or a deadline lets a near date lie ahead despite a past verb",
        text: "The board decided to hold the vote on September 3. The offer was extended until Sept. 9. The depot closed on September 3.",
        published_at: FRIDAY,
        expected: &[
            ("September 3", D, Some("2022-09-03"), Some(G::Day)),
            ("Sept. 9", D, Some("2022-09-09"), Some(G::Day)),
            ("September 3", D, Some("2021-09-03"), Some(G::Day)),
        ],
    },
    Case {
        name: "a future cue anywhere before the date in its clause wins over a nearer past form",
        text: "The firm will buy back the preferred shares on Sept. 9.",
        published_at: FRIDAY,
        expected: &[("Sept. 9", D, Some("2022-09-09"), Some(G::Day))],
    },
    Case {
        name: "spelled-out years",
        text: "In nineteen ninety-six the city hosted the games; in January nineteen ninety-seven it was bombed. By the year two thousand it had recovered. Nineteen people were hurt and two thousand fled.",
        published_at: FRIDAY,
        expected: &[
            ("nineteen ninety-six", D, Some("1996"), Some(G::Year)),
            ("January nineteen ninety-seven", D, Some("1997-01"), Some(G::Month)),
            ("the year two thousand", D, Some("2000"), Some(G::Year)),
        ],
    },
    Case {
        name: "day before month",
        text: "Talks began on 7 July in Geneva.",
        published_at: FRIDAY,
        expected: &[("7 July", D, Some("2022-07-07"), Some(G::Day))],
    },
    Case {
        name: "months and years",
        text: "Prices fell in March, rose in March 2021 and peaked in 2021.",
        published_at: FRIDAY,
        expected: &[
            ("March", D, Some("2022-03"), Some(G::Month)),
            ("March 2021", D, Some("2021-03"), Some(G::Month)),
            ("2021", D, Some("2021"), Some(G::Year)),
        ],
    },
    Case {
        name: "modal may and verb march are not months",
        text: "Protesters may march to the square. May I ask?",
        published_at: FRIDAY,
        expected: &[],
    },
    Case {
        name: "numbers that are not years",
        text: "About 2,000 people and 1500 troops joined, with 1999 police officers.",
        published_at: FRIDAY,
        expected: &[],
    },
    Case {
        name: "decades, mid-year and fiscal year",
        text: "Growth in the 1990s and the 2010s slowed by mid-2020, as in fiscal 2021.",
        published_at: FRIDAY,
        expected: &[
            ("the 1990s", D, Some("199"), Some(G::Decade)),
            ("the 2010s", D, Some("201"), Some(G::Decade)),
            ("mid-2020", D, Some("2020"), Some(G::Year)),
            ("fiscal 2021", D, Some("2021"), Some(G::Year)),
        ],
    },
    Case {
        name: "quarters and seasons",
        text: "Sales in the first quarter of 2022 beat summer 2021; Q3 looked weak.",
        published_at: FRIDAY,
        expected: &[
            ("the first quarter of 2022", D, Some("2022-Q1"), Some(G::Quarter)),
            ("summer 2021", D, Some("2021-SU"), Some(G::Season)),
            ("Q3", D, Some("2022-Q3"), Some(G::Quarter)),
        ],
    },
    Case {
        name: "relative days",
        text: "Today he flew home; yesterday he spoke, tomorrow he rests and tonight he sleeps.",
        published_at: FRIDAY,
        expected: &[
            ("Today", D, Some("2022-08-05"), Some(G::Day)),
            ("yesterday", D, Some("2022-08-04"), Some(G::Day)),
            ("tomorrow", D, Some("2022-08-06"), Some(G::Day)),
            ("tonight", D, Some("2022-08-05"), Some(G::Day)),
        ],
    },
    Case {
        name: "weekdays look back unless the clause looks ahead",
        text: "He resigned on Tuesday. She will travel on Monday. They met last Friday and meet again next Friday.",
        published_at: FRIDAY,
        expected: &[
            ("Tuesday", D, Some("2022-08-02"), Some(G::Day)),
            ("Monday", D, Some("2022-08-08"), Some(G::Day)),
            ("last Friday", D, Some("2022-07-29"), Some(G::Day)),
            ("next Friday", D, Some("2022-08-12"), Some(G::Day)),
        ],
    },
    Case {
        name: "reporting verb ends the clause of the tense check",
        text: "He said on Wednesday that the ministers will meet.",
        published_at: FRIDAY,
        expected: &[("Wednesday", D, Some("2022-08-03"), Some(G::Day))],
    },
    Case {
        name: "relative units",
        text: "Last week rates rose; this week they held, next month they may fall. Last year was calm, this year is not, and next year is unknown.",
        published_at: FRIDAY,
        expected: &[
            ("Last week", D, Some("2022-W30"), Some(G::Week)),
            ("this week", D, Some("2022-W31"), Some(G::Week)),
            ("next month", D, Some("2022-09"), Some(G::Month)),
            ("Last year", D, Some("2021"), Some(G::Year)),
            ("this year", D, Some("2022"), Some(G::Year)),
            ("next year", D, Some("2023"), Some(G::Year)),
        ],
    },
    Case {
        name: "ago and earlier this year",
        text: "Two days ago, three weeks ago and a year ago things differed; earlier this year and last month too.",
        published_at: FRIDAY,
        expected: &[
            ("Two days ago", D, Some("2022-08-03"), Some(G::Day)),
            ("three weeks ago", D, Some("2022-W28"), Some(G::Week)),
            ("a year ago", D, Some("2021"), Some(G::Year)),
            ("earlier this year", D, Some("2022"), Some(G::Year)),
            ("last month", D, Some("2022-07"), Some(G::Month)),
        ],
    },
    Case {
        name: "vague references keep a null value",
        text: "Tensions rose recently and are high now, as in the past.",
        published_at: FRIDAY,
        expected: &[
            ("recently", D, None, None),
            ("now", D, None, None),
            ("the past", D, None, None),
        ],
    },
    Case {
        name: "durations",
        text: "The ferry broke down twice in less than a month; the crew stayed ashore for three weeks, then two years passed and the owners waited several months.",
        published_at: FRIDAY,
        expected: &[
            ("less than a month", P, None, None),
            ("three weeks", P, None, None),
            ("two years", P, None, None),
            ("several months", P, None, None),
        ],
    },
    Case {
        name: "rates and ages are not durations",
        text: "They meet twice a year; the boy is two years old.",
        published_at: FRIDAY,
        expected: &[],
    },
    Case {
        name: "no publication time leaves relative values null",
        text: "Yesterday, on 5 May 2021 and on June 3, prices rose.",
        published_at: None,
        expected: &[
            ("Yesterday", D, None, Some(G::Day)),
            ("5 May 2021", D, Some("2021-05-05"), Some(G::Day)),
            ("June 3", D, None, Some(G::Day)),
        ],
    },
    Case {
        name: "names that contain day words",
        text: "He told USA Today that Black Monday was a shock.",
        published_at: FRIDAY,
        expected: &[],
    },
    Case {
        name: "iso week crosses the year",
        text: "Last week the markets were closed.",
        published_at: Some("2021-01-05T09:00:00Z"),
        expected: &[("Last week", D, Some("2020-W53"), Some(G::Week))],
    },
    Case {
        name: "seasons relative to publication",
        text: "Last summer was dry; this winter will be cold. In the spring prices fell.",
        published_at: FRIDAY,
        expected: &[
            ("Last summer", D, Some("2021-SU"), Some(G::Season)),
            ("this winter", D, Some("2022-WI"), Some(G::Season)),
            ("the spring", D, Some("2022-SP"), Some(G::Season)),
        ],
    },
    Case {
        name: "a quarter sets the period that later anaphora compare with",
        text: "Net income rose in the third quarter. It was $5 million a year earlier. In the quarter, sales fell.",
        published_at: Some("2022-10-20T08:00:00Z"),
        expected: &[
            ("the third quarter", D, Some("2022-Q3"), Some(G::Quarter)),
            ("a year earlier", D, Some("2021-Q3"), Some(G::Quarter)),
            ("the quarter", D, Some("2022-Q3"), Some(G::Quarter)),
        ],
    },
    Case {
        name: "holidays are days placed like year-less dates; things named after them are not",
        text: "Stores reopened after Thanksgiving Day. Prices rose since last Christmas. \
               Christmas trees sold out.",
        published_at: Some("1999-11-30T08:00:00Z"),
        expected: &[
            ("Thanksgiving Day", D, Some("1999-11-25"), Some(G::Day)),
            ("last Christmas", D, Some("1998-12-25"), Some(G::Day)),
        ],
    },
    Case {
        name: "a participle after a determiner or 'be' is no past tense",
        text: "The vote would be held on a newly scheduled date in January.",
        published_at: Some("2022-10-20T08:00:00Z"),
        expected: &[("January", D, Some("2023-01"), Some(G::Month))],
    },
    Case {
        name: "the latest quarter without a named one is the last complete quarter",
        text: "Profit fell in the latest quarter.",
        published_at: Some("2022-10-20T08:00:00Z"),
        expected: &[("the latest quarter", D, Some("2022-Q3"), Some(G::Quarter))],
    },
    Case {
        name: "a weekday next to a year-less date picks the year",
        text: "The vote was set for Monday, Oct. 26.",
        published_at: Some("2020-10-25T08:00:00Z"),
        expected: &[("Monday, Oct. 26", D, Some("2020-10-26"), Some(G::Day))],
    },
    Case {
        name: "present tense reads a near date ahead",
        text: "The dividend is payable Dec. 15 to holders.",
        published_at: Some("2022-11-02T08:00:00Z"),
        expected: &[("Dec. 15", D, Some("2022-12-15"), Some(G::Day))],
    },
    Case {
        name: "times of day and recurring days are left out",
        text: "The blast came at 10 p.m. Wednesday; flights leave each Monday.",
        published_at: FRIDAY,
        expected: &[],
    },
    Case {
        name: "a clock time is recognised from its last characters only",
        text: "Zürich’s café opened at MIDNIGHT, Friday; at 9 P.M.,, Thursday; not 9 pm. Tuesday.",
        published_at: FRIDAY,
        expected: &[("Tuesday", D, Some("2022-08-02"), Some(G::Day))],
    },
    Case {
        name: "attributive years need a determiner and a plausible year",
        text: "After the 1998 bombing and the 2000 troops, its 1990 invasion was recalled.",
        published_at: FRIDAY,
        expected: &[
            ("1998", D, Some("1998"), Some(G::Year)),
            ("1990", D, Some("1990"), Some(G::Year)),
        ],
    },
    Case {
        name: "a capitalised name is not a past verb",
        text: "The team would fly to the United Kingdom as soon as Tuesday, she said.",
        published_at: Some("2000-04-03T08:00:00Z"),
        expected: &[("Tuesday", D, Some("2000-04-04"), Some(G::Day))],
    },
    Case {
        name: "weekends are placed like weekdays and written as the week's weekend",
        text: "Talks stalled over the weekend. The board meets this weekend, \
               after the staff left last weekend. Shops will open the coming weekend.",
        published_at: FRIDAY,
        expected: &[
            ("the weekend", D, Some("2022-W30-WE"), Some(G::Week)),
            ("this weekend", D, Some("2022-W31-WE"), Some(G::Week)),
            ("last weekend", D, Some("2022-W30-WE"), Some(G::Week)),
            ("the coming weekend", D, Some("2022-W31-WE"), Some(G::Week)),
        ],
    },
    Case {
        name: "the week of a date is that date's week",
        text: "The hearing will take place the week of Sept. 12.",
        published_at: FRIDAY,
        expected: &[("the week of Sept. 12", D, Some("2022-W37"), Some(G::Week))],
    },
    Case {
        name: "that day, the following year and later that year follow the date last named",
        text: "The mill opened on March 3, 2001, and burned the next morning. He left in \
               1996; the following year he returned, and later that year he retired. \
               Sales fell in May 2003, after rising the previous month.",
        published_at: FRIDAY,
        expected: &[
            ("March 3, 2001", D, Some("2001-03-03"), Some(G::Day)),
            ("the next morning", D, Some("2001-03-04"), Some(G::Day)),
            ("1996", D, Some("1996"), Some(G::Year)),
            ("the following year", D, Some("1997"), Some(G::Year)),
            ("later that year", D, Some("1997"), Some(G::Year)),
            ("May 2003", D, Some("2003-05"), Some(G::Month)),
            ("the previous month", D, Some("2003-04"), Some(G::Month)),
        ],
    },
    Case {
        name: "a reference with no date named before is dropped, except 'the previous'",
        text: "That day will come. The following month was calm. Prices fell the previous week.",
        published_at: FRIDAY,
        expected: &[("the previous week", D, Some("2022-W30"), Some(G::Week))],
    },
    Case {
        name: "year-end is December 31, placed by tense; 'since' looks back",
        text: "The sale will close by year-end. Shares are up 4% since year-end. \
               Year-end bonuses rose.",
        published_at: FRIDAY,
        expected: &[
            ("year-end", D, Some("2022-12-31"), Some(G::Day)),
            ("year-end", D, Some("2021-12-31"), Some(G::Day)),
        ],
    },
    Case {
        name: "a named quarter in another year, a year back, or last year's",
        text: "Net income rose in the third quarter. It was $5 million in the quarter a year \
               ago and $4 million in the 1999 quarter. Last year's quarter was weak. In the \
               1998 period sales fell.",
        published_at: Some("2022-10-20T08:00:00Z"),
        expected: &[
            ("the third quarter", D, Some("2022-Q3"), Some(G::Quarter)),
            ("the quarter a year ago", D, Some("2021-Q3"), Some(G::Quarter)),
            ("the 1999 quarter", D, Some("1999-Q3"), Some(G::Quarter)),
            ("Last year's quarter", D, Some("2021-Q3"), Some(G::Quarter)),
            // Three sentences from the named quarter: the year alone.
            ("the 1998 period", D, Some("1998"), Some(G::Year)),
        ],
    },
    Case {
        name: "a year in a list a cue opens is a year; a lone one with no cue is not",
        text: "Floods hit in 1994, 1995 and 1997. Route 1995 was closed.",
        published_at: FRIDAY,
        expected: &[
            ("1994", D, Some("1994"), Some(G::Year)),
            ("1995", D, Some("1995"), Some(G::Year)),
            ("1997", D, Some("1997"), Some(G::Year)),
        ],
    },
    Case {
        name: "'last' makes a holiday a day whatever follows; backquotes open a sentence",
        text: "The boat sank last Thanksgiving following a storm. ``Today is sad,'' he said.",
        published_at: Some("2000-01-05T08:00:00Z"),
        expected: &[
            ("last Thanksgiving", D, Some("1999-11-25"), Some(G::Day)),
            ("Today", D, Some("2000-01-05"), Some(G::Day)),
        ],
    },
    Case {
        name: "a date that modifies a noun is placed nearest, whatever the tense",
        text: "He gave no reason for the Aug. 14 deadline. The Aug. 1 blasts killed nine.",
        published_at: FRIDAY,
        expected: &[
            ("Aug. 14", D, Some("2022-08-14"), Some(G::Day)),
            ("Aug. 1", D, Some("2022-08-01"), Some(G::Day)),
        ],
    },
    Case {
        name: "a plan may lie ahead even in the past tense",
        text: "The launch was planned for early September.",
        published_at: FRIDAY,
        expected: &[("early September", D, Some("2022-09"), Some(G::Month))],
    },
    Case {
        name: "weekdays before plural nights recur; a fiscal year ended is a length",
        text: "Flights leave on Monday and Tuesday nights. Net income for the year ended \
               June 30 rose.",
        published_at: FRIDAY,
        expected: &[("June 30", D, Some("2022-06-30"), Some(G::Day))],
    },
    Case {
        name: "quarter compounds are not quarters; the latest quarter is a complete one",
        text: "The company expects a fourth-quarter charge. Rates sit near a \
               quarter-century low. Profit fell in the latest quarter.",
        published_at: Some("2022-10-20T08:00:00Z"),
        expected: &[
            ("a fourth-quarter", D, Some("2022-Q4"), Some(G::Quarter)),
            ("the latest quarter", D, Some("2022-Q3"), Some(G::Quarter)),
        ],
    },
    Case {
        name: "vague terms and seasons after 'into' or with 'early'",
        text: "Risks in the near term and in past years were noted; an offer may come at \
               a later date. Demand rose well into the summer. Sales were low in the early spring.",
        published_at: FRIDAY,
        expected: &[
            ("the near term", D, None, None),
            ("past years", D, None, None),
            ("a later date", D, None, None),
            ("the summer", D, Some("2022-SU"), Some(G::Season)),
            ("the early spring", D, Some("2022-SP"), Some(G::Season)),
        ],
    },
    Case {
        name: "what was put off or is arranged lies ahead",
        text: "The ruling was postponed until Tuesday. The bank is to reopen Monday. \
               The audit ended Monday.",
        published_at: FRIDAY,
        expected: &[
            ("Tuesday", D, Some("2022-08-09"), Some(G::Day)),
            ("Monday", D, Some("2022-08-08"), Some(G::Day)),
            ("Monday", D, Some("2022-08-01"), Some(G::Day)),
        ],
    },
    Case {
        name: "today's youth and the leaders of tomorrow are ages, not days",
        text: "It matters to today's youth and to the leaders of tomorrow. Today's vote \
               and tomorrow's session are days.",
        published_at: FRIDAY,
        expected: &[
            ("Today", D, Some("2022-08-05"), Some(G::Day)),
            ("tomorrow", D, Some("2022-08-06"), Some(G::Day)),
        ],
    },
    Case {
        name: "review: no false days from compounds, conjunctions, counts and fiscal years",
        text: "Markets rose ahead of tomorrow's vote. He said that day-to-day work went on. \
               Officials said that night shifts were cut. In 2008, 1800 workers left. \
               Sales fell by a quarter last year. The weekend warrior ran. Cash at fiscal \
               year-end was low. Who is to blame for Monday's crash?",
        published_at: FRIDAY,
        expected: &[
            ("tomorrow", D, Some("2022-08-06"), Some(G::Day)),
            ("2008", D, Some("2008"), Some(G::Year)),
            ("last year", D, Some("2021"), Some(G::Year)),
            ("Monday", D, Some("2022-08-01"), Some(G::Day)),
        ],
    },
    Case {
        name: "review: a far attributive date keeps the tense; 'since' looks back; put off \
               until a date just past",
        text: "The Oct. 1 attack killed nine. Prices doubled since the Oct. 1 attack. Talks \
               were postponed until Aug. 2, when they failed. The deadline was extended to \
               Aug. 1. Closing is set for year-end 2023.",
        published_at: FRIDAY,
        expected: &[
            ("Oct. 1", D, Some("2021-10-01"), Some(G::Day)),
            ("Oct. 1", D, Some("2021-10-01"), Some(G::Day)),
            ("Aug. 2", D, Some("2022-08-02"), Some(G::Day)),
            ("Aug. 1", D, Some("2022-08-01"), Some(G::Day)),
            ("year-end 2023", D, Some("2023-12-31"), Some(G::Day)),
        ],
    },
    Case {
        name: "last weekend from a Sunday is the week before's",
        text: "They left last weekend.",
        published_at: Some("2022-08-07T12:00:00Z"),
        expected: &[("last weekend", D, Some("2022-W30-WE"), Some(G::Week))],
    },
];

fn run(case: &Case) -> Vec<(String, TemporalKind, Option<String>, Option<Granularity>)> {
    let mut document = Document {
        fields: vec![Field {
            name: "body".into(),
            text: case.text.into(),
        }],
        published_at: case
            .published_at
            .map(|time| DateTime::parse_from_rfc3339(time).expect("test time is valid")),
        ..Document::default()
    };
    text::tokenize(&mut document);
    extract(&mut document);
    document
        .dates
        .iter()
        .map(|date| {
            (
                document.text(date.span).to_string(),
                date.kind,
                date.value.clone(),
                date.granularity,
            )
        })
        .collect()
}

#[test]
fn cases() {
    let mut failures = Vec::new();
    for case in CASES {
        let found = run(case);
        let expected: Vec<_> = case
            .expected
            .iter()
            .map(|(text, kind, value, granularity)| {
                (
                    text.to_string(),
                    *kind,
                    value.map(str::to_string),
                    *granularity,
                )
            })
            .collect();
        if found != expected {
            failures.push(format!(
                "{}:\n  expected {expected:?}\n  found    {found:?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
