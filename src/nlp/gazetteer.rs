//! Gazetteers: places (GeoNames), countries and nationality adjectives, organisations and
//! news outlets, titles and honorifics, given names and common English words.
//!
//! Everything is embedded in the binary from `data/` (each file's source and licence is in
//! `data/README.md`; `scripts/build_gazetteers.py` rebuilds the generated ones) and parsed
//! once per process by [`Gazetteer::embedded`]. All lookups are hash lookups.
//!
//! The public API, used by the entity, quote and meeting stages:
//! - places: [`Gazetteer::places`] (every candidate for a name), [`Gazetteer::place`] (the
//!   best candidate without context), [`Gazetteer::best_place`] (disambiguated by the
//!   countries an article mentions), [`Gazetteer::country`] (by ISO code),
//!   [`Gazetteer::region_members`] (the countries of a UN M49 region);
//! - nationality words: [`Gazetteer::nationality`] ("Chinese", "Russians", "Kurdish") and
//!   [`Gazetteer::country_by_demonym`] ("Chinese" -> China);
//! - organisations: [`Gazetteer::organization`] (name, alias or acronym, "UN" -> United
//!   Nations) and [`Gazetteer::news_outlet`] (news agencies and media only: Reuters, Xinhua);
//! - people: [`Gazetteer::title`] / [`Gazetteer::is_title_word`] (roles and honorifics:
//!   "Foreign Minister", "Mr."), [`Gazetteer::first_name`] (given names with gender);
//! - [`Gazetteer::is_common_word`]: whether a lower-case word is ordinary English, which tells
//!   a capitalised sentence opener ("The", "According") from a name.
//!
//! Place disambiguation (one general rule, [`Gazetteer::best_place`]): candidates are ranked
//! by tier, then population. Tiers: country 7, continent, world region or sea 6, capital
//! of a country or territory matched by its name (or its accent-free spelling) 3, other
//! city of a million or more 2, first-level subdivision 1, other city 0; a city or
//! subdivision in a country the article names gains 2. An alternate-name match counts a
//! fifth of its population against a main-name match. A subdivision counts the summed
//! population of its cities of 15 000 or more ([`Place::cities_population`], an
//! approximation). So "Bali" is the Indonesian province, not the town in Cameroon, unless
//! the article names Cameroon; "Paris" stays in France even in an article about the United
//! States (Paris, Texas is small); "Washington" is the capital, not the state; "Punjab" is
//! Pakistan's, the larger; "Georgia" is the country.
//!
//! It knows nothing about text: finding names in a document is the entity stage's job
//! ([`crate::nlp::entities`]).

use super::lexicon::lexicon;
use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};
use std::sync::LazyLock;

/// What kind of place an entry is; also its `subtype` in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Country,
    Continent,
    /// A world region ("Asia-Pacific", "Middle East") or a sea.
    Region,
    /// A first-level administrative division ("Ontario", "California").
    Subdivision,
    City,
}

impl PlaceKind {
    /// The output `subtype`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Continent => "continent",
            PlaceKind::Region => "region",
            PlaceKind::Subdivision => "region",
            PlaceKind::City => "city",
        }
    }
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    pub geonames_id: Option<u32>,
    /// ISO 3166-1 alpha-2 code of the country the place is (in); none for continents.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Inhabitants (countries and cities); 0 where unknown (continents, regions,
    /// subdivisions: see `cities_population`).
    pub population: u64,
    /// For a subdivision, the summed population of its cities of 15 000 or more, an
    /// approximation that only ranks same-name subdivisions (0 where GeoNames files none);
    /// kept apart from `population` so that "Bay" (Somalia) or "Central" (Uganda) does
    /// not pass for a well-known name.
    pub cities_population: u64,
    /// Whether the place is the capital city of its country or territory.
    pub capital: bool,
}

impl Place {
    /// The stable entity key: `geonames:<id>`, or `location:<slug>` without an id.
    pub fn key(&self) -> String {
        match self.geonames_id {
            Some(id) => format!("geonames:{id}"),
            None => format!("location:{}", slug(&self.name)),
        }
    }
}

/// A country (a sovereign state or territory with an ISO 3166-1 code).
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub iso: String,
    pub name: String,
    /// The country as a place (index into the gazetteer's places).
    pub place: Place,
}

