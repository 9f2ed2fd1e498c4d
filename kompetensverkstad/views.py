"""The platform's own views: site search, and media files with byte ranges where no web server
serves them (runserver)."""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils._os import safe_join
from django.views import static
from wagtail.models import Page

from kompetensverkstad.search import clean_query


def search(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page_obj = Paginator(results, 10).get_page(request.GET.get("sida"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "page_obj": page_obj, "filter_query": urlencode({"q": query})},
    )


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _read_range(path: Path, start: int, length: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    with path.open("rb") as f:
        f.seek(start)
        while length > 0:
            data = f.read(min(chunk, length))
            if not data:
                return
            length -= len(data)
            yield data


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files in development and tests (``SERVE_MEDIA``), with single byte ranges.

    Django's static ``serve`` ignores ``Range``, and a <video> served without it cannot seek,
    so chapter links would not work. Production serves media from object storage instead.
    """
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Accept-Ranges"] = "bytes"
    match = RANGE_RE.match(request.headers.get("Range", ""))
    if response.status_code != 200 or not match or not any(match.groups()):
        return response
    response.close()
    size = int(response["Content-Length"])
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # "bytes=-500": the last 500 bytes
        start, end = max(size - int(last), 0), size - 1
    if start > end:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    partial = StreamingHttpResponse(
        _read_range(Path(safe_join(settings.MEDIA_ROOT, path)), start, end - start + 1),
        status=206,
        content_type=response["Content-Type"],
    )
    partial["Content-Length"] = str(end - start + 1)
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Accept-Ranges"] = "bytes"
    return partial
