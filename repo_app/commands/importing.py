"""``repo-app import``: the back catalogue from a folder and a CSV manifest."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

if TYPE_CHECKING:
    from tqdm import tqdm

    from repo_app.services.importing import ImportReport


@click.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--manifest", required=True, type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path))
@click.option("--workers", default=1, show_default=True, help="Extraction processes.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@with_appcontext
def import_command(directory: Path, manifest: Path, workers: int, dry_run: bool) -> None:
    """Import the back catalogue: files under DIRECTORY described by a CSV manifest."""
    from tqdm import tqdm

    from repo_app import db
    from repo_app.access import SYSTEM
    from repo_app.services import importing

    with tqdm(unit="file", desc="Extracting", disable=dry_run) as bar:
        progress = ImportProgress(bar)
        report = importing.run(db.session(), SYSTEM, directory.resolve(), manifest,
                               workers=workers, dry_run=dry_run, on_file=progress)
    _print_import_summary(report, dry_run)
    if report.bad_rows:
        sys.exit(1)


class ImportProgress:
    """Feeds the progress bar: files done, pages per second, failures so far."""

    def __init__(self, bar: tqdm) -> None:
        self.bar = bar
        self.pages = 0
        self.failures = 0

    def __call__(self, _sha: str, result) -> None:
        self.pages += result.pages or 0
        self.failures += result.status not in ("ok", "ocr")
        rate = self.pages / max(self.bar.format_dict["elapsed"], 1e-6)
        self.bar.set_postfix(pages_per_s=f"{rate:.1f}", failures=self.failures, refresh=False)
        self.bar.update(1)


def _print_import_summary(report: ImportReport, dry_run: bool) -> None:
    for outcome in report.outcomes:
        if outcome.status in ("invalid",) or outcome.status.startswith(("empty_file", "too_large")):
            click.echo(f"line {outcome.line}: {outcome.file}: {outcome.message}", err=True)
        elif dry_run:
            click.echo(f"line {outcome.line}: {outcome.status} {outcome.file}")
    click.echo(
        f"{report.rows} rows: {report.imported} imported, {report.skipped} already imported, "
        f"{report.bad_rows} rejected; {report.files_extracted} files, {report.pages} pages "
        f"in {report.seconds:.1f} s; {len(report.failures)} problems"
    )
    if report.report_path is not None:
        click.echo(f"Report: {report.report_path}")


COMMANDS = (import_command,)
