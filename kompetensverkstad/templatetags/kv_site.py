"""What the site's frame shows on every page: the breadcrumbs (from the routing's chain of pages,
no query) and whether to offer the editor's link (one query, kept a few minutes in the session)."""

import time

from django import template
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.models import Page

from kompetensverkstad.routing import ancestors

register = template.Library()

MAY_EDIT_SECONDS = 300
SESSION_KEY = "kv_may_edit"


@register.simple_tag(takes_context=True)
def page_ancestors(context: template.Context, page: Page) -> list[Page]:
    return ancestors(context.get("request"), page)


@register.simple_tag(takes_context=True)
def may_edit(context: template.Context) -> bool:
    """The "Redigera" link: Wagtail admin access (a link only; the admin checks for itself)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Kept in the session (read on every signed-in request anyway) for a few minutes, so the
    # frame costs no query of its own; a changed permission shows within MAY_EDIT_SECONDS.
    session = getattr(request, "session", None)
    now = int(time.time())
    remembered = session.get(SESSION_KEY) if session is not None else None
    if remembered and remembered[1] > now:
        return remembered[0]
    # ModelBackend asks twice (the person's and the groups' permissions); one query will do.
    allowed = Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label="wagtailadmin",
        codename="access_admin",
    ).exists()
    if session is not None:
        session[SESSION_KEY] = (allowed, now + MAY_EDIT_SECONDS)
    return allowed
