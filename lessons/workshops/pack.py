"""The session pack: one PDF with the facilitator guide, an attendance list to sign and a blank
worksheet for every expected participant, rendered by the shared PDF pipeline."""

import hashlib
import json

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from kompetensverkstad.accounts.models import display_name
from kompetensverkstad.links import absolute_url
from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.pipeline import request_pdf
from kompetensverkstad.qr import qr_svg
from worksheets.answers import answered_view

from .agenda import session_agenda
from .models import WorkshopSession

SESSION_PACK = "session_pack"


def pack_join_url(session: WorkshopSession) -> str:
    return absolute_url(reverse("workshops:join_code", args=[session.join_code]))


def session_pack_hash(session: WorkshopSession) -> str:
    """Identifies the pack's content: the session, its material's revisions and who joined."""
    material = session.material
    page_ids = [material.pk]
    if session.module_id:
        page_ids += [s.page_id for s in session.module.steps.all() if s.page_id]
    revisions = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "live_revision_id"))
    participants = [
        [p.user_id, p.name] for p in session.participants.select_related("user").order_by("pk")
    ]
    canonical = json.dumps(
        {
            "session": [
                session.title,
                session.starts_at.isoformat(),
                session.ends_at.isoformat(),
                session.place,
                session.meeting_url,
                session.capacity,
                session.note,
                session.join_code,
                session.status,
                session.trainer_id,
            ],
            "material": sorted(revisions.items()),
            "participants": participants,
            "count": len(participants),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def request_session_pack(session: WorkshopSession) -> PdfDocument:
    """The session pack for the session as it is now; unchanged sessions reuse the file."""
    return request_pdf(
        SESSION_PACK, session.pk, owner=session.trainer_id, version=session_pack_hash(session)
    )


def build_session_pack(document: PdfDocument) -> kinds.Rendering:
    session = WorkshopSession.objects.select_related("trainer", "module", "worksheet").get(
        pk=document.source_id
    )
    participants = list(
        session.participants.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
    )
    names = [p.name for p in participants]
    worksheets = []
    for page in session.worksheet_pages():
        items, _removed = answered_view(page, {})
        worksheets.append({"page": page, "items": items})
    url = pack_join_url(session)
    copies = range(1, session.capacity + 1)
    context = {
        "session": session,
        "trainer_name": display_name(session.trainer),
        "agenda": session_agenda(session),
        "join_url": url,
        "qr": qr_svg(url, _("QR-kod till länken för att gå med i workshoppen")),
        # The list to sign: joined people first, then empty rows up to the capacity.
        "attendance_rows": names + [""] * max(session.capacity - len(names), 0),
        "worksheets": worksheets,
        "copies": copies,
        "copy_count": session.capacity,
    }
    filename = f"workshopmaterial-{slugify(session.title)[:50] or session.pk}.pdf"
    return kinds.Rendering(context, filename)


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            name=SESSION_PACK,
            label=gettext_lazy("Workshopmaterial"),
            template="pdf/session_pack.html",
            build=build_session_pack,
        )
    )
