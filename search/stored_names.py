"""The names Whoosh writes into every index file. NEVER move or rename these classes.

Whoosh pickles the schema (its fields, with their analyzers and postings
formats) into each index's table of contents, and each segment's codec with
it; opening an index imports every class named there, by module path and
class name. Moving or renaming one of these makes every existing index
unreadable, so they stay where they are, whatever else moves (a class that
must change keeps its name and becomes a thin subclass of the new one).

A class added to the schema or the codec must be added here:
``tests/search/test_stored_names.py`` compares this list with the names a
newly written index holds, and checks that each one still resolves.
"""

from __future__ import annotations

STORED_NAMES = (
    "search.analysis.SyllablePositions",
    "search.analysis.SyllableTokenizer",
    "search.codec.SplitCodec",
)
