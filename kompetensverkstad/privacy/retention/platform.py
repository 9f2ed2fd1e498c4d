"""The platform's own retention kinds: the access log (and inactive accounts, culled through
the one erasure, ``privacy.erasure.erase_user``)."""

from django.utils.translation import gettext_lazy as _

from ..access.models import AccessLogEntry
from .kinds import RetentionKind, register


def register_kinds() -> None:
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
