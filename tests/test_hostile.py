"""The hostile-input harness itself (tests/hostile.py): its checker catches what was not
escaped, and the corpus holds every kind of payload."""

import pytest

from tests.hostile import PAYLOADS, STORABLE, assert_inert


def test_the_checker_finds_markup_that_was_not_escaped():
    """The checker itself: each payload pasted raw into a page is caught (so a pass means
    escaping worked, not that the checker looked away)."""
    from django.utils.html import escape

    from tests.hostile import scan

    active = {"script", "img_onerror", "javascript_link", "svg_onload", "svg_script"}
    active |= {"style_tag", "file_url", "loopback_url", "tag_breakout"}
    for payload in PAYLOADS:
        raw = scan(f"<html><body><p>{payload.text}</p></body></html>").problems
        in_attribute = scan(f'<input value="{payload.text}">').problems
        escaped = scan(f'<p title="{escape(payload.text)}">{escape(payload.text)}</p>').problems
        assert escaped == [], payload.key
        if payload.key in active:
            assert raw, payload.key
        if payload.key == "attribute_breakout":
            assert in_attribute, payload.key
    # Literal text must be found as text; a field that stops being shown fails the check.
    with pytest.raises(AssertionError):
        assert_inert("<p>annat</p>", [PAYLOADS[0]])


def test_the_corpus_holds_every_kind_of_payload_and_one_that_cannot_be_stored():
    """The counts of what the hostile-input tests tried, spread over the packages now, are
    printed at the end of the run (``pytest_terminal_summary`` in tests/conftest.py)."""
    assert len(PAYLOADS) >= 17
    assert len(STORABLE) == len(PAYLOADS) - 1
