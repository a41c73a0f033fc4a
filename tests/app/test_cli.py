"""The ``repo-app`` commands a librarian or an installer types."""

from __future__ import annotations

from repo_app.db import standalone_session
from repo_app.services import users


def test_init_is_idempotent(runner):
    first = runner.invoke(args=["init"])
    second = runner.invoke(args=["init"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output


def test_users_create_reads_password_twice_from_stdin(runner, app):
    result = runner.invoke(args=["users", "create", "Thu.Thu@Truong.edu.vn", "--role", "librarian"],
                           input="mat-khau-du-dai\nmat-khau-du-dai\n")
    assert result.exit_code == 0, result.output
    with standalone_session(app) as db:
        user = users.authenticate(db, "thu.thu@truong.edu.vn", "mat-khau-du-dai")
        assert user is not None and user.role == "librarian"


def test_users_create_rejects_a_short_password(runner):
    result = runner.invoke(args=["users", "create", "a@b.vn", "--role", "reader"],
                           input="short\nshort\n")
    assert result.exit_code != 0
    assert "at least 8" in result.output


def test_users_create_rejects_unknown_role(runner):
    result = runner.invoke(args=["users", "create", "a@b.vn", "--role", "king"], input="x\nx\n")
    assert result.exit_code != 0


def test_demo_loads_every_access_level_and_is_idempotent(runner, client):
    first = runner.invoke(args=["demo", "--admin-password", "admin-demo-pass"])
    assert first.exit_code == 0, first.output
    assert "admin@example.org  password: admin-demo-pass" in first.output
    second = runner.invoke(args=["demo"])
    assert "0 works loaded" in second.output
    facets = client.get("/api/v1/search?q=").get_json()["facets"]
    levels = {v["value"] for v in facets["access"]}
    assert {"open", "campus", "restricted", "embargoed"} <= levels
    assert "confidential" not in levels  # invisible to anonymous
    assert client.get("/search?q=dat dai").status_code == 200


def test_reindex_rebuilds_from_the_database(runner, client, publish):
    publish("Nuôi trồng thủy sản ven biển", "open")
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0 and "Indexed 1 works" in result.output
    assert client.get("/api/v1/search?q=thuy san").get_json()["total"] == 1
