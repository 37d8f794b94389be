"""Corpus entities: names linked into one entity per person across documents, precision first."""

import json
import sqlite3
import subprocess
import sys
from importlib import resources

from khabar.corpus import ingest
from khabar.corpus.entities import DocumentEntity, compatible, link_entities, person_key, title_before
from khabar.storage import queries
from khabar.storage.database import SCHEMA_VERSION, Database

from ..conftest import SEED


def _key(name):
    return person_key(name)


def test_person_key_reads_arabic_names():
    assert _key("الأمير سلمان بن عبد العزيز آل سعود") == ("سلمان", "بن", "عبدالعزيز", "السعود")
    assert _key("عادل ابن أحمد الجبير") == ("عادل", "بن", "احمد", "الجبير")
    assert _key("الملك") == ()


def test_compatible_names_share_the_given_name_and_end_on_the_family_name():
    assert compatible(_key("عادل الجبير"), _key("عادل بن أحمد الجبير"))
    assert compatible(_key("محمد بن سلمان"), _key("محمد بن سلمان بن عبدالعزيز"))
    assert compatible(_key("بشار الأسد"), _key("بشار حافظ الأسد"))
    # the father's name is no family name; a given and a father's name are a name of their own
    assert not compatible(_key("سلمان بن عبدالعزيز"), _key("سلمان بن سلطان بن عبدالعزيز"))
    assert not compatible(_key("سلمان بن عبدالعزيز"), _key("محمد بن سلمان بن عبدالعزيز"))
    assert not compatible(_key("محمد عبدالعزيز"), _key("محمد بن عبدالعزيز الصفيان"))
    assert not compatible(_key("أحمد الجبير"), _key("عادل بن أحمد الجبير"))


def test_title_before_a_name_runs_from_a_role_noun_to_the_name():
    text = "وقال وزير الخارجية السعودي عادل الجبير"
    assert title_before(text, text.index("عادل")) == "وزير الخارجية السعودي"
    text = "التقى خادم الحرمين الشريفين الملك سلمان"
    assert title_before(text, text.index("سلمان")) == "خادم الحرمين الشريفين الملك"
    text = "وصل إلى الرياض، عادل الجبير"
    assert title_before(text, text.index("عادل")) == ""


def _units(rows):
    """rows: (doc, type, canonical[, story]) -> document entities E1, E2 ... per document."""
    units, numbers = [], {}
    for doc, type_, canonical, *story in rows:
        numbers[doc] = numbers.get(doc, 0) + 1
        units.append(DocumentEntity(doc, f"E{numbers[doc]}", type_, canonical, story=story[0] if story else None))
    return units


def _groups(linking):
    return {frozenset(u.canonical for u in e.members) for e in linking.entities if len(e.members) > 1}


def test_linking_merges_the_variants_of_one_person_and_no_other():
    rows = [(d, "PERS", "عادل الجبير") for d in range(1, 21)]
    rows += [(21, "PERS", "عادل بن أحمد الجبير"), (22, "PERS", "عادل بن احمد الجبير"), (23, "PERS", "فهد الجبير")]
    rows += [(d, "PERS", "الجبير") for d in (24, 25)]  # a surname alone: 22 documents against 1
    rows += [(26, "PERS", "فهد المولد"), (27, "PERS", "فهد العتيبي")]  # فهد is a given name here
    rows += [(28, "PERS", "حاور الجبير")]  # a verb run into the surname: no given name
    # two men fit عبدالله بن عبدالعزيز equally: it joins neither
    rows += [(d, "PERS", "عبدالله بن عبدالعزيز آل سعود") for d in range(30, 35)]
    rows += [(d, "PERS", "عبدالله بن عبدالعزيز الربيعة") for d in range(35, 39)]
    rows += [(40, "PERS", "عبدالله بن عبدالعزيز")]
    rows += [(41, "LOC", "الرياض"), (42, "LOC", "الریاض")]
    linking = link_entities(_units(rows))
    groups = _groups(linking)
    assert frozenset({"عادل الجبير", "عادل بن أحمد الجبير", "عادل بن احمد الجبير", "الجبير", "حاور الجبير"}) in groups
    assert not any("فهد الجبير" in g and len(g) > 1 for g in groups)
    assert not any("عبدالله بن عبدالعزيز" in g for g in groups)
    evidence = {u.canonical: linking.evidence[u.doc, u.entity] for u in _units(rows)}
    assert evidence["الجبير"] == "surname" and evidence["عبدالله بن عبدالعزيز"] == "ambiguous name"
    assert evidence["حاور الجبير"] == "surname, the word before it no given name"
    assert frozenset({"الرياض", "الریاض"}) in groups  # ی is folded to ي: one name


