"""A partner that answers with captured responses, served over real HTTP on loopback.

``tests/interop/partners/<platform>/`` holds responses as DSpace and EPrints
write them: ``Identify.xml``, ``ListRecords.xml`` (the first page) and
``ListRecords-<token>.xml`` for each resumption token (URL-quoted: ``/`` is
``%2F``). A test may replace any answer (a page cut off, an
OAI error, an HTML page) before or between runs; every request is logged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PARTNERS = Path(__file__).parent / "partners"


def oai_error(code: str, message: str = "") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            b"<responseDate>2026-11-22T00:00:00Z</responseDate>"
            b"<request>http://partner/oai</request>"
            + f'<error code="{code}">{message}</error></OAI-PMH>'.encode())


class CapturedPartner:
    """Answers by key: ``Identify``, ``ListRecords`` or ``ListRecords:<token>``."""

    def __init__(self, platform: str) -> None:
        folder = PARTNERS / platform
        self.answers: dict[str, tuple[int, str, bytes]] = {}
        for path in folder.glob("*.xml"):
            verb, _, token = path.stem.partition("-")
            key = f"{verb}:{unquote(token)}" if token else verb
            self.answers[key] = (200, "text/xml; charset=utf-8", path.read_bytes())
        self.requests: list[dict[str, str]] = []
        self.url = ""

    def answer(self, key: str, body: bytes, status: int = 200,
               content_type: str = "text/xml; charset=utf-8") -> None:
        self.answers[key] = (status, content_type, body)

    def page(self, key: str) -> bytes:
        return self.answers[key][2]

    def respond(self, query: dict[str, str]) -> tuple[int, str, bytes]:
        self.requests.append(query)
        verb = query.get("verb", "")
        key = f"{verb}:{query['resumptionToken']}" if "resumptionToken" in query else verb
        if key in self.answers:
            return self.answers[key]
        if "resumptionToken" in query:
            return 200, "text/xml", oai_error("badResumptionToken", "unknown token")
        return 200, "text/xml", oai_error("badVerb")


@contextmanager
def serve(partner: CapturedPartner, host: str = "127.0.0.1") -> Iterator[CapturedPartner]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            status, content_type, body = partner.respond(query)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    partner.url = f"http://{host}:{server.server_port}/oai/request"
    try:
        yield partner
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
