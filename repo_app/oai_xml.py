"""OAI-PMH 2.0 responses as XML, built with lxml from ``services.oai``'s plain data.

Element order follows the schemas exactly (OAI-PMH.xsd, oai_dc.xsd,
etdms.xsd): the tests validate every response against them.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from repo_app.services import marc
from repo_app.services.oai import IdentifyInfo, Metadata, Page, Record
from repo_app.services.oai_requests import NOT_XML, OaiError

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
ETDMS = "http://www.ndltd.org/standards/metadata/etdms/1.0/"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
SCHEMA_LOCATIONS = {
    OAI: "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    OAI_DC_NS: "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    ETDMS: "http://www.ndltd.org/standards/metadata/etdms/1.0/etdms.xsd",
    OAI_ID: "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
}


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sub(parent: etree._Element, ns: str, name: str, text: str | None = None,
         lang: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(ns, name), attrs)
    if lang:
        element.set(XML_LANG, lang)
    if text is not None:
        # A control character pasted into a title must not make the whole response fail.
        element.text = NOT_XML.sub("", text)
    return element


def _schema_location(element: etree._Element, ns: str) -> None:
    element.set(_q(XSI, "schemaLocation"), f"{ns} {SCHEMA_LOCATIONS[ns]}")


def envelope(response_date: str, base_url: str,
             request_args: Mapping[str, str]) -> etree._Element:
    """The OAI-PMH root with responseDate and request (arguments echoed only when valid)."""
    root = etree.Element(_q(OAI, "OAI-PMH"), nsmap={None: OAI, "xsi": XSI})
    _schema_location(root, OAI)
    _sub(root, OAI, "responseDate", response_date)
    _sub(root, OAI, "request", base_url, **dict(request_args))
    return root


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def error(root: etree._Element, exc: OaiError) -> None:
    _sub(root, OAI, "error", exc.message, code=exc.code)


def identify(root: etree._Element, info: IdentifyInfo) -> None:
    body = _sub(root, OAI, "Identify")
    _sub(body, OAI, "repositoryName", info.name)
    _sub(body, OAI, "baseURL", info.base_url)
    _sub(body, OAI, "protocolVersion", "2.0")
    _sub(body, OAI, "adminEmail", info.admin_email)
    _sub(body, OAI, "earliestDatestamp", info.earliest)
    _sub(body, OAI, "deletedRecord", "persistent")
    _sub(body, OAI, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    if info.describe_identifiers:
        description = _sub(body, OAI, "description")
        ident = etree.SubElement(description, _q(OAI_ID, "oai-identifier"), nsmap={None: OAI_ID})
        _schema_location(ident, OAI_ID)
        _sub(ident, OAI_ID, "scheme", "oai")
        _sub(ident, OAI_ID, "repositoryIdentifier", info.domain)
        _sub(ident, OAI_ID, "delimiter", ":")
        _sub(ident, OAI_ID, "sampleIdentifier", info.sample_identifier)


def metadata_formats(root: etree._Element, formats: list[tuple[str, str, str]]) -> None:
    body = _sub(root, OAI, "ListMetadataFormats")
    for prefix, schema, namespace in formats:
        item = _sub(body, OAI, "metadataFormat")
        _sub(item, OAI, "metadataPrefix", prefix)
        _sub(item, OAI, "schema", schema)
        _sub(item, OAI, "metadataNamespace", namespace)


def sets(root: etree._Element, items: list[tuple[str, str]]) -> None:
    body = _sub(root, OAI, "ListSets")
    for spec, name in items:
        item = _sub(body, OAI, "set")
        _sub(item, OAI, "setSpec", spec)
        _sub(item, OAI, "setName", name)


def _header(parent: etree._Element, record: Record) -> None:
    header = _sub(parent, OAI, "header")
    if record.deleted:
        header.set("status", "deleted")
    _sub(header, OAI, "identifier", record.identifier)
    _sub(header, OAI, "datestamp", record.datestamp)
    for spec in record.sets:
        _sub(header, OAI, "setSpec", spec)


def _record(parent: etree._Element, record: Record, prefix: str) -> None:
    element = _sub(parent, OAI, "record")
    _header(element, record)
    if record.marc is not None:
        _sub(element, OAI, "metadata").append(marc.as_xml_element(record.marc))
    elif record.metadata is not None:
        holder = _sub(element, OAI, "metadata")
        (oai_dc if prefix == "oai_dc" else etdms)(holder, record.metadata)


def get_record(root: etree._Element, record: Record, prefix: str) -> None:
    _record(_sub(root, OAI, "GetRecord"), record, prefix)


def list_page(root: etree._Element, verb: str, page: Page) -> None:
    body = _sub(root, OAI, verb)
    for record in page.records:
        if verb == "ListIdentifiers":
            _header(body, record)
        else:
            _record(body, record, page.prefix)
    if page.token is not None or page.resumed:
        token = _sub(body, OAI, "resumptionToken", page.token or "",
                     completeListSize=str(page.complete_size), cursor=str(page.cursor))
        if page.token is None:
            token.text = None


def oai_dc(parent: etree._Element, meta: Metadata) -> None:
    """Simple Dublin Core: the lowest common denominator every harvester reads."""
    root = etree.SubElement(parent, _q(OAI_DC_NS, "dc"), nsmap={"oai_dc": OAI_DC_NS, "dc": DC})
    _schema_location(root, OAI_DC_NS)

    def dc(name: str, value: str, lang: str = "") -> None:
        if value:
            _sub(root, DC, name, value, lang)

    own = meta.language
    dc("title", meta.title, own)
    dc("title", meta.title_en, "en")
    dc("title", meta.alt_title)
    for name in meta.creators:
        dc("creator", name)
    for subject in meta.subjects:
        dc("subject", subject, own)
    for subject in meta.subjects_en:
        dc("subject", subject, "en")
    dc("description", meta.abstract, own)
    dc("description", meta.abstract_en, "en")
    dc("publisher", meta.publisher)
    for name in meta.advisors:
        dc("contributor", name)
    dc("date", meta.date)
    dc("type", meta.type)
    dc("type", meta.type_label)
    dc("format", "application/pdf")
    for identifier in meta.identifiers:
        dc("identifier", identifier)
    dc("language", meta.language)
    dc("rights", meta.rights)


def etdms(parent: etree._Element, meta: Metadata) -> None:
    """ETD-MS 1.0 (NDLTD): Dublin Core plus the degree, in the schema's fixed order."""
    root = etree.SubElement(parent, _q(ETDMS, "thesis"), nsmap={None: ETDMS})
    _schema_location(root, ETDMS)

    def el(name: str, value: str, into: etree._Element = root, lang: str = "",
           **attrs: str) -> None:
        if value:
            _sub(into, ETDMS, name, value, lang, **attrs)

    own = meta.language
    el("title", meta.title, lang=own)
    el("title", meta.title_en, lang="en")
    el("alternativeTitle", meta.alt_title)
    for name in meta.creators or ("",):
        _sub(root, ETDMS, "creator", name)
    # subject is required: keywords, else the discipline, else the kind of work.
    for subject in meta.subjects or (meta.discipline or meta.type_label,):
        _sub(root, ETDMS, "subject", subject, own if meta.subjects else "")
    for subject in meta.subjects_en:
        _sub(root, ETDMS, "subject", subject, "en")
    el("description", meta.abstract, lang=own)
    el("description", meta.abstract_en, lang="en")
    el("publisher", meta.publisher)
    for name in meta.advisors:
        el("contributor", name, role="advisor")
    _sub(root, ETDMS, "date", meta.date)
    _sub(root, ETDMS, "type", meta.type_label or meta.type)
    el("format", "application/pdf")
    for identifier in meta.identifiers:
        _sub(root, ETDMS, "identifier", identifier)
    el("language", meta.language)
    el("rights", meta.rights)
    if meta.degree_name or meta.degree_level or meta.discipline or meta.grantor:
        degree = _sub(root, ETDMS, "degree")
        el("name", meta.degree_name, degree)
        el("level", meta.degree_level, degree)
        el("discipline", meta.discipline, degree)
        el("grantor", meta.grantor, degree)
