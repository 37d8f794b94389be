"""Development sets split in halves: tune on one, report on the other.

Within each outlet, in file order, the 1st, 3rd, ... document is in the ``tune`` half and the
2nd, 4th, ... in ``report``; both halves see every outlet. Used by the evaluation scripts
(``bench/eval_*.py --half``) and by training that learns from development gold
(``khabar train speakers``)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from types import ModuleType

HALVES = ("tune", "report")


def half_ids(docs_path: Path | str, half: str) -> set[str]:
    """Ids of the documents of one half of ``docs.jsonl``."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    seen: dict[str, int] = defaultdict(int)
    chosen = set()
    with open(docs_path, encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            record = json.loads(line)
            outlet = record.get("source") or record["id"].split("/")[0]
            position = seen[outlet]
            seen[outlet] += 1
            if (position % 2 == 0) == (half == "tune"):
                chosen.add(record["id"])
    return chosen


def write_subset(path: Path | str, ids: set[str], out: Path | str, key: str) -> None:
    """Copy the lines of a JSONL file whose ``key`` is one of ``ids``."""
    with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as target:
        for line in source:
            if line.strip() and json.loads(line).get(key) in ids:
                target.write(line)


def half_files(docs_path: Path | str, gold_path: Path | str, half: str, folder: Path | str) -> tuple[Path, Path]:
    """Copies of a development set's ``docs.jsonl`` and gold file holding one half, in ``folder``."""
    folder = Path(folder)
    ids = half_ids(docs_path, half)
    write_subset(docs_path, ids, folder / "docs.jsonl", "id")
    write_subset(gold_path, ids, folder / "gold.jsonl", "doc_id")
    return folder / "docs.jsonl", folder / "gold.jsonl"


def load_tool(path: Path | str) -> ModuleType:
    """A shared scorer (``../shared/tools/score_*.py``) as a module, to use its functions as they
    are: its matching and name comparison, not a copy of them."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluation_files(folder: Path | str, half: str | None, out: Path | str | None) -> tuple[Path, Path, Path]:
    """``(docs, gold, found)`` for scoring a development set: its files, or copies holding one
    half, and where to write what was found (``out``, else a temporary file)."""
    folder, work = Path(folder), Path(tempfile.mkdtemp())
    docs, gold = folder / "docs.jsonl", folder / "gold.jsonl"
    if half:
        docs, gold = half_files(docs, gold, half, work)
    return docs, gold, Path(out) if out else work / "found.jsonl"


def run_scorer(scorer: Path | str, gold: Path | str, found: Path | str) -> str:
    """What a shared scorer (``../shared/tools/score_*.py``) prints for ``found`` against ``gold``."""
    return subprocess.run([sys.executable, str(scorer), str(gold), str(found)], capture_output=True, text=True,
                          check=True).stdout
