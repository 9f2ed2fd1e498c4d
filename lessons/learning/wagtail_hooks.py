"""The learning path's part of serving pages: a signed-in learner opening a step's page for the
first time launches the step (its progress row and a "launched" learning record, xAPI's
http://adlnet.gov/expapi/verbs/launched)."""

from django.core.cache import cache
from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from kompetensverkstad.pagecache import current_generation, page_cache_seconds

from .recording import record_steps_launched


@hooks.register("before_serve_page")
def launch_steps(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    # GET only: a worksheet's autosave and hand-in are POSTs to the same page, and a preview
    # by an editor is not served through here.
    if request.method != "GET" or not request.user.is_authenticated:
        return
    # Once every step of the page is launched, later views need not ask the database again:
    # remembered under the page cache's generation, so a step added to the page (published)
    # is launched on the next view. The database's unique constraint stays the guarantee.
    generation = current_generation() if page_cache_seconds() > 0 else None
    key = f"launched:{generation}:{request.user.pk}:{page.pk}"
    if generation is not None and cache.get(key):
        return
    record_steps_launched(request.user, page.pk)
    if generation is not None:
        cache.set(key, True, page_cache_seconds())
