"""Tests for eventscribe.sources: every kind of input, and every way it can fail.

Fixtures in tests/fixtures/sources/ are our own invented news snippets. WARC
files, oversized files and the HTTP server are made by the tests themselves.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import socket
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eventscribe.model import Document, DocumentError
from eventscribe.sources import content_hash, document_id_for_url, read_sources

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
REPO = Path(__file__).resolve().parents[1]


def read(*paths: object, **kwargs: object) -> list[Document | DocumentError]:
    kwargs.setdefault("host_delay", 0.0)  # the local test server needs no politeness delay
    return list(read_sources([str(p) for p in paths], **kwargs))


def only_doc(*paths: object, **kwargs: object) -> Document:
    items = read(*paths, **kwargs)
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def only_error(*paths: object, **kwargs: object) -> DocumentError:
    items = read(*paths, **kwargs)
    assert len(items) == 1 and isinstance(items[0], DocumentError), items
    return items[0]


# --- helpers ------------------------------------------------------------------------


def test_content_hash_ignores_whitespace_layout_only():
    assert content_hash("Troops  fired\n tear gas.") == content_hash("Troops fired tear gas.")
    assert content_hash("Troops fired tear gas.") != content_hash("Troops fired rubber bullets.")
    assert len(content_hash("x")) == 40


def test_document_id_for_url_is_canonical():
    url = "HTTP://News.Example.COM:80/world/story.html?utm_source=rss&b=2&a=1#comments"
    assert document_id_for_url(url) == "http://news.example.com/world/story.html?a=1&b=2"
    assert document_id_for_url(" https://news.example.com/a ") == "https://news.example.com/a"
    assert document_id_for_url("urn:uuid:1234") == "urn:uuid:1234"


# --- plain text -----------------------------------------------------------------------


def test_txt_file_id_is_stem_and_fallback_date_applies():
    doc = only_doc(FIXTURES / "harbour-strike.txt", published=dt.date(2024, 3, 6))
    assert doc.id == "harbour-strike"
    assert doc.text.startswith("Dock workers in the port of Valmora")
    assert doc.published == dt.date(2024, 3, 6)
    assert doc.source.endswith("harbour-strike.txt")


def test_txt_newlines_normalised_and_bom_stripped(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbfLine one\r\nLine two\rLine three\n")
    assert only_doc(path).text == "Line one\nLine two\nLine three\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty file"),
        ("blank.txt", "empty document"),
        ("latin1.txt", "not valid UTF-8 at byte 14"),
        ("disguised.txt", "binary file (PNG image), not text"),
        ("pixel.png", "binary file (PNG image), not text"),
    ],
)
def test_unreadable_files_give_one_clear_error(name, message):
    error = only_error(FIXTURES / name)
    assert message in error.message
    assert error.doc_id == Path(name).stem


def test_nul_bytes_mean_binary(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_bytes(b"some text\x00\x01\x02 more")
    assert only_error(path).message == "binary file (contains NUL bytes), not text"


def test_missing_path_and_unknown_extension(tmp_path):
    assert only_error(tmp_path / "nope.txt").message == "no such file or directory"
    plain = tmp_path / "article"
    plain.write_text("Rebels shelled the airport road on Sunday.\n")
    doc = only_doc(plain)
    assert (doc.id, doc.text) == ("article", "Rebels shelled the airport road on Sunday.\n")


def test_over_max_bytes_is_refused_without_reading(tmp_path):
    html = tmp_path / "long.html"
    html.write_text("<p>" + "word " * 1000 + "</p>")  # 5,007 bytes
    assert only_error(html, max_bytes=2000).message == "file is 5 kB, over the 2 kB limit"
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:  # sparse: instant, and the reader must not read it
        fh.truncate(52_400_000)
    assert only_error(huge).message == "file is 52.4 MB, over the 20 MB limit"


# --- HTML -------------------------------------------------------------------------------


def test_html_main_text_title_and_date_without_boilerplate():
    doc = only_doc(FIXTURES / "bridge-protest.html", published=dt.date(2000, 1, 1))
    assert doc.id == "bridge-protest"
    assert doc.title == "Residents block bridge over closure plan"
    assert doc.published == dt.date(2024, 5, 21)  # from the page, not the fallback
    paragraphs = doc.text.split("\n\n")
    assert any(p.startswith("Several hundred residents of Eastford") for p in paragraphs)
    assert any("free shuttle bus" in p for p in paragraphs)
    for boilerplate in ("Most read", "Typical council", "Copyright", "Privacy policy", "Weather"):
        assert boilerplate not in doc.text


def test_truncated_html_still_gives_its_text():
    doc = only_doc(FIXTURES / "truncated-page.html")
    assert doc.title == "Ferry service suspended"
    assert "The ferry link between Portlin and the island of Skerra" in doc.text
    assert "check before trave" in doc.text


def test_html_without_main_text_is_an_error():
    assert only_error(FIXTURES / "menu-only.html").message == "no main text found in HTML"


def test_html_declared_charset_is_honoured(tmp_path):
    body = "<p>Café owners in Lyon protested on Monday against a new tax on terraces.</p>"
    declared = tmp_path / "declared.html"
    declared.write_bytes(f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'.encode("latin-1"))
    assert "Café owners" in only_doc(declared).text
    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(f"<html><body>{body}</body></html>".encode("latin-1"))
    assert only_error(undeclared).message == "not valid UTF-8 at byte 18 and no charset declared"
    unknown = tmp_path / "unknown.html"  # an unknown charset name counts as none
    unknown.write_bytes(f'<html><head><meta charset="no-such-set"></head><body>{body}</body></html>'.encode())
    assert "Café owners" in only_doc(unknown).text


# --- JSONL, JSON, YAML ----------------------------------------------------------------------


def test_jsonl_good_lines_survive_bad_ones():
    items = read(FIXTURES / "wire.jsonl", published=dt.date(2024, 1, 1))
    by_line = {i.line: i for i in items if isinstance(i, DocumentError)}
    docs = {d.id: d for d in items if isinstance(d, Document)}
    assert list(docs) == ["wire-001", "wire-002", "wire-6", "wire-007"]
    assert docs["wire-001"].published == dt.date(2024, 4, 2)
    assert docs["wire-001"].url == "https://news.example.org/talks-resume"
    assert docs["wire-001"].title == "Talks resume in Geneva"
    assert docs["wire-002"].published == dt.date(2024, 4, 3)  # from an ISO datetime
    assert docs["wire-6"].published == dt.date(2024, 1, 1)  # fallback; id from stem + line
    assert docs["wire-007"].text.startswith("Customs officers seized 40 kilograms")  # from 'html'
    assert sorted(by_line) == [3, 4, 7]
    assert by_line[3].message.startswith("line 3: invalid JSON (Expecting ',' delimiter")
    assert by_line[4].message.startswith("line 4: invalid 'published' date '4th of April'")
    assert by_line[4].doc_id == "wire-004"
    assert by_line[7].message == "line 7: no 'text' or 'html' field"


def test_jsonl_line_over_limit_is_skipped_and_reading_goes_on(tmp_path):
    path = tmp_path / "big.jsonl"
    long_text = "x" * 3000
    path.write_bytes(
        b'{"id": "a", "text": "short one"}\n'
        + f'{{"id": "b", "text": "{long_text}"}}\n'.encode()
        + b'{"id": "c", "text": "short two"}\n'
        + b'{"id": "d", "text": "caf\xe9"}\n'
    )
    items = read(path, max_bytes=1000)  # the file is over the limit, each line but one is not
    assert [i.id for i in items if isinstance(i, Document)] == ["a", "c"]
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert [e.line for e in errors] == [2, 4]
    assert errors[0].message == "line 2: over the 1 kB limit"
    bad_byte = path.read_bytes().index(b"\xe9")
    assert errors[1].message == f"line 4: not valid UTF-8 at byte {bad_byte}"


def test_yaml_gold_style_document_ignores_extra_keys():
    doc = only_doc(FIXTURES / "market-fire.yaml")
    assert doc.id == "market-fire-2024-06"
    assert doc.published == dt.date(2024, 6, 9)
    assert doc.title == "Fire destroys stalls at central market"
    assert doc.url is None
    assert doc.text.startswith("A fire swept through the central market of Dunmore")


def test_json_list_of_documents():
    items = read(FIXTURES / "briefs.json")
    assert [type(i).__name__ for i in items] == ["Document", "Document", "DocumentError"]
    assert items[0].id == "brief-1" and items[0].published == dt.date(2024, 7, 1)
    assert items[1].id == "briefs-2"
    assert items[2].message == "item 3: expected an object, got a string"


def test_invalid_json_and_yaml_name_the_line(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{\n  "id": "x",\n  "text": "a"\n  "title": "b"\n}\n')
    error = only_error(bad_json)
    assert error.line == 4 and error.message.startswith("invalid JSON (Expecting ',' delimiter at line 4")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("id: x\ntext: [unclosed\ntitle: y\n")
    error = only_error(bad_yaml)
    assert error.message.startswith("invalid YAML (") and error.line is not None


def test_gold_examples_read_as_documents():
    gold = sorted((REPO / "examples" / "gold").glob("*.yaml"))
    if not gold:
        pytest.skip("no gold examples yet")
    for path in gold:
        doc = only_doc(path)
        assert doc.text.strip(), path


# --- folders ------------------------------------------------------------------------------------


def test_folder_recursive_sorted_skips_hidden_and_other_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "report.txt").write_text("Report A.")
    (tmp_path / "b" / "report.txt").write_text("Report B.")
    (tmp_path / "report.yaml").write_text("text: Report C.\n")
    (tmp_path / "zeta.txt").write_text("Zeta.")
    (tmp_path / "zeta.htm").write_text("<html><body><p>Zeta in HTML, a short page.</p></body></html>")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".git" / "x.txt").write_text("hidden too")
    (tmp_path / "notes.md").write_text("not an input kind")
    items = read(tmp_path)
    assert all(isinstance(i, Document) for i in items), items
    assert [(d.id, d.text) for d in items] == [
        ("a/report", "Report A."),
        ("b/report", "Report B."),
        ("report", "Report C."),
        ("zeta.htm", "Zeta in HTML, a short page."),
        ("zeta.txt", "Zeta."),
    ]


def test_fixture_folder_reads_without_crashing():
    items = read(FIXTURES)
    assert sum(isinstance(i, Document) for i in items) >= 10
    assert not any(isinstance(i, DocumentError) and i.message.startswith("unexpected") for i in items)
    assert not any(i.source.endswith(".png") for i in items)  # not an input extension


def test_one_bad_input_never_stops_the_others(tmp_path):
    items = read(tmp_path / "missing.txt", FIXTURES / "pixel.png", FIXTURES / "harbour-strike.txt")
    assert [type(i).__name__ for i in items] == ["DocumentError", "DocumentError", "Document"]


def test_read_sources_is_lazy():
    def paths() -> Iterator[str]:
        yield str(FIXTURES / "harbour-strike.txt")
        raise AssertionError("read past the first input")

    first = next(read_sources(paths()))
    assert first.id == "harbour-strike"


# --- feeds from files ---------------------------------------------------------------------------


def test_atom_feed_file_entries_become_documents():
    items = read(FIXTURES / "regional.atom")
    assert all(isinstance(i, Document) for i in items) and len(items) == 2
    first, second = items
    assert first.id == "https://desk.example.net/2024/08/governor-teachers"
    assert first.title == "Governor meets striking teachers"
    assert first.published == dt.date(2024, 8, 2)  # <published>, not <updated>
    assert first.text.split("\n\n") == [
        "The provincial governor met leaders of the teachers' union on Friday, the tenth day of a strike over unpaid wages.",
        "Both sides said the meeting was constructive and agreed to meet again next week.",
    ]
    assert second.id == "tag:desk.example.net,2024:road-reopens"
    assert second.url is None
    assert second.published == dt.date(2024, 8, 1)


def test_rss_feed_file_entries_and_entry_without_text():
    items = read(FIXTURES / "national.rss")
    assert [type(i).__name__ for i in items] == ["Document", "Document", "DocumentError"]
    assert items[0].id == "https://briefs.example.com/politics/early-election"
    assert items[0].published == dt.date(2024, 9, 9)
    assert items[0].text.endswith("\n\nThe prime minister rejected the call.")
    assert items[1].id == "briefs-20240908-rail"
    assert items[2].doc_id == "https://briefs.example.com/politics/link-only"
    assert "no text" in items[2].message


def test_xml_that_is_not_a_feed(tmp_path):
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?><settings><colour>blue</colour></settings>')
    assert only_error(path).message.startswith("not an RSS or Atom feed")


# --- WARC ------------------------------------------------------------------------------------------

WARC_PAGES = [
    ("https://www.example.org/news/dam-protest?utm_campaign=x", "Dam protest",
     "Farmers marched on the new dam site on Monday, demanding a share of the water for their fields."),
    ("https://www.example.org/news/port-deal", "Port deal signed",
     "The two neighbouring states signed a deal on Tuesday to run the border port jointly."),
    ("https://www.example.org/news/curfew", "Curfew extended",
     "The army extended the curfew in the northern districts by a week after overnight attacks."),
]


def _page(title: str, text: str) -> bytes:
    return (
        f"<html><head><title>{title}</title>"
        '<meta property="article:published_time" content="2024-10-15"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    ).encode()


def write_warc(path: Path, gzip: bool) -> int:
    """A WARC with three HTML responses among records to skip; returns where the last page starts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(uri: str, status: str, ctype: str, body: bytes):
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "eventscribe tests"}))
        last_start = 0
        for n, (uri, title, text) in enumerate(WARC_PAGES):
            if n == 2:
                writer.write_record(response("https://www.example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"))
                writer.write_record(response("https://www.example.org/gone", "404 Not Found", "text/html", _page("Gone", "Not here.")))
                writer.write_record(
                    writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
                )
                last_start = fh.tell()
            writer.write_record(response(uri, "200 OK", "text/html; charset=utf-8", _page(title, text)))
    return last_start


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_warc_html_responses_become_documents(tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, gzip)
    items = read(path)
    assert all(isinstance(i, Document) for i in items), items
    assert [d.id for d in items] == [
        "https://www.example.org/news/dam-protest",
        "https://www.example.org/news/port-deal",
        "https://www.example.org/news/curfew",
    ]
    assert items[0].url == WARC_PAGES[0][0]
    assert items[0].title == "Dam protest"
    assert items[0].published == dt.date(2024, 10, 15)
    assert WARC_PAGES[0][2] in items[0].text and "Home" not in items[0].text


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_gives_records_before_damage_then_one_error(tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    last_start = write_warc(path, gzip)
    data = path.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(data[: (last_start + len(data)) // 2])
    items = read(cut)
    assert [type(i).__name__ for i in items] == ["Document", "Document", "DocumentError"]
    assert items[-1].message.startswith("WARC is")
    assert "truncated" in items[-1].message or "damaged" in items[-1].message


def test_not_a_warc(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("hello, this is not an archive\n")
    assert only_error(path).message.startswith("not a WARC file")


# --- stdin -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Police dispersed a sit-in outside the ministry.\n", ["stdin"]),
        ((FIXTURES / "bridge-protest.html").read_text(), ["stdin"]),
        ('{"id": "s1", "text": "One."}\n{"id": "s2", "text": "Two."}\n', ["s1", "s2"]),
        ('{\n  "id": "s3",\n  "text": "Pretty-printed JSON."\n}\n', ["s3"]),
        ((FIXTURES / "national.rss").read_text(), ["https://briefs.example.com/politics/early-election",
                                                   "briefs-20240908-rail"]),
    ],
    ids=["text", "html", "jsonl", "json", "rss"],
)
def test_stdin_kind_is_detected_by_content(monkeypatch, content, expected):
    monkeypatch.setattr(sys, "stdin", io.StringIO(content))
    items = read("-")
    assert [d.id for d in items if isinstance(d, Document)] == expected
    assert all(d.source == "stdin" for d in items if isinstance(d, Document))


def test_stdin_bytes_warc_and_binary(monkeypatch, tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gzip=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    assert len([d for d in read("-") if isinstance(d, Document)]) == 3
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((FIXTURES / "pixel.png").read_bytes())))
    assert only_error("-").message == "binary file (PNG image), not text"
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert only_error("-").message == "empty input"


# --- HTTP: a real local server ------------------------------------------------------------------------

ARTICLE_ONE = (
    "<html><head><title>Minister resigns over contracts</title>"
    '<meta name="date" content="2024-11-04"></head><body>'
    "<nav><a href='/'>Home</a> <a href='/politics'>Politics</a></nav>"
    "<article><p>The transport minister resigned on Monday after auditors questioned how road contracts were awarded.</p>"
    "<p>The prime minister accepted the resignation and named a deputy as caretaker.</p></article>"
    "<footer>All rights reserved.</footer></body></html>"
)
ARTICLE_TWO = (
    "<html><head><title>Strikers return</title></head><body><article>"
    "<p>Workers at the Córdoba car plant returned to work on Tuesday after a deal on overtime pay.</p>"
    "</article></body></html>"
)


def _feed(base: str) -> str:
    items = [
        ("Minister resigns", f"{base}/articles/one.html?utm_source=rss", "Summary of the resignation."),
        ("Strikers return", f"{base}/articles/two.html", "Summary of the strike ending."),
        ("Gone story", f"{base}/articles/gone.html", "Summary of a story that was taken down."),
    ]
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
        f"<pubDate>Mon, 04 Nov 2024 09:00:00 +0000</pubDate></item>"
        for t, link, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local test feed</title>{body}</channel></rss>'


class _Handler(BaseHTTPRequestHandler):
    hits: defaultdict[str, int] = defaultdict(int)

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        path = self.path.split("?")[0]
        self.hits[self.path] += 1
        if path == "/feed.xml":
            self._send(200, "application/rss+xml", _feed(base).encode())
        elif path == "/feed-generic":
            self._send(200, "application/xml", _feed(base).encode())
        elif path == "/articles/one.html":
            self._send(200, "text/html; charset=utf-8", ARTICLE_ONE.encode())
        elif path == "/articles/two.html":  # charset only in the HTTP header
            self._send(200, "text/html; charset=iso-8859-1", ARTICLE_TWO.encode("latin-1"))
        elif path == "/redirect":
            self._send(302, "text/plain", b"", {"Location": "/articles/one.html"})
        elif path == "/flaky.html":
            if self.hits[self.path] <= 2:
                self._send(503, "text/plain", b"busy")
            else:
                self._send(200, "text/html", ARTICLE_ONE.encode())
        elif path == "/busy.html":
            self._send(503, "text/plain", b"busy")
        elif path == "/big.html":
            self._send(200, "text/html", b"<p>" + b"words " * 1000 + b"</p>")
        elif path == "/pixel.png":
            self._send(200, "image/png", (FIXTURES / "pixel.png").read_bytes())
        else:
            self._send(404, "text/plain", b"not found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_article_url_is_fetched_and_extracted(server):
    doc = only_doc(f"{server}/articles/one.html")
    assert doc.id == f"{server}/articles/one.html"
    assert doc.url == f"{server}/articles/one.html"
    assert doc.title == "Minister resigns over contracts"
    assert doc.published == dt.date(2024, 11, 4)
    assert doc.text.split("\n\n")[0].startswith("The transport minister resigned on Monday")
    assert "Home" not in doc.text and "rights reserved" not in doc.text


def test_http_charset_header_is_honoured(server):
    assert "Córdoba car plant" in only_doc(f"{server}/articles/two.html").text


def test_redirect_is_followed(server):
    doc = only_doc(f"{server}/redirect")
    assert doc.url == f"{server}/articles/one.html"
    assert doc.id == f"{server}/redirect"


def test_feed_url_fetches_each_article_with_errors_per_article(server):
    items = read(f"{server}/feed.xml")
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Document", "Document", "DocumentError", "Document"]
    one, two, gone_error, gone_summary = items
    assert one.id == f"{server}/articles/one.html"  # tracking parameter dropped
    assert one.title == "Minister resigns"  # the feed's title wins
    assert one.published == dt.date(2024, 11, 4)
    assert "auditors questioned how road contracts were awarded" in one.text
    assert one.source == f"{server}/feed.xml"
    assert "Córdoba" in two.text
    assert gone_error.source == f"{server}/articles/gone.html"
    assert gone_error.message.startswith("article: HTTP 404 Not Found")
    assert gone_summary.text == "Summary of a story that was taken down."


def test_feed_url_without_fetching_and_generic_content_type(server):
    items = read(f"{server}/feed-generic", fetch_articles=False)
    assert [d.text for d in items] == [
        "Summary of the resignation.",
        "Summary of the strike ending.",
        "Summary of a story that was taken down.",
    ]


def test_retries_then_success(server):
    _Handler.hits.clear()
    doc = only_doc(f"{server}/flaky.html")
    assert doc.title == "Minister resigns over contracts"
    assert _Handler.hits["/flaky.html"] == 3


def test_server_errors_give_up_after_retries(server):
    error = only_error(f"{server}/busy.html", retries=1)
    assert error.message == "HTTP 503 Service Unavailable (gave up after 2 attempts)"


def test_http_size_limit_and_binary_content(server):
    assert only_error(f"{server}/big.html", max_bytes=1000).message == "response is 6 kB, over the 1 kB limit"
    assert only_error(f"{server}/pixel.png").message == "binary content (image/png), not text"


def test_unreachable_feed_is_one_error():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    error = only_error(f"http://127.0.0.1:{port}/feed.xml", retries=1)
    assert error.message.startswith("cannot connect")
    assert error.message.endswith("(gave up after 2 attempts)")
    assert error.doc_id == f"http://127.0.0.1:{port}/feed.xml"


def test_silent_server_times_out():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)  # accepts the connection in the kernel, never answers
    try:
        error = only_error(f"http://127.0.0.1:{sock.getsockname()[1]}/slow", timeout=0.3, retries=0)
    finally:
        sock.close()
    assert error.message == "timed out after 0.3 s"


def test_fetches_to_one_host_are_spaced_and_only_http(server):
    import time

    started = time.monotonic()
    items = read(f"{server}/feed.xml", host_delay=0.3)  # the feed, then three articles
    assert len(items) == 4 and time.monotonic() - started >= 0.9
    from eventscribe.sources.common import Unreadable
    from eventscribe.sources.fetch import Fetcher

    with pytest.raises(Unreadable, match="only http and https"):
        Fetcher(1.0, 0, 1000).get("file:///etc/passwd")


def test_known_links_are_not_fetched_again(server):
    _Handler.hits.clear()
    items = read(f"{server}/feed.xml", known_url=lambda url: "one.html" in url)
    assert not any(i.url and "one.html" in i.url for i in items if isinstance(i, Document))
    assert not [p for p in _Handler.hits if p.startswith("/articles/one.html")]


def test_fixture_copy_is_independent_of_cwd(tmp_path, monkeypatch):
    shutil.copy(FIXTURES / "harbour-strike.txt", tmp_path / "x.txt")
    monkeypatch.chdir(tmp_path)
    assert only_doc("x.txt").source == "x.txt"


def test_jsonl_problems_cost_only_their_own_line(tmp_path):
    """A NUL byte in the first line, deep nesting in another: each fails its line only."""
    good = json.dumps({"id": "ok", "text": "Police arrested two men in Nairobi on Friday."})
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "nul", "text": "bad\x00byte"}\n'
                     + ('{"id": "deep", "text": "x", "meta": ' + "[" * 5000 + "]" * 5000 + "}\n").encode()
                     + good.encode() + b"\n")
    items = list(read_sources([str(path)]))
    errors = [i for i in items if isinstance(i, DocumentError)]
    docs = [i for i in items if not isinstance(i, DocumentError)]
    assert [d.id for d in docs] == ["ok"]
    assert sorted(e.line for e in errors) == [1, 2]
    assert any("nested too deeply" in e.message for e in errors)


