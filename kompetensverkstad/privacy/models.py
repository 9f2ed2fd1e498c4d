"""The records of erasure: a person's request to close their account, and the private files an
erasure left to delete after its transaction (the sweep finishes them after a crash)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureRequest(models.Model):
    """A request to close an account. Once carried out, ``user`` is cleared (SET_NULL with the
    account's deletion) and the row stays as the record that an erasure happened, without a name."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Begärd")
        DONE = "done", _("Genomförd")
        WITHDRAWN = "withdrawn", _("Återkallad")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
        verbose_name=_("användare"),
    )
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.REQUESTED
    )
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    carried_out_at = models.DateTimeField(_("genomförd"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("genomförd av"),
    )
    # Why the account was erased ("learner's request", "inactive account"): never a name.
    reason = models.CharField(_("skäl"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("begäran om radering")
        verbose_name_plural = _("begäranden om radering")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="requested"),
                name="one_open_erasure_request_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.requested_at:%Y-%m-%d}"


class FileDeletion(models.Model):
    """Private files an erasure committed to delete. Deleted itself once every file is gone; a
    row still here after a crash is pending work for the sweep."""

    names = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("filer att radera")
        verbose_name_plural = _("filer att radera")

    def __str__(self) -> str:
        return f"{len(self.names)} filer ({self.created_at:%Y-%m-%d})"
