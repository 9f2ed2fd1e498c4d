"""The registry of retention kinds: what is culled, by which date field, in batches.

A kind names the rows it may cull (``queryset``: a callable, so nothing is queried at import),
the field holding the date that starts its period (``date_field``, may be an annotation the
queryset adds or a path across a relation), and, where deleting the rows is not the whole of
it (files to remove, an account to erase), ``delete``: given a queryset of one batch, remove
it and return how many rows of the kind went. The period is read from the settings field
``<name>_days`` (``models.RetentionSettings``), so every kind has a field there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

Deleter = Callable[[QuerySet], int]


def delete_rows(batch: QuerySet) -> int:
    """The default: delete the batch (and what cascades from it); the kind's own rows count."""
    _total, per_model = batch.delete()
    return per_model.get(batch.model._meta.label, 0)


@dataclass(frozen=True)
class RetentionKind:
    name: str
    label: str
    queryset: Callable[[], QuerySet]
    date_field: str
    delete: Deleter = delete_rows
    batch_size: int = 500
    # What the period counts from, in words for the admin (e.g. "senaste ändring").
    counted_from: str = ""

    @property
    def setting_field(self) -> str:
        return f"{self.name}_days"

    def expired(self, cutoff) -> QuerySet:
        """Rows whose date is on or before ``cutoff``, oldest first."""
        return (
            self.queryset()
            .filter(**{f"{self.date_field}__lte": cutoff})
            .order_by(self.date_field, "pk")
        )


_KINDS: dict[str, RetentionKind] = {}


def register(kind: RetentionKind) -> RetentionKind:
    """Add a kind; its settings field must exist (a missing one is a programming error)."""
    from .models import RetentionSettings

    field_names = {f.name for f in RetentionSettings._meta.get_fields()}
    if kind.setting_field not in field_names:
        raise LookupError(f"RetentionSettings has no field {kind.setting_field!r}")
    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        raise ValueError(f"Retention kind {kind.name!r} is registered already")
    _KINDS[kind.name] = kind
    return kind


def all_kinds() -> list[RetentionKind]:
    """The registered kinds in the order of the settings' fields."""
    from .models import RetentionSettings

    order = [f.name for f in RetentionSettings._meta.get_fields()]
    return sorted(
        _KINDS.values(),
        key=lambda k: order.index(k.setting_field),
    )


def get(name: str) -> RetentionKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No retention kind {name!r}") from None
