"""One row per time a staff member opened a learner's personal data: who, whose, what, when.

Both people are foreign keys that become empty when the account is erased: the row stays as
the record that an access happened (the staff member's accountability), without naming a
person who is gone. ``detail`` names the thing opened (a module and municipality, a session),
never the learner; ``what`` is a key of the kinds registered in ``record``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...accounts.models import display_name

GONE = _("(raderat konto)")


class AccessLogEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vem"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vems uppgifter"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A key in the registry of access kinds (record.py); the apps register theirs.
    what = models.CharField(_("vad"), max_length=40)
    detail = models.CharField(_("närmare"), max_length=300, blank=True)
    at = models.DateTimeField(_("när"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("åtkomst till personuppgifter")
        verbose_name_plural = _("åtkomstlogg")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "at"], name="access_log_subject_at"),
            models.Index(fields=["actor", "at"], name="access_log_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} → {self.subject_id}: {self.what}"

    # What the admin's table and its export show (select_related("actor", "subject") first).
    @property
    def actor_name(self) -> str:
        return display_name(self.actor) if self.actor else str(GONE)

    @property
    def actor_email(self) -> str:
        return self.actor.email if self.actor else ""

    @property
    def subject_name(self) -> str:
        return display_name(self.subject) if self.subject else str(GONE)

    @property
    def subject_email(self) -> str:
        return self.subject.email if self.subject else ""

    @property
    def what_label(self) -> str:
        from .record import access_kinds

        return str(access_kinds().get(self.what, self.what))
