"""The year-end dossier against WeasyPrint alone on the same HTML.

The dossier (``awards:dossier``, demo bloc 6's confirmed 2025) is a ZIP of every
conference document as an issued PDF. Issued PDFs are cached by the hash of their HTML
(:func:`members.documents.issue_pdf`), so a plain second download renders nothing; the
benchmark times the *build*: each run deletes the bloc's issued PDFs inside a
transaction, downloads the dossier through the view (every document rendered again) and
rolls the transaction back. Meanwhile ``weasyprint.HTML`` is watched (its ``__init__``
keeps the HTML string the application fed it), so the very same HTML is then rendered by
WeasyPrint alone — ``HTML(string=…).write_pdf()`` with one reused ``FontConfiguration``
and the static files as ``file://`` URLs — which is the floor: what any application
would pay to print these documents. The ratio is build p50 ÷ floor p50; the cached
download is reported beside it.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

from django.contrib.staticfiles import finders
from django.db import transaction
from django.urls import reverse

from .pages import DEMO_BLOC, DEMO_CLOSED_YEAR, DEMO_PROVINCE, client_for
from .stats import p50

_STATIC = re.compile(r"""(?P<quote>["'(])/static/(?P<name>[^"')?#]+)""")


class _Recorder:
    def __init__(self):
        self.sources: list[str] = []


@contextmanager
def watching_weasyprint():
    """Record every HTML string given to ``weasyprint.HTML`` while inside."""
    import weasyprint

    recorder = _Recorder()
    original = weasyprint.HTML.__init__

    def init(self, *args, **kwargs):
        string = kwargs.get("string")
        if string is not None:
            recorder.sources.append(string)
        original(self, *args, **kwargs)

    weasyprint.HTML.__init__ = init
    try:
        yield recorder
    finally:
        weasyprint.HTML.__init__ = original


def standalone_html(html: str) -> str:
    """The HTML with its static URLs (``/static/css/print.css``) turned into ``file://``
    URLs of the files behind them, so WeasyPrint's own fetcher reads them, as a
    stand-alone render would."""

    def to_file(match):
        found = finders.find(match.group("name"))
        if not found:
            return match.group(0)
        return f"{match.group('quote')}file://{found}"

    return _STATIC.sub(to_file, html)


class WeasyPrintFloor:
    """WeasyPrint alone on saved HTML, with one reused ``FontConfiguration`` (warmed by
    the first call, as the application's is by its first PDF)."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()

    def render_all(self, sources: list[str]) -> float:
        """Seconds to render every source once."""
        from weasyprint import HTML

        pages = [standalone_html(source) for source in sources]
        start = time.perf_counter()
        for page in pages:
            HTML(string=page).write_pdf(font_config=self.fonts)
        return time.perf_counter() - start


def _forget_issued(bloc_year) -> int:
    """Delete the issued PDFs of the bloc-year's agencies (inside the caller's
    transaction, which is rolled back): the next download must render them all."""
    from members.models_documents import IssuedDocument

    agencies = bloc_year.memberships.values_list("agency_id", flat=True)
    deleted, _ = IssuedDocument.objects.filter(entry__agency_id__in=agencies).delete()
    return deleted


def measure(*, runs: int) -> dict:
    from blocs.models import BlocYear

    bloc_year = BlocYear.objects.get(
        bloc__province__code=DEMO_PROVINCE, bloc__number=DEMO_BLOC, year=DEMO_CLOSED_YEAR
    )
    path = reverse("awards:dossier", args=[bloc_year.bloc_id, bloc_year.year])
    client = client_for("board")
    floor = WeasyPrintFloor()
    build_times, floor_times, documents, sources = [], [], 0, []
    # Build and floor alternate, so that a busy moment of the machine weighs on both.
    for index in range(runs + 1):  # the first round warms up (imports, fonts)
        with transaction.atomic(), watching_weasyprint() as recorder:
            _forget_issued(bloc_year)
            start = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        documents, sources = len(recorder.sources), recorder.sources
        if not sources:
            raise RuntimeError("The dossier rendered no PDF: the build was not measured.")
        floor_elapsed = floor.render_all(sources)
        if index:
            build_times.append(elapsed)
            floor_times.append(floor_elapsed)
    cached = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path)
        cached.append(time.perf_counter() - start)
    return {
        "path": path,
        "documents": documents,
        "html_bytes": sum(len(s.encode()) for s in sources),
        "build": build_times,
        "build_p50": p50(build_times),
        "floor": floor_times,
        "floor_p50": p50(floor_times),
        "cached_p50": p50(cached),
    }
