"""Where a ``next`` parameter may send the browser: a path on this site, and nothing else.

Every view that redirects to an address it was given (login, the language
switch) goes through :func:`safe_next`, so the rules live in one place and
one test runs the OWASP open-redirect vectors against every such route.
Browsers repair addresses generously — they drop tabs and newlines, read
``\\`` as ``/`` and ``//host`` as another site, and fold some non-ASCII
slashes into ``/`` — so rather than clean a target we accept only a plain
path of printable ASCII that stays on this host, and answer anything else
with the fallback.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import url_for

MAX_TARGET_CHARS = 2000


def safe_next(target: str | None, fallback_endpoint: str = "public.home") -> str:
    """``target`` when it is a path on this site, else the fallback endpoint's address."""
    return target if target is not None and is_local_path(target) else url_for(fallback_endpoint)


def is_local_path(target: str) -> bool:
    """Whether ``target`` is a path on this host that no browser could read as another host.

    The target as given must be plain printable ASCII; decoded once more (a
    proxy or a second redirect may decode it) it must still be a path here.
    """
    if not target or len(target) > MAX_TARGET_CHARS:
        return False
    if not all("!" <= ch <= "~" for ch in target):
        return False  # whitespace, control characters, non-ASCII look-alikes of "/"
    return _stays_here(target) and _stays_here(unquote(target))


def _stays_here(target: str) -> bool:
    if "\\" in target or any(ch < " " or ch == "\x7f" for ch in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
