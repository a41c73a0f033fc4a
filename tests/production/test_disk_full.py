"""The disk full while storing a file: a clear error in the user's language, no half file.

The file store lives on a real 1 MB tmpfs, mounted in a private mount
namespace (``unshare --mount``) of a child process, so nothing outside the
child sees it and it vanishes with the child. Where mounting is not
allowed (not root, no namespaces) the test skips and says so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import PASSWORD

CHILD = textwrap.dedent('''
    import io, json, os, sys
    sys.path[:0] = {paths!r}
    from repo_app import create_app
    from repo_app.access import SYSTEM
    from repo_app.db import standalone_session
    from repo_app.resources import initialize
    from repo_app.services import api_tokens, users

    os.environ["REPO_DATA_DIR"] = {data!r}
    os.environ.pop("REPO_DATABASE_URL", None)
    app = create_app({{"TESTING": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}})
    with app.app_context():
        initialize(app)
        with standalone_session(app) as db:
            users.create_user(db, "dep@test.vn", {password!r}, "depositor")
            _, secret = api_tokens.create(db, SYSTEM, "dep@test.vn")
    client = app.test_client()
    headers = {{"Authorization": "Bearer " + secret}}
    work = client.post("/api/v1/works", headers=headers, json={{
        "title": "Luận văn quá lớn", "type": "master_thesis", "creators": ["Vũ Thị G"],
        "accept_licence": True}}).get_json()
    body = b"%PDF-1.4\\n" + os.urandom(2 * 1024 * 1024)
    answer = client.post(f"/api/v1/works/{{work['id']}}/files", headers=headers,
                         data={{"file": (io.BytesIO(body), "lon.pdf")}})
    left = [os.path.join(d, f) for d, _, fs in os.walk({store!r}) for f in fs]
    print(json.dumps({{"status": answer.status_code, "body": answer.get_json(), "left": left}}))
''')


def _can_mount(tmp_path: Path) -> str:
    """'' when this process may mount a tmpfs in a private namespace, else why not."""
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    probe = subprocess.run(["unshare", "--mount", "sh", "-c",
                            f"mount -t tmpfs -o size=1m tmpfs {tmp_path}"],
                           capture_output=True, text=True)
    return "" if probe.returncode == 0 else f"cannot mount a tmpfs here: {probe.stderr.strip()}"


def test_a_full_disk_while_storing_is_a_clear_error_and_leaves_no_half_file(tmp_path: Path):
    reason = _can_mount(tmp_path)
    if reason:
        pytest.skip(reason)
    data, store = tmp_path / "data", tmp_path / "data" / "files"
    store.mkdir(parents=True)
    project = Path(__file__).resolve().parents[2]
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(paths=[str(project), str(project / "tests")], data=str(data),
                                   password=PASSWORD, store=str(store)))
    done = subprocess.run(["unshare", "--mount", "sh", "-c",
                           f"mount -t tmpfs -o size=1m tmpfs {store} && "
                           f"exec {sys.executable} {script}"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == 507
    assert answer["body"]["error"]["code"] == "storage_full"
    assert "lon.pdf" in answer["body"]["error"]["message"]
    assert "Traceback" not in done.stderr
    assert answer["left"] == []  # no half file in the store's tmp/ or objects/
