"""The platform's models, each defined in the module named for what it holds and imported here
so that Django registers them with this app."""

from .accounts.coordinators import Coordinator
from .accounts.federation.models import (
    FederatedIdentity,
    IdentityProvider,
    OrganisationMapping,
    PendingAuthnRequest,
    RoleMapping,
    SeenAssertion,
)
from .accounts.models import Municipality, Profile
from .images import SiteImage, SiteRendition
from .pages import HomePage, StandardPage
from .pdfs.models import PdfDocument
from .privacy.access.models import AccessLogEntry
from .privacy.models import ErasureRequest, FileDeletion
from .privacy.retention.models import RetentionRun, RetentionSettings
from .snippets import ContactPerson, Partner

__all__ = [
    "AccessLogEntry",
    "ContactPerson",
    "Coordinator",
    "FederatedIdentity",
    "IdentityProvider",
    "OrganisationMapping",
    "PendingAuthnRequest",
    "RoleMapping",
    "SeenAssertion",
    "ErasureRequest",
    "FileDeletion",
    "HomePage",
    "Municipality",
    "Partner",
    "PdfDocument",
    "Profile",
    "RetentionRun",
    "RetentionSettings",
    "SiteImage",
    "SiteRendition",
    "StandardPage",
]
