"""The learner's own views: recording progress, "Mina sidor", and checking a certificate."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetensverkstad.links import safe_next

from ..pages.modules import ModulePage, ModuleStep
from .models import (
    CODE_ALPHABET,
    AnonymousCompletion,
    LearningEvent,
    ModuleCompletion,
    StepProgress,
)
from .navigation import module_progress
from .recording import record_lecture_watched, record_step_completed

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
    return redirect(safe_next(request, fallback))


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


def certificate_verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Anyone may check a code; the answer names the learner, module and date — nothing more.

    The certificate of an erased learner is still found (``AnonymousCompletion`` keeps its code):
    the page says it was issued, for which module and when, and that the name is gone.
    """
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
        if completion is None:
            completion = AnonymousCompletion.objects.filter(verification_code=code).first()
    response = TemplateResponse(
        request,
        "lessons/certificate_verify.html",
        {
            "code": code,
            "completion": completion,
            "erased": isinstance(completion, AnonymousCompletion),
            "checked": bool(code),
        },
        status=404 if code and completion is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