/// A nationality, people or religion adjective ("Chinese", "Kurdish", "Muslim").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nationality {
    /// The singular adjective ("Russian" for "Russians").
    pub adjective: String,
    /// The country it refers to; none for peoples, regions and religions.
    pub country: Option<String>,
}

/// What an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganizationKind {
    Intergovernmental,
    /// A news agency (Reuters, Xinhua, Kyodo).
    NewsAgency,
    /// A newspaper, broadcaster or news site (BBC, Le Monde).
    Outlet,
    /// A government or public body (Kremlin, Federal Reserve).
    PublicBody,
    Company,
    Ngo,
    Party,
}

impl OrganizationKind {
    fn parse(text: &str) -> OrganizationKind {
        match text {
            "intergovernmental" => OrganizationKind::Intergovernmental,
            "agency" => OrganizationKind::NewsAgency,
            "outlet" => OrganizationKind::Outlet,
            "body" => OrganizationKind::PublicBody,
            "company" => OrganizationKind::Company,
            "party" => OrganizationKind::Party,
            _ => OrganizationKind::Ngo,
        }
    }
}

/// A well-known organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub name: String,
    pub acronyms: Vec<String>,
    pub kind: OrganizationKind,
    pub country: Option<String>,
}

impl Organization {
    /// The stable entity key.
    pub fn key(&self) -> String {
        format!("organization:{}", slug(&self.name))
    }

    /// News agencies and outlets, the "via" of a quote.
    pub fn is_news_outlet(&self) -> bool {
        matches!(
            self.kind,
            OrganizationKind::NewsAgency | OrganizationKind::Outlet
        )
    }
}

/// A title: a role ("Foreign Minister") or an honorific ("Mr.").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// The canonical role, none for honorifics.
    pub role: Option<String>,
    /// The gender an honorific implies ("Mrs." -> female).
    pub gender: Gender,
    /// Number of words of the phrase.
    pub words: usize,
}

impl Title {
    pub fn is_honorific(&self) -> bool {
        self.role.is_none()
    }
}

/// Grammatical gender of a person, as far as names and honorifics tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Gender {
    Male,
    Female,
    #[default]
    Unknown,
}

/// The kinds of gazetteer entry a phrase matches (see [`Gazetteer::phrase_kinds`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhraseKinds {
    pub country: bool,
    pub place: bool,
    pub organization: bool,
    /// A company or airline name of `company_names.tsv`, as written.
    pub company: bool,
}

impl PhraseKinds {
    pub fn any(self) -> bool {
        self.country || self.place || self.organization || self.company
    }
}

/// All embedded lexical knowledge, parsed once per process.
pub struct Gazetteer {
    places: Vec<Place>,
    /// Lower-cased name or alias -> (place index, whether it is the main name).
    places_by_name: FastMap<String, Vec<(usize, bool)>>,
    /// All-capital aliases ("US", "UK") match only in that case.
    places_by_code: FastMap<String, Vec<(usize, bool)>>,
    /// UN M49 region key -> ISO codes of its member countries and territories.
    region_members: FastMap<String, Vec<String>>,
    countries: Vec<Country>,
    countries_by_iso: FastMap<String, usize>,
    nationalities: FastMap<String, Nationality>,
    organizations: Vec<Organization>,
    organizations_by_name: FastMap<String, usize>,
    organizations_by_acronym: FastMap<String, usize>,
    titles: FastMap<String, Title>,
    title_words: FastSet<String>,
    longest_title: usize,
    first_names: FastMap<String, Gender>,
    common_words: FastSet<&'static str>,
    company_names: FastSet<&'static str>,
}