def test_a_surname_alone_needs_its_story_when_the_corpus_is_split():
    rows = [(1, "PERS", "فهد الجبير", 7), (2, "PERS", "الجبير", 7), (3, "PERS", "الجبير", 8), (4, "PERS", "فهد المولد")]
    rows += [(d, "PERS", "عادل الجبير") for d in range(10, 16)]
    linking = link_entities(_units(rows))
    by_doc = {u.doc: e.name for e in linking.entities for u in e.members}
    assert by_doc[2] == "فهد الجبير"  # its story names فهد الجبير only
    assert by_doc[3] == "الجبير"  # 6 documents against 1 is no proof: left alone


def test_ingest_links_the_seed_example(tmp_path):
    db = Database(tmp_path / "k.db")
    ingest([str(SEED)], db, workers=1)
    zakharova = queries.statements(db, speaker="زاخاروفا")
    assert len(zakharova) == 1 and zakharova[0]["speaker"] == "ماريا زاخاروفا"
    about = queries.statements(db, speaker="ماريا زاخاروفا", about="الغوطة الشرقية")
    assert len(about) == 1
    alloush = queries.entities(db, name="علوش")
    assert len(alloush) == 1 and alloush[0]["statements_by"] == 6 and alloush[0]["type"] == "PERS"
    assert {"محمد علوش", "علوش"} <= set(alloush[0]["aliases"])
    speakers = queries.speakers(db)
    assert [(s["speaker"], s["statements"]) for s in speakers] == [("محمد علوش", 6), ("ماريا زاخاروفا", 1)]
    page = queries.entity(db, alloush[0]["id"])
    assert page["relays"]["وكالة الأنباء الألمانية"] == 3
    assert "جيش الإسلام" in {e["name"] for e in page["speaks_about"]}


