"""Workshop pieces on pages that other apps own: "Mina workshoppar" on Mina sidor, and the
"Dela med utbildaren" choice on a worksheet. As tags, so those views need not know about
workshops; each costs nothing for an anonymous visitor."""

from django import template
from django.db.models import Q
from django.utils import timezone

from lessons.models import ModuleStep
from lessons.workshops.models import SessionParticipant, WorkshopSession, is_trainer

register = template.Library()


@register.inclusion_tag("lessons/workshops/_dashboard_section.html", takes_context=True)
def my_workshops(context: template.Context) -> dict:
    request = context["request"]
    user = request.user
    participations = list(
        SessionParticipant.objects.filter(user=user)
        .select_related("session", "session__trainer", "session__module", "session__worksheet")
        .order_by("session__starts_at")
    )
    now = timezone.now()
    upcoming = [p for p in participations if p.session.ends_at >= now]
    past = [p for p in participations if p.session.ends_at < now][::-1]
    trainer = is_trainer(user)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "upcoming": upcoming,
        "past": past[:10],
        "is_trainer": trainer,
        "leading": WorkshopSession.objects.managed_by(user).filter(ends_at__gte=now).count()
        if trainer
        else 0,
    }


@register.inclusion_tag("lessons/workshops/_worksheet_sharing.html", takes_context=True)
def worksheet_sharing(context: template.Context, page) -> dict:
    """The learner's open sessions that cover this worksheet (its own, or its module's)."""
    request = context["request"]
    if not request.user.is_authenticated:
        return {"participations": []}
    module_ids = ModuleStep.objects.filter(page_id=page.pk).values("module_id")
    participations = list(
        SessionParticipant.objects.filter(
            user=request.user, session__status=WorkshopSession.Status.OPEN
        )
        .filter(Q(session__worksheet_id=page.pk) | Q(session__module_id__in=module_ids))
        .select_related("session", "session__trainer")
        .order_by("-session__starts_at")
    )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "participations": participations,
    }
