"""Tagging speed of the NER model on one core, feature extraction included.

    python bench/bench_ner.py [--tokens N]

Tags sentences of SaudiNewsNet text (tokenised as the pipeline does) in this process,
single-threaded (NumPy held to one thread), and prints tokens/s of the whole model, next to
the same text through feature extraction alone and through the CRF layer alone, so the share
of each is visible; the target is 20,000 tokens/s.
"""

from __future__ import annotations

import os

# One core: NumPy's BLAS must not spread the network's matrix products over others.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

from khabar.entities.features import sentence_features  # noqa: E402
from khabar.entities.mentions import sentences, tokenize  # noqa: E402
from khabar.entities.model import load_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ZIP = ROOT.parent / "shared" / "data" / "saudinewsnet" / "2015-07-22.zip"
TARGET = 20000


def corpus(limit: int) -> list[list[str]]:
    out, count = [], 0
    with zipfile.ZipFile(ZIP) as z:
        for article in json.loads(z.read(z.namelist()[0])):
            for group in sentences(tokenize(article.get("content") or "")):
                out.append([t.text for t in group])
                count += len(group)
                if count >= limit:
                    return out
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=200000)
    parser.add_argument("--compare", metavar="DIR",
                        help="another model directory: both models tag the same text in turn, twice, side by side")
    args = parser.parse_args()
    model = load_model()
    text = corpus(args.tokens)
    tokens = sum(map(len, text))
    model.tag(text[:50])  # warm-up
    started = time.perf_counter()
    for sentence in text:
        sentence_features(sentence, model.resources)
    features = time.perf_counter() - started
    started = time.perf_counter()
    model.crf_tag(text)
    crf = time.perf_counter() - started
    started = time.perf_counter()
    model.tag(text)
    total = time.perf_counter() - started
    print(f"NER on {tokens} tokens ({len(text)} sentences), one core:")
    print(f"  features alone:               {tokens / features:,.0f} tokens/s")
    print(f"  features + CRF layer:         {tokens / crf:,.0f} tokens/s")
    print(f"  whole model (CRF + BiLSTM-CRF): {tokens / total:,.0f} tokens/s  (x{tokens / total / TARGET:.2f} the "
          f"{TARGET:,} tokens/s target)")
    if args.compare:
        from khabar.entities.model import NerModel

        peers = {"shipped": model, args.compare: NerModel.load(Path(args.compare))}
        peers[args.compare].tag(text[:50])
        for round_ in (1, 2):
            for name, peer in peers.items():
                started = time.perf_counter()
                peer.tag(text)
                print(f"  round {round_}, {name}: {tokens / (time.perf_counter() - started):,.0f} tokens/s")


if __name__ == "__main__":
    main()
