"""Compile every catalogue under locale/ (``.po`` → ``.mo``) in pure Python with polib.

``make run`` and ``make test`` call it, so neither needs GNU gettext installed; only collecting
strings (``make messages``, Django's makemessages) does. Fuzzy and empty entries are left out of
the ``.mo``, as msgfmt does: such a string shows in Swedish until it is translated.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def main() -> int:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(
            f"{po_path.relative_to(LOCALE.parent)}: {len(catalogue.translated_entries())} "
            f"translated, {len(catalogue.untranslated_entries())} untranslated, "
            f"{len(catalogue.fuzzy_entries())} fuzzy"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
