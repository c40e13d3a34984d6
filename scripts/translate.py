"""Add Vietnamese translations to the catalog, safely from several shells.

    .venv/bin/python scripts/translate.py my-strings.tsv

Each line of the TSV file is ``English msgid<TAB>Vietnamese text`` (write
``\\n`` for a newline inside a message). Under a file lock, the script runs
``makemessages`` (so new msgids in the code are in the catalog), sets the
given translations in ``locale/vi/LC_MESSAGES/django.po`` (clearing any
"fuzzy" guess), and compiles the catalogs. It then lists the msgids that
are still untranslated, so nothing is missed. Standard library only.
"""

import fcntl
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PYTHON = ROOT / ".venv" / "bin" / "python"
LOCK = Path("/tmp/thidua-translate.lock")


def _unquote(lines: list[str]) -> str:
    text = "".join(
        re.match(r'^(?:msgid|msgstr|msgid_plural|msgctxt)?\s*"(.*)"$', line).group(1)
        for line in lines
    )
    return text.encode("raw_unicode_escape").decode("unicode_escape") if "\\" in text else text


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _entries(text: str) -> list[list[str]]:
    return [block.split("\n") for block in text.strip("\n").split("\n\n")]


def _field(block: list[str], name: str) -> tuple[int, int] | None:
    """Start and end (exclusive) line indexes of ``name`` "…" and its continuations."""
    for index, line in enumerate(block):
        if line.startswith(f"{name} "):
            end = index + 1
            while end < len(block) and block[end].startswith('"'):
                end += 1
            return index, end
    return None


def _msgid(block):
    span = _field(block, "msgid")
    return None if span is None else _unquote(block[span[0] : span[1]])


def apply(translations: dict[str, str]) -> list[str]:
    blocks = _entries(PO.read_text(encoding="utf-8"))
    missing = []
    for block in blocks:
        msgid = _msgid(block)
        if not msgid or _field(block, "msgid_plural"):
            continue
        span = _field(block, "msgstr")
        if msgid in translations:
            block[span[0] : span[1]] = [f"msgstr {_quote(translations[msgid])}"]
            block[:] = [line for line in block if not line.startswith("#|")]
            block[:] = [
                line.replace(", fuzzy", "") if line.startswith("#,") else line for line in block
            ]
            block[:] = [line for line in block if line.strip() not in ("#,", "#")]
        elif not _unquote(block[span[0] : span[1]]) or any(
            line.startswith("#,") and "fuzzy" in line for line in block
        ):
            missing.append(msgid)
    PO.write_text("\n\n".join("\n".join(b) for b in blocks) + "\n", encoding="utf-8")
    return missing


def main(path: str) -> int:
    translations = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            print(f"{path}:{number}: no TAB between English and Vietnamese", file=sys.stderr)
            return 2
        english, vietnamese = line.split("\t", 1)
        translations[english.replace("\\n", "\n")] = vietnamese.replace("\\n", "\n")
    manage = [str(PYTHON), "manage.py"]
    ignore = ["--ignore=.venv", "--ignore=node_modules"]
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(
            [
                *manage,
                "makemessages",
                "-l",
                "vi",
                "-l",
                "en",
                *ignore,
                "--ignore=tests",
                "--no-obsolete",
                "--add-location",
                "file",
                "-v0",
            ],
            cwd=ROOT,
            check=True,
        )
        missing = apply(translations)
        subprocess.run([*manage, "compilemessages", *ignore, "-v0"], cwd=ROOT, check=True)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(translations)} given, {len(missing)} still untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
