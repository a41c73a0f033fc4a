"""Reading a batch-import manifest: one CSV row per work, checked before anything is stored.

Every problem is reported with its line (the header is line 1) and column,
and the good rows are returned too, so a librarian fixes the bad lines and
re-runs without losing the rest. Paths in the manifest are relative to the
folder being imported and may not leave it. The columns are fixed by the
public interface (CONTRACT.md).

A problem is a code, an English template and its parameters (``RowError``),
not a finished sentence: the app translates the template into the
librarians' language, then fills it in (``repo_app.services.import_messages``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Protocol

COLUMNS = ("file", "title", "creators", "advisors", "year", "type", "faculty", "degree",
           "discipline", "language", "abstract", "keywords", "access", "embargo_until",
           "holding_id", "title_en", "abstract_en", "keywords_en")
REQUIRED_COLUMNS = ("file", "title", "type", "access")
EMBARGOED = "embargoed"
LIST_SEPARATOR = ";"
YEAR = re.compile(r"\d{4}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LANGUAGE = re.compile(r"[a-z]{2}")

NOT_UTF8 = "not_utf8"
NO_COLUMN = "no_column"
EXTRA_FIELDS = "extra_fields"
TITLE_REQUIRED = "title_required"
BAD_LANGUAGE = "bad_language"
FILE_OUTSIDE = "file_outside"
FILE_MISSING = "file_missing"
BAD_YEAR = "bad_year"
VALUE_REQUIRED = "value_required"
UNKNOWN_VALUE = "unknown_value"
EMBARGO_REQUIRED = "embargo_required"
BAD_DATE = "bad_date"
EMBARGO_NOT_ALLOWED = "embargo_not_allowed"
# One English template per code; the app translates the template, then fills it in.
TEMPLATES = {
    NOT_UTF8: ("The manifest is not UTF-8 text (first invalid byte on line {line}). "
               "Save it as 'CSV UTF-8' and try again."),
    NO_COLUMN: "The header has no '{column}' column.",
    EXTRA_FIELDS: "The row has more fields than the header.",
    TITLE_REQUIRED: "A title is required.",
    BAD_LANGUAGE: "'{value}' is not a two-letter ISO 639-1 code (such as vi or en).",
    FILE_OUTSIDE: "'{name}' points outside the import folder.",
    FILE_MISSING: "File '{name}' was not found in the import folder.",
    BAD_YEAR: "Year '{value}' must be four digits, such as 2015.",
    VALUE_REQUIRED: "A value for '{column}' is required.",
    UNKNOWN_VALUE: "'{value}' is not a known {column}; use one of: {allowed}.",
    EMBARGO_REQUIRED: "An embargoed work needs an embargo_until date.",
    BAD_DATE: "Date '{value}' must be written YYYY-MM-DD.",
    EMBARGO_NOT_ALLOWED: "embargo_until is only allowed when access is embargoed.",
}

# A csv.DictReader row: overflow fields sit under the key None.
Record = dict[str | None, Any]


class Fail(Protocol):
    """Report a problem (a code of ``TEMPLATES`` and its fields) in a column of the current row."""

    def __call__(self, column: str, code: str, /, **params: object) -> None: ...


@dataclass(frozen=True)
class RowError:
    """One problem: ``line`` 0 means the file as a whole; ``code`` names its template."""

    line: int
    column: str
    code: str
    params: dict[str, object] = field(default_factory=dict, hash=False)

    @property
    def template(self) -> str:
        return TEMPLATES[self.code]

    @property
    def message(self) -> str:
        """The problem in English (for a log, or a reader of English)."""
        return self.template.format(**self.params)


@dataclass(frozen=True)
class ManifestRow:
    """A valid row, with lists split and files resolved inside the base folder."""

    line: int
    files: tuple[Path, ...]
    title: str
    creators: tuple[str, ...]
    advisors: tuple[str, ...]
    year: int | None
    type: str
    faculty: str
    degree: str
    discipline: str
    language: str
    abstract: str
    keywords: tuple[str, ...]
    access: str
    embargo_until: date | None
    holding_id: str
    # The optional English version of a bilingual record.
    title_en: str = ""
    abstract_en: str = ""
    keywords_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    rows: list[ManifestRow]
    errors: list[RowError]


def read_manifest(path: Path, base_dir: Path, *, types: Collection[str],
                  access_levels: Collection[str]) -> Manifest:
    """Parse and validate a UTF-8 manifest (a byte-order mark is tolerated)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Manifest([], [_not_utf8(Path(path), exc)])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header_errors = _check_header(reader.fieldnames)
    if header_errors:
        return Manifest([], header_errors)
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    checker = _RowChecker(Path(base_dir), set(types), set(access_levels))
    rows: list[ManifestRow] = []
    errors: list[RowError] = []
    for line, record in _records(reader):
        row, problems = checker.check(line, record)
        errors.extend(problems)
        if row is not None:
            rows.append(row)
    return Manifest(rows, errors)


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> RowError:
    line = path.read_bytes()[: exc.start].count(b"\n") + 1
    return RowError(0, "", NOT_UTF8, {"line": line})


