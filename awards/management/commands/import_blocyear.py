"""Import a bloc-year from an archive made by export_blocyear, all or nothing.

Exit status: 0 imported (or checked); 2 wrong arguments; 3 the archive is unreadable,
corrupt, changed or from a newer version; 4 refused (the bloc-year exists without
--replace, or the archive's documents' numbers are held here by other documents).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.backup import BackupError, check_archive, import_bloc_year


class Command(BaseCommand):
    help = (
        "Import a bloc-year from a ZIP archive made by export_blocyear. The manifest and every "
        "checksum are verified first; then, in one transaction, the province, bloc, agencies "
        "and people are matched by code, number, username or email (missing ones are created, "
        "people without a password), and the bloc-year's rows and files are written with new "
        "keys. An existing bloc-year of the same bloc and year is refused unless --replace. "
        "Exit status: 0 done, 2 wrong arguments, 3 invalid archive, 4 refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The ZIP file to import.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the bloc-year of the same bloc and year first (in the same transaction).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the archive (manifest, checksums, version); write nothing.",
        )

    def handle(self, *args, **options):
        archive = options["archive"]
        try:
            if options["check"]:
                manifest = check_archive(archive)
                self.stdout.write(
                    f"{archive} is sound: bloc {manifest['bloc']} of {manifest['province']}, "
                    f"{manifest['year']}, made {manifest.get('created_at')} on "
                    f"{manifest.get('source_site')}."
                )
                return
            summary = import_bloc_year(archive, replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error), returncode=error.exit_code) from error
        created = ", ".join(f"{count} {label}" for label, count in sorted(summary.created.items()))
        self.stdout.write(
            f"{'Replaced' if summary.replaced else 'Imported'} bloc {summary.bloc} of "
            f"{summary.province}, {summary.year}: {summary.rows} rows, "
            f"{summary.files_written} files written, {summary.files_reused} already present. "
            f"Created: {created or 'nothing'}."
        )
