"""Harvesting a third-party OAI-PMH provider: pyoai's server module, on loopback over real HTTP.

pyoai builds its own responses and resumption tokens (with batches of
three here), so a harvest of it proves the harvester follows another
implementation's protocol, not only ours or captured pages.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from repo_app.db import standalone_session
from repo_app.models import HarvestedRecord

oaipmh = pytest.importorskip("oaipmh", reason="pyoai (the third-party provider) is not installed")
from oaipmh import common, error, metadata, server  # noqa: E402

BASE = "http://pyoai.example.org/oai"
EARLY = datetime(2020, 1, 1, tzinfo=None)


class Catalogue:
    """The provider's data: ``records`` maps identifier → (datestamp, deleted, dc fields)."""

    def __init__(self) -> None:
        self.records: dict[str, tuple[datetime, bool, dict[str, list[str]]]] = {}

    def identify(self):
        return common.Identify("Thư viện Đại học Bên Ngoài", BASE, "2.0", ["lib@example.org"],
                               EARLY, "persistent", "YYYY-MM-DDThh:mm:ssZ", ["identity"])

    def listMetadataFormats(self, identifier=None):  # noqa: N802 - pyoai's interface
        return [("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                 "http://www.openarchives.org/OAI/2.0/oai_dc/")]

    def listSets(self, cursor=None, batch_size=None):  # noqa: N802
        raise error.NoSetHierarchyError("no sets")

    def _items(self, from_=None, until=None):
        for ident, (stamp, deleted, fields) in sorted(self.records.items()):
            if (from_ and stamp < from_) or (until and stamp > until):
                continue
            header = common.Header(None, ident, stamp, [], deleted)
            yield header, (None if deleted else common.Metadata(None, fields)), None

    def listRecords(self, metadataPrefix, set=None, from_=None, until=None):  # noqa: N802, A002
        if metadataPrefix != "oai_dc":
            raise error.CannotDisseminateFormatError(metadataPrefix)
        found = list(self._items(from_, until))
        if not found:
            raise error.NoRecordsMatchError("nothing")
        return found

    def listIdentifiers(self, metadataPrefix, set=None, from_=None, until=None):  # noqa: N802, A002
        return [h for h, _, _ in self.listRecords(metadataPrefix, set, from_, until)]

    def getRecord(self, metadataPrefix, identifier):  # noqa: N802
        return next(r for r in self._items() if r[0].identifier() == identifier)


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Catalogue, str]]:
    # pyoai 2.5.1 decodes its own tokens with cgi.parse_qs, gone since Python 3.8.
    monkeypatch.setattr(server.cgi, "parse_qs", parse_qs, raising=False)
    catalogue = Catalogue()
    registry = metadata.MetadataRegistry()
    registry.registerWriter("oai_dc", server.oai_dc_writer)
    oai = server.Server(catalogue, registry, resumption_batch_size=3)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            body = oai.handleRequest(query)
            body = body if isinstance(body, bytes) else body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield catalogue, f"http://127.0.0.1:{http.server_port}/oai"
    finally:
        http.shutdown()
        http.server_close()
        thread.join(timeout=10)


def fields(n: int) -> dict[str, list[str]]:
    return {"title": [f"Đề tài số {n}"], "creator": ["Phan, Văn Khải"],
            "date": ["2018"], "identifier": [f"http://pyoai.example.org/item/{n}"]}


def live(app) -> dict[str, HarvestedRecord]:
    with standalone_session(app) as db:
        return {r.oai_identifier: r for r in db.scalars(
            select(HarvestedRecord).where(HarvestedRecord.deleted.is_(False)))}


def test_a_third_party_provider_is_harvested_through_its_tokens(app, runner, provider):
    catalogue, url = provider
    for n in range(8):
        catalogue.records[f"oai:pyoai:{n}"] = (datetime(2021, 1, 1), False, fields(n))
    result = runner.invoke(args=["harvest", url])
    assert result.exit_code == 0, result.output
    assert "3 pages" in result.output and "8 added" in result.output
    row = live(app)["oai:pyoai:5"]
    assert (row.title, row.year, row.url) == ("Đề tài số 5", 2018,
                                               "http://pyoai.example.org/item/5")


def test_changes_and_deletions_at_the_provider_reach_the_catalogue(app, runner, provider):
    catalogue, url = provider
    for n in range(4):
        catalogue.records[f"oai:pyoai:{n}"] = (datetime(2021, 1, 1), False, fields(n))
    assert runner.invoke(args=["harvest", url]).exit_code == 0
    later = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    catalogue.records["oai:pyoai:1"] = (later, True, {})
    catalogue.records["oai:pyoai:2"] = (later, False, {**fields(2), "title": ["Tên mới"]})
    result = runner.invoke(args=["harvest", url, "--from", "2022-01-01"])
    assert result.exit_code == 0, result.output
    assert "1 updated, 1 deleted" in result.output
    assert set(live(app)) == {"oai:pyoai:0", "oai:pyoai:2", "oai:pyoai:3"}
    assert live(app)["oai:pyoai:2"].title == "Tên mới"


def test_a_provider_refusing_the_format_fails_the_run(app, runner, provider):
    catalogue, url = provider
    catalogue.listRecords = lambda *a, **k: (_ for _ in ()).throw(
        error.BadArgumentError("not today"))
    result = runner.invoke(args=["harvest", url])
    assert result.exit_code == 1
    assert "badArgument" in result.output
    assert live(app) == {}
