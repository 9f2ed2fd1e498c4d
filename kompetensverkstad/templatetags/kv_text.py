"""Text helpers for templates that WeasyPrint renders (it does not resolve dir="auto")."""

import unicodedata

from django import template

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
