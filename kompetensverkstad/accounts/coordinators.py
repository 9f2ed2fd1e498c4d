"""Municipality coordinators (``Samordnare``): who answers for the staff of one or more
municipalities, sees their completion reports and invites or deactivates staff there.

A coordinator is a member of the ``Samordnare`` group (which carries Wagtail's "access admin"
and nothing else, so no page may be edited) with a ``Coordinator`` row naming their
municipalities. Superusers (administrators) see every municipality. Everything that scopes data
to a person asks :func:`visible_municipalities`, so the rule lives in one place.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Municipality, display_name

COORDINATOR_GROUP = "Samordnare"


class Coordinator(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator",
        verbose_name=_("användare"),
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="coordinators", verbose_name=_("kommuner"), blank=True
    )

    class Meta:
        verbose_name = _("samordnare")
        verbose_name_plural = _("samordnare")

    def __str__(self) -> str:
        return display_name(self.user)

    @admin.display(description=_("kommuner"))
    def municipality_names(self) -> str:
        return ", ".join(m.name for m in self.municipalities.all())


def is_coordinator(user: AbstractBaseUser) -> bool:
    """In the ``Samordnare`` group, active, and tied to at least one municipality."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_kv_is_coordinator", None)
    if cached is None:
        cached = (
            user.groups.filter(name=COORDINATOR_GROUP).exists()
            and Coordinator.objects.filter(user=user, municipalities__isnull=False).exists()
        )
        user._kv_is_coordinator = cached
    return cached


def visible_municipalities(user: AbstractBaseUser) -> models.QuerySet:
    """The municipalities whose staff ``user`` may see and manage: all for an administrator,
    their own for a coordinator, none for anybody else."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    if not is_coordinator(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(coordinators__user=user)


def may_see_reports(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or is_coordinator(user))
