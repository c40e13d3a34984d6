"""WeasyPrint glue: HTML templates in, PDF bytes out, and the HTTP response for them.

What goes into each document lives with its app (``covenants/documents.py``,
``awards/documents.py``); this module only knows how to turn a template into a PDF:

* Static files (``print.css`` and the bundled Liberation Serif fonts) are read from disk
  through Django's staticfiles finders by :func:`url_fetcher`. Rendering never
  makes an HTTP request, not even to our own server: that would deadlock a single-worker
  server and make the PDF depend on the network. Every other URL is refused.
* One :class:`~weasyprint.text.fonts.FontConfiguration` is created lazily and reused, so the
  ``@font-face`` fonts are loaded into Fontconfig once per process instead of once per PDF.
  Renders are serialised with a lock because that shared object (and the Pango/Fontconfig
  state behind it) is not documented as thread-safe; official documents are rare enough
  that one PDF at a time per process costs nothing noticeable.
* Documents are rendered in Vietnamese whatever the reader's interface language: they are
  Decree 30/2020 administrative documents, and dates/decimals must use Vietnamese formats.
* A PDF that is not an issued document (a draft, the scoring sheet, paper ballots) is
  printed again on every request, usually from unchanged data. :func:`html_to_pdf` keeps
  the last PDFs in memory by the SHA-256 of their HTML (:class:`PdfCache`), checked
  against the static files the render read (a changed ``print.css`` is a new render), so
  the same HTML is printed once per process. Issued documents do not need it: their PDF
  is stored once and served from the register (``members.documents.issue_pdf``), and
  their HTML carries a verification token of its own anyway.
* :data:`stats` counts WeasyPrint's renders and the cache's hits, so that tests can prove
  a download was served without printing (a real counter, not a mock).

``weasyprint`` is imported inside the functions because importing it takes 0.5-1 s;
processes that never render a PDF (migrations, most tests) should not pay for it.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import os
import posixpath
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import PrefixNode
from django.utils import translation
from django.utils.text import slugify

if TYPE_CHECKING:
    from django.http import HttpRequest
    from weasyprint.text.fonts import FontConfiguration

# Relative URLs in the rendered HTML (``{% static %}`` gives ``/static/...``) are resolved
# against this origin. ``.invalid`` is reserved (RFC 2606) and never resolves, so even a
# fetcher bug could not turn it into a real request.
BASE_URL = "https://thidua-pdf.invalid/"

# PDFs are official Vietnamese documents; see the module docstring.
DOCUMENT_LANGUAGE = "vi"

_render_lock = threading.Lock()
_font_config: FontConfiguration | None = None

#: How many bytes of PDFs the in-memory cache keeps per process (the oldest go first).
#: A document is tens of kilobytes; 32 MB holds several hundred.
CACHE_MAX_BYTES = 32 * 1024 * 1024


@dataclass
class RenderStats:
    """What :func:`html_to_pdf` did in this process: ``renders`` (WeasyPrint runs) and
    ``cache_hits`` (PDFs served from :class:`PdfCache` instead)."""

    renders: int = 0
    cache_hits: int = 0


stats = RenderStats()


class PdfRenderError(RuntimeError):
    """A PDF could not be rendered because a resource it links to was refused or missing.

    WeasyPrint signals fatal fetch errors with a ``BaseException`` subclass, which would
    bypass Django's error handling; this wraps it in an ordinary exception.
    """


class StaticURLRefused(ValueError):
    """The URL is not one of our static files, so the fetcher will not load it."""


def static_prefix() -> str:
    """The absolute URL under which our static files appear in the rendered HTML."""
    return urljoin(BASE_URL, PrefixNode.handle_simple("STATIC_URL"))


def static_file_for_url(url: str) -> Path:
    """The file on disk behind a static URL of a rendered document.

    The staticfiles finders are what ``runserver`` uses, so development, tests and
    production read the same source files. After ``collectstatic`` with a manifest storage,
    ``{% static %}`` gives hashed names (``print.3f2a.css``) that only exist in
    ``STATIC_ROOT``; those are read from the storage's directory. Anything else (``http``,
    ``file``, ``data`` URLs, paths climbing out with ``..``) raises
    :class:`StaticURLRefused`, so a template, or text pasted into one, can never make the
    server fetch or leak anything.
    """
    prefix = static_prefix()
    if not url.startswith(prefix):
        raise StaticURLRefused(f"Only static files can be used in PDFs, not {url!r}")
    remainder = urlsplit(url[len(prefix) :])
    name = unquote(remainder.path)
    if (
        remainder.query
        or not name
        or name.startswith("/")
        or ".." in name.split("/")
        or posixpath.normpath(name) != name
    ):
        raise StaticURLRefused(f"Unsafe static path in {url!r}")
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a remote storage has no local path
        collected = None
    if collected is not None and collected.is_file():
        return collected
    raise StaticURLRefused(f"Static file not found: {name!r}")


@functools.cache
def _unused_ssl_context():
    """An SSL context without certificates: it could verify no server, and is never used."""
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@functools.cache
def _fetcher_class():
    """Define the fetcher on first use: subclassing needs WeasyPrint, which is slow to import."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        """Serve static URLs from disk (:func:`static_file_for_url`); refuse all others.

        ``fail_on_errors`` makes a refused or missing file stop the render (WeasyPrint
        would otherwise log a warning and carry on, e.g. with the wrong font).
        """

        def __init__(self, **kwargs):
            kwargs.setdefault("fail_on_errors", True)
            kwargs.setdefault("allowed_protocols", ())
            # Without a context, urllib's HTTPS handler builds the default one, loading
            # the system's certificates: 20-50 ms per PDF for a handler this fetcher
            # never uses (no protocol is allowed). An empty context costs nothing.
            kwargs.setdefault("ssl_context", _unused_ssl_context())
            super().__init__(**kwargs)
            #: The files this render read, for the cache to check they are unchanged.
            self.files: list[Path] = []

        def fetch(self, url, headers=None):
            path = static_file_for_url(url)
            self.files.append(path)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if content_type == "text/css":
                # WeasyPrint checks the type of linked stylesheets; ours are UTF-8.
                content_type = "text/css; charset=utf-8"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesURLFetcher


def url_fetcher():
    """A WeasyPrint URL fetcher that only serves our static files from disk."""
    return _fetcher_class()()


def font_config() -> FontConfiguration:
    """The process-wide Fontconfig configuration, created on first use.

    Creating it scans the host's fonts (slow), and each ``@font-face`` rule it has seen is
    cached in it, so reusing it makes every PDF after the first much faster.
    """
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _file_state(path: Path) -> tuple[str, int, int]:
    """What says a static file changed: its path, modification time and size."""
    stat = os.stat(path)
    return str(path), stat.st_mtime_ns, stat.st_size


class PdfCache:
    """PDFs by the SHA-256 of their HTML, newest kept, at most ``max_bytes`` in all.

    Each entry remembers the static files its render read (the stylesheet, the fonts)
    with their modification time and size, and is only served while they are unchanged:
    the same HTML with another ``print.css`` prints differently. Thread-safe.
    """

    def __init__(self, max_bytes: int = CACHE_MAX_BYTES):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[bytes, tuple]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(html: str) -> str:
        return hashlib.sha256(html.encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        content, files = entry
        try:
            current = tuple(_file_state(Path(path)) for path, _mtime, _size in files)
        except OSError:
            current = None
        if current != files:
            self.discard(key)
            return None
        return content

    def put(self, key: str, content: bytes, files) -> None:
        if len(content) > self.max_bytes:
            return
        states = tuple(_file_state(path) for path in dict.fromkeys(files))
        with self._lock:
            self._discard(key)
            self._entries[key] = (content, states)
            self._size += len(content)
            while self._size > self.max_bytes:
                _key, (old, _files) = self._entries.popitem(last=False)
                self._size -= len(old)

    def discard(self, key: str) -> None:
        with self._lock:
            self._discard(key)

    def _discard(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._size -= len(entry[0])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)


cache = PdfCache()


def render_html(template_name: str, context: dict, *, request: HttpRequest | None = None) -> str:
    """The HTML of a document template (extending ``pdf/base.html``), in Vietnamese."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(template_name, context, request=request)


