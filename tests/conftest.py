from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "examples" / "humanvoice-ghouta.txt"
SEED_GOLD = SHARED / "examples" / "humanvoice-ghouta.gold.json"
SAUDINEWSNET = SHARED / "data" / "saudinewsnet"


def pytest_configure(config):
    if not SHARED.is_dir():
        raise pytest.UsageError(f"tests need the shared data folder beside the repository: {SHARED}")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    import json

    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


def write_saudinewsnet_sample(path: Path, per_day: int, days: int = 2) -> Path:
    """The first ``per_day`` articles of each of the first ``days`` SaudiNewsNet zips, as JSONL
    (a corpus sample that ingests in seconds and still holds duplicates and stories)."""
    import json
    from itertools import islice

    from khabar.data import Document
    from khabar.reading import read

    with open(path, "w", encoding="utf-8") as out:
        for day in sorted(SAUDINEWSNET.glob("*.zip"))[:days]:
            for doc in islice((d for d in read([str(day)]) if isinstance(d, Document)), per_day):
                meta = doc.metadata
                out.write(json.dumps({"id": doc.id, "text": doc.raw, "title": meta.get("title"),
                                      "source": meta.get("outlet_id") or meta.get("outlet"), "url": meta.get("url"),
                                      "date": meta.get("date")}, ensure_ascii=False) + "\n")
    return path
