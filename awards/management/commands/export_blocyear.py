"""Export one bloc-year (covenant, sheets, evidence, votes, results, documents) to a ZIP.

Exit status: 0 written; 1 no such bloc-year, the output file exists, or inconsistent data;
2 wrong arguments.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.backup import BackupError, export_bloc_year
from blocs.models import BlocYear


class Command(BaseCommand):
    help = (
        "Export a bloc-year with its covenant, scoring sheet, score sheets and evidence, "
        "mid-year review, conference, polls, proposals, decisions and issued documents to a "
        "portable ZIP archive (manifest.json with SHA-256 checksums, data.json, files/). "
        "Restore it with import_blocyear. Exit status: 0 done, 1 refused, 2 wrong arguments."
    )

    def add_arguments(self, parser):
        parser.add_argument("province", help="Province code, e.g. quang-ngai.")
        parser.add_argument("bloc", type=int, help="Bloc number within the province, e.g. 6.")
        parser.add_argument("year", type=int, help="Year, e.g. 2025.")
        parser.add_argument(
            "-o", "--output", required=True, type=Path, help="The ZIP file to write."
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the output file if it exists."
        )

    def handle(self, *args, **options):
        province, number, year = options["province"], options["bloc"], options["year"]
        output: Path = options["output"]
        bloc_year = (
            BlocYear.objects.select_related("bloc__province")
            .filter(bloc__province__code=province, bloc__number=number, year=year)
            .first()
        )
        if bloc_year is None:
            raise CommandError(f"No bloc {number} of province {province!r} in {year}.")
        if output.exists() and not options["force"]:
            raise CommandError(f"{output} exists; choose another name or use --force.")
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent} is not a directory.")
        try:
            summary = export_bloc_year(bloc_year, output)
        except BackupError as error:
            raise CommandError(str(error), returncode=error.exit_code) from error
        for name in summary.missing_files:
            self.stderr.write(f"Warning: {name} is named by a row but missing from storage.")
        self.stdout.write(
            f"Exported {bloc_year}: {summary.rows} rows, {summary.files} files "
            f"({summary.file_bytes} bytes) to {output} (SHA-256 {summary.sha256})."
        )
