"""The learning path's part of serving pages: a signed-in learner opening a step's page for the
first time launches the step (its progress row and a "launched" learning record, xAPI's
http://adlnet.gov/expapi/verbs/launched)."""

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from .recording import record_steps_launched


@hooks.register("before_serve_page")
def launch_steps(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    # GET only: a worksheet's autosave and hand-in are POSTs to the same page, and a preview
    # by an editor is not served through here.
    if request.method == "GET" and request.user.is_authenticated:
        record_steps_launched(request.user, page.pk)
