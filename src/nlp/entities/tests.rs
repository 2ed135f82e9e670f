//! Resolution of whole texts: names, descriptions and pronouns clustered into entities.

use super::identity::government_body;
use super::*;
use crate::nlp::document::Field;
use crate::nlp::document::{Entity, EntityType};
use crate::nlp::text;

fn resolved(title: Option<&str>, body: &str) -> Document {
    let mut fields = Vec::new();
    if let Some(title) = title {
        fields.push(Field {
            name: "title".into(),
            text: title.into(),
        });
    }
    fields.push(Field {
        name: "body".into(),
        text: body.into(),
    });
    let mut document = Document {
        fields,
        ..Document::default()
    };
    text::tokenize(&mut document);
    resolve(&mut document, Gazetteer::embedded());
    document
}

fn entity<'d>(document: &'d Document, name: &str) -> &'d Entity {
    document
        .entities
        .iter()
        .find(|entity| entity.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = document.entities.iter().map(|e| e.name.as_str()).collect();
            panic!("no entity {name} in {names:?}")
        })
}

fn mentions(document: &Document, entity: &Entity) -> Vec<(String, &'static str)> {
    entity
        .mentions
        .iter()
        .map(|&index| {
            let mention = &document.mentions[index];
            (
                document.text(mention.span).to_string(),
                mention.kind.as_str(),
            )
        })
        .collect()
}

#[test]
fn names_titles_surnames_and_the_minister() {
    let document = resolved(
        Some("Okafor warns of rising prices"),
        "Finance Minister Ngozi Okafor met bankers in Lagos on Tuesday. \
         Mrs. Okafor said inflation would fall. The minister added that reforms would continue.",
    );
    let okafor = entity(&document, "Ngozi Okafor");
    assert_eq!(okafor.entity_type, EntityType::Person);
    assert_eq!(okafor.aliases, ["Okafor"]);
    assert_eq!(okafor.key, "person:ngozi-okafor");
    assert_eq!(okafor.roles, ["Finance Minister"]);
    assert_eq!(
        mentions(&document, okafor),
        [
            ("Okafor".to_string(), "name"),
            ("Ngozi Okafor".to_string(), "name"),
            ("Okafor".to_string(), "name"),
            ("The minister".to_string(), "nominal"),
        ]
    );
    let lagos = entity(&document, "Lagos");
    assert_eq!(lagos.subtype.as_deref(), Some("city"));
    assert_eq!(lagos.country.as_deref(), Some("NG"));
    assert!(lagos.key.starts_with("geonames:"));
}

#[test]
fn a_pronoun_looks_back_before_it_looks_ahead_in_its_sentence() {
    let document = resolved(
        None,
        "Dana Whitcombe chaired the hearing. She said she had spoken to Kolbeck twice and \
         Kolbeck agreed.",
    );
    let whitcombe = entity(&document, "Dana Whitcombe");
    let pronouns = mentions(&document, whitcombe)
        .iter()
        .filter(|(_, kind)| *kind == "pronoun")
        .count();
    assert_eq!(pronouns, 2, "{:?}", mentions(&document, whitcombe));
}

#[test]
fn a_person_takes_the_gender_of_a_pronoun_and_a_known_gender_outweighs_an_unknown_one() {
    let document = resolved(
        None,
        "Kolbeck said the deal was a matter for Kolbeck himself. The head of the \
         board, Dana Whitcombe, told reporters her team had never met Kolbeck.",
    );
    let kolbeck = entity(&document, "Kolbeck");
    let whitcombe = entity(&document, "Dana Whitcombe");
    let pronouns = |entity| {
        mentions(&document, entity)
            .into_iter()
            .filter(|(_, kind)| *kind == "pronoun")
            .map(|(text, _)| text)
            .collect::<Vec<_>>()
    };
    assert_eq!(pronouns(kolbeck), ["himself"]);
    assert_eq!(pronouns(whitcombe), ["her"]);
}

