"""The learner's data export ("Ladda ner mina uppgifter"): one ZIP made by the document pipeline.

A kind of document (``DATA_EXPORT``) whose ``produce`` builds the ZIP: ``uppgifter.json`` with
every section the registry's rules export, the person's ready PDFs (worksheets, certificates)
under ``dokument/``, and ``sammanfattning.html``, a short readable summary in the person's
language. The row is owned by the person, so only they may fetch it; the file is deleted after
seven days (``keep_for``) and the row then says so.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.accounts.language import in_language_of
from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.pipeline import request_pdf

from .registry import rules

DATA_EXPORT = "data-export"
KEEP_FOR = timedelta(days=7)
FORMAT_VERSION = 1


def collect(user: AbstractBaseUser) -> dict:
    """Every section the registry exports for ``user``, by section name (the JSON's keys)."""
    data: dict[str, list] = {}
    for rule in sorted(rules(), key=lambda r: r.section):
        if rule.export is None or not rule.section:
            continue
        data.setdefault(rule.section, []).extend(rule.export(user))
    return data


def section_titles() -> dict[str, str]:
    return {r.section: str(r.title or r.section) for r in rules() if r.section}


def _documents(user: AbstractBaseUser) -> list[PdfDocument]:
    return list(
        PdfDocument.objects.filter(owner=user, state=PdfDocument.State.READY)
        .exclude(kind=DATA_EXPORT)
        .exclude(file="")
        .order_by("pk")
    )


def build_zip(user: AbstractBaseUser) -> bytes:
    now = timezone.now()
    data = collect(user)
    documents = _documents(user)
    names = {}
    for document in documents:
        base = document.file.name.rsplit("/", 1)[-1]
        names[document.pk] = f"dokument/{document.pk}-{base}"
    payload = {
        "format_version": FORMAT_VERSION,
        "generated_at": now.isoformat(),
        "site": settings.WAGTAIL_SITE_NAME,
        **data,
        "files": [{"document": d.pk, "kind": d.kind, "path": names[d.pk]} for d in documents],
    }
    titles = section_titles()
    # The learner's own language: the one they last chose on the site (accounts.language).
    with in_language_of(user):
        summary = render_to_string(
            "privacy/export_summary.html",
            {
                "generated_at": now,
                "site_name": settings.WAGTAIL_SITE_NAME,
                "account": (data.get("account") or [{}])[0],
                "sections": [
                    {"key": key, "title": titles.get(key, key), "count": len(rows)}
                    for key, rows in data.items()
                ],
                "completions": data.get("completions", []),
                "files": [names[d.pk] for d in documents],
                "language": translation.get_language(),
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "uppgifter.json", json.dumps(payload, ensure_ascii=False, indent=2, default=str)
        )
        archive.writestr("sammanfattning.html", summary)
        for document in documents:
            with document.file.open("rb") as handle:
                archive.writestr(names[document.pk], handle.read())
    return buffer.getvalue()


def produce_export(document: PdfDocument) -> kinds.Produced:
    user = get_user_model()._default_manager.get(pk=document.source_id)
    if document.owner_id != user.pk:
        raise LookupError("An export belongs to the person it is about")
    return kinds.Produced(build_zip(user), f"mina-uppgifter-{timezone.now():%Y-%m-%d}.zip")


def latest_export(user: AbstractBaseUser) -> PdfDocument | None:
    return PdfDocument.objects.filter(kind=DATA_EXPORT, owner=user).order_by("-pk").first()


def request_export(user: AbstractBaseUser) -> PdfDocument:
    """A new export of ``user``'s data, or the one already on its way (asking twice while it is
    made gives the same row)."""
    with transaction.atomic():
        waiting = (
            PdfDocument.objects.select_for_update()
            .filter(
                kind=DATA_EXPORT,
                owner=user,
                state__in=[PdfDocument.State.QUEUED, PdfDocument.State.RENDERING],
            )
            .first()
        )
        if waiting is not None:
            return waiting
        # Each ask is a version of its own: the data may have changed since the last one.
        return request_pdf(
            DATA_EXPORT, user.pk, owner=user, version=timezone.now().strftime("%Y%m%dT%H%M%S%f")
        )


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            name=DATA_EXPORT,
            label=_("Mina uppgifter"),
            produce=produce_export,
            content_type="application/zip",
            keep_for=KEEP_FOR,
        )
    )
