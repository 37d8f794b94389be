"""`khabar process` end to end: formats, summary, exit status, the valid rest kept."""

import json
import subprocess
import sys

import pytest

from khabar.cli import main

ARABIC = "قال المتحدث باسم الوزارة إن الاجتماع سيعقد غدا في الرياض لبحث القضايا العالقة."


def test_cli_process_seed_to_file(seed_path, seed_gold, tmp_path, capsys):
    out = tmp_path / "seed.jsonl"
    assert main(["process", str(seed_path), "-o", str(out)]) == 0
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["schema_version"] == 1
    assert record["body"] == seed_gold["body"] and record["title"] == seed_gold["title"]
    for key in ("id", "source_path", "outlet", "title", "body", "text", "teaser", "boilerplate",
                "language", "blocks", "warnings", "raw", "encoding"):
        assert key in record
    assert "1 documents read, 1 written, 0 failed" in capsys.readouterr().err


def test_cli_process_bad_inputs_fail_the_run_but_keep_the_rest(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(ARABIC, encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "ok", "text": ARABIC}) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    status = main(["process", str(good), str(tmp_path / "nope.txt"), str(feed), "-o", str(out)])
    assert status == 1
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"{tmp_path.name}/good.txt", "ok"]
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nope.txt'}: [E001] no such file or folder" in err
    assert f"{feed}:2: [E005]" in err
    assert "4 documents read, 2 written, 2 failed" in err


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_cli_process_formats(seed_path, tmp_path, fmt):
    out = tmp_path / f"seed.{fmt}"
    assert main(["process", str(seed_path), "--format", fmt, "-o", str(out)]) == 0
    content = out.read_text(encoding="utf-8")
    if fmt == "json":
        (record,) = json.loads(content)
        assert record["outlet"] == "هيومن فويس"
    else:
        assert "# روسيا: العمليات العسكرية في الغوطة انتهت تقريباً" in content
        assert "removed (share_prompt)" in content


def test_cli_process_two_workers_keep_order(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": str(i), "text": f"{ARABIC} {i}"}) + "\n" for i in range(60)),
                    encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["process", str(feed), "--workers", "2", "-o", str(out)]) == 0
    assert [json.loads(l)["id"] for l in out.read_text(encoding="utf-8").splitlines()] == [str(i) for i in range(60)]


def test_cli_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["process", "--no-such-option", "x"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_cli_entry_point_reads_stdin():
    result = subprocess.run([sys.executable, "-m", "khabar.cli", "process", "-", "--no-raw"],
                            input=ARABIC.encode("utf-8"), capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert record["id"] == "stdin" and record["body"] == [ARABIC]


def test_cli_ner_layers_option(seed_path, tmp_path, capsys):
    out = tmp_path / "seed.jsonl"
    assert main(["process", str(seed_path), "--ner", "crf", "-o", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert any(e["type"] == "PERS" for e in record["entities"])
    with pytest.raises(SystemExit) as exit_info:
        main(["process", str(seed_path), "--ner", "fast"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'fast'" in capsys.readouterr().err


def test_cli_output_to_a_fifo_keeps_the_fifo(tmp_path):
    """-o to a special file (a FIFO here, /dev/null in practice) writes into it; renaming a
    temporary file over it would replace the node itself."""
    import os
    import stat
    import threading

    text = tmp_path / "one.txt"
    text.write_text(ARABIC, encoding="utf-8")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    assert main(["process", str(text), "--stages", "clean", "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(received[0])["body"] == [ARABIC]


def test_a_file_that_is_no_database_is_said_so_and_left_alone(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    assert main(["search", "وزير", "--db", str(notes)]) == 2
    assert "is not a khabar database" in capsys.readouterr().err
    assert main(["ingest", str(notes), "--db", str(notes)]) == 2
    assert "is not a khabar database" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8") == "hello"


def test_a_date_that_is_no_date_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "وزير", "--db", str(tmp_path / "x.db"), "--since", "yesterday"])
    assert exit_info.value.code == 2
    assert "'yesterday' is not a date" in capsys.readouterr().err


def test_cli_output_to_a_full_device_says_so_in_one_line_and_keeps_the_node(tmp_path, capsys):
    """-o to a device that is always full (a node of /dev/full made in a temporary folder as
    root; the real /dev/full otherwise — written in place, it is never replaced)."""
    import os
    import stat

    text = tmp_path / "one.txt"
    text.write_text(ARABIC, encoding="utf-8")
    full = tmp_path / "full"
    if os.geteuid() == 0:
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    else:
        full = "/dev/full"
    assert main(["process", str(text), "--stages", "clean", "-o", str(full)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [f"khabar: error: {full}: cannot write (No space left on device); the run stopped and left "
                     "no partial file"]
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_cli_executor_options_say_what_is_missing(seed_path, capsys):
    assert main(["process", str(seed_path), "--ray-address", "auto"]) == 2
    assert "--ray-address goes with --executor ray" in capsys.readouterr().err
    # without Ray installed (hidden here: the README's set-up neither installs nor needs it)
    hide_ray = ("import sys; sys.modules['ray'] = None; from khabar.cli import main; "
                f"sys.exit(main(['process', {str(seed_path)!r}, '--executor', 'ray']))")
    result = subprocess.run([sys.executable, "-c", hide_ray], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "--executor ray needs Ray: pip install 'khabar[ray]'" in result.stderr
