"""Text helpers for templates: a person's display name, and the text direction for templates that
WeasyPrint renders (it does not resolve dir="auto")."""

import unicodedata

from django import template
from django.contrib.auth.models import AbstractBaseUser

from kompetensverkstad.accounts.models import display_name as _display_name

register = template.Library()


@register.filter
def text_dir(value: object) -> str:
    """ "rtl" or "ltr" from the first strongly directional character, as dir="auto" would."""
    for char in str(value or ""):
        bidi = unicodedata.bidirectional(char)
        if bidi in ("R", "AL"):
            return "rtl"
        if bidi == "L":
            return "ltr"
    return "ltr"


@register.filter
def display_name(user: AbstractBaseUser | None) -> str:
    """How a person is named on a page: full name, else the username (accounts.models)."""
    return _display_name(user) if user is not None else ""
