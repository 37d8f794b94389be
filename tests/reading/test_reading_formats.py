"""Each reader, and each kind of bad input: a clear coded failure naming the file (and line),
while the valid rest is still read."""

import gzip
import io
import json
import zipfile

import pytest

import khabar
from khabar import read
from khabar.data import Document
from khabar.errors import Problem, ReadFailure
from khabar.reading import ReadOptions

ARABIC = "قال المتحدث باسم الوزارة إن الاجتماع سيعقد غدا في الرياض لبحث القضايا العالقة."


def _read(*paths, **kwargs):
    return list(read([str(p) for p in paths], **kwargs))


def _docs(items):
    return [i for i in items if isinstance(i, Document)]


def _failures(items):
    return [i for i in items if isinstance(i, ReadFailure)]


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),
    ("cp1256", "cp1256"),
    ("iso8859-6", "iso8859-6"),
])
def test_reading_text_detects_encoding(tmp_path, encoding, expected):
    path = tmp_path / "news.txt"
    path.write_bytes(ARABIC.encode(encoding))
    (document,) = _read(path)
    assert document.raw == ARABIC
    assert document.metadata["encoding"] == expected
    assert document.id == f"{tmp_path.name}/news.txt"


def test_reading_jsonl_keeps_given_ids_and_reports_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a-1", "text": ARABIC, "title": "عنوان", "source": "sabq", "url": "u", "date": "2015"}),
        "{not json",
        json.dumps({"id": "no-text", "title": "x"}),
        "",
        json.dumps(["an", "array"]),
        json.dumps({"text": ARABIC}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path)
    docs, failures = _docs(items), _failures(items)
    assert [d.id for d in docs] == ["a-1", f"{tmp_path.name}/feed.jsonl:6"]
    assert docs[0].metadata["title"] == "عنوان" and docs[0].metadata["outlet"] == "سبق" and docs[0].metadata["outlet_id"] == "sabq"
    assert [(f.code, f.line) for f in failures] == [
        (Problem.BAD_JSON, 2), (Problem.MISSING_FIELD, 3), (Problem.BAD_JSON, 5)]
    assert all(f.path == str(path) for f in failures)
    assert str(failures[0]).startswith(f"{path}:2: [E005]")


def test_reading_jsonl_enormous_line_is_reported_and_skipped(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "before", "text": ARABIC}) + "\n")
        out.write('{"id": "huge", "text": "' + "ا" * (26 * 1024 * 1024) + '"}\n')  # ~52 MB
        out.write(json.dumps({"id": "after", "text": ARABIC}) + "\n")
    items = _read(path)
    assert [d.id for d in _docs(items)] == ["before", "after"]
    (failure,) = _failures(items)
    assert failure.code == Problem.TOO_LARGE and failure.line == 2
    assert "--max-document-mb" in failure.message


def test_reading_text_enormous_single_line_file(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"x" * (11 * 1024 * 1024))
    (failure,) = _read(path)
    assert failure.code == Problem.TOO_LARGE
    (document,) = _read(path, options=ReadOptions(max_document_bytes=12 * 1024 * 1024))
    assert len(document.raw) == 11 * 1024 * 1024


def test_reading_jsonl_gz_and_damaged_gzip(tmp_path):
    good = tmp_path / "feed.jsonl.gz"
    with gzip.open(good, "wt", encoding="utf-8") as out:
        for i in range(3):
            out.write(json.dumps({"id": f"g{i}", "text": ARABIC}) + "\n")
    damaged = tmp_path / "damaged.jsonl.gz"
    damaged.write_bytes(good.read_bytes()[:-12])
    items = _read(good, damaged)
    assert [d.id for d in _docs(items)][:3] == ["g0", "g1", "g2"]
    failures = _failures(items)
    assert failures and failures[-1].code == Problem.BAD_ARCHIVE and failures[-1].path == str(damaged)


def _saudinewsnet_records():
    return [
        {"source": "alweeam", "url": "http://x/1", "date_extracted": "2015-07-21 02:51:32",
         "title": "عنوان أول", "author": "واس", "content": ARABIC + "\nرابط الخبر بصحيفة الوئام: عنوان أول"},
        {"source": "okaz", "url": "http://x/2", "date_extracted": "2015-07-21 03:00:00",
         "title": "", "author": "", "content": " "},
        {"source": "okaz", "url": "http://x/3", "date_extracted": "2015-07-21 03:00:00", "title": "t"},
        {"source": "sabq", "url": "http://x/4", "date_extracted": "2015-07-21 03:00:00",
         "title": "عنوان", "author": "", "content": ARABIC},
    ]


