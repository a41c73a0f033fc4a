"""Fuzzing what strangers send: manifest files and OAI-PMH arguments (hypothesis).

The manifest parser answers every file with rows and line-numbered errors,
never an exception; the OAI-PMH endpoint answers every combination of
arguments with a well-formed 200 response (an OAI error element at worst),
never a 500.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.batch import COLUMNS, read_manifest

TYPES = ("master_thesis", "bachelor_thesis")
LEVELS = ("open", "campus", "restricted", "embargoed", "confidential")
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

cells = st.one_of(st.text(max_size=40), st.sampled_from(
    ["../etc/passwd", "/abs.pdf", "a.pdf;b.pdf", "2020", "20x0", "2026-02-30", "embargoed",
     "open", "vi", "", " ", "\x00", "C:\\x.pdf", "=HYPERLINK(1)", "đường"]))


@FAST
@given(header=st.lists(st.one_of(st.sampled_from(COLUMNS), st.text(max_size=12)), max_size=18),
       rows=st.lists(st.lists(cells, max_size=18), max_size=6),
       raw=st.binary(max_size=200))
def test_the_manifest_parser_answers_every_file_with_rows_and_errors(header, rows, raw):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        manifest = base / "m.csv"
        lines = [",".join(header)] + [",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' for c in r)
                                      for r in rows]
        manifest.write_bytes("\n".join(lines).encode("utf-8") + raw)
        result = read_manifest(manifest, base, types=TYPES, access_levels=LEVELS)
    for row in result.rows:
        for path in row.files:
            assert (base / path).resolve().is_relative_to(base.resolve())
    assert all(error.message for error in result.errors)


VERBS = ["Identify", "ListRecords", "ListIdentifiers", "GetRecord", "ListSets",
         "ListMetadataFormats", "Bogus", ""]
ARGS = ["metadataPrefix", "identifier", "from", "until", "set", "resumptionToken", "verb", "x"]
values = st.one_of(st.text(max_size=30), st.sampled_from(
    ["oai_dc", "oai_etdms", "marc21", "oai:repo.test:1", "oai:repo.test:99999999999999999999",
     "2020-01-01", "2020-01-01T00:00:00Z", "1999-13-45", "faculty.cntt", "type.master_thesis",
     "0", "-1", "a" * 300]))


@FAST
@given(verb=st.sampled_from(VERBS), args=st.dictionaries(st.sampled_from(ARGS), values, max_size=4),
       post=st.booleans())
def test_oai_answers_every_argument_combination_with_well_formed_xml(client, verb, args, post):
    query = {"verb": verb, **args} if "verb" not in args else args
    response = client.post("/oai", data=query) if post else client.get("/oai", query_string=query)
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
