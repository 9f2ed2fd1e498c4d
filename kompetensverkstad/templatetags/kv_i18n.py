"""Languages in templates: the header's language switcher (the same page in the other languages)
and the ``lang`` of what editors wrote, which stays in its own language when the interface is not.
"""

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict]:
    """Each language of the site with the address of this page in it (``current`` for the one
    shown). The language is the address's prefix, so switching sets no cookie."""
    request: HttpRequest | None = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    active = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                # Each language named in itself: a reader who cannot read the page can find theirs.
                "name": info["name_local"][:1].upper() + info["name_local"][1:],
                "url": translate_url(path, code),
                "current": code == active,
            }
        )
    return links


def content_language(page: object = None) -> str:
    """The language a page's content is written in.

    Editors write in the site's default language while Wagtail's localisation is off; once it is
    on (wagtail-localize, one page tree per locale), each page says its own.
    """
    if page is not None and getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        locale = getattr(page, "locale", None)
        if locale is not None:
            return locale.language_code
    return settings.LANGUAGE_CODE


@register.simple_tag
def content_lang(page: object = None) -> SafeString:
    """`` lang="sv"`` on an element holding editors' text when the interface is in another
    language (nothing when they agree), so screen readers pronounce it right (WCAG 3.1.2)."""
    language = content_language(page)
    if translation.get_language() == language:
        return mark_safe("")
    return format_html(' lang="{}"', language)
