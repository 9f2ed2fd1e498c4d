"""Identity providers' SAML metadata: fetched from the URL (or read from the uploaded file),
checked to describe the provider's entity id as an IdP, and kept as the last good copy. A
refresh that fails records why and keeps the copy it had, so a provider's metadata server being
away for a while stops nobody from signing in."""

import logging
import urllib.request
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import IdentityProvider

logger = logging.getLogger(__name__)

MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
# Federation aggregates run to tens of megabytes; more than this is not metadata.
MAX_METADATA_BYTES = 50 * 1024 * 1024
FETCH_TIMEOUT = 20


class MetadataError(Exception):
    pass


def _fetch(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise MetadataError(_("Metadata-URL:en måste börja med https://."))
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"Accept": "application/samlmetadata+xml"}
    )
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
        data = response.read(MAX_METADATA_BYTES + 1)
    if len(data) > MAX_METADATA_BYTES:
        raise MetadataError(_("Metadatan är för stor."))
    return data


def check_metadata(data: bytes, entity_id: str) -> str:
    """The metadata as text if it names ``entity_id`` with an IdP role; else MetadataError."""
    try:
        # defusedxml: no entity expansion or external references from a metadata server.
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise MetadataError(
            _("Metadatan är inte giltig XML: %(error)s") % {"error": error}
        ) from None
    found = False
    for descriptor in root.iter(f"{{{MD_NS}}}EntityDescriptor"):
        if descriptor.get("entityID") == entity_id:
            found = descriptor.find(f"{{{MD_NS}}}IDPSSODescriptor") is not None
            break
    if not found:
        raise MetadataError(
            _("Metadatan beskriver ingen identitetsutgivare med entity ID %(entity_id)s.")
            % {"entity_id": entity_id}
        )
    return data.decode("utf-8")


def refresh_metadata(provider: IdentityProvider) -> bool:
    """Fetch, check and keep ``provider``'s metadata. True when a new copy was kept; on
    failure the reason is in ``metadata_error`` and the last good copy stays."""
    try:
        if provider.metadata_file:
            with provider.metadata_file.open("rb") as handle:
                data = handle.read(MAX_METADATA_BYTES + 1)
        elif provider.metadata_url:
            data = _fetch(provider.metadata_url)
        else:
            raise MetadataError(_("Ingen metadata-URL eller metadatafil är angiven."))
        text = check_metadata(data, provider.entity_id)
    except Exception as error:  # noqa: BLE001 - any failure keeps the last good copy
        message = error.args[0] if isinstance(error, MetadataError) else repr(error)
        logger.warning("Metadata refresh of %s failed: %s", provider.slug, message)
        IdentityProvider.objects.filter(pk=provider.pk).update(metadata_error=str(message)[:2000])
        provider.metadata_error = str(message)[:2000]
        return False
    now = timezone.now()
    IdentityProvider.objects.filter(pk=provider.pk).update(
        metadata_xml=text, metadata_fetched_at=now, metadata_error=""
    )
    provider.metadata_xml, provider.metadata_fetched_at, provider.metadata_error = text, now, ""
    return True
