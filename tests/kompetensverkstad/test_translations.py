"""The English catalogue: every string marked in templates and Python has an English translation.

The strings are collected afresh with makemessages (GNU gettext's xgettext) into a temporary copy
of the catalogue, so a string added or changed anywhere fails here until it is translated in
``locale/en/LC_MESSAGES/django.po`` (``make messages`` updates the real one).
"""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
# As `make messages` (Makefile: MESSAGES_IGNORE), plus the real catalogue's folder, so that
# makemessages writes into the temporary copy only.
IGNORE = ["static/*", "media/*", "private/*", "tests/*", "scripts/*", ".test-*", "locale"]


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext saknas (apt-get install gettext)"
)
def test_every_marked_string_has_an_english_translation(tmp_path, monkeypatch):
    copy = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command(
            "makemessages", locale=["en"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0
        )
    collected = polib.pofile(str(copy))
    missing = [
        entry.msgid
        for entry in collected
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert len(collected) > 800, "makemessages found too few strings: is the copy the one written?"
    assert missing == [], f"{len(missing)} strings lack an English translation: {missing[:20]}"


def test_the_compiled_catalogue_is_the_one_django_reads():
    # The .mo is built by `make compilemessages` (run and test); without it the site is Swedish.
    with translation.override("en"):
        assert translation.gettext("Mina sidor") == "My pages"
        assert translation.gettext("Logga in") == "Sign in"
    with translation.override("sv"):
        assert translation.gettext("Mina sidor") == "Mina sidor"
