"""The class names Whoosh pickles into index files: declared in one place, never moved."""

from __future__ import annotations

import importlib
import pickle
import pickletools
from pathlib import Path

import pytest
from whoosh.index import open_dir

from search import SearchIndex, WorkDocument
from search.rebuild import current_generation
from search.stored_names import STORED_NAMES


def _names_pickled(obj: object) -> set[str]:
    """The ``module.Class`` names a pickle of ``obj`` refers to (protocol 2 names them inline)."""
    return {
        arg.replace(" ", ".")
        for opcode, arg, _ in pickletools.genops(pickle.dumps(obj, 2))
        if opcode.name == "GLOBAL"
    }


def test_a_new_index_holds_exactly_the_declared_names(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.create_or_open()
    index.write([WorkDocument(id="1", title="Luận văn", url="/works/1", fulltext="Cá tra.")])
    generation = current_generation(index.root)
    ix = open_dir(str(generation))
    segments = [leaf.segment() for leaf, _ in ix.reader().leaf_readers()]
    ours = {n for n in _names_pickled((ix.schema, segments)) if n.startswith("search.")}
    assert ours == set(STORED_NAMES)
    toc = b"".join(path.read_bytes() for path in generation.glob("*.toc"))
    for name in STORED_NAMES:
        module, _, cls = name.rpartition(".")
        assert module.encode() in toc and cls.encode() in toc, name


@pytest.mark.parametrize("name", STORED_NAMES)
def test_every_stored_name_still_resolves_to_its_class(name: str) -> None:
    module, _, attribute = name.rpartition(".")
    cls = getattr(importlib.import_module(module), attribute)
    assert f"{cls.__module__}.{cls.__qualname__}" == name
