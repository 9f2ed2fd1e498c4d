"""What the site's frame shows on every page: the breadcrumbs (from the routing's chain of pages,
no query) and whether to offer the editor's link (one query, kept a few minutes per person)."""

from django import template
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page

from kompetensverkstad.routing import ancestors

register = template.Library()

MAY_EDIT_SECONDS = 300


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
    key = f"may_edit:{user.pk}"
    allowed = cache.get(key)
    if allowed is None:
        # ModelBackend asks twice (the person's and the groups' permissions); one query will do.
        allowed = Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            content_type__app_label="wagtailadmin",
            codename="access_admin",
        ).exists()
        cache.set(key, allowed, MAY_EDIT_SECONDS)
    return allowed
