from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Page


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page_obj = Paginator(results, 10).get_page(request.GET.get("sida"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "page_obj": page_obj, "filter_query": urlencode({"q": query})},
    )
