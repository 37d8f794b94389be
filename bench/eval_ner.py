"""Score the shipped NER model with the shared scorer: the ANERcorp CAMeL-Lab test split
(in domain), the AQMAR test split (Wikipedia, out of domain; PER->PERS, MIS->MISC) and the
held-out slice of NewsFANE Gold: its sentences that are not in ANERcorp's training split.
NewsFANE re-annotates ANERcorp's own articles with 50 fine classes (mapped to the four types by
khabar.entities.fane), its tokens with clitics split and no hamza forms: the slice is nearly
all the test split's text again, under another tokenisation and annotation convention, so it
measures those conventions rather than other news.

    python bench/eval_ner.py

Runs `khabar ner-tag --conll` on each file exactly as a user would, then
../shared/tools/score_ner.py on the output.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from khabar.entities.fane import read_fane
from khabar.entities.model import read_conll
from khabar.entities.train import map_aqmar
from khabar.normalize import normalize_arabic

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


# A NewsFANE sentence counts as seen when most of its runs of letters occur in the training
# split's text (the two tokenise and spell a little differently: ل + ال for لل, a clitic split
# off after ة); sentences shorter than a run are left out, since they could be anywhere.
_RUN = 15
_LETTERS = re.compile(r"[^\u0621-\u064a]")


def _letters(tokens: list[str]) -> str:
    """Arabic letters only, in a spelling both corpora reduce to."""
    text = _LETTERS.sub("", normalize_arabic("".join(tokens)))
    for written, common in (("ء", ""), ("ئ", "ي"), ("ؤ", "و"), ("ت", "ه"), ("لال", "لل")):
        text = text.replace(written, common)
    return text


def _runs(letters: str) -> set[str]:
    return {letters[i:i + _RUN] for i in range(len(letters) - _RUN + 1)}


def newsfane_held_out() -> list[list[tuple[str, str]]]:
    """NewsFANE sentences whose text is not in ANERcorp's training split."""
    train = read_conll(SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt")
    seen = _runs("".join(_letters([w for w, _ in s]) for s in train))
    out = []
    for sentence in read_fane(SHARED / "data" / "fane" / "NewsFANE_Gold_2014_170K.txt.gz"):
        runs = _runs(_letters([w for w, _ in sentence]))
        if runs and len(runs & seen) < len(runs) / 2:
            out.append(sentence)
    return out


def write_conll(sentences: list[list[tuple[str, str]]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for sentence in sentences:
            out.write("".join(f"{w} {t}\n" for w, t in sentence) + "\n")


def main() -> None:
    score(SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt", "ANERcorp CAMeL test")
    with tempfile.TemporaryDirectory() as tmp:
        mapped = Path(tmp) / "aqmar-test.conll"
        write_conll(map_aqmar(read_conll(SHARED / "data" / "aqmar" / "test.txt")), mapped)
        score(mapped, "AQMAR test (out of domain)")
        held_out = newsfane_held_out()
        sliced = Path(tmp) / "newsfane-held-out.conll"
        write_conll(held_out, sliced)
        score(sliced, f"NewsFANE Gold held out: {len(held_out)} sentences not in ANERcorp's training split")


if __name__ == "__main__":
    main()
