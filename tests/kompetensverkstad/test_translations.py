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
# What `make messages` collects from: the three layers and the templates.
SOURCES = ("kompetensverkstad", "lessons", "worksheets", "templates")
IGNORE = ["*/static/*", "*/migrations/*"]


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext saknas (apt-get install gettext)"
)
def test_every_marked_string_has_an_english_translation(tmp_path, monkeypatch):
    # makemessages writes into the catalogue beside the files it reads, so it reads them here,
    # through links, beside a copy of the catalogue: the real one is never touched.
    work = tmp_path / "src"
    copy = work / "locale" / "en" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)
    for name in SOURCES:
        (work / name).symlink_to(Path(settings.BASE_DIR) / name)
    monkeypatch.chdir(work)
    before = CATALOGUE.read_bytes()
    with override_settings(LOCALE_PATHS=[work / "locale"]):
        call_command(
            "makemessages",
            locale=["en"],
            symlinks=True,
            ignore_patterns=IGNORE,
            no_obsolete=True,
            verbosity=0,
        )
    assert CATALOGUE.read_bytes() == before, "makemessages wrote into the real catalogue"
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
