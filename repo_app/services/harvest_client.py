"""Talking to a partner's OAI-PMH endpoint: HTTP, strict XML, and the protocol's errors.

Lenient parsing is how records get lost: a page cut off mid-record, read
by a forgiving parser, yields a bogus record and no resumption token, and
the list looks complete. Here every response must be well-formed XML with
an ``OAI-PMH`` root, every record must have its header, and anything else
is a :class:`HarvestFailure` naming the page, so the caller keeps its
last good checkpoint. The protocol's error codes are classified as the
protocol says: ``noRecordsMatch`` is an empty, complete list;
``badResumptionToken`` on a list is :class:`TokenExpired` (restart the list
from the checkpoint); every other code fails the run.

``requests`` is imported when a client first talks to a partner: the
harvesting pages import this module, and most processes never harvest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

if TYPE_CHECKING:
    import requests

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"o": OAI, "oai_dc": OAI_DC, "dc": DC, "id": OAI_IDENTIFIER}
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MAX_RETRY_AFTER = 120
RETRIES = 2
# No DTDs, no entities from outside, no network: a partner's document is data, not a program.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         huge_tree=False, remove_blank_text=True)


class HarvestFailure(Exception):
    """The partner's answer cannot be used; the message says which page and why."""


class PartnerError(HarvestFailure):
    """The partner answered with an OAI-PMH error (other than noRecordsMatch)."""

    def __init__(self, code: str, message: str, where: str) -> None:
        super().__init__(f"{where}: the partner answered with the OAI-PMH error {code}"
                         + (f" ({message})" if message else ""))
        self.code = code


class TokenExpired(PartnerError):
    """``badResumptionToken`` while following a list: the list must start again."""


@dataclass(frozen=True)
class Identity:
    """What Identify says: the partner's name, granularity and how it identifies itself."""

    name: str
    base_url: str
    granularity: str
    repository_identifier: str


@dataclass(frozen=True)
class DcValue:
    text: str
    lang: str = ""


@dataclass(frozen=True)
class PartnerRecord:
    """One record: its header and, unless deleted, its oai_dc elements (name → values)."""

    identifier: str
    datestamp: str
    deleted: bool
    sets: tuple[str, ...] = ()
    dc: dict[str, list[DcValue]] = field(default_factory=dict)


@dataclass(frozen=True)
class PartnerPage:
    records: list[PartnerRecord]
    token: str | None
    response_date: str


class PartnerClient:
    """One partner base URL. ``number`` counts the pages fetched, to name them in errors."""

    def __init__(self, url: str, timeout: float = 60, session: requests.Session | None = None,
                 sleep=time.sleep) -> None:
        self.url = url
        self.timeout = timeout
        self.http = session or _new_session()
        self.sleep = sleep
        self.number = 0

    def identify(self) -> Identity:
        root = self._fetch({"verb": "Identify"}, "Identify")
        body = root.find("o:Identify", NS)
        if body is None:
            raise HarvestFailure(f"{self.url}: Identify answered without an Identify element")
        return Identity(
            name=(body.findtext("o:repositoryName", "", NS) or "").strip(),
            base_url=(body.findtext("o:baseURL", "", NS) or "").strip(),
            granularity=(body.findtext("o:granularity", "", NS) or "YYYY-MM-DD").strip(),
            repository_identifier=(body.findtext(
                "o:description/id:oai-identifier/id:repositoryIdentifier", "", NS) or "").strip(),
        )

    def list_records(self, params: dict[str, str]) -> PartnerPage:
        """One page of ListRecords (oai_dc)."""
        self.number += 1
        where = f"page {self.number} ({_describe(params)})"
        root = self._fetch({"verb": "ListRecords", **params}, where)
        response_date = (root.findtext("o:responseDate", "", NS) or "").strip()
        body = root.find("o:ListRecords", NS)
        if body is None:  # noRecordsMatch (the only error _fetch lets through)
            return PartnerPage([], None, response_date)
        records = [_record(el, where) for el in body.findall("o:record", NS)]
        token = body.find("o:resumptionToken", NS)
        text = (token.text or "").strip() if token is not None else ""
        return PartnerPage(records, text or None, response_date)

    def _fetch(self, params: dict[str, str], where: str) -> etree._Element:
        body = self._get(params, where)
        root = _parse(body, where, self.url)
        _raise_errors(root, where, resumed="resumptionToken" in params)
        return root

    def _get(self, params: dict[str, str], where: str) -> bytes:
        """The response body; 503 with Retry-After is waited for (briefly), as the protocol asks."""
        import requests

        for attempt in range(RETRIES + 1):
            try:
                response = self.http.get(self.url, params=params, timeout=self.timeout,
                                         stream=True)
                body = _read_limited(response, where)
            except requests.RequestException as exc:
                raise HarvestFailure(f"{where}: the partner {self.url} did not answer "
                                     f"({type(exc).__name__})") from exc
            if response.status_code == 503 and attempt < RETRIES:
                self.sleep(_retry_after(response))
                continue
            if response.status_code != 200:
                raise HarvestFailure(f"{where}: the partner {self.url} answered "
                                     f"HTTP {response.status_code}")
            return body
        raise AssertionError("unreachable")


