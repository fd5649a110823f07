"""The `extract` command end to end: formats, bad input, exit codes."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from eventscribe.cli import app
from eventscribe.model import Event

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

ARTICLE = "Police arrested 40 protesters in Nairobi on Tuesday after a march against new taxes.\n"


def run(*args, stdin=None):
    return runner.invoke(app, list(args), input=stdin)


@pytest.fixture()
def corpus(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "latin1.txt").write_bytes("Soldiers shelled the caf\xe9 in the town.".encode("latin-1"))
    (tmp_path / "broken.html").write_text("<html><body><p>Troops shelled the village of Kibumba on Monday, "
                                          "residents said, and at least three people were killed.<div><p>More")
    (tmp_path / "docs.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Rebels attacked an army base in Mali on Sunday.", "published": "2024-03-05"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "j3", "text": "Nothing happened in the village today.", "published": "2024-03-05"}) + "\n")
    with open(tmp_path / "huge.txt", "wb") as fh:  # sparse 50 MB file
        fh.truncate(50 * 1024 * 1024)
    return tmp_path


def test_bad_inputs_are_reported_one_line_each_and_the_rest_is_processed(corpus):
    result = run("extract", str(corpus), "--published", "2024-03-06", "--format", "jsonl", "--quiet")
    assert result.exit_code == 1
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    docs = {e["doc_id"] for e in events}
    assert {"good", "j1", "broken"} <= docs
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    joined = "\n".join(errors)
    for name in ("binary", "empty", "latin1", "huge", "docs"):
        assert name in joined, (name, joined)
    assert "line 2" in joined  # the malformed JSONL line is named
    assert len(errors) == 5


def test_clean_input_exits_zero(corpus):
    result = run("extract", str(corpus / "good.txt"), "--published", "2024-03-06", "--format", "json", "--quiet")
    assert result.exit_code == 0, result.stderr
    (event,) = [e for e in json.loads(result.stdout) if e["type"] == "COERCE"]
    assert event["arrested"] == {"min": 40, "max": 40, "span": event["arrested"]["span"]}
    assert event["date"]["start"] == "2024-03-05"


def test_csv_and_table_formats(corpus):
    result = run("extract", str(corpus / "good.txt"), "--published", "2024-03-06", "--format", "csv", "--quiet")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert any(r["type"] == "COERCE" and r["country"] == "KEN" for r in rows)
    table = run("extract", str(corpus / "good.txt"), "--published", "2024-03-06", "--format", "table", "--quiet")
    assert "COERCE" in table.stdout


def test_stdin_and_bad_options():
    result = run("extract", "-", "--published", "2024-03-06", "--format", "jsonl", "--quiet", stdin=ARTICLE)
    assert result.exit_code == 0 and '"COERCE"' in result.stdout
    assert run("extract", "-", "--published", "yesterday").exit_code == 2
    assert run("extract", "-", "--format", "xml").exit_code == 2


def test_output_validates_against_the_published_schema(corpus):
    schema = json.loads((ROOT / "docs" / "event.schema.json").read_text())
    assert schema == Event.model_json_schema(), "docs/event.schema.json is stale: eventscribe schema --out docs/event.schema.json"
    result = run("extract", str(corpus / "good.txt"), "--published", "2024-03-06", "--format", "jsonl", "--quiet")
    for line in result.stdout.splitlines():
        jsonschema.validate(json.loads(line), schema)


def test_console_script_runs_as_a_real_process(tmp_path):
    exe = Path(sys.executable).with_name("eventscribe")
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    out = tmp_path / "events.jsonl"
    proc = subprocess.run([str(exe), "extract", "-", "--published", "2024-03-06", "--out", str(out), "--quiet"],
                          input=ARTICLE, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert '"COERCE"' in out.read_text()


def test_error_lines_keep_square_brackets_and_name_the_path(tmp_path):
    bad = tmp_path / "notes[bold].txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = run("extract", str(bad), "--format", "jsonl", "--quiet")
    assert result.exit_code == 1
    (line,) = [l for l in result.stderr.splitlines() if l.startswith("error")]
    assert str(bad) in line  # the whole path, brackets and all


def test_version_and_short_help():
    from eventscribe import __version__

    assert run("--version").stdout.strip() == f"eventscribe {__version__}"
    assert "Usage" in run("extract", "-h").stdout
    assert "jsonl|json|csv|table" in run("extract", "--help").stdout  # choices are listed
    assert "--install-completion" in run("--help").stdout


def test_undated_documents_are_named_once(tmp_path):
    (tmp_path / "a.txt").write_text("Police arrested two men in Nairobi on Friday.\n")
    (tmp_path / "b.txt").write_text("Troops shelled a village in Mali last week.\n")
    result = run("extract", str(tmp_path), "--format", "jsonl", "--quiet")
    warnings = [l for l in result.stderr.splitlines() if l.startswith("warning")]
    assert len(warnings) == 1 and "a" in warnings[0] and "b" in warnings[0] and "--published" in warnings[0]
    dated = run("extract", str(tmp_path), "--published", "2024-03-06", "--format", "jsonl", "--quiet")
    assert not [l for l in dated.stderr.splitlines() if l.startswith("warning")]


def test_table_is_one_compact_line_per_event(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE + "Gunmen killed three villagers in Borno state on Monday.\n")
    result = run("extract", str(tmp_path / "a.txt"), "--published", "2024-03-06", "--format", "table", "--quiet")
    lines = result.stdout.splitlines()
    assert lines[-1].endswith("events")
    n = int(lines[-1].split()[0])
    assert n >= 2 and len(lines) == n + 1
    assert any(l.startswith("a  COERCE") and "Nairobi" in l for l in lines)


def test_read_only_commands_refuse_a_missing_database(tmp_path):
    missing = tmp_path / "typo.db"
    for args in (["events"], ["stats"], ["export", "-f", "jsonl"]):
        result = run(*args, "--db", str(missing))
        assert result.exit_code == 3, (args, result.output)
        assert "no database at" in result.stderr and str(missing) in result.stderr
        assert not missing.exists()


def test_events_country_takes_names_and_refuses_unknown_ones(tmp_path):
    db = tmp_path / "store.db"
    (tmp_path / "a.txt").write_text("Gunmen killed three villagers in Borno state, Nigeria, on Monday.\n")
    assert run("ingest", str(tmp_path / "a.txt"), "--db", str(db), "--published", "2024-03-06", "--quiet").exit_code == 0
    by_code = run("events", "--db", str(db), "--country", "NGA", "-f", "jsonl")
    by_name = run("events", "--db", str(db), "--country", "Nigeria", "-f", "jsonl")
    assert by_code.stdout and by_code.stdout == by_name.stdout
    bad = run("events", "--db", str(db), "--country", "Nigerria", "-f", "jsonl")
    assert bad.exit_code == 2 and "NGA" in bad.stderr
    as_json = run("export", "--db", str(db), "-f", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)


def test_ingest_dask_flag_takes_no_value(tmp_path):
    result = run("ingest", "--help")
    assert "--dask" in result.stdout and "--scheduler" in result.stdout
    bad = run("ingest", str(tmp_path), "--scheduler", "not an address", "--db", str(tmp_path / "x.db"))
    assert bad.exit_code == 2


def test_serve_refuses_a_busy_port_and_reads_the_token_from_a_file(tmp_path):
    import socket

    from eventscribe.store import Store

    db = tmp_path / "s.db"
    Store(str(db)).close()
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        busy = run("serve", "--db", str(db), "--port", str(port))
        assert busy.exit_code == 2 and "in use" in busy.stderr
    empty = tmp_path / "token"
    empty.write_text("\n")
    assert run("serve", "--db", str(db), "--token-file", str(empty)).exit_code == 2


def test_database_errors_never_show_a_password():
    result = run("stats", "--db", "nosuchdriver://alice:hunter2@db.example.org/events")
    assert result.exit_code == 3 and "hunter2" not in result.stderr and "alice:***@" in result.stderr


def test_a_refused_option_is_one_error_line_and_its_exit_code(tmp_path, monkeypatch):
    """Wrong words and a missing database each stop the command with a single ``error:`` line
    on standard error, no traceback, and the exit code that says which (2 usage, 3 database)."""
    from eventscribe import userdict
    from eventscribe.store import Store

    monkeypatch.delenv(userdict.ENV, raising=False)
    Store(str(tmp_path / "empty.db")).close()
    cases = [(("extract", "-", "--published", "last week"), 2, "--published must be a date"),
             (("export", "--db", str(tmp_path / "none.db"), "--format", "parquet"), 2, "needs --out FILE"),
             (("events", "--db", str(tmp_path / "none.db")), 3, "no database at"),
             (("dictionary", "check"), 2, "give a directory"),
             (("review", "accept", "999", "--db", str(tmp_path / "empty.db"), "--reviewer", "ana"), 2, "999")]
    for args, code, words in cases:
        result = run(*args, stdin="")
        assert result.exit_code == code, (args, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
        assert not result.stdout
