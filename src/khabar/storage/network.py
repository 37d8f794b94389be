"""Who speaks about whom: speakers -> the entities their statements name, as a graph that
Gephi and NetworkX read (GraphML, GEXF) or as an edge list (CSV)."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

from khabar.errors import KhabarError
from khabar.storage.database import Database

# characters XML 1.0 cannot carry (scraped names hold some): dropped from labels
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def statement_graph(db: Database, *, since: str | None = None, until: str | None = None,
                    act: str | None = None) -> nx.DiGraph:
    """One node per corpus entity that speaks or is spoken about; one edge per (speaker, entity
    named) with ``weight`` (statements), ``acts`` and ``relays`` (``name:count`` joined by ``; ``)."""
    where, params = [], []
    for condition, value in (("d.date >= ?", since), ("d.date <= ?", until and until + "\uffff"), ("s.act = ?", act)):
        if value:
            where.append(condition)
            params.append(value)
    rows = db.connection.execute(
        "SELECT p.corpus_entity, a.corpus_entity, s.act, s.rowid FROM statement_speakers p"
        " JOIN statement_about a ON a.statement = p.statement JOIN statements s ON s.rowid = p.statement"
        " JOIN documents d ON d.rowid = s.doc WHERE p.corpus_entity != a.corpus_entity"
        + "".join(f" AND {w}" for w in where), params).fetchall()
    relays: dict[int, list[str]] = defaultdict(list)
    for statement, name in db.connection.execute(
            "SELECT r.statement, r.name FROM relays r WHERE r.statement IN (SELECT statement FROM statement_about)"):
        relays[statement].append(name)
    acts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    via: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for speaker, about, statement_act, statement in rows:
        acts[speaker, about][statement_act] += 1
        via[speaker, about].update(relays.get(statement, ()))
    graph = nx.DiGraph()
    nodes = {n for pair in acts for n in pair}
    for entity_id, name, type_ in db.connection.execute(
            f"SELECT id, name, type FROM corpus_entities WHERE id IN ({', '.join(map(str, nodes)) or 'NULL'})"):
        graph.add_node(entity_id, label=_NOT_XML.sub("", name), type=type_)
    for (speaker, about), counts in sorted(acts.items()):
        graph.add_edge(speaker, about, weight=sum(counts.values()), acts=_joined(counts),
                       relays=_joined(via[speaker, about]))
    return graph


def _joined(counts: Counter) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "; ".join(f"{_NOT_XML.sub('', name)}:{n}" for name, n in ranked)


def _write_csv(graph: nx.DiGraph, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["source", "source_name", "target", "target_name", "weight", "acts", "relays"])
        for source, target, data in graph.edges(data=True):
            writer.writerow([source, graph.nodes[source]["label"], target, graph.nodes[target]["label"],
                             data["weight"], data["acts"], data["relays"]])


# a graph file's writer by its suffix
WRITERS = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf, ".csv": _write_csv}


def write_graph(graph: nx.DiGraph, path: str | Path) -> None:
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise KhabarError(f"{path}: unknown graph format {path.suffix or '(none)'}; name the file "
                          f"{', '.join(WRITERS)}")
    writer(graph, path)
