"""Issue 14, item 11: what depends on who or where the requester is never reaches a shared cache."""

from __future__ import annotations

from access.world import CAMPUS, OFF_CAMPUS, READING_ROOM, client_from, file_ids


def _private(response) -> bool:
    control = response.headers.get("Cache-Control", "")
    return "private" in control and "no-store" in control


def test_search_from_the_campus_is_private_and_not_stored(app, accounts, publish):
    publish("Luận văn trong trường", "campus")
    for address in (CAMPUS, READING_ROOM):
        response = client_from(app, address).get("/search?q=luan+van")
        assert response.status_code == 200
        assert _private(response)
        assert "Cookie" in response.headers.get("Vary", "")


def test_every_page_a_member_sees_is_private_and_not_stored(app, accounts, publish):
    work_id = publish("Luận văn mở", "open")
    member = client_from(app, OFF_CAMPUS, "reader@test.vn")
    for url in ("/", "/search?q=luan", f"/works/{work_id}", "/my/requests",
                f"/api/v1/works/{work_id}", "/api/v1/search?q=luan"):
        response = member.get(url)
        assert response.status_code == 200, url
        assert _private(response), url


def test_an_off_campus_guest_answer_varies_by_cookie_and_is_never_public(app, accounts, publish):
    publish("Luận văn mở", "open")
    response = client_from(app, OFF_CAMPUS).get("/search?q=luan")
    assert "Cookie" in response.headers.get("Vary", "")
    assert "public" not in response.headers.get("Cache-Control", "")


def test_downloads_are_private_and_campus_downloads_are_not_stored(app, accounts, publish):
    open_id, campus_id = publish("Luận văn mở", "open"), publish("Luận văn trường", "campus")
    guest = client_from(app, OFF_CAMPUS).get(f"/works/{open_id}/files/{file_ids(app, open_id)[0]}")
    assert guest.status_code == 200
    assert "private" in guest.headers["Cache-Control"]
    campus = client_from(app, CAMPUS).get(
        f"/works/{campus_id}/files/{file_ids(app, campus_id)[0]}")
    assert campus.status_code == 200
    assert _private(campus)


def test_an_api_answer_to_a_bearer_token_is_private(app, accounts, publish):
    work_id = publish("Luận văn mở", "open")
    response = client_from(app, OFF_CAMPUS).get(f"/api/v1/works/{work_id}",
                                                headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert _private(response)
