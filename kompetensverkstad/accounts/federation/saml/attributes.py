"""The Swedish federations' SAML attributes (eduPerson, SCHAC, norEdu and the SAML subject
identifiers, as Internetstiftelsen's SAML WebSSO profile uses them) read into a
``VerifiedIdentity``. pysaml2 turns the ``urn:oid:`` names into the friendly names used here;
an attribute it does not know keeps its full name, so both are looked up."""

from saml2.saml import NAMEID_FORMAT_PERSISTENT

from ..models import IdentityProvider
from ..provisioning import VerifiedIdentity

# friendly name → its urn:oid / urn name, for the attributes read here (README has the table).
ATTRIBUTE_NAMES = {
    "subject-id": "urn:oasis:names:tc:SAML:attribute:subject-id",
    "pairwise-id": "urn:oasis:names:tc:SAML:attribute:pairwise-id",
    "eduPersonPrincipalName": "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
    "givenName": "urn:oid:2.5.4.42",
    "sn": "urn:oid:2.5.4.4",
    "mail": "urn:oid:0.9.2342.19200300.100.1.3",
    "o": "urn:oid:2.5.4.10",
    "norEduOrgNIN": "urn:oid:1.3.6.1.4.1.2428.90.1.12",
    "schacHomeOrganization": "urn:oid:1.3.6.1.4.1.25178.1.2.9",
    "eduPersonScopedAffiliation": "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",
    "eduPersonEntitlement": "urn:oid:1.3.6.1.4.1.5923.1.1.1.7",
}


def values(attributes: dict, name: str) -> list[str]:
    found = attributes.get(name) or attributes.get(ATTRIBUTE_NAMES[name]) or []
    if isinstance(found, str):
        found = [found]
    return [str(v).strip() for v in found if str(v).strip()]


def first(attributes: dict, name: str) -> str:
    found = values(attributes, name)
    return found[0] if found else ""


def scope(value: str) -> str:
    """The part after ``@`` of a scoped value (``anna@kalmar.se`` → ``kalmar.se``)."""
    return value.rpartition("@")[2] if "@" in value else ""


def identity_from_assertion(
    provider: IdentityProvider, attributes: dict, name_id_format: str, name_id: str
) -> VerifiedIdentity:
    """The identity an assertion vouches for. The subject is, in order: ``subject-id``,
    ``eduPersonPrincipalName``, ``pairwise-id``, a persistent NameID; never a transient one."""
    subject = (
        first(attributes, "subject-id")
        or first(attributes, "eduPersonPrincipalName")
        or first(attributes, "pairwise-id")
        or (name_id if name_id_format == NAMEID_FORMAT_PERSISTENT else "")
    )
    organisations: list[str] = []
    organisations += values(attributes, "o")
    organisations += values(attributes, "norEduOrgNIN")
    organisations += values(attributes, "schacHomeOrganization")
    for name in ("subject-id", "eduPersonPrincipalName", "eduPersonScopedAffiliation"):
        organisations += [scope(v) for v in values(attributes, name) if scope(v)]
    return VerifiedIdentity(
        provider=provider,
        subject=subject,
        given_name=first(attributes, "givenName"),
        surname=first(attributes, "sn"),
        email=first(attributes, "mail"),
        organisations=tuple(dict.fromkeys(organisations)),
        entitlements=tuple(values(attributes, "eduPersonEntitlement")),
    )
