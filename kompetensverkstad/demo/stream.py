"""Shorthands for StreamField blocks in their raw (JSON) form, so content.py reads as text.

Block ids are left out: Wagtail gives every block a UUID the first time the page is saved.
"""

from typing import Any

Block = dict[str, Any]


def heading(text: str, level: str = "h2") -> Block:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html: str) -> Block:
    return {"type": "paragraph", "value": html}


def language_section(language: str, heading_text: str, html: str) -> Block:
    """A section in another language than the page (marked with its lang, linked as #language)."""
    return {
        "type": "language_section",
        "value": {"language": language, "heading": heading_text, "body": html},
    }


def section(heading_text: str, summary: str, more: str = "") -> Block:
    return {
        "type": "section",
        "value": {"heading": heading_text, "summary": summary, "more": more},
    }


def testimonials(heading_text: str, quotes: list[tuple[str, str]], more: str = "") -> Block:
    """``quotes`` are (quote, who says it) pairs."""
    return {
        "type": "testimonials",
        "value": {
            "heading": heading_text,
            "quotes": [{"quote": quote, "role": role} for quote, role in quotes],
            "more": more,
        },
    }


def figure_list(figures: list[tuple[str, str]]) -> list[Block]:
    """A ProjectPage's own key-figure stream (one block per figure)."""
    return [{"type": "figure", "value": {"value": v, "label": label}} for v, label in figures]


def resource_links(links: list[tuple[str, str, str]], heading_text: str = "Tips") -> Block:
    """``links`` are (link text, URL, description) triples."""
    return {
        "type": "resource_links",
        "value": {
            "heading": heading_text,
            "links": [
                {"title": title, "url": url, "description": description}
                for title, url, description in links
            ],
        },
    }


# --- Worksheet blocks --------------------------------------------------------------------------


def stage(title: str, minutes: int, description: str) -> Block:
    return {
        "type": "stage",
        "value": {"title": title, "minutes": minutes, "description": description},
    }


def reflection(
    prompt: str, help_text: str = "", *, required: bool = True, max_length: int = 3000
) -> Block:
    return {
        "type": "reflection",
        "value": {
            "prompt": prompt,
            "help_text": help_text,
            "required": required,
            "max_length": max_length,
        },
    }


def scale(
    prompt: str,
    min_label: str,
    max_label: str,
    help_text: str = "",
    *,
    required: bool = True,
    max_value: int = 5,
) -> Block:
    return {
        "type": "scale",
        "value": {
            "prompt": prompt,
            "help_text": help_text,
            "required": required,
            "min_value": 1,
            "max_value": max_value,
            "min_label": min_label,
            "max_label": max_label,
        },
    }


def choice(
    prompt: str,
    options: list[str],
    help_text: str = "",
    *,
    multiple: bool = False,
    required: bool = True,
) -> Block:
    return {
        "type": "choice",
        "value": {
            "prompt": prompt,
            "help_text": help_text,
            "required": required,
            "options": options,
            "multiple": multiple,
        },
    }


def timeline(
    prompt: str,
    help_text: str = "",
    *,
    period_label: str = "År eller period",
    event_label: str = "Händelse",
    min_rows: int = 3,
    required: bool = True,
) -> Block:
    return {
        "type": "timeline",
        "value": {
            "prompt": prompt,
            "help_text": help_text,
            "required": required,
            "min_rows": min_rows,
            "period_label": period_label,
            "event_label": event_label,
        },
    }


def discussion(html: str, minutes: int | None = None) -> Block:
    return {"type": "discussion", "value": {"text": html, "minutes": minutes}}
