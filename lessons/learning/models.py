"""The learner's progress: one row per user and step, an append-only event log, completions.

The database is the record of work. Recording a step writes its ``StepProgress`` row, a
``LearningEvent`` and a ``CompletionCheck`` (the "evaluate this module for this user" job) in the
learner's transaction; the Celery task that evaluates completion only carries ids and can run
late, twice or concurrently without changing the result.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No look-alike characters (0/O, 1/I/L), so a code read aloud or from paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class StepState(models.TextChoices):
    STARTED = "started", _("Påbörjat")
    COMPLETED = "completed", _("Klart")


class StepProgress(models.Model):
    # No index of its own: the unique (user, step) index serves lookups by user, and every
    # step a learner completes would write one more index entry.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="step_progress",
        db_index=False,
    )
    step = models.ForeignKey(
        "lessons.ModuleStep", on_delete=models.CASCADE, related_name="progress"
    )
    state = models.CharField(
        _("status"), max_length=12, choices=StepState.choices, default=StepState.STARTED
    )
    # Lecture viewing: merged [start, end] second ranges actually played, and their total.
    watched_ranges = models.JSONField(default=list, blank=True)
    watched_seconds = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stegframsteg")
        verbose_name_plural = _("stegframsteg")
        constraints = [
            models.UniqueConstraint(fields=["user", "step"], name="one_progress_per_user_step"),
            models.CheckConstraint(
                condition=~models.Q(state="completed") | models.Q(completed_at__isnull=False),
                name="completed_progress_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.step_id}:{self.state}"

    @property
    def is_completed(self) -> bool:
        return self.state == StepState.COMPLETED


class LearningEvent(models.Model):
    """A learning record (actor, verb, object, result, context). What it says is never updated.

    It is also the outbox of its xAPI statement (``xapi``): ``statement_id`` is fixed when the
    event is written, so every attempt to deliver it carries the same id (resending an id is
    harmless by the xAPI spec), and ``sent_at`` is set only once the LRS has stored it.
    """

    class Verb(models.TextChoices):
        LAUNCHED = "launched", _("påbörjade")
        COMPLETED = "completed", _("slutförde")
        SUBMITTED = "submitted", _("lämnade in")
        ATTENDED = "attended", _("deltog i")
        READ = "read", _("läste")
        WATCHED = "watched", _("såg")

    VERB_IRIS = {
        "launched": "http://adlnet.gov/expapi/verbs/launched",
        "completed": "http://adlnet.gov/expapi/verbs/completed",
        "submitted": "http://activitystrea.ms/schema/1.0/submit",
        "attended": "http://adlnet.gov/expapi/verbs/attended",
        "read": "http://activitystrea.ms/schema/1.0/read",
        "watched": "http://activitystrea.ms/schema/1.0/watch",
    }

    # Indexed by the (actor, object_type, object_id) index below, which leads with it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_events",
        db_index=False,
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    object_type = models.CharField(max_length=20)  # "step" or "module"
    object_id = models.PositiveBigIntegerField()
    result = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True)
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    statement_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lärhändelse")
        verbose_name_plural = _("lärhändelser")
        indexes = [
            models.Index(fields=["actor", "object_type", "object_id"]),
            models.Index(
                fields=["timestamp"], condition=models.Q(sent_at__isnull=True), name="xapi_unsent"
            ),
        ]
        constraints = [
            # A step is launched once per learner: its first opening, however many follow.
            models.UniqueConstraint(
                fields=["actor", "object_type", "object_id"],
                condition=models.Q(verb="launched"),
                name="one_launch_per_learner_and_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Learning events are append-only.")
        super().save(*args, **kwargs)


class CompletionCheck(models.Model):
    """Work to do: evaluate whether ``user`` has completed ``module``.

    Written in the same transaction as the progress that may complete the module; deleted by
    the task once evaluated. The periodic sweep re-enqueues rows left behind by a broker outage.
    """

    # Indexed by the unique (user, module) constraint, which leads with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    module = models.ForeignKey("lessons.ModulePage", on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_check_per_user_module")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.module_id}"


class ModuleCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(
        "lessons.ModulePage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    # When the learner first started a step of the module, copied at completion from the
    # progress just read: the reports' time to complete without a subquery per completion.
    # Empty when no progress was there to read (a row written by hand).
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Copied at completion: the certificate states what was true then, whatever is edited later.
    learner_name = models.CharField(max_length=300)
    module_title = models.CharField(max_length=300)
    estimated_minutes = models.PositiveIntegerField(default=0)
    verification_code = models.CharField(
        max_length=16, unique=True, default=new_verification_code, editable=False
    )
    certificate = models.OneToOneField(
        "kompetensverkstad.PdfDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="completion",
    )

    class Meta:
        verbose_name = _("genomförd modul")
        verbose_name_plural = _("genomförda moduler")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_completion_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.learner_name} – {self.module_title}"

    @property
    def estimated_hours(self) -> str:
        hours = self.estimated_minutes / 60
        return f"{hours:.1f}".replace(".", ",").removesuffix(",0")


class ReminderSent(models.Model):
    """The marker of one reminder: "``user`` was nudged about ``module`` for this lull".

    ``idle_since`` is the learner's last activity in the module, so a lull is a period: one
    reminder for it at most, and a new one only after the learner worked again and stopped
    again. The row is written (the claim) before the mail is sent, under the unique constraint,
    so a second run, a duplicate delivery or a worker killed after sending never mails twice.
    """

    # Indexed by the unique (user, module, idle_since) constraint, which leads with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    module = models.ForeignKey("lessons.ModulePage", on_delete=models.CASCADE, related_name="+")
    idle_since = models.DateTimeField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "idle_since"], name="one_reminder_per_lull"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.module_id}:{self.idle_since:%Y-%m-%d}"


class AnonymousRecord(models.Model):
    """What an erased learner leaves for the reports: the module, and the municipality and job
    title the reports group by (``report_group``), linked to nobody."""

    module = models.ForeignKey(
        "lessons.ModulePage", on_delete=models.CASCADE, related_name="%(class)s_rows"
    )
    # PROTECT, like the profile's: removing a municipality must not drop counts silently.
    municipality = models.ForeignKey(
        "kompetensverkstad.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True


class AnonymousCompletion(AnonymousRecord):
    """A completion that outlived its learner's erasure: counted in the reports, verifiable by
    its code, and linked to nobody.

    Erasure folds a ``ModuleCompletion`` into one of these (``lessons.learning.privacy``): the
    municipality and job title the reports group by, when the module was started and completed
    (the report's median), the module's title as the certificate stated it, and the certificate's
    verification code, so the public check still says the certificate existed and when it was
    issued — without a name.
    """

    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField()
    module_title = models.CharField(max_length=300)
    verification_code = models.CharField(max_length=16, unique=True, null=True, blank=True)

    class Meta(AnonymousRecord.Meta):
        verbose_name = _("anonym genomförd modul")
        verbose_name_plural = _("anonyma genomförda moduler")
        indexes = [models.Index(fields=["module", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.module_title} {self.completed_at:%Y-%m-%d}"
