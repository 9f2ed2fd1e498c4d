"""The app's models, each defined in the module named for what it holds and imported here so
that Django registers them with this app."""

from .pages import WorksheetPage
from .responses import WorksheetResponse, WorksheetSubmission

__all__ = ["WorksheetPage", "WorksheetResponse", "WorksheetSubmission"]
