"""The language a person reads the site in, and the one their mail and PDFs are written in.

The site's language is in the address (Swedish without a prefix, English under ``/en/``); what a
signed-in person last chose is kept on their profile, so that what is made for them outside a
request (a reminder, a certificate, a worksheet PDF) comes in that language too. It is recorded
when they sign in and whenever they open a page of the site in another language (the header's
language switcher) — in the session they already have, so no cookie is added.
"""

from contextlib import AbstractContextManager

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver
from django.utils import translation

from .models import Profile

SESSION_KEY = "kv_language"


def supported(language: str | None) -> str:
    """``language`` if the site is written in it, else the default language."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def preferred_language(user: AbstractBaseUser | None) -> str:
    """The language to write to ``user`` in: their last choice, else the site's default."""
    if user is None or not user.is_authenticated:
        return settings.LANGUAGE_CODE
    try:
        language = user.profile.language
    except Profile.DoesNotExist:
        language = ""
    return supported(language)


def in_language_of(user: AbstractBaseUser | None) -> AbstractContextManager:
    """``with in_language_of(user):`` — texts, dates and links made inside are in their language."""
    return translation.override(preferred_language(user))


def remember_language(user: AbstractBaseUser, language: str) -> None:
    """Keep ``language`` as ``user``'s choice: one UPDATE (an INSERT for a first profile).

    Written by query, not through ``user.profile``: a profile loaded and cached on the user
    object here would hide later changes from whoever holds that object.
    """
    language = supported(language)
    if not Profile.objects.filter(user_id=user.pk).update(language=language):
        Profile.objects.get_or_create(user_id=user.pk, defaults={"language": language})


@receiver(user_logged_in, dispatch_uid="kv_language_on_sign_in")
def _remember_on_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    # Signing in under /en/ is a choice of English; under the unprefixed address, of Swedish.
    if request is None or not hasattr(request, "session"):
        return
    language = supported(translation.get_language_from_path(request.path_info))
    remember_language(user, language)
    request.session[SESSION_KEY] = language


def _under_language_prefix(request: HttpRequest) -> bool:
    """Whether the address is one of the site's pages in a language (not the admin, a document
    or a media file, which are outside the prefix and say nothing of a choice)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    for pattern in get_resolver(getattr(request, "urlconf", None)).url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            try:
                localized = pattern.resolve(request.path_info.lstrip("/"))
            except Resolver404:
                return False
            # The admin's own paths also fit the page catch-all inside the prefix; the view that
            # actually answers tells them apart.
            return localized is not None and localized.func == match.func
    return False


class LanguagePreferenceMiddleware:
    """Record a signed-in person's switch of language on their profile.

    Costs nothing on an ordinary request: the session (loaded already for the user) holds the
    language last recorded, and only a request in another language writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return None
        language = translation.get_language()
        if session.get(SESSION_KEY, settings.LANGUAGE_CODE) == language:
            return None
        if not _under_language_prefix(request):
            return None
        remember_language(user, language)
        session[SESSION_KEY] = language
        return None