const COUNTRIES: &str = include_str!("../../data/countries.tsv");
const COUNTRY_ALIASES: &str = include_str!("../../data/country_aliases.tsv");
const CONTINENTS: &str = include_str!("../../data/continents.tsv");
const REGIONS: &str = include_str!("../../data/regions.tsv");
const UN_M49_REGIONS: &str = include_str!("../../data/un_m49_regions.tsv");
const SUBDIVISIONS: &str = include_str!("../../data/subdivisions.tsv");
const CITIES: &str = include_str!("../../data/cities.tsv");
const NATIONALITIES: &str = include_str!("../../data/nationalities.tsv");
const NATIONALITY_EXTRAS: &str = include_str!("../../data/nationality_extras.tsv");
const ORGANIZATIONS: &str = include_str!("../../data/organizations.tsv");
const TITLES: &str = include_str!("../../data/titles.tsv");
const FIRST_NAMES: &str = include_str!("../../data/first_names.tsv");
const COMMON_WORDS: &str = include_str!("../../data/common_words.txt");
const COMPANY_NAMES: &str = include_str!("../../data/company_names.tsv");

/// Rows of a TSV file without its `#` comment lines.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split('\t').collect())
}

fn column<'a>(row: &[&'a str], index: usize) -> &'a str {
    row.get(index).copied().unwrap_or("").trim()
}

fn optional<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.parse().ok()
}

/// The lookup form of a name: lower case, typographic apostrophes made plain, a leading
/// "the " dropped ("The Gambia", "the Netherlands").
pub fn lookup_key(name: &str) -> String {
    let name = name.trim();
    // One string built in the common case (no typographic apostrophe).
    let mut lower = if name.contains('’') {
        name.replace('’', "'").to_lowercase()
    } else {
        name.to_lowercase()
    };
    if lower.len() > "the ".len() && lower.starts_with("the ") {
        lower.drain(.."the ".len());
    }
    lower
}

/// Whether a name is an all-capital code ("US", "U.K.") that must match case-sensitively.
fn is_code(name: &str) -> bool {
    let mut letters = 0;
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if letters > 5 || !c.is_uppercase() {
            return false;
        }
    }
    letters > 0
}

/// A URL- and key-safe form of a name: ASCII lower case words joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let folded = fold_char(c);
        if folded.is_ascii_alphanumeric() {
            out.push(folded.to_ascii_lowercase());
        } else if matches!(c, '\'' | '’' | '.') {
            // "People's" -> "peoples", "U.S." -> "us".
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The base letter of common accented Latin letters (enough for keys; not a full NFKD).
fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'a',
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
        'ď' | 'đ' | 'Đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => 'i',
        'ł' | 'Ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
            'o'
        }
        'ř' | 'Ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => 's',
        'ť' | 'ţ' | 'ț' | 'Ť' | 'Ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
        _ => c,
    }
}

/// A world region or sea without coordinates (keyed by its name's slug).
fn region(name: &str) -> Place {
    Place {
        name: name.to_string(),
        kind: PlaceKind::Region,
        geonames_id: None,
        country: None,
        lat: None,
        lon: None,
        population: 0,
        cities_population: 0,
        capital: false,
    }
}

/// Plural of a nationality adjective used as a noun ("Russian" -> "Russians"); none when
/// the plural is the same word ("Chinese", "Swiss") or no noun plural exists ("British").
fn nationality_plural(adjective: &str) -> Option<String> {
    let invariant = ["ese", "ss", "ish", "ch", "sh"];
    if invariant.iter().any(|ending| adjective.ends_with(ending)) || adjective.contains(' ') {
        return None;
    }
    Some(format!("{adjective}s"))
}

