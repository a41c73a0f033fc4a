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

import hashlib
from datetime import date

from whoosh.analysis import RegexAnalyzer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from search.analysis import SyllablePositions, exact_analyzer, folded_analyzer
from search.documents import WorkDocument
from search.spelling import fold, nfc

# Multi-valued metadata (creators, advisors, keywords) is joined with a newline
# for the text fields and split on it again when a hit is rendered.
VALUE_SEPARATOR = "\n"
# Facets whose column holds a VALUE_SEPARATOR-joined list: a work counts under each value.
LIST_FACETS = frozenset({"author"})

# Fields a plain query term searches, with the weight of a match in each;
# the title is also part of meta, so a title match counts twice.
SEARCH_WEIGHTS: dict[str, float] = {"title": 2.0, "meta": 2.0, "fulltext": 1.0}

# Fields whose matches are allowed only where the searcher may read the text.
FULLTEXT_FIELDS = frozenset({"fulltext", "fulltext_f"})
# The indexed level of a document whose access is "" (a harvested catalogue record).
NO_LEVEL = "-"
# Column value of a work without a year: last when newest first, never a facet value.
NO_YEAR = 0

# What the index's fields mean, as a number: bump it whenever build_schema or
# to_fields changes what a field holds. An index written in another format is
# refused ("rebuild needed"), never searched with the wrong meaning.
#   1: audience tokens decided at indexing time (until 2026-11)
#   2: access facts judged per search; every metadata field, both languages
#   3: an author facet (the first creator), for browsing by author
#   4: the author facet holds every creator (a term each, the column all of them)
FORMAT_REVISION = 4


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
    """The one schema of the index; changing it (or ``to_fields``) means bumping ``FORMAT``."""
    return Schema(
        # Unique key for update_document; stored so a hit names its work.
        id=ID(stored=True, unique=True),
        # Stored, never searched: the consistency check compares it with the database.
        version=STORED(),
        # Stored so a hit list renders without the database.
        url=STORED(),
        # Every title of the work (its own, the alternative and the English one),
        # so a title match ranks first in any language; only the title itself is
        # stored (shown in hits, fed to more_like_this). Each *_f twin below is
        # the same text folded, for queries typed without diacritics.
        title=_exact(stored=True),
        title_f=_folded(),
        # Stored (newline-joined) for the hit list's author line.
        creators=_exact(stored=True),
        creators_f=_folded(),
        # Searchable only (advisor:); the work page shows them from the database.
        advisors=_exact(stored=False),
        advisors_f=_folded(),
        # Only stored, for the snippet of a work whose text may not be quoted;
        # it is searched through meta.
        abstract=STORED(),
        # Every metadata text, newline-joined: titles, people, abstracts and
        # keywords in both languages, the names of the work's type, degree and
        # faculty, discipline, grantor, identifier. What a plain query searches
        # besides title and full text (one field, not twelve: each query term
        # is a union over the fields it searches, visited for every match).
        meta=_exact(stored=False),
        meta_f=_folded(),
        # Both languages' keywords; stored (the Vietnamese ones) for more_like_this.
        keywords=_exact(stored=True),
        keywords_f=_folded(),
        # Never stored: 50 KB a work would bloat the index; texts_for() supplies it.
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
        # Every creator, each whole as written (one term per line, never lowercased or
        # split at spaces): the author facet a reader browses and filters by. Its column
        # holds them newline-joined (a column holds one value per work), and facet
        # counting splits it (search.columns.list_column). Words of names are found by
        # author:; the hit list's author line comes from the stored creators.
        author=ID(sortable=True, analyzer=RegexAnalyzer(r"[^\n]+")),
        # Numeric so year:2015..2020 is a range and "newest" sorts numerically;
        # a missing year sorts as NO_YEAR, after every real year. Signed, as all
        # NUMERIC fields here: Whoosh's unsigned range queries miss matches.
        year=NUMERIC(int, bits=32, stored=True, sortable=True, default=NO_YEAR),
        # The embargo's end as a day ordinal, stored for the hit's badge.
        embargo_day=NUMERIC(int, bits=32, stored=True),
        # The level search scopes are judged on: the access code, or NO_LEVEL for a
        # record outside our policy (a partner's), since an empty term cannot be indexed.
        level=ID(),
        # The day the level changes to access_after (an embargo's end): numeric,
        # so "changed by today" is a range query taking today from the Scope.
        access_changes_day=NUMERIC(int, bits=32),
        # The level from access_changes_day on; a filter, never shown or scored.
        access_after=ID(),
        # Folded, lowercased title: a column for sorting by title.
        title_sort=ID(sortable=True),
        # Exact owner key: a depositor always sees their own works in full.
        owner=ID(),
    )