def html_to_pdf(html: str, *, name: str = "document", use_cache: bool = True) -> bytes:
    """Print ``html`` (from :func:`render_html`) with WeasyPrint, or take the PDF the same
    HTML printed before from :data:`cache` (``use_cache=False``: always print, and keep
    nothing, for a document that is stored anyway). ``name`` only labels errors."""
    key = PdfCache.key(html) if use_cache else None
    if key is not None and (cached := cache.get(key)) is not None:
        stats.cache_hits += 1
        return cached
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = url_fetcher()
    with _render_lock:
        try:
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
            content = document.write_pdf(font_config=font_config())
        except FatalURLFetchingError as error:
            raise PdfRenderError(f"{name}: {error} ({error.__cause__})") from error
        stats.renders += 1
    if key is not None:
        cache.put(key, content, fetcher.files)
    return content


def render_pdf(
    template_name: str,
    context: dict,
    *,
    request: HttpRequest | None = None,
    use_cache: bool = True,
) -> bytes:
    """Render a Django template (extending ``pdf/base.html``) to PDF bytes.

    ``request`` is only passed on to the template (context processors, ``{% url %}``); the
    PDF itself never depends on the request's host, as static files come from disk. The
    same HTML is printed once (see :func:`html_to_pdf`).
    """
    html = render_html(template_name, context, request=request)
    return html_to_pdf(html, name=template_name, use_cache=use_cache)


