"""The project's own pages in the Wagtail admin: who may open one, and its breadcrumb."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class AdminPageMixin(WagtailAdminTemplateMixin):
    """A page in the admin frame that only those ``may_open`` lets in see (403 for the rest: the
    admin's own sign-in and second factor have already run), with the page title as its last
    breadcrumb."""

    def may_open(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]