impl Gazetteer {
    /// The gazetteer built from the data embedded in the binary.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load);
        &EMBEDDED
    }

    fn load() -> Gazetteer {
        let mut gazetteer = Gazetteer {
            places: Vec::new(),
            places_by_name: FastMap::default(),
            places_by_code: FastMap::default(),
            region_members: FastMap::default(),
            countries: Vec::new(),
            countries_by_iso: FastMap::default(),
            nationalities: FastMap::default(),
            organizations: Vec::new(),
            organizations_by_name: FastMap::default(),
            organizations_by_acronym: FastMap::default(),
            titles: FastMap::default(),
            title_words: FastSet::default(),
            longest_title: 1,
            first_names: FastMap::default(),
            common_words: COMMON_WORDS
                .lines()
                .filter(|line| !line.starts_with('#'))
                .collect(),
            company_names: rows(COMPANY_NAMES).map(|row| column(&row, 0)).collect(),
        };
        gazetteer.load_places();
        gazetteer.load_nationalities();
        gazetteer.load_organizations();
        gazetteer.load_titles();
        for row in rows(FIRST_NAMES) {
            let gender = match column(&row, 1) {
                "M" => Gender::Male,
                "F" => Gender::Female,
                _ => Gender::Unknown,
            };
            gazetteer
                .first_names
                .insert(column(&row, 0).to_string(), gender);
        }
        gazetteer
    }

    fn add_place(&mut self, place: Place, aliases: &[&str]) -> usize {
        let index = self.places.len();
        let name = place.name.clone();
        self.places.push(place);
        self.index_place_name(&name, index, true);
        for alias in aliases.iter().filter(|alias| !alias.is_empty()) {
            self.index_place_name(alias, index, false);
        }
        index
    }

    fn index_place_name(&mut self, name: &str, index: usize, main: bool) {
        let (map, key) = if is_code(name) {
            (&mut self.places_by_code, name.to_string())
        } else {
            (&mut self.places_by_name, lookup_key(name))
        };
        let entries = map.entry(key).or_default();
        if !entries.iter().any(|(existing, _)| *existing == index) {
            entries.push((index, main));
        }
    }

    fn load_places(&mut self) {
        for row in rows(COUNTRIES) {
            let iso = column(&row, 0).to_string();
            let place = Place {
                name: column(&row, 2).to_string(),
                kind: PlaceKind::Country,
                geonames_id: optional(column(&row, 1)),
                country: Some(iso.clone()),
                lat: optional(column(&row, 3)),
                lon: optional(column(&row, 4)),
                population: optional(column(&row, 5)).unwrap_or(0),
                cities_population: 0,
                capital: false,
            };
            let aliases: Vec<&str> = column(&row, 7).split('|').collect();
            self.add_place(place.clone(), &aliases);
            self.countries_by_iso
                .insert(iso.clone(), self.countries.len());
            self.countries.push(Country {
                iso,
                name: place.name.clone(),
                place,
            });
        }
        for row in rows(COUNTRY_ALIASES) {
            let iso = column(&row, 0);
            if let Some(country) = self.country(iso) {
                let name = country.name.clone();
                if let Some(&(index, _)) =
                    self.places_by_name
                        .get(&lookup_key(&name))
                        .and_then(|entries| {
                            entries
                                .iter()
                                .find(|(index, _)| self.places[*index].kind == PlaceKind::Country)
                        })
                {
                    // A short country name is as good as the main one ("Britain").
                    self.index_place_name(column(&row, 1), index, true);
                }
            }
        }
        for row in rows(CONTINENTS) {
            let place = Place {
                name: column(&row, 2).to_string(),
                kind: PlaceKind::Continent,
                geonames_id: optional(column(&row, 1)),
                country: None,
                lat: optional(column(&row, 3)),
                lon: optional(column(&row, 4)),
                population: 0,
                cities_population: 0,
                capital: false,
            };
            self.add_place(place, &[]);
        }
        for row in rows(UN_M49_REGIONS) {
            let place = region(column(&row, 0));
            let members = column(&row, 2).split('|').map(str::to_string).collect();
            self.region_members.insert(place.key(), members);
            self.add_place(place, &[]);
        }
        for row in rows(REGIONS) {
            let place = region(column(&row, 0));
            let aliases: Vec<&str> = column(&row, 2).split('|').collect();
            self.add_place(place, &aliases);
        }
        for row in rows(SUBDIVISIONS) {
            let place = Place {
                name: column(&row, 1).to_string(),
                kind: PlaceKind::Subdivision,
                geonames_id: optional(column(&row, 0)),
                country: Some(column(&row, 2).to_string()),
                lat: optional(column(&row, 5)),
                lon: optional(column(&row, 6)),
                population: 0,
                cities_population: optional(column(&row, 7)).unwrap_or(0),
                capital: false,
            };
            let aliases: Vec<&str> = column(&row, 8).split('|').collect();
            self.add_place(place, &aliases);
        }
        for row in rows(CITIES) {
            let place = Place {
                name: column(&row, 1).to_string(),
                kind: PlaceKind::City,
                geonames_id: optional(column(&row, 0)),
                country: Some(column(&row, 2).to_string()),
                lat: optional(column(&row, 4)),
                lon: optional(column(&row, 5)),
                population: optional(column(&row, 6)).unwrap_or(0),
                cities_population: 0,
                capital: column(&row, 7) == "1",
            };
            let aliases: Vec<&str> = column(&row, 8).split('|').collect();
            self.add_place(place, &aliases);
        }
    }

    fn load_nationalities(&mut self) {
        for row in rows(NATIONALITIES).chain(rows(NATIONALITY_EXTRAS)) {
            let adjective = column(&row, 0).to_string();
            let country = Some(column(&row, 1).to_string()).filter(|iso| !iso.is_empty());
            let nationality = Nationality {
                adjective: adjective.clone(),
                country,
            };
            if let Some(plural) = nationality_plural(&adjective) {
                self.nationalities
                    .entry(plural)
                    .or_insert_with(|| nationality.clone());
            }
            self.nationalities.entry(adjective).or_insert(nationality);
        }
    }

    fn load_organizations(&mut self) {
        for row in rows(ORGANIZATIONS) {
            let organization = Organization {
                name: column(&row, 0).to_string(),
                acronyms: column(&row, 1)
                    .split('|')
                    .filter(|acronym| !acronym.is_empty())
                    .map(str::to_string)
                    .collect(),
                kind: OrganizationKind::parse(column(&row, 2)),
                country: Some(column(&row, 3).to_string()).filter(|iso| !iso.is_empty()),
            };
            let index = self.organizations.len();
            let names = std::iter::once(organization.name.as_str())
                .chain(column(&row, 4).split('|'))
                .chain(organization.acronyms.iter().map(String::as_str))
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>();
            for name in names {
                if is_code(&name) || organization.acronyms.contains(&name) {
                    self.organizations_by_acronym.entry(name).or_insert(index);
                } else {
                    self.organizations_by_name
                        .entry(lookup_key(&name))
                        .or_insert(index);
                }
            }
            self.organizations.push(organization);
        }
    }

    fn load_titles(&mut self) {
        for row in rows(TITLES) {
            let phrase = column(&row, 0);
            let role = Some(column(&row, 1).to_string()).filter(|role| !role.is_empty());
            let honorific = phrase.trim_end_matches('.');
            let gender = if lexicon!("gazetteer/male_honorifics").contains(honorific) {
                Gender::Male
            } else if lexicon!("gazetteer/female_honorifics").contains(honorific) {
                Gender::Female
            } else {
                Gender::Unknown
            };
            let words = phrase.split(' ').count();
            self.longest_title = self.longest_title.max(words);
            for word in phrase.split(' ') {
                self.title_words.insert(word.to_lowercase());
            }
            self.titles.insert(
                phrase.to_lowercase(),
                Title {
                    role,
                    gender,
                    words,
                },
            );
        }
    }

    /// Every place with this name or alias.
    /// Codes ("US") match only in capitals; names match in any case ("ROME", "Rome").
    pub fn places(&self, name: &str) -> Vec<(&Place, bool)> {
        let exact = self.places_by_code.get(name.trim()).into_iter().flatten();
        let folded = self
            .places_by_name
            .get(&lookup_key(name))
            .into_iter()
            .flatten();
        let mut found: Vec<(&Place, bool)> = Vec::new();
        for &(index, main) in exact.chain(folded) {
            let place = &self.places[index];
            if !found.iter().any(|(seen, _)| std::ptr::eq(*seen, place)) {
                found.push((place, main));
            }
        }
        found
    }

    /// The most likely place with this name, without any context.
    pub fn place(&self, name: &str) -> Option<&Place> {
        self.best_place(name, &[])
    }

    /// The most likely place with this name, preferring places in `context_countries`
    /// (ISO codes of countries the text mentions); the ranking is in the module doc.
    pub fn best_place(&self, name: &str, context_countries: &[&str]) -> Option<&Place> {
        self.places(name)
            .into_iter()
            .max_by(|a, b| {
                let rank = |(place, main): &(&Place, bool)| {
                    let in_context = place
                        .country
                        .as_deref()
                        .is_some_and(|iso| context_countries.contains(&iso));
                    let context_bonus = if in_context { 2 } else { 0 };
                    let tier = match place.kind {
                        PlaceKind::Country => 7,
                        PlaceKind::Continent | PlaceKind::Region => 6,
                        // By its name, not an alternate one (GeoNames lists "Philadelphia"
                        // for Amman and "Delhi" for Dili).
                        PlaceKind::City
                            if place.capital && (*main || slug(&place.name) == slug(name)) =>
                        {
                            3 + context_bonus
                        }
                        PlaceKind::City if place.population >= 1_000_000 => 2 + context_bonus,
                        PlaceKind::Subdivision => 1 + context_bonus,
                        PlaceKind::City => context_bonus,
                    };
                    let population = place.population.max(place.cities_population);
                    let weight = if *main { population } else { population / 5 };
                    (tier, weight)
                };
                rank(a).cmp(&rank(b))
            })
            .map(|(place, _)| place)
    }

    /// ISO 3166-1 codes of the countries and territories of a UN M49 region ("Western
    /// Asia"); empty for other places.
    pub fn region_members(&self, place: &Place) -> &[String] {
        if place.kind != PlaceKind::Region {
            return &[];
        }
        self.region_members
            .get(&place.key())
            .map_or(&[], Vec::as_slice)
    }

    /// A country by its ISO 3166-1 alpha-2 code.
    pub fn country(&self, iso: &str) -> Option<&Country> {
        self.countries_by_iso
            .get(iso)
            .map(|&index| &self.countries[index])
    }

    /// A nationality, people or religion word, singular or plural ("Russians").
    pub fn nationality(&self, word: &str) -> Option<&Nationality> {
        self.nationalities.get(word)
    }

    /// The country a nationality adjective refers to ("Chinese" -> China).
    pub fn country_by_demonym(&self, word: &str) -> Option<&Country> {
        self.nationality(word)
            .and_then(|nationality| nationality.country.as_deref())
            .and_then(|iso| self.country(iso))
    }

    /// An organisation by name, alias ("Red Cross") or acronym ("UN", matched in capitals).
    pub fn organization(&self, name: &str) -> Option<&Organization> {
        self.organizations_by_acronym
            .get(name.trim())
            .or_else(|| self.organizations_by_name.get(&lookup_key(name)))
            .map(|&index| &self.organizations[index])
    }

    /// A news agency or outlet by name or acronym ("Reuters", "Xinhua", "AP").
    pub fn news_outlet(&self, name: &str) -> Option<&Organization> {
        self.organization(name)
            .filter(|organization| organization.is_news_outlet())
    }

    /// A title phrase ("Foreign Minister", "mr.", "Secretary-General"), any case.
    pub fn title(&self, phrase: &str) -> Option<&Title> {
        self.titles.get(&phrase.to_lowercase())
    }

    /// Whether a word occurs in some title phrase ("Foreign", "Minister", "Mr.").
    pub fn is_title_word(&self, word: &str) -> bool {
        if word.chars().any(char::is_uppercase) {
            self.title_words.contains(&word.to_lowercase())
        } else {
            self.title_words.contains(word)
        }
    }

    /// The most words a title phrase has.
    pub fn longest_title(&self) -> usize {
        self.longest_title
    }

    /// The gender of a given name, if it is one ("Daria" -> female).
    pub fn first_name(&self, word: &str) -> Option<Gender> {
        self.first_names.get(word).copied()
    }

    /// What a phrase is known as, for the tagger's features: `exact` as written and `lower`
    /// already lower-cased (the caller lower-cases once per token). Places split into
    /// countries and other places; acronyms and codes match only as written.
    pub fn phrase_kinds(&self, exact: &str, lower: &str) -> PhraseKinds {
        let places = self
            .places_by_code
            .get(exact)
            .into_iter()
            .chain(self.places_by_name.get(lower))
            .flatten();
        let mut kinds = PhraseKinds::default();
        for &(index, _) in places {
            if self.places[index].kind == PlaceKind::Country {
                kinds.country = true;
            } else {
                kinds.place = true;
            }
        }
        kinds.organization = self.organizations_by_acronym.contains_key(exact)
            || self.organizations_by_name.contains_key(lower);
        kinds.company = self.company_names.contains(exact);
        kinds
    }

    /// Whether a lower-case word is ordinary English ("according", "the", "officials").
    pub fn is_common_word(&self, lower: &str) -> bool {
        self.common_words.contains(lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_names_match_as_written() {
        let gazetteer = Gazetteer::embedded();
        assert!(gazetteer.phrase_kinds("Siemens", "siemens").company);
        assert!(
            gazetteer
                .phrase_kinds("Qatar Airways", "qatar airways")
                .company
        );
        assert!(!gazetteer.phrase_kinds("SIEMENS", "siemens").company);
        assert!(!gazetteer.phrase_kinds("London", "london").company);
    }

    #[test]
    fn countries_are_geocoded_with_geonames_ids() {
        let gazetteer = Gazetteer::embedded();
        let cases = [
            ("Cambodia", 1831722, "KH"),
            ("United States", 6252001, "US"),
            ("the United States", 6252001, "US"),
            ("U.S.", 6252001, "US"),
            ("Britain", 2635167, "GB"),
            ("Russia", 2017370, "RU"),
        ];
        for (name, id, iso) in cases {
            let place = gazetteer.place(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(place.kind, PlaceKind::Country, "{name}");
            assert_eq!(place.geonames_id, Some(id), "{name}");
            assert_eq!(place.country.as_deref(), Some(iso), "{name}");
            assert!(place.lat.is_some() && place.lon.is_some(), "{name}");
        }
    }

    #[test]
    fn cities_regions_and_disambiguation() {
        let gazetteer = Gazetteer::embedded();
        let moscow = gazetteer.place("Moscow").unwrap();
        assert_eq!(
            (moscow.kind, moscow.country.as_deref()),
            (PlaceKind::City, Some("RU"))
        );
        let peking = gazetteer.place("Peking").unwrap();
        assert_eq!(peking.country.as_deref(), Some("CN"));
        // A province beats a small town of the same name.
        let bali = gazetteer.place("Bali").unwrap();
        assert_eq!(
            (bali.kind, bali.country.as_deref()),
            (PlaceKind::Subdivision, Some("ID"))
        );
        // A country beats a subdivision; context decides among cities.
        assert_eq!(gazetteer.place("Georgia").unwrap().kind, PlaceKind::Country);
        let paris = gazetteer.place("Paris").unwrap();
        assert_eq!(paris.country.as_deref(), Some("FR"));
        let paris = gazetteer.best_place("Paris", &["US"]).unwrap();
        assert_eq!(paris.country.as_deref(), Some("FR"));
        // The article's countries decide between a province and a town elsewhere.
        let bali = gazetteer.best_place("Bali", &["CM"]).unwrap();
        assert_eq!(
            (bali.kind, bali.country.as_deref()),
            (PlaceKind::City, Some("CM"))
        );
        let asia_pacific = gazetteer.place("Asia-Pacific").unwrap();
        assert_eq!(asia_pacific.kind, PlaceKind::Region);
        assert_eq!(asia_pacific.key(), "location:asia-pacific");
        assert_eq!(
            gazetteer.place("Europe").unwrap().kind,
            PlaceKind::Continent
        );
        // Codes match only in capitals.
        assert!(gazetteer.place("us").is_none());
    }

    #[test]
    fn capitals_rank_above_subdivisions_and_large_cities() {
        let gazetteer = Gazetteer::embedded();
        for context in [&[][..], &["US"][..], &["GB"][..]] {
            let washington = gazetteer.best_place("Washington", context).unwrap();
            assert_eq!(washington.geonames_id, Some(4140963), "{context:?}");
            assert!(washington.capital && washington.kind == PlaceKind::City);
        }
        let state = gazetteer.places("Washington");
        assert!(state
            .iter()
            .any(|(place, _)| place.kind == PlaceKind::Subdivision && place.cities_population > 0));
        // A country still beats its capital's name ("Singapore", "Djibouti").
        assert_eq!(
            gazetteer.place("Djibouti").unwrap().kind,
            PlaceKind::Country
        );
        assert!(!gazetteer.place("Shanghai").unwrap().capital);
        // A capital's historic or foreign names do not make it the capital tier.
        assert_eq!(
            gazetteer.place("Delhi").unwrap().country.as_deref(),
            Some("IN")
        );
        assert_eq!(
            gazetteer.place("Philadelphia").unwrap().country.as_deref(),
            Some("US")
        );
        let bogota = gazetteer.place("Bogota").unwrap();
        assert!(bogota.capital && bogota.country.as_deref() == Some("CO"));
    }

    #[test]
    fn same_name_subdivisions_rank_by_population() {
        let gazetteer = Gazetteer::embedded();
        let punjab = gazetteer.place("Punjab").unwrap();
        assert_eq!(
            (punjab.kind, punjab.country.as_deref()),
            (PlaceKind::Subdivision, Some("PK"))
        );
        let punjab = gazetteer.best_place("Punjab", &["IN"]).unwrap();
        assert_eq!(punjab.country.as_deref(), Some("IN"));
    }

    #[test]
    fn countries_without_source_coordinates_take_their_capitals() {
        let gazetteer = Gazetteer::embedded();
        for iso in ["PS", "XK", "CW"] {
            let place = &gazetteer.country(iso).unwrap().place;
            assert!(place.lat.is_some() && place.lon.is_some(), "{iso}");
        }
        let kosovo = &gazetteer.country("XK").unwrap().place;
        assert!((kosovo.lat.unwrap() - 42.67).abs() < 0.5);
    }

    #[test]
    fn un_m49_regions_have_members() {
        let gazetteer = Gazetteer::embedded();
        let western_asia = gazetteer.place("Western Asia").unwrap();
        assert_eq!(western_asia.kind, PlaceKind::Region);
        assert_eq!(western_asia.key(), "location:western-asia");
        let members = gazetteer.region_members(western_asia);
        assert!(members.iter().any(|iso| iso == "TR"));
        assert!(!members.iter().any(|iso| iso == "IN"));
        for name in [
            "South-eastern Asia",
            "Northern America",
            "Sub-Saharan Africa",
            "Latin America and the Caribbean",
        ] {
            let region = gazetteer.place(name).unwrap_or_else(|| panic!("{name}"));
            assert!(!gazetteer.region_members(region).is_empty(), "{name}");
        }
        // Curated news regions stay, without members.
        let middle_east = gazetteer.place("Middle East").unwrap();
        assert!(gazetteer.region_members(middle_east).is_empty());
        assert!(gazetteer
            .region_members(gazetteer.place("Moscow").unwrap())
            .is_empty());
    }

    #[test]
    fn nationalities_and_demonyms() {
        let gazetteer = Gazetteer::embedded();
        let cases = [
            ("Chinese", Some("CN")),
            ("Russian", Some("RU")),
            ("Russians", Some("RU")),
            ("American", Some("US")),
            ("British", Some("GB")),
            ("Kurdish", None),
        ];
        for (word, iso) in cases {
            let nationality = gazetteer
                .nationality(word)
                .unwrap_or_else(|| panic!("{word}"));
            assert_eq!(nationality.country.as_deref(), iso, "{word}");
        }
        assert_eq!(gazetteer.country_by_demonym("Chinese").unwrap().iso, "CN");
        assert!(gazetteer.nationality("Moscow").is_none());
    }

    #[test]
    fn organizations_titles_names_and_words() {
        let gazetteer = Gazetteer::embedded();
        assert_eq!(gazetteer.organization("UN").unwrap().name, "United Nations");
        assert_eq!(
            gazetteer.organization("United Nations").unwrap().name,
            "United Nations"
        );
        assert!(gazetteer.organization("Who").is_none());
        assert_eq!(
            gazetteer.news_outlet("TASS").unwrap().country.as_deref(),
            Some("RU")
        );
        assert!(gazetteer.news_outlet("NATO").is_none());
        let minister = gazetteer.title("foreign minister").unwrap();
        assert_eq!(minister.role.as_deref(), Some("Foreign Minister"));
        assert!(gazetteer.title("Mr.").unwrap().is_honorific());
        assert!(gazetteer.is_title_word("Minister"));
        assert_eq!(gazetteer.first_name("Daria"), Some(Gender::Female));
        assert!(gazetteer.is_common_word("according"));
        assert!(!gazetteer.is_common_word("okafor"));
        assert_eq!(
            slug("São Tomé & People's Republic"),
            "sao-tome-peoples-republic"
        );
    }
}
