"""``repo-app export --marc FILE``: every public work as MARC 21 (ISO 2709) for a library system;
``repo-app export --bagit DIR [--since DATE]`` and ``repo-app import-bag DIR``: preservation
packages, one BagIt bag per work, and an instance restored from them."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from repo_app.commands.common import fail


@click.command("export")
@click.option("--marc", "marc_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every public work to this file as MARC 21 (ISO 2709), for Koha or Libol.")
@click.option("--bagit", "bag_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one BagIt preservation bag per work into this folder.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="With --bagit: only works changed on or after this date (YYYY-MM-DD).")
@with_appcontext
def export_command(marc_file: Path | None, bag_dir: Path | None, since) -> None:
    """Export the repository's works for other systems, or for preservation."""
    if bag_dir is not None:
        _export_bags(bag_dir, since.date() if since else None)
        return
    if marc_file is None:
        fail("Say what to export: --marc FILE or --bagit DIR.")
    _export_marc(marc_file)


def _export_marc(marc_file: Path) -> None:
    from repo_app import db
    from repo_app.services import catalogue_export

    partial = marc_file.with_name(marc_file.name + ".partial")
    # Links in the records use REPO_BASE_URL, the site's one public address.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        with partial.open("wb") as out:
            count = catalogue_export.write_iso2709(db.session(), out, _SiteAddresses())
    partial.replace(marc_file)  # a half-written file never passes for an export
    click.echo(f"{count} records written to {marc_file}")


def _export_bags(bag_dir: Path, since) -> None:
    from repo_app import db
    from repo_app.services import preservation

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        count = preservation.export_bags(db.session(), bag_dir, _describe, since)
    click.echo(f"{count} bags written to {bag_dir}")


def _describe(work) -> dict[str, bytes]:
    """The work in Dublin Core and ETD-MS, as harvesters get it over OAI-PMH."""
    from lxml import etree

    from repo_app import oai_xml
    from repo_app.services import oai

    meta = oai.metadata_of(work, _SiteAddresses())
    described = {}
    for name, write in (("dc.xml", oai_xml.oai_dc), ("etdms.xml", oai_xml.etdms)):
        holder = etree.Element("metadata")
        write(holder, meta)
        described[name] = etree.tostring(holder[0], xml_declaration=True, encoding="UTF-8",
                                         pretty_print=True)
    return described


@click.command("import-bag")
@click.argument("bag_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_bag_command(bag_dir: Path) -> None:
    """Restore works from BagIt bags written by ``export --bagit`` (ids kept; present works skipped)."""
    from repo_app import db
    from repo_app.errors import UserError
    from repo_app.services import preservation

    try:
        report = preservation.import_bags(db.session(), bag_dir)
    except UserError as exc:
        fail(str(exc))
    click.echo(f"{report.restored} works restored, {report.skipped} already present")


class _SiteAddresses:
    """``services.addresses.Addresses`` from the routes, under REPO_BASE_URL (the command runs
    in a request context made for that address)."""

    def work(self, work_id: int) -> str:
        return url_for("public.work", work_id=work_id, _external=True)

    def file(self, work_id: int, file_id: int) -> str:
        return url_for("public.download", work_id=work_id, file_id=file_id, _external=True)


COMMANDS = (export_command, import_bag_command)
