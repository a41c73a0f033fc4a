"""The index schema, declared once, and the pure function from a work to its fields.

Every searchable text is indexed twice: an exact field (diacritics kept,
tone placement canonical) and a ``_f`` twin (folded to ASCII). A query term
typed with diacritics searches only exact fields; one typed without them
searches both, with the exact field boosted so exact spellings rank first.

A plain query searches three fields: ``title``, ``meta`` (every metadata
text in one field) and ``fulltext``. Searching six metadata fields instead
made each query term a union of thirteen matchers, visited for every
matching work; the separate fields stay for ``author:``, ``keyword:`` …
"""

from __future__ import annotations

from datetime import date

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.analysis import SyllablePositions, exact_analyzer, fold, folded_analyzer, nfc
from search.documents import WorkDocument

# Multi-valued metadata (creators, advisors, keywords) is joined with a newline
# for the text fields and split on it again when a hit is rendered.
VALUE_SEPARATOR = "\n"

# Fields a plain query term searches, with the weight of a match in each;
# the title is also part of meta, so a title match counts twice.
SEARCH_WEIGHTS: dict[str, float] = {"title": 2.0, "meta": 2.0, "fulltext": 1.0}

# Fields whose matches are allowed only where the searcher may read the text.
FULLTEXT_FIELDS = frozenset({"fulltext", "fulltext_f"})
# Column value of a work without a year: last when newest first, never a facet value.
NO_YEAR = 0
FACETS = ("faculty", "type", "degree_level", "year", "language", "access", "source")


def folded(name: str) -> str:
    """Name of the folded twin of text field ``name``."""
    return name + "_f"


def _with_fast_postings(field: TEXT) -> TEXT:
    # Same postings as Whoosh's Positions format, built without a Token per syllable.
    field.format = SyllablePositions(field_boost=field.format.field_boost)
    return field


def _exact(stored: bool) -> TEXT:
    # Positions are kept (phrase=True) so "quản trị kinh doanh" is a phrase query.
    return _with_fast_postings(TEXT(analyzer=exact_analyzer(), stored=stored, phrase=True))


def _folded() -> TEXT:
    # Never stored: the exact twin (or the database) holds the original text.
    return _with_fast_postings(TEXT(analyzer=folded_analyzer(), stored=False, phrase=True))


def build_schema() -> Schema:
    """The one schema of the index; changing it means a rebuild."""
    return Schema(
        # Unique key for update_document; stored so a hit names its work.
        id=ID(stored=True, unique=True),
        # Stored, never searched: the consistency check compares it with the database.
        version=STORED(),
        # Stored so a hit list renders without the database.
        url=STORED(),
        # Stored: shown in hits and fed to more_like_this. Each *_f twin below is
        # the same text folded, for queries typed without diacritics.
        title=_exact(stored=True),
        title_f=_folded(),
        # Searchable only; the work page shows it from the database.
        alt_title=_exact(stored=False),
        alt_title_f=_folded(),
        # Stored (newline-joined) for the hit list's author line.
        creators=_exact(stored=True),
        creators_f=_folded(),
        # Searchable only (advisor:); the work page shows them from the database.
        advisors=_exact(stored=False),
        advisors_f=_folded(),
        # Only stored, for the snippet of a work whose text may not be quoted;
        # it is searched through meta.
        abstract=STORED(),
        # All metadata texts, newline-joined: what a plain query searches besides
        # title and full text, and what more_like_this compares.
        meta=_exact(stored=False),
        meta_f=_folded(),
        # Stored for more_like_this, which works from title, abstract and keywords.
        keywords=_exact(stored=True),
        keywords_f=_folded(),
        # Never stored: 50 KB a work would bloat the index; text_for() supplies it.
        fulltext=_exact(stored=False),
        fulltext_f=_folded(),
        # Facets are single opaque codes: ID keeps them whole, sortable adds the
        # column that facets are counted from without loading stored fields.
        faculty=ID(stored=True, sortable=True),
        type=ID(stored=True, sortable=True),
        degree_level=ID(stored=True, sortable=True),
        language=ID(stored=True, sortable=True),
        access=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        # Numeric so year:2015..2020 is a range and "newest" sorts numerically;
        # a missing year sorts as NO_YEAR, after every real year. Signed, as all
        # NUMERIC fields here: Whoosh's unsigned range queries miss matches.
        year=NUMERIC(int, bits=32, stored=True, sortable=True, default=NO_YEAR),
        # Day ordinal, numeric so "embargo ended by today" is a range query that
        # takes today from the searcher's Scope and needs no nightly job.
        embargo_day=NUMERIC(int, bits=32, stored=True),
        # Folded, lowercased title: a column for sorting by title.
        title_sort=ID(sortable=True),
        # Exact owner key: a depositor always sees their own works in full.
        owner=ID(),
        # Audience tokens are opaque codes from the access module, comma-joined;
        # not scorable because they filter and must never change a ranking.
        meta_audience=KEYWORD(commas=True, scorable=False),
        text_audience=KEYWORD(commas=True, scorable=False),
        text_audience_after=KEYWORD(commas=True, scorable=False),
    )


def to_fields(doc: WorkDocument) -> dict[str, object]:
    """The index fields of one work: the only place a WorkDocument becomes a document."""
    texts = {
        "title": doc.title,
        "alt_title": doc.alt_title,
        "creators": VALUE_SEPARATOR.join(doc.creators),
        "advisors": VALUE_SEPARATOR.join(doc.advisors),
        "keywords": VALUE_SEPARATOR.join(doc.keywords),
        "fulltext": doc.fulltext,
    }
    texts["meta"] = VALUE_SEPARATOR.join(
        [
            texts["title"],
            texts["alt_title"],
            texts["creators"],
            texts["advisors"],
            doc.abstract,
            texts["keywords"],
        ]
    )
    fields: dict[str, object] = {
        "id": doc.id,
        "version": doc.version,
        "url": doc.url,
        "abstract": nfc(doc.abstract),
        "title_sort": fold(nfc(doc.title).lower()),
        "owner": doc.owner,
        "meta_audience": ",".join(doc.meta_audience),
        "text_audience": ",".join(doc.text_audience),
        "text_audience_after": ",".join(doc.text_audience_after),
    }
    for name, text in texts.items():
        fields[name] = fields[folded(name)] = nfc(text)
    for name in ("faculty", "type", "degree_level", "language", "access", "source"):
        fields[name] = getattr(doc, name)
    if doc.year is not None:
        fields["year"] = doc.year
    if doc.embargo_until is not None:
        fields["embargo_day"] = doc.embargo_until.toordinal()
    return {k: v for k, v in fields.items() if v != ""}


def embargo_from_stored(day: int | None) -> date | None:
    """Turn the stored day ordinal back into the date the app gave us."""
    return None if day is None else date.fromordinal(day)
