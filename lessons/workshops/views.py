"""Workshop pages under /workshop/: the trainer's sessions, joining, and the participant's view.

Who may do what:

* trainers (the ``Utbildare`` group) manage their own sessions, superusers every session;
  anyone else signed in gets 403 on a trainer page, and a trainer gets 404 for a session that
  is not theirs (as if it did not exist);
* a learner's answers are shown only to the trainer of a session the learner shares them in —
  not to other trainers and not to administrators;
* anyone signed in may join with a code; trying codes is rate-limited per person and address.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kompetensverkstad.links import absolute_url, safe_next
from kompetensverkstad.pdfs.pipeline import pdf_response
from kompetensverkstad.privacy.access import log_access
from kompetensverkstad.qr import qr_svg
from worksheets.answers import answered_view
from worksheets.pdfs import latest_response_pdf
from worksheets.responses import WorksheetResponse

from .agenda import session_agenda
from .attendance import set_attendance
from .calendar import session_ics
from .cancelling import cancel_session
from .forms import JoinForm, ShareForm, WorkshopSessionForm
from .joining import (
    JOIN_ATTEMPTS_WINDOW,
    JoinRefused,
    count_failed_attempt,
    find_by_code,
    join_attempts_exceeded,
    join_session,
)
from .models import SessionParticipant, WorkshopSession, is_trainer
from .pack import request_session_pack
from .reports import group_progress, progress_csv, progress_xlsx
from .retention import SHARED_ANSWERS
from .sharing import set_sharing

PRIVATE = {"Cache-Control": "private, no-store"}


def _forbidden(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "lessons/workshops/forbidden.html", status=403)


def trainer_required(view):
    """Signed in (else to the sign-in page and back), and a trainer (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_trainer(request.user):
            return _forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


def _managed(request: HttpRequest, pk: int) -> WorkshopSession:
    return get_object_or_404(
        WorkshopSession.objects.managed_by(request.user).select_related(
            "trainer", "module", "worksheet"
        ),
        pk=pk,
    )


def join_url(request: HttpRequest, session: WorkshopSession) -> str:
    return absolute_url(reverse("workshops:join_code", args=[session.join_code]), request)


def _session_context(request: HttpRequest, session: WorkshopSession) -> dict:
    url = join_url(request, session)
    return {
        "session": session,
        "join_url": url,
        "qr": qr_svg(url, _("QR-kod till länken för att gå med i workshoppen")),
        "is_session_trainer": session.trainer_id == request.user.pk,
    }


# --- The trainer's sessions --------------------------------------------------------------------


@trainer_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        WorkshopSession.objects.managed_by(request.user)
        .select_related("trainer", "module", "worksheet")
        .annotate(
            joined=Count("participants", distinct=True),
            present=Count("participants", filter=Q(participants__attended=True), distinct=True),
        )
    )
    now = timezone.now()
    return TemplateResponse(
        request,
        "lessons/workshops/session_list.html",
        {
            "upcoming": [s for s in sessions if s.ends_at >= now],
            "past": sorted(
                (s for s in sessions if s.ends_at < now), key=lambda s: s.starts_at, reverse=True
            ),
            "show_trainer": request.user.is_superuser,
        },
    )