def test_entities_command_prints_the_documented_json(tmp_path):
    db_path = tmp_path / "k.db"
    ingest([str(SEED)], Database(db_path), workers=1)
    out = subprocess.run([sys.executable, "-m", "khabar.cli", "entities", "--db", str(db_path), "--name", "علوش",
                          "--json"], capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 1
    for command in (["network", "-o", str(tmp_path / "no" / "g.graphml")],
                    ["export", "--table", "entities", "-o", str(tmp_path / "no" / "e.csv")]):
        failed = subprocess.run([sys.executable, "-m", "khabar.cli", *command, "--db", str(db_path)],
                                capture_output=True, text=True)
        assert failed.returncode == 2 and "no folder" in failed.stderr and "Traceback" not in failed.stderr
    assert set(rows[0]) >= {"id", "name", "type", "aliases", "roles", "documents", "statements_by",
                            "statements_about"}


def test_a_version_1_database_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript(resources.files("khabar.storage").joinpath("schema.sql").read_text("utf-8"))
    connection.execute("PRAGMA user_version=1")
    connection.close()
    db = Database(path)
    assert db.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    ingest([str(SEED)], db, workers=1)
    assert queries.stats(db)["speakers"] == 2


def test_network_and_exports_read_back(tmp_path):
    import csv

    import networkx as nx
    import pyarrow.parquet as pq
    import pytest

    from khabar.errors import KhabarError
    from khabar.storage.export import COLUMNS, export
    from khabar.storage.network import statement_graph, write_graph

    db = Database(tmp_path / "k.db")
    ingest([str(SEED)], db, workers=1)
    graph = statement_graph(db)
    alloush = queries.entities(db, name="محمد علوش")[0]["id"]
    assert graph.nodes[alloush]["label"] == "محمد علوش" and graph.out_degree(alloush) >= 2
    for suffix in (".graphml", ".gexf"):
        write_graph(graph, tmp_path / f"g{suffix}")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    write_graph(graph, tmp_path / "g.csv")
    assert len(list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8")))) == graph.number_of_edges() + 1
    with pytest.raises(KhabarError):
        write_graph(graph, tmp_path / "g.txt")
    assert statement_graph(db, act="question").number_of_edges() == 0
    assert export(db, "statements", "parquet", tmp_path / "s.parquet") == 7
    table = pq.read_table(tmp_path / "s.parquet")
    assert table.column_names == [name for name, _ in COLUMNS["statements"]]
    rows = table.to_pylist()
    zakharova = next(r for r in rows if r["speaker"] == "ماريا زاخاروفا")
    assert "الغوطة الشرقية" in zakharova["about"] and zakharova["via"] == ["وكالة الإعلام الروسية"]
    assert export(db, "entities", "csv", tmp_path / "e.csv") == queries.stats(db)["entities"]
    assert export(db, "documents", "jsonl", tmp_path / "d.jsonl") == 1


def _speakers_and_about(db):
    rows = db.connection.execute(
        "SELECT s.doc, s.position, e.name FROM statement_speakers p JOIN statements s ON s.rowid = p.statement"
        " JOIN corpus_entities e ON e.id = p.corpus_entity").fetchall()
    about = db.connection.execute(
        "SELECT s.doc, s.position, e.name FROM statement_about a JOIN statements s ON s.rowid = a.statement"
        " JOIN corpus_entities e ON e.id = a.corpus_entity").fetchall()
    return sorted(map(tuple, rows)), sorted(map(tuple, about))


def test_new_documents_are_linked_against_the_corpus_without_relinking_it(tmp_path):
    from khabar.corpus.link import relink

    from ..conftest import SHARED

    db = Database(tmp_path / "k.db")
    first = ingest([str(SHARED / "data" / "quotes-dev" / "docs.jsonl")], db, workers=1)
    assert first.corpus["linking"]["mode"] == "all"
    before = {row[0] for row in db.connection.execute("SELECT doc || ' ' || entity || ' ' || corpus_entity"
                                                      " FROM entity_links")}
    second = ingest([str(SEED)], db, workers=1)
    assert second.corpus["linking"]["mode"] == "new documents"
    after = {row[0] for row in db.connection.execute("SELECT doc || ' ' || entity || ' ' || corpus_entity"
                                                     " FROM entity_links")}
    assert before < after  # the links made before are kept as they were
    alloush = queries.entities(db, name="علوش")
    assert len(alloush) == 1 and alloush[0]["statements_by"] == 6
    incremental = _speakers_and_about(db)
    relink(db)
    assert _speakers_and_about(db) == incremental  # the same as linking everything anew, here


def test_transliterations_of_a_foreign_given_name_are_one_person_arabic_names_are_not():
    rows = [(1, "PERS", "دييجو كوستا"), (2, "PERS", "دييجو كوستا"), (3, "PERS", "دييغو كوستا"),
            (4, "PERS", "نيكولا ساركوزي"), (5, "PERS", "نيكولاس ساركوزي")]
    # جاسم and قاسم are two Arabic names: each is written in a chain with بن
    for doc, family in enumerate(("الحربي", "العتيبي"), 10):
        rows += [(doc, "PERS", f"جاسم {family}"), (doc + 10, "PERS", f"قاسم {family}")]
    rows += [(30, "PERS", "جاسم بن محمد"), (31, "PERS", "محمد بن قاسم")]
    groups = _groups(link_entities(_units(rows)))
    assert frozenset({"دييجو كوستا", "دييغو كوستا"}) in groups
    assert frozenset({"نيكولا ساركوزي", "نيكولاس ساركوزي"}) in groups
    assert not any("جاسم الحربي" in g for g in groups)


def test_new_documents_spelling_a_name_otherwise_join_the_linked_person():
    from khabar.corpus.entities import PeopleIndex

    first = _units([(1, "PERS", "دييغو كوستا"), (2, "PERS", "دييغو كوستا"), (3, "PERS", "دييجو كوستا")])
    index = PeopleIndex()
    linking = link_entities(first, index)
    known = {linking.keys[u.doc, u.entity]: linking.link[u.doc, u.entity] for u in first}
    new = [DocumentEntity(doc, "E1", "PERS", "دييجو كوستا") for doc in (10, 11)]  # commoner among the new
    second = link_entities(new, index, known, first_id=100)
    assert {second.link[u.doc, u.entity] for u in new} == {linking.link[1, "E1"]}
