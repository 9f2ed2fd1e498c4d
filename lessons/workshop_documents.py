"""The session pack: one PDF with the facilitator guide, an attendance list to sign and a blank
worksheet for every expected participant, rendered by the shared PDF pipeline."""

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompetensverkstad.documents import PdfDocument
from kompetensverkstad.pdf import register_renderer
from worksheets.answers import answered_view

from .workshop_agenda import session_agenda
from .workshop_reports import qr_svg
from .workshops import WorkshopSession


def pack_join_url(session: WorkshopSession) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("workshop_join_code", args=[session.join_code])


@register_renderer(PdfDocument.Kind.SESSION_PACK)
def session_pack(document: PdfDocument) -> tuple[str, dict, str]:
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
        "trainer_name": session.trainer.get_full_name() or session.trainer.get_username(),
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
    return "pdf/session_pack.html", context, filename
