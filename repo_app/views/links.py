"""The site's addresses for data that leaves it, made from the routes (``services.addresses``).

``REQUESTED`` answers with the host the request came to (citations, OAI-PMH,
as crawlers and harvesters reached us); ``CONFIGURED`` with ``REPO_BASE_URL``,
for messages written now and read later, away from any request.
"""

from __future__ import annotations

from flask import current_app, url_for


class RequestedHost:
    def work(self, work_id: int) -> str:
        return url_for("public.work", work_id=work_id, _external=True)

    def file(self, work_id: int, file_id: int) -> str:
        return url_for("public.download", work_id=work_id, file_id=file_id, _external=True)


class ConfiguredBase:
    def _absolute(self, path: str) -> str:
        return current_app.config["BASE_URL"].rstrip("/") + path

    def work(self, work_id: int) -> str:
        return self._absolute(url_for("public.work", work_id=work_id))

    def file(self, work_id: int, file_id: int) -> str:
        return self._absolute(url_for("public.download", work_id=work_id, file_id=file_id))


REQUESTED = RequestedHost()
CONFIGURED = ConfiguredBase()