def test_reading_saudinewsnet_zip_and_json(tmp_path):
    records = _saudinewsnet_records()
    archive = tmp_path / "2015-07-21.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2015-07-21.json", json.dumps(records, ensure_ascii=False))
    bare = tmp_path / "2015-07-21.json"
    bare.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    for path in (archive, bare):
        items = _read(path)
        docs = _docs(items)
        assert [d.id for d in docs] == ["saudinewsnet/2015-07-21/0", "saudinewsnet/2015-07-21/3"]
        assert docs[0].metadata["outlet"] == "الوئام" and docs[0].metadata["date"].startswith("2015-07-21")
        blank, missing = _failures(items)
        assert blank.skipped and blank.code == Problem.EMPTY
        assert not missing.skipped and missing.code == Problem.MISSING_FIELD and "element 2" in missing.message


def test_reading_malformed_json_array_keeps_earlier_elements(tmp_path):
    path = tmp_path / "broken.json"
    good = json.dumps(_saudinewsnet_records()[:1], ensure_ascii=False)
    path.write_text(good[:-1] + ', {"content": "x", oops]', encoding="utf-8")
    items = _read(path)
    assert len(_docs(items)) == 1
    (failure,) = _failures(items)
    assert failure.code == Problem.BAD_JSON and "element 1" in failure.message


def test_reading_zip_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.zip"
    path.write_text("this is not a zip archive", encoding="utf-8")
    (failure,) = _read(path)
    assert failure.code == Problem.BAD_ARCHIVE and failure.path == str(path)


def test_reading_html_through_trafilatura(tmp_path):
    path = tmp_path / "page.html"
    paragraphs = "".join(f"<p>الفقرة {i}: {ARABIC}</p>" for i in range(4))
    path.write_text(
        "<html><head><title>عنوان الخبر - صحيفة</title>"
        '<meta property="og:title" content="عنوان الخبر">'
        '<meta name="author" content="أحمد علي">'
        '<meta property="article:published_time" content="2015-07-21">'
        "</head><body><nav><a href='/'>الرئيسية</a></nav><article><h1>عنوان الخبر</h1>"
        f"{paragraphs}</article><footer>جميع الحقوق محفوظة</footer></body></html>", encoding="utf-8")
    (document,) = _read(path)
    assert ARABIC in document.raw and "الرئيسية" not in document.raw
    assert document.metadata["title"] == "عنوان الخبر"
    assert document.metadata["date"] == "2015-07-21"
    # what trafilatura finds lands in the record's fields, the outlet by its display name
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<head>", '<head><meta property="og:site_name" content="Al Arabiya">'), encoding="utf-8")
    (document,) = _read(path)
    record = khabar.process_paths([str(path)], pipeline=khabar.api.default_pipeline(["clean"]))
    (record,) = [item.to_json() for item in record]
    assert (record["title"], record["outlet"], record["outlet_id"]) == ("عنوان الخبر", "العربية", "Al Arabiya")
    assert record["date"] == "2015-07-21" and record["author"] == "أحمد علي"
    assert all(ARABIC in paragraph for paragraph in record["body"]) and len(record["body"]) == 4


def test_reading_folder_recursively_and_bad_files(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "a" / "b").mkdir(parents=True)
    (corpus / "a" / "b" / "one.txt").write_text(ARABIC, encoding="utf-8")
    (corpus / "two.txt").write_bytes(ARABIC.encode("cp1256"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (corpus / "notes.csv").write_text("a,b", encoding="utf-8")
    (corpus / ".hidden.txt").write_text(ARABIC, encoding="utf-8")
    skipped = []
    items = _read(corpus, tmp_path / "missing.txt", on_skip=skipped.append)
    assert sorted(d.id for d in _docs(items)) == ["corpus/a/b/one.txt", "corpus/two.txt"]
    codes = {f.path.rsplit("/", 1)[-1]: f.code for f in _failures(items)}
    assert codes == {"binary.txt": Problem.BINARY, "empty.txt": Problem.EMPTY, "missing.txt": Problem.NOT_FOUND}
    assert skipped == [str(corpus / "notes.csv")]


def test_reading_undecodable_bytes(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "نص".encode("utf-8") + b"\xff\xfe\xfa")  # BOM, then invalid UTF-8
    (failure,) = _read(path)
    assert failure.code == Problem.UNDECODABLE


def test_reading_stdin_sniffs_jsonl(monkeypatch):
    data = (json.dumps({"id": "s1", "text": ARABIC}) + "\n").encode("utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    (document,) = list(read(["-"]))
    assert document.id == "s1" and document.source_path == "-"


def test_reading_jsonl_lone_surrogate_escape_is_replaced_not_fatal(tmp_path):
    # found by tests/test_properties.py: "\ud800" decoded into the text crashed the NER stage
    # (pycrfsuite cannot encode it) and no record holding it could be written
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "a", "text": "\\ud800 قال الوزير إن الاجتماع ناجح."}\n', encoding="utf-8")
    (document,) = [d for d in khabar.process_paths([str(path)]) if isinstance(d, Document)]
    assert document.raw.startswith("\ufffd") and any("surrogate" in w for w in document.warnings)
    assert document.to_json()["quotes"][0]["content"] == "الاجتماع ناجح"
    json.dumps(document.to_json(), ensure_ascii=False).encode("utf-8")
