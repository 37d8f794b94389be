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