#[test]
fn a_pronoun_that_may_mean_someone_unnamed_gives_no_gender() {
    let document = resolved(
        None,
        "Police questioned Kolbeck about a man seen near the bank. He had fled by then. \
         Kolbeck said her car was stolen.",
    );
    let kolbeck = entity(&document, "Kolbeck");
    let pronouns: Vec<String> = mentions(&document, kolbeck)
        .into_iter()
        .filter(|(_, kind)| *kind == "pronoun")
        .map(|(text, _)| text)
        .collect();
    assert!(pronouns.contains(&"her".to_string()), "{pronouns:?}");
}

#[test]
fn a_description_before_a_name_in_apposition_is_that_persons_role() {
    let document = resolved(
        None,
        "The chancellor, Tomas Reiter, spoke to MPs on Monday. Later the chancellor left. \
         After meeting the treasurer, Ana Lucas spoke to the press.",
    );
    let reiter = entity(&document, "Tomas Reiter");
    assert_eq!(reiter.roles, ["Chancellor"]);
    let said = mentions(&document, reiter);
    assert!(
        said.contains(&("The chancellor".to_string(), "nominal")),
        "{said:?}"
    );
    assert!(
        said.contains(&("the chancellor".to_string(), "nominal")),
        "{said:?}"
    );
    // Not an apposition: the name opens the main clause.
    let lucas = entity(&document, "Ana Lucas");
    assert!(lucas.roles.is_empty(), "{:?}", lucas.roles);
}

#[test]
fn appositions_after_a_name_give_roles_and_country() {
    let document = resolved(
        None,
        "Marta Lindgren, Sweden's foreign minister, arrived in Oslo on Monday. \
         Pedro Alvarez, Chilean finance minister, stayed at home.",
    );
    let lindgren = entity(&document, "Marta Lindgren");
    assert_eq!(lindgren.roles, ["Foreign Minister"]);
    assert_eq!(lindgren.country.as_deref(), Some("SE"));
    assert!(mentions(&document, lindgren)
        .contains(&("Sweden's foreign minister".to_string(), "nominal")));
    let alvarez = entity(&document, "Pedro Alvarez");
    assert_eq!(alvarez.roles, ["Finance Minister"]);
    assert_eq!(alvarez.country.as_deref(), Some("CL"));
}

#[test]
fn a_description_with_two_fitting_people_is_left_unlinked() {
    let document = resolved(
        None,
        "Foreign Minister Marta Lindgren met Foreign Minister Pedro Alvarez in Oslo. \
         The minister praised the talks.",
    );
    for name in ["Marta Lindgren", "Pedro Alvarez"] {
        let person = entity(&document, name);
        assert!(
            mentions(&document, person)
                .iter()
                .all(|(_, kind)| *kind != "nominal"),
            "{name} got an ambiguous description"
        );
    }
}

#[test]
fn places_in_one_country_decide_ambiguous_places() {
    // "Perth" is in Australia and in Scotland; Brisbane (only in Australia) decides.
    let document = resolved(None, "Fans travelled from Brisbane to Perth on Sunday.");
    assert_eq!(entity(&document, "Perth").country.as_deref(), Some("AU"));
}

#[test]
fn a_government_body_is_one_entity_under_its_forms() {
    let document = resolved(
        None,
        "The Chilean Foreign Ministry issued a statement on Monday. \
         Later, Chile's Ministry of Foreign Affairs recalled its ambassador. \
         The Foreign Ministry gave no reason.",
    );
    let ministry = entity(&document, "Chilean Foreign Ministry");
    assert_eq!(ministry.key, "organization:cl-foreign-ministry");
    assert_eq!(ministry.country.as_deref(), Some("CL"));
    let names: Vec<String> = mentions(&document, ministry)
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    assert_eq!(
        names,
        [
            "Foreign Ministry",
            "Ministry of Foreign Affairs",
            "Foreign Ministry"
        ]
    );
    assert_eq!(
        government_body("Department of State").as_deref(),
        Some("State Department")
    );
    assert_eq!(
        government_body("Ministry of the Interior").as_deref(),
        Some("Interior Ministry")
    );
    assert_eq!(government_body("Bank of England"), None);
}

