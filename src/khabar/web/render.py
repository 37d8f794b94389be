"""HTML fragments the templates cannot build simply: highlighted text, snippets with marked
matches, the timeline chart and the map. Every piece of document text goes through
``markupsafe.escape``; only the markup made here is trusted."""

from __future__ import annotations

import gzip
import json
import math
from functools import lru_cache
from importlib import resources

from markupsafe import Markup, escape

from khabar.storage.queries import snippet_window


def highlight_paragraph(raw: str, start: int, end: int, entities: list[dict], quotes: list[dict]) -> Markup:
    """``raw[start:end]`` with entity mentions and statement contents marked, as flat spans
    cut at every boundary (so overlapping layers never produce broken nesting)."""
    marks: list[tuple[int, int, str, str]] = []
    for entity in entities:
        for s, e in entity["spans"]:
            if start <= s and e <= end:
                marks.append((s, e, f"ent ent-{entity['type']}", f"{entity['type']}: {entity['canonical']}"))
    for number, quote in enumerate(quotes):
        s, e = quote["content_start"], quote["content_end"]
        if start <= s and e <= end:
            marks.append((s, e, f"quote act-{quote['act']}", f"{quote['speaker'] or '?'} — {quote['act']}"))
        cs, ce = quote["cue_start"], quote["cue_end"]
        if start <= cs and ce <= end:
            marks.append((cs, ce, "cue", f"{quote['act']} ({quote['cue']})"))
    cuts = sorted({start, end} | {p for s, e, _, _ in marks for p in (s, e)})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        active = [(cls, title) for s, e, cls, title in marks if s <= a and b <= e]
        text = escape(raw[a:b])
        if active:
            classes = " ".join(cls for cls, _ in active)
            title = " | ".join(title for _, title in active)
            parts.append(Markup('<span class="{}" title="{}">{}</span>').format(classes, title, text))
        else:
            parts.append(text)
    return Markup("").join(parts)


def snippet(text: str, query: str, *, width: int = 90) -> Markup:
    """A window of the original text around the first query word, matches in <mark>."""
    return Markup("").join(Markup("<mark>{}</mark>").format(piece) if matched else escape(piece)
                           for piece, matched in snippet_window(text, query, width=width))


def timeline_svg(counts: dict[str, int], *, width: int = 640, height: int = 140) -> Markup:
    """Statements per day as bars (days on the x axis, oldest on the right, as Arabic reads)."""
    if not counts:
        return Markup('<p class="muted">لا تواريخ</p>')
    days = sorted(counts)
    top = max(counts.values())
    bar = max(4, min(40, (width - 40) // max(1, len(days))))
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" aria-label="timeline">']
    for i, day in enumerate(days):
        h = round((height - 40) * counts[day] / top)
        x = width - 20 - (i + 1) * bar
        parts.append(f'<rect x="{x}" y="{height - 25 - h}" width="{bar - 2}" height="{h}"><title>{escape(day)}: '
                     f'{counts[day]}</title></rect>')
        if len(days) <= 12 or i % max(1, len(days) // 8) == 0:
            parts.append(f'<text x="{x + bar / 2}" y="{height - 8}" text-anchor="middle">{escape(day[5:])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def neighbourhood_svg(name: str, speaks_about: list[dict], spoken_about_by: list[dict], *, size: int = 520,
                      limit: int = 12) -> Markup:
    """An entity among those it speaks about (arrows out) and those who speak about it (arrows
    in), on a circle around it; edge width grows with the statements. Drawn here: no script."""
    nodes: dict[int, dict] = {}
    for row, direction in [(r, "out") for r in speaks_about[:limit]] + [(r, "in") for r in spoken_about_by[:limit]]:
        node = nodes.setdefault(row["id"], {"name": row["name"], "out": 0, "in": 0})
        node[direction] += row["statements"]
    if not nodes:
        return Markup('<p class="muted">لا تصريحات عن غيره ولا عنه</p>')
    centre, radius = size / 2, size / 2 - 70
    top = max(max(n["out"], n["in"]) for n in nodes.values())
    parts = [f'<svg class="network" viewBox="0 0 {size} {size}" role="img" aria-label="network">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
             'markerWidth="9" markerHeight="9" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>']
    labels = []
    for i, (entity_id, node) in enumerate(nodes.items()):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        # edges stop short of the circles they join, so that the arrowheads show
        near_node = (centre + (radius - 9) * math.cos(angle), centre + (radius - 9) * math.sin(angle))
        near_centre = (centre + 13 * math.cos(angle), centre + 13 * math.sin(angle))
        for direction in ("out", "in"):
            if node[direction]:
                width = 1 + 5 * node[direction] / top
                (x1, y1), (x2, y2) = (near_centre, near_node) if direction == "out" else (near_node, near_centre)
                parts.append(f'<line class="edge {direction}" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                             f'stroke-width="{width:.1f}" marker-end="url(#arrow)"><title>{node[direction]}</title></line>')
        labels.append(f'<a href="/entity/{entity_id}"><circle cx="{x:.0f}" cy="{y:.0f}" r="6"/>'
                      f'<text x="{x:.0f}" y="{y - 10:.0f}" text-anchor="middle">{escape(node["name"])}</text></a>')
    parts += labels
    parts.append(f'<circle class="centre" cx="{centre}" cy="{centre}" r="10"/><text x="{centre}" y="{centre - 16}" '
                 f'text-anchor="middle" class="centre">{escape(name)}</text></svg>')
    return Markup("".join(parts))


@lru_cache(maxsize=1)
def _outlines() -> dict:
    path = resources.files("khabar.resources").joinpath("world.json.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as stream:
        return json.load(stream)


def map_svg(places: list[dict], *, width: int = 900, height: int = 460) -> Markup:
    """Country outlines (equirectangular) and the places as dots sized by document count,
    zoomed to the places; no tiles, nothing fetched."""
    points = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    if points:
        lats = [p["lat"] for p in points]
        lons = [p["lon"] for p in points]
        pad = 4.0
        west, east = min(lons) - pad, max(lons) + pad
        south, north = min(lats) - pad, max(lats) + pad
        if east - west < 2 * (north - south):
            middle = (east + west) / 2
            west, east = middle - (north - south), middle + (north - south)
    else:
        west, east, south, north = -180.0, 180.0, -60.0, 80.0
    sx = width / (east - west)
    sy = height / (north - south)
    scale = min(sx, sy)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) * scale, 1), round((north - lat) * scale, 1)

    parts = [f'<svg class="map" viewBox="0 0 {round((east - west) * scale)} {round((north - south) * scale)}" '
             f'role="img" aria-label="map">', '<g class="countries">']
    for code, rings in _outlines().items():
        for ring in rings:
            if not any(west - 5 <= x <= east + 5 and south - 5 <= y <= north + 5 for x, y in ring):
                continue
            path = " ".join(f"{x},{y}" for x, y in (project(lon, lat) for lon, lat in ring))
            parts.append(f'<polygon points="{path}"><title>{escape(code)}</title></polygon>')
    parts.append('</g><g class="places">')
    top = max((p.get("documents", 1) for p in points), default=1)
    for p in points:
        x, y = project(p["lon"], p["lat"])
        r = 3 + 7 * math.sqrt(p.get("documents", 1) / top)
        parts.append(f'<circle cx="{x}" cy="{y}" r="{r:.1f}"><title>{escape(p["name"])} ({escape(p.get("country") or "")})'
                     f' — {p.get("documents", 1)}</title></circle>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
