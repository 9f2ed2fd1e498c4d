"""What the browser tests check on every page they visit: accessibility, and PDFs read back."""

import io

from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader


def assert_accessible(page, *, skip_rules: tuple[str, ...] = ()) -> None:
    """axe finds no violation on the page as it is now (WCAG 2.1 AA and best practices)."""
    options = {"rules": {rule: {"enabled": False} for rule in skip_rules}} if skip_rules else None
    results = Axe().run(page, options=options)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def pdf_text(path: str) -> str:
    """The words of a downloaded PDF, as pypdf reads them back."""
    with open(path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Line breaks in the PDF fall wherever the layout put them; compare words, not lines.
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
