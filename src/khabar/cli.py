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
