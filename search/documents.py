"""The plain data that crosses the edge between the app and the index.

The app turns a stored work into a ``WorkDocument`` (one pure function in
``repo_app.services.indexing``); the index never reads the database. The
access module turns a requester and the policy in force into a ``Scope``;
the index never knows about roles, networks or settings.

A document carries facts about the work, never the outcome of a policy:
its access level, the day that level changes (an embargo's end) and the
level it changes to, its owner. The scope says which levels a searcher may
see and read *today*, so a change of configuration, a passing embargo date
or an expired grant takes effect at the next search, with nothing to
re-index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class WorkDocument:
    """Everything the index knows about one work.

    Texts are searched; ``labels`` are the names of the work's coded values
    (its type, degree level, faculty) in every language the site speaks, so
    "luận văn thạc sĩ", "master thesis" and "Khoa Kinh tế" find it.

    ``access`` is the work's level; from ``access_changes_on`` on (when set)
    it is ``access_after`` instead: an embargo that ends by itself.
    """

    id: str
    title: str
    url: str
    alt_title: str = ""
    title_en: str = ""
    creators: tuple[str, ...] = ()
    advisors: tuple[str, ...] = ()
    abstract: str = ""
    abstract_en: str = ""
    keywords: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    fulltext: str = ""
    labels: tuple[str, ...] = ()
    discipline: str = ""
    grantor: str = ""
    identifier: str = ""
    faculty: str = ""
    type: str = ""
    degree_level: str = ""
    year: int | None = None
    language: str = ""
    access: str = "open"
    embargo_until: date | None = None
    access_changes_on: date | None = None
    access_after: str = ""
    source: str = "local"
    owner: str = ""
    version: str = ""


@dataclass(frozen=True)
class Scope:
    """What one searcher may see, as the access module decided it from the policy in force.

    ``metadata_levels``: levels whose records the searcher may see.
    ``text_levels``: levels whose full text their query may match and a
    snippet may quote. ``today``: the day levels are judged on, so an
    embargo that ended at midnight is lifted in search with no job having
    run. ``owner``: the searcher's owner key (their own works are fully
    visible to them). ``work_ids``: works granted to them in full.
    """

    metadata_levels: frozenset[str]
    text_levels: frozenset[str]
    today: date
    owner: str = ""
    work_ids: frozenset[str] = field(default_factory=frozenset)