def with_verification(html: str, verification: dict) -> str:
    """``html`` with the verification block of an issued document (its QR code, number
    and address: ``pdf/_verification.html``) at the end of the body, where
    ``pdf/base.html`` puts it when the context has ``verification``.

    Issuing hashes the document's HTML without the block (its token is new at every
    build) and prints the same HTML with it: added here, the document's template is
    rendered once, not twice.
    """
    block = render_html("pdf/_verification.html", {"verification": verification})
    head, body_end, tail = html.rpartition("</body>")
    if not body_end:
        return html + block
    return f"{head}{block}{body_end}{tail}"


def ascii_filename(filename: str) -> str:
    """An ASCII stand-in for a Vietnamese file name, for clients without RFC 6266 support.

    ``slugify`` drops accents by Unicode decomposition, but "đ"/"Đ" are letters of their
    own (they do not decompose), so they are mapped to "d" first: "Biên bản Đại hội.pdf"
    becomes "bien-ban-dai-hoi.pdf" rather than "bien-ban-ai-hoi.pdf".
    """
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem = unicodedata.normalize("NFC", stem).replace("đ", "d").replace("Đ", "D")
    stem = slugify(stem) or "document"
    extension = slugify(extension)
    return f"{stem}.{extension}" if extension else stem


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An ``application/pdf`` response whose file name survives Vietnamese characters.

    ``filename*`` (RFC 5987/6266) carries the real UTF-8 name for every current browser;
    ``filename`` carries an ASCII slug for older clients and mail gateways, because a raw
    non-ASCII header value is not valid HTTP. ``inline`` opens the PDF in the browser's
    viewer; ``inline=False`` asks it to download the file.
    """
    if not filename.lower().endswith(".pdf"):
        filename = f"{filename}.pdf"
    disposition = "inline" if inline else "attachment"
    encoded = quote(unicodedata.normalize("NFC", filename), safe="")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{encoded}"
    )
    response["Content-Length"] = str(len(content))
    return response
