"""Outlets by name: corpus ids (``okaz``, ``BBC``) to display names in Arabic (``عكاظ``), from
``resources/outlets.toml``. The id is kept beside the name; filters accept either."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from khabar.normalize import normalize_arabic


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(id -> name, any spelling's key -> name)."""
    data = tomllib.loads(resources.files("khabar.resources").joinpath("outlets.toml").read_text("utf-8"))
    names: dict[str, str] = {}
    spellings: dict[str, str] = {}
    for outlet_id, entry in data.items():
        names[outlet_id.casefold()] = entry["name"]
        for spelling in (outlet_id, entry["name"], *entry.get("aliases", ())):
            spellings[_key(spelling)] = entry["name"]
    return names, spellings


def _key(value: str) -> str:
    return normalize_arabic(value.casefold()).strip()


def outlet_name(outlet_id: str) -> str:
    """The display name of a corpus's outlet id or of any spelling the table knows (``okaz``,
    ``Al Arabiya``, ``alarabiya.net``); an unknown one is its own name."""
    names, spellings = _table()
    return names.get(outlet_id.strip().casefold()) or spellings.get(_key(outlet_id), outlet_id.strip())


def outlet_fields(value: str | None) -> dict:
    """``outlet`` (the display name) and ``outlet_id`` (the value as given, when the table maps
    it) for a record's metadata."""
    if not isinstance(value, str) or not value:
        return {"outlet": value or None, "outlet_id": None}
    name = outlet_name(value)
    return {"outlet": name, "outlet_id": value if name != value else None}


def outlet_spellings(value: str) -> list[str]:
    """Every value an outlet column may hold for what a user typed: the id's or alias's
    display name and the text itself (documents ingested before names were mapped keep ids)."""
    names, spellings = _table()
    name = spellings.get(_key(value))
    if name is None:
        return [value]
    ids = [outlet_id for outlet_id, known in names.items() if known == name]
    return list(dict.fromkeys([name, value, *ids]))