@trainer_required
def session_create(request: HttpRequest) -> HttpResponse:
    form = WorkshopSessionForm(request.POST or None, instance=WorkshopSession(trainer=request.user))
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(
            request,
            _("Workshoppen är skapad. Koden är %(code)s.") % {"code": session.join_code},
        )
        return redirect("workshops:session_detail", pk=session.pk)
    return TemplateResponse(
        request,
        "lessons/workshops/session_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@trainer_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed(request, pk)
    if not session.is_open:
        messages.info(request, _("En inställd workshop kan inte ändras."))
        return redirect("workshops:session_detail", pk=session.pk)
    form = WorkshopSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.revision += 1
        session.save()
        messages.success(request, _("Ändringarna är sparade."))
        return redirect("workshops:session_detail", pk=session.pk)
    return TemplateResponse(
        request,
        "lessons/workshops/session_form.html",
        {"form": form, "session": session, "creating": False},
        status=400 if form.errors else 200,
    )


@trainer_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST cancels and mails every participant."""
    session = _managed(request, pk)
    if request.method == "POST":
        if cancel_session(session):
            messages.success(
                request,
                _("Workshoppen är inställd. Deltagarna får ett mejl om det."),
            )
        return redirect("workshops:session_detail", pk=session.pk)
    return TemplateResponse(
        request,
        "lessons/workshops/session_cancel.html",
        {"session": session, "joined": session.participants.count()},
    )


@trainer_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed(request, pk)
    participants = list(session.participants.select_related("user"))
    context = _session_context(request, session)
    context.update(
        participants=participants,
        seats_left=max(session.capacity - len(participants), 0),
        notified=sum(1 for p in participants if p.cancellation_sent_at),
    )
    return TemplateResponse(request, "lessons/workshops/session_detail.html", context)


@trainer_required
def facilitator(request: HttpRequest, pk: int) -> HttpResponse:
    """The projector view: a start slide with code and QR, then the material step by step."""
    session = _managed(request, pk)
    context = _session_context(request, session)
    context["agenda"] = session_agenda(session)
    return TemplateResponse(request, "lessons/workshops/facilitator.html", context)


@trainer_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed(request, pk)
    participants = list(session.participants.select_related("user").order_by("user__last_name"))
    if request.method == "POST":
        if request.POST.get("action") == "all":
            present = {p.pk for p in participants}
        else:
            present = set()
            for value in request.POST.getlist("present"):
                if value.isdigit():
                    present.add(int(value))
        marked, unmarked = set_attendance(session, present, request.user)
        messages.success(
            request,
            _("Närvaron är sparad: %(marked)s nya markerade, %(unmarked)s borttagna.")
            % {"marked": marked, "unmarked": unmarked},
        )
        return redirect("workshops:attendance", pk=session.pk)
    return TemplateResponse(
        request,
        "lessons/workshops/attendance.html",
        {
            "session": session,
            "participants": participants,
            "workshop_steps": session.workshop_steps(),
            "present_count": sum(p.attended for p in participants),
        },
    )


@trainer_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed(request, pk)
    report = group_progress(session)
    return TemplateResponse(
        request,
        "lessons/workshops/progress.html",
        {
            "session": session,
            "report": report,
            "is_session_trainer": session.trainer_id == request.user.pk,
        },
    )


def _export(
    session: WorkshopSession, body: bytes | str, suffix: str, content_type: str
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type, headers=PRIVATE)
    filename = f"workshop-{session.pk}-framsteg.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@trainer_required
def progress_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed(request, pk)
    body = progress_csv(group_progress(session))
    return _export(session, body, "csv", "text/csv; charset=utf-8")


@trainer_required
def progress_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed(request, pk)
    body = progress_xlsx(group_progress(session))
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _export(session, body, "xlsx", xlsx)


@trainer_required
def shared_answers(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    """One participant's answers, for this session's own trainer, while the participant shares."""
    session = get_object_or_404(
        WorkshopSession.objects.select_related("module", "worksheet"),
        pk=pk,
        trainer=request.user,
    )
    participant = get_object_or_404(
        SessionParticipant.objects.select_related("user"),
        pk=participant_id,
        session=session,
        shares_answers=True,
    )
    worksheets = []
    pages = session.worksheet_pages()
    responses = {
        r.worksheet_id: r
        for r in WorksheetResponse.objects.filter(
            user=participant.user, worksheet__in=pages
        ).prefetch_related("submissions")
    }
    for page in pages:
        response = responses.get(page.pk)
        items, removed = answered_view(page, response.answers if response else {})
        worksheets.append(
            {
                "page": page,
                "response": response,
                "items": items,
                "removed": removed,
                "pdf": latest_response_pdf(response),
            }
        )
    log_access(request, participant.user, SHARED_ANSWERS, detail=session.title)
    return TemplateResponse(
        request,
        "lessons/workshops/shared_answers.html",
        {"session": session, "participant": participant, "worksheets": worksheets},
        headers=PRIVATE,
    )


@trainer_required
def session_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The session pack as the session is now: the file when ready, else a page that waits."""
    session = _managed(request, pk)
    document = request_session_pack(session)
    document.refresh_from_db()
    if document.is_ready:
        return pdf_response(document)
    return TemplateResponse(
        request,
        "lessons/workshops/pack_pending.html",
        # The state include decides itself who may poll and retry (the document's owner).
        {"session": session, "document": document},
        status=503 if document.state == document.State.FAILED else 202,
    )


# --- Joining -----------------------------------------------------------------------------------


def _too_many(request: HttpRequest) -> HttpResponse:
    response = TemplateResponse(
        request,
        "lessons/workshops/join.html",
        {"form": JoinForm(), "too_many": True, "minutes": JOIN_ATTEMPTS_WINDOW // 60},
        status=429,
    )
    response["Retry-After"] = str(JOIN_ATTEMPTS_WINDOW)
    return response


def _refusal(session: WorkshopSession, reason: str) -> str:
    if reason == "cancelled":
        return _("Workshoppen ”%(title)s” är inställd.") % {"title": session.title}
    if reason == "full":
        return _("Workshoppen ”%(title)s” är fullbokad. Hör av dig till utbildaren.") % {
            "title": session.title
        }
    return _("Du leder den här workshoppen själv.")


def _try_join(request: HttpRequest, session: WorkshopSession) -> tuple[HttpResponse | None, str]:
    """Join and go to the participant's page: (redirect, ""), or (None, the refusal's text)."""
    try:
        _participant, created = join_session(request.user, session)
    except JoinRefused as refused:
        if refused.reason == "trainer" and is_trainer(request.user):
            messages.info(request, _refusal(session, "trainer"))
            return redirect("workshops:session_detail", pk=session.pk), ""
        return None, _refusal(session, refused.reason)
    if created:
        messages.success(
            request,
            _("Välkommen! Du är anmäld till ”%(title)s”.") % {"title": session.title},
        )
    else:
        messages.info(request, _("Du är redan anmäld till den här workshoppen."))
    return redirect("workshops:my_session", pk=session.pk), ""


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """ "Gå med i en workshop": type the code."""
    if request.method == "GET":
        return TemplateResponse(request, "lessons/workshops/join.html", {"form": JoinForm()})
    if join_attempts_exceeded(request):
        return _too_many(request)
    form = JoinForm(request.POST)
    status = 400
    if form.is_valid():
        session = find_by_code(form.cleaned_data["code"])
        if session is None:
            count_failed_attempt(request)
            form.add_error(
                "code",
                _("Vi hittar ingen workshop med den koden. Kontrollera koden och försök igen."),
            )
            status = 404
        else:
            response, refusal = _try_join(request, session)
            if response is not None:
                return response
            form.add_error("code", refusal)
            status = 409
    return TemplateResponse(request, "lessons/workshops/join.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """The join link (and QR code): GET shows the session, the button POSTs to join."""
    if join_attempts_exceeded(request):
        return _too_many(request)
    session = find_by_code(code)
    if session is None:
        count_failed_attempt(request)
        return TemplateResponse(
            request,
            "lessons/workshops/join.html",
            {"form": JoinForm(initial={"code": code[:20]}), "unknown_code": True},
            status=404,
        )
    if SessionParticipant.objects.filter(session=session, user=request.user).exists():
        return redirect("workshops:my_session", pk=session.pk)
    refusal = None
    status = 200
    if request.method == "POST":
        response, refusal = _try_join(request, session)
        if response is not None:
            return response
        status = 409
    elif not session.is_open:
        refusal = _refusal(session, "cancelled")
    elif session.trainer_id == request.user.pk:
        refusal = _refusal(session, "trainer")
    elif session.participants.count() >= session.capacity:
        refusal = _refusal(session, "full")
    return TemplateResponse(
        request,
        "lessons/workshops/join_confirm.html",
        {"session": session, "refusal": refusal},
        status=status,
    )


# --- The participant's session -----------------------------------------------------------------


def _participation(request: HttpRequest, pk: int) -> SessionParticipant:
    return get_object_or_404(
        SessionParticipant.objects.select_related(
            "session", "session__trainer", "session__module", "session__worksheet"
        ),
        session_id=pk,
        user=request.user,
    )


@login_required
def my_session(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participation(request, pk)
    return TemplateResponse(
        request,
        "lessons/workshops/my_session.html",
        {
            "participant": participant,
            "session": participant.session,
            "share_form": ShareForm(initial={"shares": participant.shares_answers}),
        },
    )


@login_required
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The .ics file, for a participant (and the session's trainers)."""
    session = get_object_or_404(WorkshopSession, pk=pk)
    allowed = (
        SessionParticipant.objects.filter(session=session, user=request.user).exists()
        or WorkshopSession.objects.managed_by(request.user).filter(pk=pk).exists()
    )
    if not allowed:
        raise Http404
    url = request.build_absolute_uri(reverse("workshops:my_session", args=[session.pk]))
    response = HttpResponse(
        session_ics(session, url), content_type="text/calendar; charset=utf-8", headers=PRIVATE
    )
    response["Content-Disposition"] = f'attachment; filename="workshop-{session.pk}.ics"'
    return response


@login_required
@require_POST
def share_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant turns "Dela med utbildaren" on or off for this session."""
    participant = _participation(request, pk)
    form = ShareForm(request.POST)
    shares = form.is_valid() and form.cleaned_data["shares"]
    set_sharing(participant, shares)
    if shares:
        message = _("Utbildaren för ”%(title)s” kan nu se dina svar.")
    else:
        message = _("Dina svar delas inte med utbildaren för ”%(title)s”.")
    messages.success(request, message % {"title": participant.session.title})
    return redirect(safe_next(request, reverse("workshops:my_session", args=[pk])))
