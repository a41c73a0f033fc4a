"""Every address `repo-app users create` accepts can log in through the form; commands run
before `repo-app init` say so instead of printing a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import databases
import pytest

from helpers import PASSWORD, csrf_token

REPO_APP = str(Path(sys.executable).parent / "repo-app")


def _post_login(client, email: str):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("email", ["admin@thuvien.local", "thu.thu@lib.test", "root@localhost",
                                   "nguyen.van.a@hcmus.edu.vn"])
def test_an_account_users_create_accepts_can_log_in(runner, client, email):
    made = runner.invoke(args=["users", "create", email, "--role", "admin"],
                         input=f"{PASSWORD}\n{PASSWORD}\n")
    assert made.exit_code == 0, made.output
    response = _post_login(client, email)
    assert response.status_code == 302
    assert client.get("/review").status_code == 200


def test_a_malformed_address_gets_the_vietnamese_login_error(client):
    response = _post_login(client, "not-an-address")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Sai thư điện tử hoặc mật khẩu." in page
    assert "Invalid email address" not in page


@pytest.mark.parametrize("args", [["check"], ["reindex"], ["users", "create", "a@b.vn", "--role",
                                                            "admin"], ["coverage"]])
def test_a_command_before_init_says_to_run_init(tmp_path, args):
    env = {**os.environ, "REPO_DATA_DIR": str(tmp_path / "empty")}
    env.pop("REPO_DATABASE_URL", None)
    result = subprocess.run([REPO_APP, *args], env=env, capture_output=True, text=True,
                            input=f"{PASSWORD}\n{PASSWORD}\n", timeout=120)
    assert result.returncode == 1
    assert "run `repo-app init` first" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_command_on_an_empty_postgresql_database_says_to_run_init(tmp_path):
    with databases.empty_database(databases.postgres_server()) as url:
        env = {**os.environ, "REPO_DATA_DIR": str(tmp_path / "data"), "REPO_DATABASE_URL": url}
        result = subprocess.run([REPO_APP, "check"], env=env, capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 1
    assert "no database schema" in result.stderr
    assert "Traceback" not in result.stderr
