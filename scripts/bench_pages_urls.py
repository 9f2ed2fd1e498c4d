"""The site's URLs plus the page benchmark's reference: a trivial Django view behind the same
middleware, so the pages are compared with what the stack costs by itself."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kompetensverkstad.urls import urlpatterns as site_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-trivial/", trivial), *site_urlpatterns]
