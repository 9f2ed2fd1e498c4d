"""Placeholder images drawn with Pillow, so the demo needs no downloads and no licences."""

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

from kompetensverkstad.models import SiteImage

FONT_DIR = Path(settings.BASE_DIR) / "kompetensverkstad" / "static" / "fonts"
INK = "#13324a"
PHOTO_SIZE = (1200, 750)
# Shown at most 160×80 px, so the name must fill the frame to stay legible.
LOGO_SIZE = (360, 160)


def _font(size: int, *, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    # The site's own Noto Sans has every Swedish letter; Pillow's built-in font is the fallback.
    path = FONT_DIR / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: int) -> list[str]:
    """Greedy line breaking, then as narrow as the same number of lines allows (no orphans)."""

    def greedy(width: float) -> list[str]:
        lines: list[str] = []
        for word in text.split():
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and draw.textlength(candidate, font=font) <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
        return lines

    lines = greedy(max_width)
    low, high = max_width // 3, max_width
    while low < high:
        middle = (low + high) // 2
        if len(greedy(middle)) <= len(lines):
            high = middle
        else:
            low = middle + 1
    return greedy(high)


def _gradient(size: tuple[int, int], start: str, end: str) -> Image.Image:
    # A small diagonal mask (the mean of a vertical and a horizontal ramp) scaled up: far
    # cheaper than computing every pixel of the full-size image.
    vertical = Image.linear_gradient("L")
    diagonal = ImageChops.add(vertical, vertical.rotate(90), scale=2)
    return Image.composite(
        Image.new("RGB", size, ImageColor.getrgb(end)),
        Image.new("RGB", size, ImageColor.getrgb(start)),
        diagonal.resize(size),
    )


def _draw_block(
    draw: ImageDraw.ImageDraw, lines: list[str], font, top: int, left: int, gap: int, fill: str
) -> int:
    """Draws lines from ``top``; returns the y just below the last."""
    for line in lines:
        draw.text((left, top), line, font=font, fill=fill)
        box = draw.textbbox((left, top), line, font=font)
        top = box[3] + gap
    return top


def draw_placeholder(text: str, subtitle: str, colours: tuple[str, str]) -> bytes:
    """A calm 1200×750 JPEG: a soft gradient, a large title and a smaller line under it."""
    image = _gradient(PHOTO_SIZE, *colours)
    draw = ImageDraw.Draw(image)
    width, height = PHOTO_SIZE
    margin = 90
    title_font, subtitle_font = _font(92), _font(40, bold=False)
    title = _wrap(draw, text, title_font, width - 2 * margin)
    sub = _wrap(draw, subtitle, subtitle_font, width - 2 * margin) if subtitle else []
    # A thin rule and the text sit on the lower left, like a book cover.
    top = height - margin - 110 * len(title) - 56 * len(sub)
    draw.rectangle((margin, top - 40, margin + 120, top - 32), fill=INK)
    top = _draw_block(draw, title, title_font, top, margin, 18, INK)
    _draw_block(draw, sub, subtitle_font, top + 10, margin, 12, INK)
    out = BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def draw_logo(name: str, colour: str) -> bytes:
    """A small wordmark: the organisation's name in its colour on white, with a colour bar."""
    image = Image.new("RGB", LOGO_SIZE, "white")
    draw = ImageDraw.Draw(image)
    width, height = LOGO_SIZE
    draw.rectangle((0, 0, 18, height), fill=colour)
    room = width - 70
    # The largest size at which the name fits in three lines with no word sticking out.
    for size in (40, 32, 28, 24, 20):
        font = _font(size)
        lines = _wrap(draw, name, font, room)
        if len(lines) <= 3 and max(draw.textlength(line, font=font) for line in lines) <= room:
            break
    text = "\n".join(lines)
    box = draw.multiline_textbbox((0, 0), text, font=font, spacing=8)
    top = (height - (box[3] - box[1])) // 2 - box[1]
    draw.multiline_text((44, top), text, font=font, fill=colour, spacing=8)
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def ensure_image(
    title: str, alt: str, draw: Callable[[], bytes], extension: str
) -> tuple[SiteImage, bool]:
    """The image with this title, drawn and saved only if there is none yet."""
    existing = SiteImage.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    image = SiteImage(title=title, description=alt)
    image.file = ImageFile(BytesIO(draw()), name=f"{slugify(title)[:80]}.{extension}")
    # Wagtail's upload form records size and hash; images created in code must do it themselves.
    image._set_image_file_metadata()
    image.save()
    return image, True
