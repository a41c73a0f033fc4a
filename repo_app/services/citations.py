"""Citations of works: Google Scholar / Dublin Core meta tags, BibTeX, RIS and CSL-JSON.

Everything is computed from what an anonymous reader may see (crawlers and
reference managers are anonymous): the PDF link only when anyone may
download it. Vietnamese stays Vietnamese: UTF-8 throughout, no LaTeX
accents; only BibTeX's own special characters are escaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import ANONYMOUS, Action, Actor, decide
from repo_app.models import Work
from repo_app.services.addresses import Addresses
from repo_app.textfold import fold
from repo_app.vocab import TYPE_LABELS, WorkType

FORMATS = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}
# Bachelor's theses have no BibTeX type of their own: @mastersthesis with a ``type`` note.
BIBTEX_TYPES = {
    WorkType.DOCTORAL_DISSERTATION: "phdthesis",
    WorkType.MASTER_THESIS: "mastersthesis",
    WorkType.BACHELOR_THESIS: "mastersthesis",
    WorkType.RESEARCH_REPORT: "techreport",
    WorkType.ARTICLE: "article",
}
RIS_TYPES = {
    WorkType.DOCTORAL_DISSERTATION: "THES", WorkType.MASTER_THESIS: "THES",
    WorkType.BACHELOR_THESIS: "THES", WorkType.RESEARCH_REPORT: "RPRT", WorkType.ARTICLE: "JOUR",
}
CSL_TYPES = {
    WorkType.DOCTORAL_DISSERTATION: "thesis", WorkType.MASTER_THESIS: "thesis",
    WorkType.BACHELOR_THESIS: "thesis", WorkType.RESEARCH_REPORT: "report",
    WorkType.ARTICLE: "article-journal",
}
BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Citation:
    """What a reference needs, as anonymous readers may know it."""

    id: int
    type: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    institution: str
    genre: str
    url: str
    identifier: str
    pdf_url: str
    abstract: str
    keywords: tuple[str, ...]
    language: str
    title_en: str = ""
    abstract_en: str = ""
    keywords_en: tuple[str, ...] = ()


# Academic and professional titles written before a name ("PGS.TS. Lê Thị Mai",
# "ThS. Mai Thị Hoá", "Dr. Smith"): not part of the name, so never its family name.
ACADEMIC_TITLE = re.compile(
    r"^(?:(?:GS|PGS|TSKH|TS|ThS|CN|KS|BS|DS|NCS|NGƯT|NGND|Dr|Prof)\.\s*)+", re.IGNORECASE)


def title_and_name(name: str) -> tuple[str, str]:
    """ "PGS.TS. Lê Thị Mai" → ("PGS.TS.", "Lê Thị Mai"); a name without a title → ("", name)."""
    name = " ".join(name.split())
    match = ACADEMIC_TITLE.match(name)
    if not match or not name[match.end():]:
        return "", name
    return match.group().strip(), name[match.end():]


def family_given(name: str) -> tuple[str, str]:
    """A name split into family and given names, the way reference managers want them.

    Vietnamese names are written family name first ("Lê Minh Tuấn": family
    Lê); a name typed with a comma ("Smith, John", as DSpace and EPrints
    write them) says where the family name ends. A single word is a family
    name alone (or an organisation). A leading academic title ("PGS.TS.")
    is set aside (``title_and_name``).
    """
    name = title_and_name(name)[1]
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    family, _, given = name.partition(" ")
    return family, given


def inverted(name: str) -> str:
    """ "Lê Minh Tuấn" → "Lê, Minh Tuấn": the form every export writes (RIS, BibTeX,
    citation_author, DC.creator, MARC 100/700, oai_dc, ETD-MS), as DSpace and EPrints do."""
    family, given = family_given(name)
    return f"{family}, {given}" if given else family


def public(work: Work) -> bool:
    """Whether anonymous readers (crawlers) may see the work at all."""
    return bool(decide(ANONYMOUS, Action.VIEW_METADATA, work, policy=resources.policy()))


def _pdf_url(work: Work, addresses: Addresses) -> str:
    policy = resources.policy()
    for file in work.files:
        if file.media_type == "application/pdf" and decide(ANONYMOUS, Action.DOWNLOAD, work, file,
                                                           policy=policy):
            return addresses.file(work.id, file.id)
    return ""


def citation_of(work: Work, addresses: Addresses) -> Citation:
    with force_locale("en"):
        genre = str(TYPE_LABELS.get(WorkType(work.type), work.type))
    return Citation(
        id=work.id, type=work.type, title=work.title, authors=tuple(work.creators),
        year=work.year, institution=work.grantor or current_app.config["INSTITUTION_NAME"],
        genre=genre, url=addresses.work(work.id),
        identifier=work.identifier or "", pdf_url=_pdf_url(work, addresses),
        abstract=work.abstract, keywords=tuple(work.keywords), language=work.language,
        title_en=work.title_en, abstract_en=work.abstract_en, keywords_en=tuple(work.keywords_en),
    )


def meta_tags(work: Work, addresses: Addresses) -> list[tuple[str, str, str]]:
    """(name, content, language) for the work page's <head>; none unless the work is public.

    Names are "Family, Given"; the English title, abstract and keywords of a
    bilingual record carry ``lang="en"``, the others the work's language.
    """
    if not public(work):
        return []
    c = citation_of(work, addresses)
    own = c.language
    tags = [("citation_title", c.title, own)]
    tags += [("citation_author", inverted(name), "") for name in c.authors]
    if c.year:
        tags.append(("citation_publication_date", str(c.year), ""))
    if work.type in (WorkType.BACHELOR_THESIS, WorkType.MASTER_THESIS,
                     WorkType.DOCTORAL_DISSERTATION):
        tags.append(("citation_dissertation_institution", c.institution, ""))
    elif work.type == WorkType.RESEARCH_REPORT:
        tags.append(("citation_technical_report_institution", c.institution, ""))
    tags.append(("citation_language", c.language, ""))
    tags += [("citation_keywords", k, own) for k in c.keywords]
    tags += [("citation_keywords", k, "en") for k in c.keywords_en]
    tags.append(("citation_abstract_html_url", c.url, ""))
    if c.pdf_url:
        tags.append(("citation_pdf_url", c.pdf_url, ""))
    tags.append(("DC.title", c.title, own))
    if c.title_en:
        tags.append(("DC.title", c.title_en, "en"))
    tags += [("DC.creator", inverted(name), "") for name in c.authors]
    tags += [("DC.subject", k, own) for k in c.keywords]
    tags += [("DC.subject", k, "en") for k in c.keywords_en]
    if c.abstract:
        tags.append(("DC.description", c.abstract, own))
    if c.abstract_en:
        tags.append(("DC.description", c.abstract_en, "en"))
    if c.year:
        tags.append(("DC.date", str(c.year), ""))
    tags.append(("DC.identifier", c.url, ""))
    if c.identifier:
        tags.append(("DC.identifier", c.identifier, ""))
    tags.append(("DC.language", c.language, ""))
    return tags


def citable(db: Session, actor: Actor, work_ids: list[int],
            addresses: Addresses) -> list[Citation]:
    """Citations of the works among ``work_ids`` the actor may see, in the given order."""
    policy = resources.policy()
    found = []
    for work_id in work_ids:
        work = db.get(Work, work_id)
        if work is not None and decide(actor, Action.VIEW_METADATA, work, policy=policy):
            found.append(citation_of(work, addresses))
    return found


# --- formats -------------------------------------------------------------------------------


def _bib_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIALS.get(ch, ch) for ch in text)


def _bib_key(c: Citation) -> str:
    family = fold(family_given(c.authors[0])[0]) if c.authors else "anon"
    return f"{re.sub(r'[^a-z0-9]', '', family) or 'anon'}{c.year or ''}_{c.id}"


def bibtex(c: Citation) -> str:
    entry_type = BIBTEX_TYPES.get(WorkType(c.type), "misc")
    # "Family, Given": BibTeX would otherwise take the last word for the family name.
    fields = [("title", "{" + _bib_escape(c.title) + "}"),
              ("author", " and ".join(_bib_escape(inverted(a)) for a in c.authors))]
    if c.year:
        fields.append(("year", str(c.year)))
    place = {"techreport": "institution", "article": "publisher"}.get(entry_type, "school")
    fields.append((place, _bib_escape(c.institution)))
    if c.type == WorkType.BACHELOR_THESIS:
        fields.append(("type", "Bachelor's thesis"))
    if c.abstract:
        fields.append(("abstract", _bib_escape(c.abstract)))
    if c.keywords or c.keywords_en:
        fields.append(("keywords", _bib_escape(", ".join(c.keywords + c.keywords_en))))
    fields += [("language", c.language), ("url", c.url)]
    if c.identifier:
        fields.append(("note", _bib_escape(f"Identifier: {c.identifier}")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{entry_type}{{{_bib_key(c)},\n{body}\n}}\n"


def ris(c: Citation) -> str:
    lines = [("TY", RIS_TYPES.get(WorkType(c.type), "GEN")), ("TI", c.title), ("TT", c.title_en)]
    lines += [("AU", inverted(name)) for name in c.authors]
    if c.year:
        lines.append(("PY", str(c.year)))
    lines += [("PB", c.institution), ("M3", c.genre), ("AB", c.abstract)]
    lines += [("KW", k) for k in c.keywords + c.keywords_en]
    lines += [("LA", c.language), ("UR", c.url), ("L1", c.pdf_url), ("ID", c.identifier),
              ("ER", "")]
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines
                   if value or tag == "ER")


def _csl_name(name: str) -> dict[str, str]:
    """Vietnamese order: the family name comes first ("Nguyễn Thị Hằng")."""
    family, given = family_given(name)
    return {"family": family, "given": given} if given else {"literal": name}


def csl_item(c: Citation) -> dict:
    item: dict = {
        "id": f"work-{c.id}", "type": CSL_TYPES.get(WorkType(c.type), "document"),
        "title": c.title, "author": [_csl_name(a) for a in c.authors],
        "publisher": c.institution, "genre": c.genre, "URL": c.url, "language": c.language,
    }
    if c.year:
        item["issued"] = {"date-parts": [[c.year]]}
    if c.abstract:
        item["abstract"] = c.abstract
    if c.keywords:
        item["keyword"] = ", ".join(c.keywords)
    return item


def render(citations: list[Citation], fmt: str) -> str:
    """All ``citations`` in one of FORMATS (UTF-8 text)."""
    if fmt == "bib":
        return "\n".join(bibtex(c) for c in citations)
    if fmt == "ris":
        return "".join(ris(c) for c in citations)
    return json.dumps([csl_item(c) for c in citations], ensure_ascii=False, indent=2)
