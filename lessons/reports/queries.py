"""The report's numbers, aggregated in the database: a fixed handful of grouped queries,
whatever the number of learners or rows.

Rows are (group, module) where the group is a municipality, a county or a job title. Per row:
staff invited (accounts with a profile there) and active (signed in at least once, not
deactivated), started (learners with any progress in the module), completed (completions in the
period), the share completed of those invited, the median time from the first step started to
completion, and workshop attendance (learners marked present at a session on the module in the
period). The period bounds completion and attendance dates; "started" counts anyone who began
before the period ended.

Completions and attendance of erased learners stay as anonymous rows (``AnonymousCompletion``,
``AnonymousAttendance``, grouped by the same municipality and job title) and are counted in
started, completed, the median and attended, so erasing a learner leaves those numbers as they
were. Invited and active count the accounts there now: an erased person is no longer staff.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompetensverkstad.accounts.coordinators import visible_municipalities
from kompetensverkstad.accounts.models import County, Municipality, Profile

from ..learning.models import AnonymousCompletion, ModuleCompletion, StepProgress
from ..pages.modules import ModulePage
from ..workshops.models import AnonymousAttendance, SessionParticipant
from .median import Median

BY_MUNICIPALITY = "municipality"
BY_COUNTY = "county"
BY_JOB_TITLE = "job_title"
GROUPINGS = {
    BY_MUNICIPALITY: gettext_lazy("Kommun"),
    BY_COUNTY: gettext_lazy("Län"),
    BY_JOB_TITLE: gettext_lazy("Yrkesroll"),
}
# The profile field each grouping reads, as seen from a Profile.
GROUP_FIELDS = {
    BY_MUNICIPALITY: "municipality",
    BY_COUNTY: "municipality__county",
    BY_JOB_TITLE: "job_title",
}


@dataclass(frozen=True)
class ReportFilter:
    """What the person asked for, already limited to what they may see."""

    municipality_ids: tuple[int, ...]
    module_ids: tuple[int, ...] | None = None  # None: every live module
    county: str = ""
    job_title: str = ""
    start: date | None = None
    end: date | None = None
    group_by: str = BY_MUNICIPALITY


@dataclass
class ReportRow:
    group_key: object
    group_label: str
    module_id: int
    module_title: str
    municipality_id: int | None = None
    invited: int = 0
    active: int = 0
    started: int = 0
    completed: int = 0
    attended: int = 0
    median_duration: timedelta | None = None
    extra: dict = field(default_factory=dict)

    @property
    def share_completed(self) -> float:
        """Completed of those invited, 0–1 (more than 1 cannot happen: one completion each)."""
        return self.completed / self.invited if self.invited else 0.0

    @property
    def share_percent(self) -> int:
        return round(100 * self.share_completed)

    @property
    def share_display(self) -> str:
        return f"{self.share_percent} %"

    @property
    def median_days(self) -> float | None:
        if self.median_duration is None:
            return None
        return round(self.median_duration.total_seconds() / 86400, 1)

    @property
    def median_display(self) -> str:
        days = self.median_days
        if days is None:
            return "–"
        return _("%(days)s dagar") % {"days": number_format(days, 1)}


def allowed_municipality_ids(user: AbstractBaseUser) -> tuple[int, ...]:
    return tuple(visible_municipalities(user).order_by().values_list("pk", flat=True))


def _aware(day: date, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment)


def _profile_scope(spec: ReportFilter, prefix: str) -> Q:
    """The learners in the rows: their profile's municipality is in scope (and the filters)."""
    q = Q(**{f"{prefix}municipality__in": spec.municipality_ids})
    if spec.county:
        q &= Q(**{f"{prefix}municipality__county": spec.county})
    if spec.job_title:
        q &= Q(**{f"{prefix}job_title": spec.job_title})
    return q


def _period(spec: ReportFilter, field_name: str) -> Q:
    q = Q()
    if spec.start:
        q &= Q(**{f"{field_name}__gte": _aware(spec.start)})
    if spec.end:
        q &= Q(**{f"{field_name}__lt": _aware(spec.end, end=True)})
    return q


