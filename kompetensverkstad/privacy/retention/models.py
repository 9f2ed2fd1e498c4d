"""The authority's retention decision as settings (one period per kind of data, edited in the
admin under Inställningar → Gallring) and the log of culling runs (counts, never contents)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# About 100 years: a longer period is a typing error, and keeps dates in range.
MAX_DAYS = 36_500
OFF = _("0 betyder att uppgifterna inte gallras.")


def period_field(label, default: int, counted_from) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label,
        default=default,
        validators=[MaxValueValidator(MAX_DAYS)],
        # Lazy all the way, so the admin shows it in the language of the request.
        help_text=format_lazy(
            _("Antal dagar räknat från {start}. {off}"), start=counted_from, off=OFF
        ),
    )


@register_setting(icon="bin", name="gallring")
class RetentionSettings(BaseGenericSetting):
    """How long each kind of data is kept (the defaults and their reasons are in the README).

    A kind's period is the field ``<kind>_days`` (``kinds.RetentionKind.setting_field``).
    """

    worksheet_answers_days = period_field(
        _("Svar på arbetsblad (inlämnade)"), 730, _("svarets senaste ändring")
    )
    worksheet_drafts_days = period_field(
        _("Utkast som aldrig lämnats in"), 365, _("utkastets senaste ändring")
    )
    learning_events_days = period_field(_("Lärhändelser"), 730, _("händelsen"))
    inactive_accounts_days = period_field(
        _("Inaktiva konton"),
        1095,
        _("senaste inloggning (eller när kontot skapades)"),
    )
    workshop_attendance_days = period_field(
        _("Deltagande i workshoppar"), 1095, _("workshoppens slut")
    )
    access_log_days = period_field(_("Åtkomstloggen"), 730, _("åtkomsten"))

    panels = [
        HelpPanel(
            content=_(
                "Myndighetens gallringsbeslut: hur länge varje slags uppgift sparas. "
                "Det som är äldre tas bort varje natt. Under Rapporter → Gallring syns vad "
                "som skulle tas bort nu och vad som har tagits bort."
            )
        ),
        FieldPanel("worksheet_answers_days"),
        FieldPanel("worksheet_drafts_days"),
        FieldPanel("learning_events_days"),
        FieldPanel("inactive_accounts_days"),
        FieldPanel("workshop_attendance_days"),
        FieldPanel("access_log_days"),
    ]

    class Meta:
        verbose_name = _("gallring")
        verbose_name_plural = _("gallring")


class RetentionRun(models.Model):
    """What one culling run removed of one kind: a count, never what the rows held."""

    kind = models.CharField(_("slag"), max_length=40)
    started_at = models.DateTimeField(_("startad"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    period_days = models.PositiveIntegerField(_("gallringsfrist (dagar)"))
    cutoff = models.DateTimeField(_("gallrat till och med"))
    deleted = models.PositiveIntegerField(_("borttagna"), default=0)
    # False when the run stopped at its batch limit or time limit: the next run takes the rest.
    complete = models.BooleanField(_("allt gallrat"), default=True)

    class Meta:
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")
        ordering = ["-started_at", "kind"]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d}: {self.deleted}"

    @property
    def kind_label(self) -> str:
        from .kinds import get

        try:
            return str(get(self.kind).label)
        except LookupError:
            return self.kind
