"""TREC <DOC> files (ANT), Gigaword SGML and tar archives of them."""

import gzip
import io
import tarfile

from khabar.data import Document
from khabar.errors import ReadFailure
from khabar.reading import read

ANT_DOC = """<DOC>
<DOCNO>BB-economy-7-20180301</DOCNO>
<URL>http://www.bbc.co.uk/arabic/business-1</URL>
<SRC>BBC</SRC>
<CAT>economy</CAT>
<TITLE>ارتفاع أسعار النفط</TITLE>
<TIME>Thu, 01 Mar 2018 10:20:30 GMT</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
ارتفعت أسعار النفط اليوم بعد
</ABSTRACT>
<TEXT>
ارتفعت أسعار النفط اليوم بعد قرار أوبك خفض الإنتاج.
وقال محللون إن الارتفاع سيستمر.
</TEXT>
</DOC>
"""

GIGAWORD = """<DOC id="AFP_ARB_20010101.0001" type="story" >
<HEADLINE>
قمة عربية في عمان
</HEADLINE>
<DATELINE>
عمان 1-1 (اف ب) -
</DATELINE>
<TEXT>
<P>
تبدأ القمة العربية اليوم
في عمان &amp; تستمر يومين.
</P>
<P>
وقال مسؤول إن الوفود وصلت.
</P>
</TEXT>
</DOC>
<DOC id="AFP_ARB_20010101.0002" type="story" >
<HEADLINE>
بلا نص
</HEADLINE>
</DOC>
<DOC id="AFP_ARB_20010101.0003" type="story" >
<TEXT>
<P>
خبر ثالث.
</P>
</TEXT>
</DOC>
"""


def _items(path):
    return list(read([str(path)]))


def test_ant_doc_fields(tmp_path):
    path = tmp_path / "BB-economy-7-20180301.txt"
    path.write_text(ANT_DOC, encoding="utf-8")
    [doc] = _items(path)
    assert isinstance(doc, Document)
    assert doc.id == "BB-economy-7-20180301"
    assert doc.metadata["title"] == "ارتفاع أسعار النفط"
    assert doc.metadata["outlet"] == "بي بي سي عربي" and doc.metadata["outlet_id"] == "BBC"
    assert doc.metadata["date"] == "2018-03-01 10:20:30"
    assert doc.metadata["teaser"] == "ارتفعت أسعار النفط اليوم بعد"
    assert doc.raw.splitlines() == ["ارتفعت أسعار النفط اليوم بعد قرار أوبك خفض الإنتاج.",
                                    "وقال محللون إن الارتفاع سيستمر."]
    assert "author" not in doc.metadata  # empty tags are left out


def test_gigaword_paragraphs_and_missing_text(tmp_path):
    path = tmp_path / "afp_arb_200101.sgml"
    path.write_text(GIGAWORD, encoding="utf-8")
    items = _items(path)
    assert [type(i).__name__ for i in items] == ["Document", "ReadFailure", "Document"]
    first = items[0]
    assert first.id == "AFP_ARB_20010101.0001" and first.metadata["title"] == "قمة عربية في عمان"
    assert first.raw == "تبدأ القمة العربية اليوم في عمان & تستمر يومين.\n\nوقال مسؤول إن الوفود وصلت."
    assert first.metadata["dateline"] == "عمان 1-1 (اف ب) -" and first.metadata["date"] == "2001-01-01"
    assert items[1].code.value == "E006" and "AFP_ARB_20010101.0002" in items[1].message
    assert items[1].line == 18
    # gzipped, as Gigaword ships its monthly files
    packed = tmp_path / "afp_arb_200101.gz"
    packed.write_bytes(gzip.compress(GIGAWORD.encode("utf-8")))
    assert [i.id for i in _items(packed) if isinstance(i, Document)] == [first.id, "AFP_ARB_20010101.0003"]


def test_unclosed_doc_is_a_coded_failure(tmp_path):
    path = tmp_path / "broken.sgml"
    path.write_text(ANT_DOC.replace("</DOC>", "") + ANT_DOC.replace("BB-economy-7", "BB-economy-8"),
                    encoding="utf-8")
    items = _items(path)
    assert isinstance(items[0], ReadFailure) and items[0].code.value == "E012"
    assert isinstance(items[1], Document) and items[1].id == "BB-economy-8-20180301"


def _tar(path, members: dict[str, bytes], *, truncate: int = 0):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    data = buffer.getvalue()
    path.write_bytes(data[:len(data) - truncate] if truncate else data)


def test_tar_gz_of_doc_files_with_a_bad_member(tmp_path):
    path = tmp_path / "ant.tar.gz"
    _tar(path, {
        "BBC/economy/BB-economy-7-20180301.txt": ANT_DOC.encode("utf-8"),
        "BBC/economy/empty.txt": ANT_DOC.replace("ارتفعت أسعار النفط اليوم بعد قرار", "").replace(
            "وقال محللون إن الارتفاع سيستمر.", "").replace("أوبك خفض الإنتاج.", "").encode("utf-8"),
        "BBC/economy/garbage.txt": b"<DOC>\n<DOCNO>x</DOCNO>\n",
        "BBC/economy/BB-economy-9-20180301.txt": ANT_DOC.replace("BB-economy-7", "BB-economy-9").encode("utf-8"),
    })
    items = _items(path)
    documents = [i for i in items if isinstance(i, Document)]
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert [d.id for d in documents] == ["BB-economy-7-20180301", "BB-economy-9-20180301"]
    assert documents[0].source_path.endswith("ant.tar.gz!BBC/economy/BB-economy-7-20180301.txt")
    assert [(f.code.value, f.skipped) for f in failures] == [("E002", True), ("E012", False)]
    assert "garbage.txt" in failures[1].path


def test_truncated_tar_keeps_the_members_before(tmp_path):
    path = tmp_path / "cut.tar.gz"
    _tar(path, {f"d/BB-economy-{n}-20180301.txt": ANT_DOC.replace("BB-economy-7", f"BB-economy-{n}").encode("utf-8")
                for n in range(40)}, truncate=300)
    items = _items(path)
    assert isinstance(items[-1], ReadFailure) and items[-1].code.value == "E008"
    assert sum(isinstance(i, Document) for i in items) >= 10  # what the cut-off data still holds


def test_gzip_of_plain_text_is_text_not_json_lines(tmp_path):
    path = tmp_path / "note.txt.gz"
    path.write_bytes(gzip.compress("نص عربي عادي في ملف مضغوط".encode("utf-8")))
    (document,) = _items(path)
    assert isinstance(document, Document) and document.raw == "نص عربي عادي في ملف مضغوط"


def test_tar_under_a_bare_gz_name_and_on_standard_input(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "ant.gz"
    _tar(path, {"BBC/economy/BB-economy-7-20180301.txt": ANT_DOC.encode("utf-8")})
    assert [i.id for i in _items(path)] == ["BB-economy-7-20180301"]
    # a pipe cannot seek: the archive is read from the decompressed stream
    out = subprocess.run([sys.executable, "-m", "khabar.cli", "process", "-", "--stages", "clean", "--no-raw"],
                         input=path.read_bytes(), capture_output=True, check=True)
    assert b"BB-economy-7-20180301" in out.stdout