def completion_rows(spec: ReportFilter) -> list[ReportRow]:
    """Every (group, module) row with its numbers: eight queries (two more where erased
    learners' completions are in a median), whatever the size of the data."""
    group_field = GROUP_FIELDS[spec.group_by]
    via_user = f"user__profile__{group_field}"
    modules_qs = ModulePage.objects.live().order_by("title")
    if spec.module_ids is not None:
        modules_qs = modules_qs.filter(pk__in=spec.module_ids)
    modules = list(modules_qs.values_list("pk", "title"))
    module_ids = [pk for pk, _title in modules]
    if not spec.municipality_ids or not module_ids:
        return []

    # 1. Staff per group (invited, active).
    staff = {
        entry["key"]: entry
        for entry in Profile.objects.filter(_profile_scope(spec, ""))
        .values(key=F(group_field))
        .annotate(
            invited=Count("pk"),
            active=Count("pk", filter=Q(user__is_active=True, user__last_login__isnull=False)),
        )
        .order_by()
    }
    if not staff:
        return []
    learner_scope = _profile_scope(spec, "user__profile__")

    # 2. Started per group and module.
    started = _started(spec, group_field, module_ids)

    # 2b. Erased learners: their completions kept as anonymous rows, counted as started (their
    # first start is kept) and as completed in the period (3b), in one query.
    anon_filter = Q(module_id__in=module_ids) & _profile_scope(spec, "")
    anon_started = Q(started_at__isnull=False)
    if spec.end:
        anon_started &= Q(started_at__lt=_aware(spec.end, end=True))
    anon_counts = {}
    for e in (
        AnonymousCompletion.objects.filter(anon_filter)
        .values(key=F(group_field), mod=F("module_id"))
        .annotate(
            started=Count("pk", filter=anon_started),
            completed=Count("pk", filter=_period(spec, "completed_at") or None),
        )
        .order_by()
    ):
        pair = (e["key"], e["mod"])
        if e["started"]:
            started[pair] = started.get(pair, 0) + e["started"]
        if e["completed"]:
            anon_counts[pair] = e["completed"]

    # 3. Completed and the median time to complete, per group and module.
    # From the first start the completion keeps (copied when it was written; a row without one
    # has no duration and stays out of the median). Not looked up in the progress: a subquery
    # per completion cost 125 ms at 10,000 learners, and its estimate alone made PostgreSQL
    # JIT-compile the query (25 ms more).
    duration = ExpressionWrapper(F("completed_at") - F("started_at"), output_field=DurationField())
    completed = {
        (e["key"], e["mod"]): e
        for e in ModuleCompletion.objects.filter(
            Q(module_id__in=module_ids) & learner_scope & _period(spec, "completed_at")
        )
        .values(key=F(via_user), mod=F("module_id"))
        .annotate(n=Count("pk"), median=Median(duration))
        .order_by()
    }

    # 3b. Anonymous completions (counted in 2b): added, and the median taken again over both
    # kinds of row for the few groups that have any (medians do not add up).
    if anon_counts:
        _merge_anonymous(spec, group_field, via_user, module_ids, completed, anon_counts)

    # 4. Workshop attendance per group and module.
    attended = _learners_per_group(
        spec,
        group_field,
        SessionParticipant.objects.filter(
            Q(attended=True, session__module_id__in=module_ids) & _period(spec, "attended_at")
        ).values("user_id", mod=F("session__module_id")),
    )

    for e in (
        AnonymousAttendance.objects.filter(anon_filter & _period(spec, "attended_at"))
        .values(key=F(group_field), mod=F("module_id"))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        attended[(e["key"], e["mod"])] = attended.get((e["key"], e["mod"]), 0) + e["n"]

    labels = _group_labels(spec.group_by, staff.keys())
    rows = []
    for key in sorted(staff, key=lambda k: (labels[k].casefold(), str(k))):
        for module_id, title in modules:
            done = completed.get((key, module_id), {})
            rows.append(
                ReportRow(
                    group_key=key,
                    group_label=labels[key],
                    module_id=module_id,
                    module_title=title,
                    municipality_id=key if spec.group_by == BY_MUNICIPALITY else None,
                    invited=staff[key]["invited"],
                    active=staff[key]["active"],
                    started=started.get((key, module_id), 0),
                    completed=done.get("n", 0),
                    median_duration=done.get("median"),
                    attended=attended.get((key, module_id), 0),
                )
            )
    return rows


def _started(spec: ReportFilter, group_field: str, module_ids: list[int]) -> dict[tuple, int]:
    """Learners with any progress in the module, per group and module: one query."""
    progress = StepProgress.objects.filter(step__module_id__in=module_ids)
    if spec.end:
        progress = progress.filter(started_at__lt=_aware(spec.end, end=True))
    return _learners_per_group(
        spec, group_field, progress.values("user_id", mod=F("step__module_id"))
    )


def _learners_per_group(spec: ReportFilter, group_field: str, pairs: QuerySet) -> dict[tuple, int]:
    """How many learners in scope each (group, module) has among ``pairs`` (rows of
    ``user_id`` and ``mod``): one query.

    The pairs are made distinct first and only then joined to the profiles and counted.
    ``COUNT(DISTINCT user)`` over the joined rows, as the ORM writes it, sorts every row (67,500
    progress rows at 10,000 learners x 3 modules, spilling to disk) and joins the users' table
    on the way; this took half as long. The ORM has no derived tables, so both halves are the
    ORM's SQL and only the join around them is written here (plain SQL that SQLite runs too).
    """
    pairs = pairs.distinct().order_by()
    profiles = (
        Profile.objects.filter(_profile_scope(spec, ""))
        .values("user_id", key=F(group_field))
        .order_by()
    )
    pairs_sql, pairs_params = pairs.query.sql_with_params()
    profiles_sql, profiles_params = profiles.query.sql_with_params()
    # Only the ORM's own SQL goes into the text; every value travels as a parameter.
    sql = (
        f'SELECT p."key", d."mod", COUNT(*) FROM ({pairs_sql}) d '  # noqa: S608
        f'INNER JOIN ({profiles_sql}) p ON p."user_id" = d."user_id" GROUP BY p."key", d."mod"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*pairs_params, *profiles_params))
        return {(key, mod): n for key, mod, n in cursor.fetchall()}


def _merge_anonymous(spec, group_field, via_user, module_ids, completed, anon_counts) -> None:
    """Add the anonymous completions to ``completed`` and recompute those groups' medians from
    the durations of both kinds of row (two queries, limited to the groups concerned)."""
    durations: dict[tuple, list[timedelta]] = {}
    keys = {k for k, _m in anon_counts}
    named = ModuleCompletion.objects.filter(
        Q(module_id__in=module_ids)
        & _profile_scope(spec, "user__profile__")
        & _period(spec, "completed_at")
        & Q(**{f"{via_user}__in": keys})
    ).values_list(via_user, "module_id", "completed_at", "started_at")
    anonymous = AnonymousCompletion.objects.filter(
        Q(module_id__in=module_ids) & _profile_scope(spec, "") & _period(spec, "completed_at")
    ).values_list(group_field, "module_id", "completed_at", "started_at")
    for key, mod, done_at, started_at in [*named, *anonymous]:
        if (key, mod) in anon_counts and started_at is not None:
            durations.setdefault((key, mod), []).append(done_at - started_at)
    for pair, n in anon_counts.items():
        entry = dict(completed.get(pair, {"n": 0, "median": None}))
        entry["n"] += n
        values = sorted(durations.get(pair, []))
        entry["median"] = _median(values) if values else None
        completed[pair] = entry


def _median(values: list[timedelta]) -> timedelta:
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _group_labels(group_by: str, keys) -> dict:
    if group_by == BY_MUNICIPALITY:
        # 5. The municipalities' names.
        names = dict(Municipality.objects.filter(pk__in=list(keys)).values_list("pk", "name"))
        return {k: names.get(k, _("Okänd kommun")) for k in keys}
    if group_by == BY_COUNTY:
        counties = dict(County.choices)
        return {k: str(counties.get(k, _("Okänt län"))) for k in keys}
    return {k: k or _("Yrkesroll saknas") for k in keys}