def index_format() -> str:
    """The format an index is written in: the revision and a digest of the schema's shape."""
    shape = [
        (name, type(field).__name__, field.stored, field.scorable, field.column_type is not None,
         repr(getattr(field, "analyzer", None)), type(getattr(field, "format", None)).__name__)
        for name, field in sorted(build_schema().items())
    ]
    return f"{FORMAT_REVISION}:{hashlib.sha1(repr(shape).encode()).hexdigest()[:16]}"


def indexed_level(level: str) -> str:
    """How a level is written in the ``level`` and ``access_after`` fields."""
    return level or NO_LEVEL


def metadata_text(doc: WorkDocument) -> str:
    """Every metadata text of ``doc`` in one newline-joined string: the ``meta`` field."""
    parts = [
        doc.title,
        doc.alt_title,
        doc.title_en,
        *doc.creators,
        *doc.advisors,
        doc.abstract,
        doc.abstract_en,
        *doc.keywords,
        *doc.keywords_en,
        *doc.labels,
        doc.discipline,
        doc.grantor,
        doc.identifier,
    ]
    return VALUE_SEPARATOR.join(part for part in parts if part)


def to_fields(doc: WorkDocument) -> dict[str, object]:
    """The index fields of one work: the only place a WorkDocument becomes a document."""
    texts = {
        "title": VALUE_SEPARATOR.join(t for t in (doc.title, doc.alt_title, doc.title_en) if t),
        "creators": VALUE_SEPARATOR.join(doc.creators),
        "advisors": VALUE_SEPARATOR.join(doc.advisors),
        "keywords": VALUE_SEPARATOR.join(doc.keywords + doc.keywords_en),
        "meta": metadata_text(doc),
        "fulltext": doc.fulltext,
    }
    fields: dict[str, object] = {
        "id": doc.id,
        "version": doc.version,
        "url": doc.url,
        "abstract": nfc(doc.abstract),
        "title_sort": fold(nfc(doc.title).lower()),
        "owner": doc.owner,
        "level": indexed_level(doc.access),
        "access_after": doc.access_after if doc.access_changes_on is not None else "",
    }
    for name, text in texts.items():
        fields[name] = fields[folded(name)] = nfc(text)
    # Only the work's own title and Vietnamese keywords are shown and compared.
    fields["_stored_title"] = nfc(doc.title)
    fields["_stored_keywords"] = nfc(VALUE_SEPARATOR.join(doc.keywords))
    for name in ("faculty", "type", "degree_level", "language", "access", "source"):
        fields[name] = getattr(doc, name)
    fields["author"] = VALUE_SEPARATOR.join(authors(doc))
    if doc.year is not None:
        fields["year"] = doc.year
    if doc.embargo_until is not None:
        fields["embargo_day"] = doc.embargo_until.toordinal()
    if doc.access_changes_on is not None and doc.access_after:
        fields["access_changes_day"] = doc.access_changes_on.toordinal()
    return {k: v for k, v in fields.items() if v != ""}


def authors(doc: WorkDocument) -> list[str]:
    """The work's creators as the author facet names them: composed, trimmed, each once."""
    names = (" ".join(nfc(name).split()) for name in doc.creators)
    return list(dict.fromkeys(name for name in names if name))


def embargo_from_stored(day: int | None) -> date | None:
    """Turn the stored day ordinal back into the date the app gave us."""
    return None if day is None else date.fromordinal(day)