#[test]
fn counterpart_takes_role_and_nationality() {
    let document = resolved(
        None,
        "Trade Minister Kenji Sato held talks with his Brazilian counterpart Luiz Ferreira. \
         The Japanese Trade Minister said both sides gained. He said more talks would follow.",
    );
    let ferreira = entity(&document, "Luiz Ferreira");
    assert_eq!(ferreira.roles, ["Trade Minister"]);
    assert_eq!(ferreira.country.as_deref(), Some("BR"));
    let sato = entity(&document, "Kenji Sato");
    assert_eq!(sato.country.as_deref(), Some("JP"));
    let texts: Vec<String> = mentions(&document, sato).into_iter().map(|m| m.0).collect();
    assert!(
        texts.contains(&"The Japanese Trade Minister".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"He".to_string()), "{texts:?}");
    let brazilian = entity(&document, "Brazilian");
    assert_eq!(brazilian.entity_type, EntityType::Misc);
    assert_eq!(brazilian.subtype.as_deref(), Some("nationality"));
    assert_eq!(brazilian.country.as_deref(), Some("BR"));
}

#[test]
fn acronyms_join_full_names() {
    let document = resolved(
        None,
        "The United Nations warned of famine. A UN envoy arrived. \
         The Regional Water Authority (RWA) said the RWA had no funds.",
    );
    let un = entity(&document, "United Nations");
    assert_eq!(un.mentions.len(), 2);
    assert_eq!(un.key, "organization:united-nations");
    let authority = entity(&document, "Regional Water Authority");
    assert_eq!(authority.mentions.len(), 3);
}

#[test]
fn countries_places_and_generic_organisations() {
    let document = resolved(
        None,
        "Officials in Nepal and the United States met in Kathmandu. \
         The Nepalese Foreign Ministry confirmed it. The U.S. delegation left.",
    );
    let us = entity(&document, "United States");
    assert_eq!(us.key, "geonames:6252001");
    assert_eq!(us.mentions.len(), 2);
    assert_eq!(us.subtype.as_deref(), Some("country"));
    let nepal = entity(&document, "Nepal");
    let geo = nepal.geo.as_ref().unwrap();
    assert_eq!(geo.country.as_deref(), Some("NP"));
    assert!(geo.lat.is_some());
    let ministry = entity(&document, "Nepalese Foreign Ministry");
    assert_eq!(ministry.entity_type, EntityType::Organization);
    assert_eq!(ministry.country.as_deref(), Some("NP"));
    assert_eq!(mentions(&document, ministry)[0].0, "Foreign Ministry");
    let saliences: f64 = document.entities.iter().map(|e| e.salience).sum();
    assert!((saliences - 1.0).abs() < 1e-9);
}

#[test]
fn byline_is_a_person() {
    let document = resolved(None, "Rain fell over Manila for days.\n\nJoana Reyes\n");
    let reyes = entity(&document, "Joana Reyes");
    assert_eq!(reyes.entity_type, EntityType::Person);
}

#[test]
fn names_with_apostrophes_and_hyphens_come_out_whole_in_either_apostrophe() {
    for apostrophe in ['\'', '’'] {
        let body = format!(
            "Declan O{apostrophe}Rourke and Marta D{apostrophe}Alessio visited the Halvorsen-Brandt \
             plant on Monday. O{apostrophe}Rourke said the plant would stay open."
        );
        let document = resolved(None, &body);
        for (name, entity_type) in [
            (format!("Declan O{apostrophe}Rourke"), EntityType::Person),
            (format!("Marta D{apostrophe}Alessio"), EntityType::Person),
        ] {
            assert_eq!(entity(&document, &name).entity_type, entity_type, "{name}");
        }
        let person = entity(&document, &format!("Declan O{apostrophe}Rourke"));
        assert_eq!(person.mentions.len(), 2, "{body}");
    }
}

#[test]
fn a_cue_beside_one_mention_makes_a_company_of_every_mention() {
    let document = resolved(
        None,
        "Talbot Wren cut 300 jobs on Monday. Shares of Talbot Wren fell 4 percent after \
         Talbot Wren said sales had slowed.",
    );
    let company = entity(&document, "Talbot Wren");
    assert_eq!(company.entity_type, EntityType::Organization);
    assert_eq!(company.mentions.len(), 3);
}