def _check_header(fieldnames: list[str] | None) -> list[RowError]:
    names = {name.strip().lower() for name in fieldnames or []}
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if not missing:
        return []
    return [RowError(1, column, NO_COLUMN, {"column": column}) for column in missing]


def _records(reader: csv.DictReader) -> Iterator[tuple[int, Record]]:
    """Rows with the line each one starts on (a quoted field may span lines)."""
    start = reader.line_num + 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


class _RowChecker:
    """Validates one record against the vocabularies and the base folder."""

    def __init__(self, base_dir: Path, types: set[str], access_levels: set[str]) -> None:
        self.base_dir = base_dir.resolve()
        self.types = types
        self.access_levels = access_levels

    def check(self, line: int, record: Record) -> tuple[ManifestRow | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, code: str, /, **params: object) -> None:
            errors.append(RowError(line, column, code, params))

        if record.get(None):
            fail("", EXTRA_FIELDS)
        value = {column: (record.get(column) or "").strip() for column in COLUMNS}
        files = self._files(value["file"], fail)
        if not value["title"]:
            fail("title", TITLE_REQUIRED)
        year = self._year(value["year"], fail)
        self._in_vocabulary("type", value["type"], self.types, fail)
        self._in_vocabulary("access", value["access"], self.access_levels, fail)
        embargo = self._embargo(value["embargo_until"], value["access"], fail)
        language = value["language"].lower()
        if language and not LANGUAGE.fullmatch(language):
            fail("language", BAD_LANGUAGE, value=value["language"])
        if errors:
            return None, errors
        return ManifestRow(
            line=line, files=files, title=value["title"],
            creators=_split(value["creators"]), advisors=_split(value["advisors"]),
            year=year, type=value["type"], faculty=value["faculty"], degree=value["degree"],
            discipline=value["discipline"], language=language, abstract=value["abstract"],
            keywords=_split(value["keywords"]), access=value["access"],
            embargo_until=embargo, holding_id=value["holding_id"], title_en=value["title_en"],
            abstract_en=value["abstract_en"], keywords_en=_split(value["keywords_en"]),
        ), errors

    def _files(self, value: str, fail: Fail) -> tuple[Path, ...]:
        found = []
        for name in _split(value):
            path = self._inside_base(name)
            if path is None:
                fail("file", FILE_OUTSIDE, name=name)
            elif not (path.is_file() or path.is_dir()):  # a folder: page images of a scan
                fail("file", FILE_MISSING, name=name)
            else:
                found.append(path)
        return tuple(found)

    def _inside_base(self, name: str) -> Path | None:
        """The file's path, or None if it is absolute or climbs out of the base folder."""
        relative = PurePosixPath(name.replace("\\", "/"))
        if relative.is_absolute() or PureWindowsPath(name).drive:
            return None
        path = (self.base_dir / relative).resolve()
        return path if path.is_relative_to(self.base_dir) else None

    @staticmethod
    def _year(value: str, fail: Fail) -> int | None:
        if not value:
            return None
        if not YEAR.fullmatch(value):
            fail("year", BAD_YEAR, value=value)
            return None
        return int(value)

    @staticmethod
    def _in_vocabulary(column: str, value: str, allowed: set[str], fail: Fail) -> None:
        if not value:
            fail(column, VALUE_REQUIRED, column=column)
        elif value not in allowed:
            fail(column, UNKNOWN_VALUE, value=value, column=column,
                 allowed=", ".join(sorted(allowed)))

    @staticmethod
    def _embargo(value: str, access: str, fail: Fail) -> date | None:
        if not value:
            if access == EMBARGOED:
                fail("embargo_until", EMBARGO_REQUIRED)
            return None
        try:
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            until = date.fromisoformat(value)
        except ValueError:
            fail("embargo_until", BAD_DATE, value=value)
            return None
        if access != EMBARGOED:
            fail("embargo_until", EMBARGO_NOT_ALLOWED)
        return until


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())
