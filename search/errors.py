"""Why the index cannot answer: plain exceptions the app may catch without importing the engine."""

from __future__ import annotations


class IndexMissingError(RuntimeError):
    """The index root has no index yet: ``create_or_open`` (``repo-app init``) was not run."""


class IndexOutdatedError(IndexMissingError):
    """The index was written in another format (an older release): it must be rebuilt.

    A subclass of ``IndexMissingError`` because the answer is the same for a
    reader (no search until ``repo-app reindex``), and searching an index whose
    fields mean something else would give wrong results, not fewer.
    """


class RebuildRunningError(RuntimeError):
    """Another process is rebuilding the index; one rebuild at a time."""