def _new_session() -> requests.Session:
    import requests

    return requests.Session()


def _read_limited(response: requests.Response, where: str) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            response.close()
            raise HarvestFailure(f"{where}: the response is larger than "
                                 f"{MAX_RESPONSE_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(response: requests.Response) -> float:
    value = response.headers.get("Retry-After", "")
    return min(float(value), MAX_RETRY_AFTER) if value.isdigit() else 5.0


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:300]


def _parse(body: bytes, where: str, url: str) -> etree._Element:
    if _looks_like_html(body):
        raise HarvestFailure(f"{where}: {url} answered with an HTML page, not OAI-PMH XML; "
                             "check the base URL (it often ends in /oai or /oai/request)")
    try:
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as exc:
        raise HarvestFailure(f"{where}: the response is not well-formed XML ({exc}); "
                             "nothing from this page was kept") from None
    if root.tag != f"{{{OAI}}}OAI-PMH":
        raise HarvestFailure(f"{where}: {url} did not answer with an OAI-PMH document "
                             f"(root element {etree.QName(root).localname})")
    return root


def _raise_errors(root: etree._Element, where: str, *, resumed: bool) -> None:
    errors = root.findall("o:error", NS)
    codes = [e.get("code", "") for e in errors]
    if not errors or codes == ["noRecordsMatch"]:
        return
    first = errors[0]
    code, message = first.get("code", "unknown"), (first.text or "").strip()[:300]
    if code == "badResumptionToken" and resumed:
        raise TokenExpired(code, message, where)
    raise PartnerError(code, message, where)


def _record(element: etree._Element, where: str) -> PartnerRecord:
    header = element.find("o:header", NS)
    identifier = header.findtext("o:identifier", "", NS).strip() if header is not None else ""
    datestamp = header.findtext("o:datestamp", "", NS).strip() if header is not None else ""
    if not identifier or not datestamp:
        raise HarvestFailure(f"{where}: a record has no identifier or datestamp")
    deleted = header.get("status") == "deleted"
    sets = tuple(s.text.strip() for s in header.findall("o:setSpec", NS) if s.text)
    if deleted:
        return PartnerRecord(identifier, datestamp, True, sets)
    dc = element.find("o:metadata/oai_dc:dc", NS)
    if dc is None:
        raise HarvestFailure(f"{where}: record {identifier} has no oai_dc metadata")
    values: dict[str, list[DcValue]] = {}
    for child in dc:
        if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{DC}}}"):
            continue
        text = "".join(child.itertext()).strip()
        if text:
            values.setdefault(etree.QName(child).localname, []).append(
                DcValue(text, (child.get(XML_LANG) or "").lower()))
    return PartnerRecord(identifier, datestamp, False, sets, values)


def _describe(params: dict[str, str]) -> str:
    if "resumptionToken" in params:
        return f"resumptionToken={params['resumptionToken'][:80]}"
    return "first page" + "".join(f", {k}={v}" for k, v in params.items()
                                  if k != "metadataPrefix")


def normalized_base_url(url: str) -> str:
    """A base URL without scheme, default port or trailing slash: the same endpoint, one key."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{host}{port}{parts.path.rstrip('/')}"
