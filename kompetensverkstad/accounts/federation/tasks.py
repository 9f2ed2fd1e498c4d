"""Periodic work of signing in through providers: SAML metadata refreshed (the last good copy
kept when a refresh fails), and the replay store and unanswered requests pruned."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import IdentityProvider, PendingAuthnRequest, Protocol, SeenAssertion

# An AuthnRequest unanswered for this long is abandoned (the person closed the tab).
PENDING_REQUEST_LIFETIME = timedelta(hours=1)


@shared_task(soft_time_limit=300, time_limit=360)
def refresh_saml_metadata(provider_id: int | None = None) -> int:
    """Refresh one provider's metadata, or every enabled SAML provider's; returns how many
    got a new copy. Idempotent: running it twice fetches twice and keeps the same."""
    from .saml.metadata import refresh_metadata

    providers = IdentityProvider.objects.filter(protocol=Protocol.SAML)
    providers = providers.filter(pk=provider_id) if provider_id else providers.filter(enabled=True)
    return sum(1 for provider in providers if refresh_metadata(provider))


@shared_task(soft_time_limit=60, time_limit=90)
def prune_saml_state() -> None:
    now = timezone.now()
    SeenAssertion.objects.filter(expires_at__lt=now).delete()
    PendingAuthnRequest.objects.filter(created_at__lt=now - PENDING_REQUEST_LIFETIME).delete()
