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
