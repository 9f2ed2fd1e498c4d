"""HTML → PDF with WeasyPrint, fetching nothing but the project's own static files.

The renderer turns a template and a plain context into bytes; it knows no app's models.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
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


def render_html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_template_to_html(template: str, context: dict) -> str:
    """The HTML a PDF is made from (what WeasyPrint is given), for checks and debugging."""
    return render_to_string(template, {"settings": settings, **context})


def render_template_to_pdf(template: str, context: dict) -> bytes:
    return render_html_to_pdf(render_template_to_html(template, context))
