"""QR codes as inline SVG: workshop join links, and the key of an authenticator app."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, label: str) -> SafeString:
    """The link as an inline SVG QR code (scales to any size; WeasyPrint draws it too)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", title=label)
    # segno writes the markup itself and escapes the title, the only text put in.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
