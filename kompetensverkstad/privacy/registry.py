"""The registry of personal data: for every model that holds something of a person, how it is
exported and what erasure does with it.

An app registers a ``DataRule`` per model from its ``AppConfig.ready()``:

* ``export``: user → JSON-able records (a list of dicts) for the export's JSON, under
  ``section``; ``None``: the model adds nothing of its own (e.g. the rows are a technical queue);
* ``erase``: what erasure does, one of ``Erasure`` (``DELETE``: the user's rows go, ``ANONYMISE``:
  ``anonymise(user)`` rewrites or folds them so nothing points to the person any more, ``CASCADE``:
  the rows go with another registered row (a child of it), ``KEEP``: nothing of the person is in
  it, the foreign key is an author of content and is cleared by the database's ``SET_NULL``);
* ``anonymise``: called inside the erasure's transaction, before the rows are deleted, for
  ``ANONYMISE`` rules (fold a completion into an anonymous count, clear a name);
* ``files``: user → names in private storage the rows hold (deleted after commit);
* ``blocks``: user → a message when erasure must wait (a trainer with sessions to hand over);
* ``user_field``: the lookup from the model to the user (``"user"``, ``"response__user"``),
  used to delete the rows and by the test that nothing is left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


class Erasure(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    CASCADE = "cascade"
    KEEP = "keep"


Exporter = Callable[[AbstractBaseUser], list[dict]]
Anonymiser = Callable[[AbstractBaseUser], None]
# (storage alias, name) pairs: most are in "private", an avatar is in "default".
FileLister = Callable[[AbstractBaseUser], Iterable[tuple[str, str]]]
Blocker = Callable[[AbstractBaseUser], str | None]


@dataclass
class DataRule:
    model: type[models.Model]
    erase: Erasure
    user_field: str = "user"
    section: str = ""
    # The section's heading in the export's readable summary (translated).
    title: str = ""
    export: Exporter | None = None
    anonymise: Anonymiser | None = None
    files: FileLister | None = None
    blocks: Blocker | None = None
    # The person's rows when they are not found by ``user_field`` (sign-in attempts by username).
    rows: Callable[[AbstractBaseUser], models.QuerySet] | None = None
    # Why the rule is what it is, shown by ``manage.py privacy_rules`` and in the README.
    why: str = ""
    # Erasure runs the rules in this order (low first): children before their parents.
    order: int = 100

    @property
    def label(self) -> str:
        return self.model._meta.label


_RULES: dict[str, DataRule] = {}


def iso(value) -> str | None:
    """A date or time as the export's JSON writes it (ISO 8601), ``None`` kept."""
    return value.isoformat() if value is not None else None


def register(rule: DataRule) -> DataRule:
    """Add the rule for ``rule.model``; a second, different rule for one model is an error."""
    if rule.label in _RULES and _RULES[rule.label] is not rule:
        raise ValueError(f"A personal-data rule for {rule.label} is registered already")
    if rule.erase == Erasure.ANONYMISE and rule.anonymise is None:
        raise ValueError(f"{rule.label}: an ANONYMISE rule needs an anonymise function")
    _RULES[rule.label] = rule
    return rule


def rule_for(model: type[models.Model]) -> DataRule | None:
    return _RULES.get(model._meta.label)


def rules() -> list[DataRule]:
    """Every rule, in the order erasure runs them."""
    return sorted(_RULES.values(), key=lambda r: (r.order, r.label))


def rows_of(rule: DataRule, user: AbstractBaseUser) -> models.QuerySet:
    """The rows ``rule`` holds of ``user``."""
    if rule.rows is not None:
        return rule.rows(user)
    return rule.model._default_manager.filter(**{rule.user_field: user.pk})


def unregister(model: type[models.Model]) -> None:
    """Remove a rule (for tests that register one of their own)."""
    _RULES.pop(model._meta.label, None)


def user_models() -> list[tuple[type[models.Model], str]]:
    """Every installed model (third-party too) with a foreign key or one-to-one to the user model,
    with the field's name: the models that must each have a rule."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    found = []
    for model in apps.get_models(include_auto_created=True):
        # Local fields only: a page type's ``owner`` is its parent table's (wagtailcore.Page).
        for f in model._meta.local_fields:
            if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is user_model:
                found.append((model, f.name))
    return found


def missing_rules() -> list[type[models.Model]]:
    """The models linked to the user that no app has said anything about."""
    return sorted(
        {model for model, _f in user_models() if rule_for(model) is None},
        key=lambda m: m._meta.label,
    )
