"""``repo-app export --marc FILE``: every public work as MARC 21 (ISO 2709) for a library system."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.command("export")
@click.option("--marc", "marc_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every public work to this file as MARC 21 (ISO 2709), for Koha or Libol.")
@with_appcontext
def export_command(marc_file: Path | None) -> None:
    """Export the repository's public works for other systems."""
    from repo_app import db
    from repo_app.services import catalogue_export

    if marc_file is None:
        fail("Say what to export: --marc FILE.")
    partial = marc_file.with_name(marc_file.name + ".partial")
    # Links in the records use REPO_BASE_URL, the site's one public address.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        with partial.open("wb") as out:
            count = catalogue_export.write_iso2709(db.session(), out, _SiteAddresses())
    partial.replace(marc_file)  # a half-written file never passes for an export
    click.echo(f"{count} records written to {marc_file}")


class _SiteAddresses:
    """``services.addresses.Addresses`` from the routes, under REPO_BASE_URL (the command runs
    in a request context made for that address)."""

    def work(self, work_id: int) -> str:
        return url_for("public.work", work_id=work_id, _external=True)

    def file(self, work_id: int, file_id: int) -> str:
        return url_for("public.download", work_id=work_id, file_id=file_id, _external=True)


COMMANDS = (export_command,)
