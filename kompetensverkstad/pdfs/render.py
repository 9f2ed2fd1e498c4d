"""HTML → PDF with WeasyPrint, fetching nothing but the project's own static files.

The renderer turns a template and a plain context into bytes; it knows no app's models. Every
PDF gets the print stylesheet (``css/pdf.css``) and its fonts from here, loaded once per thread:
parsing the stylesheet and loading six font files for each render cost more time than the
layout and kept memory growing.
"""

import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"


class StaticOnlyFetcher(URLFetcher):
    """Serve ``static:<path>`` from the project's static files; refuse every other URL.

    Answers and page fields end up in the HTML, so a URL written there (file://, http://…)
    must never be read or requested.
    """

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith(STATIC_SCHEME):
            relative = url[len(STATIC_SCHEME) :].lstrip("/")
            found = finders.find(relative) if ".." not in Path(relative).parts else None
            if found:
                path = Path(found)
                mime = MIME_TYPES.get(path.suffix, "application/octet-stream")
                return URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": mime}, status=200
                )
        raise ValueError(f"Refused to fetch {url[:80]!r}")


MIME_TYPES = {
    ".css": "text/css",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


STYLESHEET = STATIC_SCHEME + "css/pdf.css"

# WeasyPrint's font configuration (fontconfig and Pango) is not shared between threads; a
# worker process (prefork) has one thread, so one set per process.
_loaded = threading.local()


def load_print_styles() -> tuple[FontConfiguration, CSS, StaticOnlyFetcher]:
    """The font configuration, the parsed print stylesheet with its @font-face fonts, and the
    fetcher (stateless; building one sets up urllib's handlers), made once per thread."""
    if not hasattr(_loaded, "stylesheet"):
        fonts = FontConfiguration()
        fetcher = StaticOnlyFetcher()
        _loaded.stylesheet = CSS(url=STYLESHEET, url_fetcher=fetcher, font_config=fonts)
        _loaded.fonts = fonts
        _loaded.fetcher = fetcher
    return _loaded.fonts, _loaded.stylesheet, _loaded.fetcher


def render_html_to_pdf(html: str) -> bytes:
    """``html`` as PDF bytes with the project's print stylesheet (a template need not link it)."""
    fonts, stylesheet, fetcher = load_print_styles()
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def render_template_to_html(template: str, context: dict) -> str:
    """The HTML a PDF is made from (what WeasyPrint is given), for checks and debugging."""
    return render_to_string(template, {"settings": settings, **context})


def render_template_to_pdf(template: str, context: dict) -> bytes:
    return render_html_to_pdf(render_template_to_html(template, context))
