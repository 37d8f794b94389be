"""Score the shipped NER model with the shared scorer: the ANERcorp CAMeL-Lab test split
(in domain) and the AQMAR test split (Wikipedia, out of domain; PER->PERS, MIS->MISC).

    python bench/eval_ner.py

Runs `khabar ner-tag --conll` on each file exactly as a user would, then
../shared/tools/score_ner.py on the output.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from khabar.entities.model import read_conll
from khabar.entities.train import map_aqmar

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def score(gold: Path, label: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        predicted = Path(tmp) / "predicted.conll"
        tagged = subprocess.run([sys.executable, "-m", "khabar.cli", "ner-tag", "--conll", str(gold), "-o", str(predicted)],
                                capture_output=True, text=True, check=True)
        result = subprocess.run([sys.executable, str(SHARED / "tools" / "score_ner.py"), str(gold), str(predicted)],
                                capture_output=True, text=True, check=True)
    print(f"== {label}  ({tagged.stderr.strip().removeprefix('khabar: ')})")
    print(result.stdout, end="")


def main() -> None:
    score(SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt", "ANERcorp CAMeL test")
    with tempfile.TemporaryDirectory() as tmp:
        mapped = Path(tmp) / "aqmar-test.conll"
        with open(mapped, "w", encoding="utf-8") as out:
            for sentence in map_aqmar(read_conll(SHARED / "data" / "aqmar" / "test.txt")):
                out.write("".join(f"{w} {t}\n" for w, t in sentence) + "\n")
        score(mapped, "AQMAR test (out of domain)")


if __name__ == "__main__":
    main()