def test_escaped_nul_in_json_text_becomes_a_space(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Troops\u0000shelled the town."}) + "\n")
    (doc,) = list(read_sources([str(path)]))
    assert doc.text == "Troops shelled the town."


def _arc_record(url: str, body: bytes, date: str = "20240521093000") -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    return f"{url} 127.0.0.1 {date} text/html {len(http)}\n".encode() + http + b"\n"


def test_arc_files_are_read_as_archives(tmp_path):
    header_body = b"1 0 eventscribe tests\nURL IP-address Archive-date Content-type Archive-length\n"
    filedesc = f"filedesc://crawl.arc 0.0.0.0 20240521093000 text/plain {len(header_body)}\n".encode()
    page = (FIXTURES / "bridge-protest.html").read_bytes()
    path = tmp_path / "crawl.arc"
    path.write_bytes(filedesc + header_body + b"\n" + _arc_record("https://news.example.org/bridge", page))
    docs = [d for d in read(path) if isinstance(d, Document)]
    assert [d.url for d in docs] == ["https://news.example.org/bridge"]
    assert "bridge" in docs[0].text.lower()


def test_warcio_warnings_become_one_line(tmp_path, capfd):
    """A record whose Content-Length is too short: warcio's multi-line warning, our one line."""
    good = tmp_path / "good.warc"
    write_warc(good, gzip=False)
    data = good.read_bytes()
    start = data.index(b"WARC-Type: response")
    length_at = data.index(b"Content-Length: ", start) + len(b"Content-Length: ")
    end = data.index(b"\r\n", length_at)
    declared = int(data[length_at:end])
    broken = data[:length_at] + str(declared - 5).encode() + data[end:]
    path = tmp_path / "short.warc"
    path.write_bytes(broken)
    read(path)
    err = capfd.readouterr().err
    warnings = [l for l in err.splitlines() if l.strip()]
    assert warnings and all(l.startswith(f"warning {path}: record ") for l in warnings), err


def test_inputs_are_counted_for_progress_bars(tmp_path):
    from eventscribe.sources import count_inputs

    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{"text": "z"}\n')
    (tmp_path / ".hidden.txt").write_text("skipped")
    assert count_inputs([str(tmp_path)]) == 4
    assert count_inputs([str(tmp_path / "a.txt"), str(tmp_path / "missing.txt")]) == 2
    assert count_inputs(["-"]) is None and count_inputs(["https://example.org/feed"]) is None


def test_symlink_loops_and_broken_links_say_so(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    assert only_error(loop).message == "symbolic link loop"
    assert only_error(dangling).message.startswith("broken symbolic link")


def test_gzip_that_is_not_a_warc_is_named_so(tmp_path):
    import gzip

    path = tmp_path / "notes.warc.gz"
    path.write_bytes(gzip.compress(b"just some text, no archive records\n" * 20))
    message = only_error(path).message
    assert message.startswith("not a WARC file") and "arc data" not in message
