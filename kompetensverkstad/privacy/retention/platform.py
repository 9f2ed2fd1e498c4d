"""The platform's own retention kinds: the access log, and inactive accounts — erased through
the one erasure (``privacy.erasure.erase_user``), never deleted another way."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..access.models import AccessLogEntry
from ..erasure import ErasureRefused, erase_user
from .kinds import RetentionKind, register

logger = logging.getLogger(__name__)

# Kept on the erasure's record: why the account went (never a name).
INACTIVE_REASON = "Inaktivt konto (gallringsbeslut)"


def inactive_accounts() -> QuerySet:
    """Accounts by their last sign-in (or creation, for one never used). Superusers and Django
    staff are left out: an administrator is never culled out of the platform."""
    return (
        get_user_model()
        ._default_manager.filter(is_superuser=False, is_staff=False)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
    )


def erase_accounts(batch: QuerySet) -> int:
    erased = 0
    for user in batch:
        try:
            # A savepoint each: one refused erasure leaves the rest of the batch to go on.
            with transaction.atomic():
                erased += erase_user(user, reason=INACTIVE_REASON)
        except ErasureRefused as refused:
            # E.g. a trainer who still leads sessions; it stays until the rule lets it go.
            logger.warning("Inactive account %s not erased: %s", user.pk, refused)
    return erased


def register_kinds() -> None:
    register(
        RetentionKind(
            name="inactive_accounts",
            label=_("Inaktiva konton"),
            queryset=inactive_accounts,
            date_field="last_seen",
            delete=erase_accounts,
            batch_size=50,
            counted_from=_("senaste inloggning (eller när kontot skapades)"),
        )
    )
    register(
        RetentionKind(
            name="access_log",
            label=_("Åtkomstloggen"),
            queryset=AccessLogEntry.objects.all,
            date_field="at",
            batch_size=2000,
            counted_from=_("åtkomsten"),
        )
    )
