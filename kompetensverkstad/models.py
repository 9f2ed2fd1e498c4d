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
from .snippets import ContactPerson, Partner

__all__ = [
    "ContactPerson",
    "Coordinator",
    "FederatedIdentity",
    "IdentityProvider",
    "OrganisationMapping",
    "PendingAuthnRequest",
    "RoleMapping",
    "SeenAssertion",
    "HomePage",
    "Municipality",
    "Partner",
    "PdfDocument",
    "Profile",
    "SiteImage",
    "SiteRendition",
    "StandardPage",
]
