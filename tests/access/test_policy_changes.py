"""The index never disagrees with the access policy in force.

Works are indexed once, under the default settings. Then a setting changes
(a new app on the same data, as after a restart with new ``REPO_*``
variables), an embargo's date is past, a file's level is overridden or a
grant expires, and every way of searching is probed as an attacker would:
the results page, the API, facets, "more like this", spelling suggestions
and citation exports. Nothing is re-indexed in between, except through the
service a change itself goes through.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from access.world import OFF_CAMPUS, READING_ROOM, client_from, file_ids, make_app, set_file_level
from flask import Flask
from flask.testing import FlaskClient

from repo_app.db import standalone_session
from repo_app.models import AccessGrant
from repo_app.models.types import utcnow
from repo_app.services import works

# Every answer a query gets: the results page, the API and the citation exports.
SEARCH_ROUTES = ("/search", "/api/v1/search", "/search/cite.bib", "/search/cite.ris",
                 "/search/cite.json")
YESTERDAY, TOMORROW = date.today() - timedelta(days=1), date.today() + timedelta(days=1)


def total(client: FlaskClient, q: str) -> int:
    return client.get("/api/v1/search", query_string={"q": q}).get_json()["total"]


def assert_nowhere(client: FlaskClient, probes: list[str], words: list[str],
                   pages: tuple[str, ...] = ()) -> None:
    """None of ``words`` in any answer to any probe query, the browse facets or ``pages``."""
    answers = {(route, q): client.get(route, query_string={"q": q})
               for route in SEARCH_ROUTES for q in [*probes, ""]}
    answers.update({(page, ""): client.get(page) for page in pages})
    for (route, q), response in answers.items():
        assert response.status_code == 200, (route, q)
        body = response.get_data(as_text=True)
        for word in words:
            assert word not in body, (route, q, word)


def reopened(app: Flask, monkeypatch: pytest.MonkeyPatch, **env: str) -> Flask:
    """The same data directory served under changed settings, as after a restart."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return make_app(app.config["DATA_DIR"], monkeypatch)


def faculty(app: Flask, code: str, name: str) -> int:
    with app.app_context(), standalone_session(app) as db:
        collection_id = works.collection_by_code(db, code, name).id
        db.commit()
        return collection_id


def test_restricted_reading_moved_to_the_reading_room(app, accounts, publish, monkeypatch):
    publish("Luận văn hạn chế rrtieude", "restricted", text="Văn bản rrbimat trong luận văn.")
    member = client_from(app, OFF_CAMPUS, "reader@test.vn")
    assert total(member, "rrbimat") == 1  # under the default settings members read it
    assert "rrbimat" in member.get("/search?q=rrtieude").get_data(as_text=True)

    narrowed = reopened(app, monkeypatch, REPO_RESTRICTED_READERS="reading_room")
    member = client_from(narrowed, OFF_CAMPUS, "reader@test.vn")
    assert total(member, "rrbimat") == 0
    assert total(member, "rrtieude") == 1  # the record stays public
    assert_nowhere(member, ["rrtieude", "rrbimal", "van ban"], ["rrbimat"])
    assert total(client_from(narrowed, READING_ROOM), "rrbimat") == 1


def test_embargoed_records_hidden_after_indexing(app, accounts, publish, monkeypatch):
    hidden = faculty(app, "anmat", "Khoa Ẩn Mật")
    host = publish("Nuôi tôm sú vùng ven biển emtom", "open",
                   abstract="Kỹ thuật nuôi tôm sú ven biển.", keywords=["tôm sú", "ven biển"])
    publish("Nuôi tôm sú ven biển emtieude", "embargoed", embargo_until=TOMORROW,
            creators=["Trần Emtacgia"], abstract="Tôm sú ven biển emtomtat.",
            keywords=["tôm sú", "ven biển"], collection_id=hidden, text="Văn bản embimat.")
    guest = client_from(app, OFF_CAMPUS)
    assert total(guest, "emtieude") == 1
    assert "emtieude" in guest.get(f"/works/{host}").get_data(as_text=True)  # more like this

    private = reopened(app, monkeypatch, REPO_EMBARGO_METADATA_PUBLIC="0")
    guest = client_from(private, OFF_CAMPUS)
    assert total(guest, "emtieude") == 0
    assert total(guest, "tôm sú") == 1
    secrets = ["emtieude", "Emtacgia", "emtomtat", "Ẩn Mật", "anmat", "embimat"]
    assert_nowhere(guest, ["tôm sú", "ven biển", "emtieudf", "emtacgiq"], secrets,
                   pages=(f"/works/{host}",))
    # Facet counts are counted after the filter: the hidden record is in none of them.
    browse = guest.get("/api/v1/search?q=").get_json()
    assert {f["value"]: f["count"] for f in browse["facets"]["access"]} == {"open": 1}
    assert browse["total"] == 1 and "faculty" not in {k for k, v in browse["facets"].items() if v}
    for name in ("type", "source", "language", "year"):
        assert sum(v["count"] for v in browse["facets"][name]) == 1, name
    assert total(client_from(private, OFF_CAMPUS, "librarian@test.vn"), "emtieude") == 1


