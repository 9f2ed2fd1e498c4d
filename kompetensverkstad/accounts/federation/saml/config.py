"""The service provider's keys and its pysaml2 configuration.

The configuration is built per request from the database (every enabled SAML provider's last
good metadata), so an administrator's change in the admin holds from the next sign-in on, on
every web node, with nothing to restart.
"""

import datetime
import shutil
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT

from ....links import absolute_url
from ..models import IdentityProvider, Protocol

# Clock skew tolerated between this site and an identity provider, in seconds.
ACCEPTED_TIME_DIFF = 120
SIGNING_ALGORITHM = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
DIGEST_ALGORITHM = "http://www.w3.org/2001/04/xmlenc#sha256"


class SamlUnavailable(Exception):
    """SAML cannot work on this machine (no xmlsec1); the message says what to install."""


def xmlsec_binary() -> str:
    path = getattr(settings, "KV_SAML_XMLSEC_BINARY", "") or shutil.which("xmlsec1")
    if not path:
        raise SamlUnavailable(
            "xmlsec1 saknas: installera Debian-paketet xmlsec1 (apt-get install xmlsec1)."
        )
    return path


def generate_key_pair(key_path: Path, cert_path: Path, common_name: str) -> None:
    """A 2048-bit RSA key and a self-signed certificate valid for ten years (SAML metadata
    carries the certificate itself, so no CA is involved)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def key_files() -> tuple[str, str]:
    """The SP's private key and certificate: ``KV_SAML_KEY_FILE``/``KV_SAML_CERT_FILE``, else a
    pair generated once under ``PRIVATE_MEDIA_ROOT/saml/`` (set the two in production, so
    every web node signs with the same key)."""
    key = getattr(settings, "KV_SAML_KEY_FILE", "")
    cert = getattr(settings, "KV_SAML_CERT_FILE", "")
    if key and cert:
        return key, cert
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "saml"
    key_path, cert_path = folder / "sp-key.pem", folder / "sp-cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        generate_key_pair(key_path, cert_path, "Kompetensverkstaden SP")
    return str(key_path), str(cert_path)


def sp_urls(request: HttpRequest | None) -> dict[str, str]:
    return {
        name: absolute_url(reverse(f"federation:saml-{name}"), request)
        for name in ("metadata", "acs", "sls")
    }


def sp_entity_id(request: HttpRequest | None) -> str:
    """``KV_SAML_SP_ENTITY_ID``, else the metadata URL (stable as long as the host is)."""
    return getattr(settings, "KV_SAML_SP_ENTITY_ID", "") or sp_urls(request)["metadata"]


def sp_config(
    request: HttpRequest | None, providers: list[IdentityProvider] | None = None
) -> SPConfig:
    """pysaml2's SP configuration: signed AuthnRequests, signed assertions required, the SP's
    key for decrypting encrypted assertions, Redirect and POST bindings, clock skew."""
    key, cert = key_files()
    urls = sp_urls(request)
    if providers is None:
        providers = list(
            IdentityProvider.objects.filter(protocol=Protocol.SAML, enabled=True).exclude(
                metadata_xml=""
            )
        )
    config = {
        "entityid": sp_entity_id(request),
        "xmlsec_binary": xmlsec_binary(),
        "key_file": key,
        "cert_file": cert,
        "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
        "accepted_time_diff": ACCEPTED_TIME_DIFF,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": settings.WAGTAIL_SITE_NAME,
                "endpoints": {
                    "assertion_consumer_service": [(urls["acs"], BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (urls["sls"], BINDING_HTTP_REDIRECT),
                        (urls["sls"], BINDING_HTTP_POST),
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT],
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "signing_algorithm": SIGNING_ALGORITHM,
                "digest_algorithm": DIGEST_ALGORITHM,
            }
        },
        "metadata": {"inline": [p.metadata_xml for p in providers if p.metadata_xml]},
    }
    sp = SPConfig()
    sp.load(config)
    return sp


def sp_client(
    request: HttpRequest | None, providers: list[IdentityProvider] | None = None
) -> Saml2Client:
    return Saml2Client(config=sp_config(request, providers))
