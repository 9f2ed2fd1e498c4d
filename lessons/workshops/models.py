"""Workshop sessions that trainers lead on a module or a single worksheet, and who took part.

A session has a short join code that participants type (or scan as a QR code). Codes are
unique among *open* sessions only: a PostgreSQL/SQLite partial unique index enforces it, so a
cancelled session's code can be handed out again. Each participant decides per session whether
the trainer may see their worksheet answers (``shares_answers``, off by default).
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.accounts.models import display_name
from worksheets.pages import WorksheetPage

from ..learning.models import CODE_ALPHABET, AnonymousRecord
from ..pages.modules import ModulePage, ModuleStep

TRAINER_GROUP = "Utbildare"
JOIN_CODE_LENGTH = 6
# Many more than needed: 31^6 codes make a collision among open sessions very rare.
JOIN_CODE_ATTEMPTS = 10
MAX_CAPACITY = 100


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(value: str) -> str:
    """What a person typed → the stored form: upper case, without spaces or dashes."""
    return "".join(str(value or "").split()).replace("-", "").upper()[:20]


def is_trainer(user: AbstractBaseUser) -> bool:
    """Members of the ``Utbildare`` group (granted by administrators) and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_kv_is_trainer", None)
    if cached is None:
        cached = user.groups.filter(name=TRAINER_GROUP).exists()
        user._kv_is_trainer = cached
    return cached


class WorkshopSessionQuerySet(models.QuerySet):
    def open(self) -> "WorkshopSessionQuerySet":
        return self.filter(status=WorkshopSession.Status.OPEN)

    def managed_by(self, user: AbstractBaseUser) -> "WorkshopSessionQuerySet":
        """The sessions ``user`` may see and edit: their own; every one for a superuser."""
        if not is_trainer(user):
            return self.none()
        return self if user.is_superuser else self.filter(trainer=user)


class WorkshopSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        CANCELLED = "cancelled", _("Inställd")

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utbildare"),
        on_delete=models.CASCADE,
        related_name="workshop_sessions_led",
    )
    module = models.ForeignKey(
        "lessons.ModulePage",
        verbose_name=_("modul"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workshop_sessions",
    )
    worksheet = models.ForeignKey(
        "worksheets.WorksheetPage",
        verbose_name=_("arbetsblad"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workshop_sessions",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=300, blank=True)
    meeting_url = models.URLField(_("länk till mötet"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("antal platser"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    note = models.TextField(_("meddelande till deltagarna"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    join_code = models.CharField(_("kod"), max_length=JOIN_CODE_LENGTH, editable=False)
    # Raised on every change a calendar should pick up (the .ics SEQUENCE).
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = WorkshopSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshoppar")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(module__isnull=False, worksheet__isnull=True)
                    | models.Q(module__isnull=True, worksheet__isnull=False)
                ),
                name="workshop_module_xor_worksheet",
                violation_error_message=_("Välj antingen en modul eller ett arbetsblad."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="workshop_ends_after_start",
                violation_error_message=_("Sluttiden måste ligga efter starttiden."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="workshop_capacity_range",
            ),
            models.UniqueConstraint(
                fields=["join_code"],
                condition=models.Q(status="open"),
                name="workshop_unique_open_join_code",
            ),
        ]
        indexes = [models.Index(fields=["trainer", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.join_code:
            super().save(*args, **kwargs)
            return
        # Retry on the rare collision with another open session's code; the partial unique
        # index decides, so two trainers creating sessions at the same moment cannot share one.
        for attempt in range(JOIN_CODE_ATTEMPTS):
            code = new_join_code()
            if WorkshopSession.objects.open().filter(join_code=code).exists():
                continue
            self.join_code = code
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                taken = WorkshopSession.objects.open().filter(join_code=code).exists()
                self.join_code = ""
                if self._state.adding:
                    self.pk = None
                if not taken or attempt == JOIN_CODE_ATTEMPTS - 1:
                    raise
        raise IntegrityError("No free join code found")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def material(self):
        """The module or worksheet page (specific) the session is about."""
        return self.module if self.module_id else self.worksheet

    @property
    def progress_module(self):
        """The module whose steps count for attendance and progress.

        A worksheet session counts toward the module the worksheet lives in (worksheets are
        only created under modules), so attending it credits that module's workshop steps.
        """
        if self.module_id:
            return self.module
        return ModulePage.objects.parent_of(self.worksheet).first()

    def workshop_steps(self) -> list:
        """The workshop steps that attendance completes."""
        module = self.progress_module
        if module is None:
            return []
        return list(
            ModuleStep.objects.filter(module=module, kind=ModuleStep.Kind.WORKSHOP).order_by(
                "sort_order"
            )
        )

    def worksheet_pages(self) -> list:
        """The worksheets of the session: its own, or the module's worksheet steps in order."""
        if self.worksheet_id:
            return [self.worksheet]
        ids = list(
            ModuleStep.objects.filter(
                module_id=self.module_id, kind=ModuleStep.Kind.WORKSHEET, page__isnull=False
            )
            .order_by("sort_order")
            .values_list("page_id", flat=True)
        )
        pages = {p.pk: p for p in WorksheetPage.objects.filter(pk__in=ids)}
        return [pages[i] for i in ids if i in pages]


class SessionParticipant(models.Model):
    session = models.ForeignKey(
        WorkshopSession,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deltagare"),
        on_delete=models.CASCADE,
        related_name="workshop_participations",
    )
    joined_at = models.DateTimeField(_("anmäld"), default=timezone.now)
    attended = models.BooleanField(_("närvarade"), default=False)
    attended_at = models.DateTimeField(_("närvaro markerad"), null=True, blank=True)
    # The participant's own choice for this session only; the trainer never sets it.
    shares_answers = models.BooleanField(_("delar svar med utbildaren"), default=False)
    shares_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when the cancellation mail went out, so a re-run of the task does not send it twice.
    cancellation_sent_at = models.DateTimeField(null=True, blank=True)
    # The marker of the day-before reminder, claimed by a conditional UPDATE before the mail
    # goes out: a re-run or a second worker finds it set and sends nothing (``reminders``).
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("deltagare i workshop")
        verbose_name_plural = _("deltagare i workshoppar")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_seat_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.user_id}"

    @property
    def name(self) -> str:
        return display_name(self.user)


class AnonymousAttendance(AnonymousRecord):
    """Workshop attendance that outlived its participant's erasure, for the report's "attended"
    count: one row per erased learner and module (their first attendance), linked to nobody."""

    attended_at = models.DateTimeField()

    class Meta(AnonymousRecord.Meta):
        verbose_name = _("anonym närvaro")
        verbose_name_plural = _("anonym närvaro")

    def __str__(self) -> str:
        return f"{self.module_id} {self.attended_at:%Y-%m-%d}"