def test_an_embargo_past_its_date_opens_at_the_next_search(app, accounts, publish, monkeypatch):
    ended = publish("Luận văn hết hạn eetieude", "embargoed", embargo_until=YESTERDAY,
                    after="open", text="Văn bản eebimat.")
    publish("Luận văn còn hạn ectieude", "embargoed", embargo_until=TOMORROW,
            text="Văn bản ecbimat.")
    private = reopened(app, monkeypatch, REPO_EMBARGO_METADATA_PUBLIC="0")
    guest = client_from(private, OFF_CAMPUS)
    hits = guest.get("/api/v1/search?q=eebimat").get_json()["hits"]
    assert [hit["id"] for hit in hits] == [ended]
    assert total(guest, "ectieude") == 0
    assert_nowhere(guest, ["luận văn", "van ban"], ["ectieude", "ecbimat"])


def test_a_file_made_restricted_after_indexing(app, accounts, publish):
    work_id = publish("Luận văn mở fotieude", "open", text="Phụ lục fobimat.")
    guest = client_from(app, OFF_CAMPUS)
    assert total(guest, "fobimat") == 1
    set_file_level(app, file_ids(app, work_id)[0], "restricted")
    assert total(guest, "fobimat") == 0
    assert total(guest, "fotieude") == 1
    assert_nowhere(guest, ["fotieude", "phu luc", "fobimal"], ["fobimat"])


def test_an_expired_grant_reads_nothing_more(app, accounts, publish, monkeypatch):
    work_id = publish("Luận văn được cấp quyền grtieude", "restricted", text="Văn bản grbimat.")
    narrowed = reopened(app, monkeypatch, REPO_RESTRICTED_READERS="reading_room")
    with narrowed.app_context(), standalone_session(narrowed) as db:
        grant = AccessGrant(user_id=accounts["reader"], work_id=work_id,
                            expires_at=utcnow() + timedelta(days=7), reason="test")
        db.add(grant)
        db.commit()
        grant_id = grant.id
    member = client_from(narrowed, OFF_CAMPUS, "reader@test.vn")
    assert total(member, "grbimat") == 1
    with narrowed.app_context(), standalone_session(narrowed) as db:
        db.get(AccessGrant, grant_id).expires_at = utcnow() - timedelta(minutes=1)
        db.commit()
    member = client_from(narrowed, OFF_CAMPUS, "reader@test.vn")
    assert total(member, "grbimat") == 0
    assert_nowhere(member, ["grtieude", "van ban", "grbimal"], ["grbimat"])


def test_an_address_no_longer_on_campus_finds_no_campus_text(app, accounts, publish, monkeypatch):
    from access.world import CAMPUS

    from repo_app.config import parse_networks

    publish("Luận văn trong trường cntieude", "campus", text="Văn bản cnbimat.")
    assert total(client_from(app, CAMPUS), "cnbimat") == 1  # indexed while 10.10/16 was campus

    moved = make_app(app.config["DATA_DIR"], monkeypatch,
                     CAMPUS_NETWORKS=parse_networks("10.99.0.0/16"))
    guest = client_from(moved, CAMPUS)
    assert total(guest, "cnbimat") == 0
    assert total(guest, "cntieude") == 1  # the record stays public
    assert_nowhere(guest, ["cntieude", "van ban", "cnbimal"], ["cnbimat"])
    assert total(client_from(moved, "10.99.1.2"), "cnbimat") == 1
