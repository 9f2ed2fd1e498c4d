"""The registry of document kinds: what each kind of PDF is made from and who may fetch it.

Each app registers its kinds in ``AppConfig.ready()``; the pipeline (task, views, sweep) looks a
kind up here by name and knows nothing of the app's models. A kind says

* ``build``: the document row → a ``Rendering`` (the template's plain context and the file name);
* ``template``: the HTML template WeasyPrint is given;
* ``may_download``: extra checks that let someone other than the owner fetch the file (another
  app may add one with ``allow_download``: workshops let a trainer fetch a shared worksheet);
* ``on_ready``: who is told once the file is made (``None``: nobody, the page shows it);
* ``public``: anyone may fetch it (a blank worksheet), served inline and cacheable;
* ``produce``: for a kind that is not a PDF from a template (the learner's data export, a ZIP):
  the document row → ``Produced`` (the bytes and the file name), served as ``content_type``;
* ``keep_for``: how long a ready file is kept; then a beat task deletes it and the row says
  "expired" (the owner may ask again). ``None``: kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser

if TYPE_CHECKING:
    from .models import PdfDocument


@dataclass(frozen=True)
class Rendering:
    context: dict
    filename: str


@dataclass(frozen=True)
class Produced:
    content: bytes
    filename: str


DownloadCheck = Callable[[AbstractBaseUser, "PdfDocument"], bool]


@dataclass
class DocumentKind:
    name: str
    label: str
    template: str = ""
    build: Callable[[PdfDocument], Rendering] | None = None
    on_ready: Callable[[PdfDocument], None] | None = None
    public: bool = False
    may_download: list[DownloadCheck] = field(default_factory=list)
    produce: Callable[[PdfDocument], Produced] | None = None
    content_type: str = "application/pdf"
    keep_for: timedelta | None = None


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add a kind; registering the same name twice is a programming error."""
    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        raise ValueError(f"Document kind {kind.name!r} is registered already")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> DocumentKind:
    """The kind called ``name``; ``LookupError`` for one no app registered."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No document kind {name!r}") from None


def label_of(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def allow_download(name: str, check: DownloadCheck) -> None:
    """Let ``check(user, document)`` grant a download of ``name`` documents to a non-owner."""
    get(name).may_download.append(check)


def may_download(user: AbstractBaseUser, document: PdfDocument) -> bool:
    """The owner, anyone for a public kind, or whoever one of the kind's checks lets through."""
    kind = _KINDS.get(document.kind)
    if kind is None:
        return False
    if kind.public:
        return True
    if not user.is_authenticated:
        return False
    if document.owner_id is not None and document.owner_id == user.pk:
        return True
    return any(check(user, document) for check in kind.may_download)


def expiring() -> list[DocumentKind]:
    """The kinds whose files are deleted after ``keep_for``."""
    return [kind for kind in _KINDS.values() if kind.keep_for is not None]


def unregister(name: str) -> None:
    """Remove a kind (for tests that register one of their own)."""
    _KINDS.pop(name, None)
