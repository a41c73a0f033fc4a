"""How a service asks for the address of a page it must put into data that leaves the site.

Services know no routes: citations, OAI-PMH records and messages to readers
hold addresses, so the web layer hands the service an ``Addresses``
(``repo_app.views.links``) that makes them from its routes.
"""

from __future__ import annotations

from typing import Protocol


class Addresses(Protocol):
    def work(self, work_id: int) -> str:
        """A work's page."""

    def file(self, work_id: int, file_id: int) -> str:
        """A file's download."""
