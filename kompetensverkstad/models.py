"""The platform's models, each defined in the module named for what it holds and imported here
so that Django registers them with this app."""

from .accounts.coordinators import Coordinator
from .accounts.models import Municipality, Profile
from .images import SiteImage, SiteRendition
from .pages import HomePage, StandardPage
from .pdfs.models import PdfDocument
from .privacy.models import ErasureRequest, FileDeletion
from .snippets import ContactPerson, Partner

__all__ = [
    "ContactPerson",
    "Coordinator",
    "ErasureRequest",
    "FileDeletion",
    "HomePage",
    "Municipality",
    "Partner",
    "PdfDocument",
    "Profile",
    "SiteImage",
    "SiteRendition",
    "StandardPage",
]
