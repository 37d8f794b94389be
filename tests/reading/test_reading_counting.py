"""The progress bar's total: documents counted ahead of the run, as the reader will yield them."""

import glob
import gzip
import json
import zipfile

from khabar import read
from khabar.reading.counting import count_documents
from tests.conftest import SHARED


def test_count_equals_what_the_reader_yields(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("قال الوزير إن الاجتماع ناجح.", encoding="utf-8")
    (folder / "b.jsonl").write_text("".join(json.dumps({"id": f"b{i}", "text": "نص"}) + "\n" for i in range(7)))
    (folder / "notes.md").write_text("not read")
    (folder / "array.json").write_text(json.dumps([{"id": f"c{i}", "text": "نص"} for i in range(4)]))
    with gzip.open(folder / "d.jsonl.gz", "wt") as stream:
        stream.write("".join(json.dumps({"id": f"d{i}", "text": "نص"}) + "\n" for i in range(5)))
    with zipfile.ZipFile(folder / "e.zip", "w") as archive:
        archive.writestr("day.json", json.dumps([{"title": "t", "content": "نص"}] * 3))
        archive.writestr("more.jsonl", "".join(json.dumps({"id": f"e{i}", "text": "نص"}) + "\n" for i in range(2)))
    (folder / "broken.json").write_text("[{")
    paths = [str(folder), str(tmp_path / "missing.txt")]
    assert count_documents(paths) == sum(1 for _ in read(paths)) == 1 + 7 + 4 + 5 + 5 + 1 + 1


def test_count_of_the_saudinewsnet_zips_is_exact():
    zips = sorted(glob.glob(str(SHARED / "data" / "saudinewsnet" / "*.zip")))[:2]
    assert count_documents(zips) == sum(1 for _ in read(zips)) > 1000


def test_what_cannot_be_counted_cheaply_has_no_total(tmp_path):
    assert count_documents(["-"]) is None
    assert count_documents([str(SHARED / "data" / "ant")]) is None  # tar archives
