"""The learner's own views: progress recording, "Mina sidor", certificates and their checking."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetensverkstad.documents import PdfDocument
from kompetensverkstad.tasks import retry_document

from .models import ModulePage, ModuleStep
from .progress import CODE_ALPHABET, LearningEvent, ModuleCompletion, StepProgress
from .steps import module_progress
from .tracking import record_lecture_watched, record_step_completed

# Kinds a learner may mark done themselves; a worksheet is done when it is submitted and a
# workshop step when its trainer marks attendance, so a button must not stand in for either.
SELF_MARKED = {
    ModuleStep.Kind.LECTURE: LearningEvent.Verb.COMPLETED,
    ModuleStep.Kind.ARTICLE: LearningEvent.Verb.READ,
}


def _live_step(step_id: int) -> ModuleStep:
    step = get_object_or_404(ModuleStep.objects.select_related("module", "page"), pk=step_id)
    if not step.module.live or (step.page is not None and not step.page.live):
        raise Http404
    return step


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def mark_step_done(request: HttpRequest, step_id: int) -> HttpResponse:
    step = _live_step(step_id)
    verb = SELF_MARKED.get(step.kind)
    if verb is None:
        raise Http404
    changed = record_step_completed(request.user, step, verb=verb, context={"via": "button"})
    if changed:
        messages.success(request, _("Steget är markerat som klart."))
    fallback = step.page.url if step.page else step.module.url
    return redirect(_safe_next(request, fallback))


def _no_constants(name: str) -> float:
    # JSON has no NaN or Infinity; Python's parser accepts them unless told otherwise.
    raise ValueError(name)


@login_required
@require_POST
def lecture_progress(request: HttpRequest, step_id: int) -> JsonResponse:
    """The player reports the ranges it has played (``video.played``), a few times a minute."""
    step = _live_step(step_id)
    if step.kind != ModuleStep.Kind.LECTURE or step.page is None:
        raise Http404
    try:
        payload = json.loads(request.body or b"{}", parse_constant=_no_constants)
        played = payload["played"]
        if not isinstance(played, list) or len(played) > 500:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest(_("Ogiltiga uppgifter om uppspelningen."))
    lecture = step.page.specific
    duration = (lecture.video.duration if lecture.video and lecture.video.duration else 0) or (
        (lecture.duration_minutes or 0) * 60
    )
    progress = record_lecture_watched(request.user, step, played, float(duration))
    return JsonResponse(
        {
            "state": progress.state,
            "watched_seconds": progress.watched_seconds,
            "duration": round(duration),
        }
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """ "Mina sidor": modules started with progress, where to continue, completed, suggested."""
    user = request.user
    started_ids = set(
        StepProgress.objects.filter(user=user).values_list("step__module_id", flat=True)
    )
    completions = {
        c.module_id: c
        for c in ModuleCompletion.objects.filter(user=user).select_related("certificate")
    }
    modules = list(ModulePage.objects.live().public().order_by("title"))
    in_progress, completed, suggested = [], [], []
    for module in modules:
        if module.pk in completions:
            progress = module_progress(module, user)
            progress.completion = completions[module.pk]
            completed.append(progress)
        elif module.pk in started_ids:
            in_progress.append(module_progress(module, user))
        else:
            suggested.append(module)
    return TemplateResponse(
        request,
        "lessons/dashboard.html",
        {"in_progress": in_progress, "completed": completed, "suggested": suggested[:6]},
    )


def _own_document(request: HttpRequest, document_id: int) -> PdfDocument:
    # Someone else's document is answered exactly like a missing one: 404, nothing revealed.
    return get_object_or_404(PdfDocument, pk=document_id, owner=request.user)


def _downloadable_document(request: HttpRequest, document_id: int) -> PdfDocument:
    """The owner's document; or a learner's worksheet PDF for the trainer of a workshop
    session where that learner shares their answers (anyone else: 404, as for the owner check).
    """
    from .workshop_actions import may_download_shared_document

    document = PdfDocument.objects.filter(pk=document_id).first()
    if document is not None and (
        document.owner_id == request.user.pk or may_download_shared_document(request.user, document)
    ):
        return document
    raise Http404


@login_required
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _downloadable_document(request, document_id)
    if not document.is_ready:
        messages.info(request, _("Dokumentet är inte klart ännu."))
        return redirect("dashboard")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_status(request: HttpRequest, document_id: int) -> JsonResponse:
    document = _own_document(request, document_id)
    return JsonResponse(
        {
            "state": document.state,
            "label": document.get_state_display(),
            "download_url": reverse("document_download", args=[document.pk])
            if document.is_ready
            else None,
        },
        headers={"Cache-Control": "private, no-store"},
    )


@login_required
@require_POST
def document_retry(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _own_document(request, document_id)
    if document.state == PdfDocument.State.FAILED:
        retry_document(document)
        messages.success(request, _("Vi försöker skapa dokumentet igen."))
    return redirect(_safe_next(request, reverse("dashboard")))


def certificate_verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Anyone may check a code; the answer names the learner, module and date — nothing more."""
    code = (code or request.GET.get("kod", "")).strip().upper().replace(" ", "")[:16]
    completion = None
    # Only the code alphabet can match; anything else (a NUL, which PostgreSQL cannot even
    # compare) is not looked up.
    if code and all(c in CODE_ALPHABET for c in code):
        completion = (
            ModuleCompletion.objects.filter(verification_code=code)
            .only("learner_name", "module_title", "completed_at", "verification_code")
            .first()
        )
    response = TemplateResponse(
        request,
        "lessons/certificate_verify.html",
        {"code": code, "completion": completion, "checked": bool(code)},
        status=404 if code and completion is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
