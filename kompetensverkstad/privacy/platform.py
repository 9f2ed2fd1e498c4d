"""The platform's own rules: the account, profile, coordinator rows, documents, second-factor
devices, sign-in attempts, and the user-linked models of Wagtail and Django that are installed.

Decisions (also in the README): the account and what hangs on it go with it; content a person
wrote as an editor (pages, images, documents, revisions) stays and loses its author through the
database's SET_NULL; Wagtail's log entries keep what happened but no longer who did it, and the
log entries about the account itself (their label is the person's name) are deleted.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .registry import DataRule, Erasure, iso, register


def export_account(user: AbstractBaseUser) -> list[dict]:
    return [
        {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "is_active": user.is_active,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
    ]


def export_profile(user: AbstractBaseUser) -> list[dict]:
    from kompetensverkstad.accounts.models import Profile

    return [
        {
            "municipality": p.municipality.name if p.municipality else None,
            "job_title": p.job_title,
            "receives_reminders": p.receives_reminders,
        }
        for p in Profile.objects.filter(user=user).select_related("municipality")
    ]


def export_coordinator(user: AbstractBaseUser) -> list[dict]:
    from kompetensverkstad.accounts.coordinators import Coordinator

    return [
        {"municipalities": sorted(c.municipalities.values_list("name", flat=True))}
        for c in Coordinator.objects.filter(user=user)
    ]


def export_federated_identities(user: AbstractBaseUser) -> list[dict]:
    from kompetensverkstad.accounts.federation.models import FederatedIdentity

    return [
        {
            "provider": identity.provider.name,
            "subject": identity.subject,
            "linked_at": identity.created_at.isoformat(),
            "last_sign_in_at": identity.last_sign_in_at.isoformat()
            if identity.last_sign_in_at
            else None,
        }
        for identity in FederatedIdentity.objects.filter(user=user).select_related("provider")
    ]


def export_documents(user: AbstractBaseUser) -> list[dict]:
    from kompetensverkstad.pdfs.models import PdfDocument

    return [
        {
            "id": d.pk,
            "kind": d.kind,
            "state": d.state,
            "created_at": iso(d.created_at),
            "file": d.file.name.rsplit("/", 1)[-1] if d.file else None,
        }
        for d in PdfDocument.objects.filter(owner=user).order_by("pk")
    ]


def document_files(user: AbstractBaseUser):
    from kompetensverkstad.pdfs.models import PdfDocument

    for name in (
        PdfDocument.objects.filter(owner=user).exclude(file="").values_list("file", flat=True)
    ):
        yield ("private", name)


def export_erasure_requests(user: AbstractBaseUser) -> list[dict]:
    from .models import ErasureRequest

    return [
        {"state": r.state, "requested_at": iso(r.requested_at)}
        for r in ErasureRequest.objects.filter(user=user)
    ]


def export_wagtail_profile(user: AbstractBaseUser) -> list[dict]:
    from wagtail.users.models import UserProfile

    return [
        {
            "preferred_language": p.preferred_language,
            "current_time_zone": p.current_time_zone,
            "theme": getattr(p, "theme", ""),
            "has_avatar": bool(p.avatar),
        }
        for p in UserProfile.objects.filter(user=user)
    ]


def avatar_files(user: AbstractBaseUser):
    from wagtail.users.models import UserProfile

    for name in (
        UserProfile.objects.filter(user=user).exclude(avatar="").values_list("avatar", flat=True)
    ):
        yield ("default", name)


def _export_devices(model):
    def export(user: AbstractBaseUser) -> list[dict]:
        # The device's name and state only, never its secret.
        return [
            {"type": model._meta.model_name, "name": d.name, "confirmed": d.confirmed}
            for d in model.objects.filter(user=user)
        ]

    return export


def _anonymise_log_entries(model):
    def anonymise(user: AbstractBaseUser) -> None:
        # What happened stays in the page's or object's history; who did it does not.
        model.objects.filter(user_id=user.pk).update(user=None)
        # Entries about the account itself carry the person's name as their label.
        if any(f.name == "object_id" for f in model._meta.get_fields()):
            user_types = ContentType.objects.get_for_models(
                get_user_model(), *_account_models(), for_concrete_models=False
            ).values()
            model.objects.filter(content_type__in=user_types, object_id=str(user.pk)).delete()

    return anonymise


def _account_models():
    from kompetensverkstad.accounts.coordinators import Coordinator
    from kompetensverkstad.accounts.models import Profile

    return [Profile, Coordinator]


def _axes_rows(model):
    def rows(user: AbstractBaseUser):
        return model.objects.filter(username=user.get_username())

    return rows


def register_platform() -> None:
    """Register the rules of the platform and of the third-party apps it installs."""
    from django.apps import apps

    from kompetensverkstad.accounts.coordinators import Coordinator
    from kompetensverkstad.accounts.federation.models import FederatedIdentity
    from kompetensverkstad.accounts.models import Profile
    from kompetensverkstad.pdfs.models import PdfDocument

    from .models import ErasureRequest

    user_model = get_user_model()
    register(
        DataRule(
            user_model,
            Erasure.CASCADE,
            user_field="pk",
            section="account",
            title=_("Konto"),
            export=export_account,
            why="The account is deleted last; its group memberships go with it.",
            order=1,
        )
    )
    for through in (user_model.groups.through, user_model.user_permissions.through):
        register(DataRule(through, Erasure.CASCADE, why="Membership rows of the account."))
    register(
        DataRule(
            Profile,
            Erasure.CASCADE,
            section="profile",
            title=_("Profil"),
            export=export_profile,
            why="Municipality and job title are copied to anonymous counts by the apps first.",
        )
    )
    register(
        DataRule(
            Coordinator,
            Erasure.CASCADE,
            section="coordinator",
            title=_("Samordnare för kommuner"),
            export=export_coordinator,
            why="The municipalities a coordinator answers for.",
        )
    )
    register(
        DataRule(
            FederatedIdentity,
            Erasure.DELETE,
            section="federated_identities",
            title=_("Inloggning via kommunen"),
            export=export_federated_identities,
            why="The link to the person's identity at their municipality's identity provider; "
            "a later sign-in there makes a new account, with nothing of the old one.",
        )
    )
    register(
        DataRule(
            PdfDocument,
            Erasure.CASCADE,
            user_field="owner",
            section="documents",
            title=_("Dokument"),
            export=export_documents,
            files=document_files,
            why="The person's PDFs and exports; their files are deleted after commit.",
        )
    )
    register(
        DataRule(
            ErasureRequest,
            Erasure.KEEP,
            section="erasure_requests",
            title=_("Begäranden om radering"),
            export=export_erasure_requests,
            why="The record that an erasure happened; its link to the person is cleared.",
        )
    )

    keep_authorship = "Content written as an editor stays; its author is cleared (SET_NULL)."
    optional = {
        # Wagtail's own user-linked models.
        "wagtailcore.Page": (Erasure.KEEP, "owner", keep_authorship),
        "wagtailcore.Revision": (Erasure.KEEP, "user", keep_authorship),
        "wagtailcore.WorkflowState": (Erasure.KEEP, "requested_by", keep_authorship),
        "wagtailcore.TaskState": (Erasure.KEEP, "finished_by", keep_authorship),
        "wagtailcore.UploadedFile": (Erasure.DELETE, "uploaded_by_user", "Unfinished uploads."),
        "wagtailcore.Comment": (Erasure.DELETE, "user", "An editor's comments on pages."),
        "wagtailcore.CommentReply": (Erasure.DELETE, "user", "Replies to comments."),
        "wagtailcore.PageSubscription": (Erasure.DELETE, "user", "Comment notifications."),
        "wagtailcore.APIToken": (Erasure.DELETE, "user", "The person's API tokens."),
        "wagtailadmin.EditingSession": (Erasure.DELETE, "user", "Who is editing a page now."),
        "wagtailadmin.FormState": (Erasure.DELETE, "user", "Unsaved admin form state."),
        "wagtailimages.Image": (Erasure.KEEP, "uploaded_by_user", keep_authorship),
        "wagtaildocs.Document": (Erasure.KEEP, "uploaded_by_user", keep_authorship),
        "wagtailmedia.Media": (Erasure.KEEP, "uploaded_by_user", keep_authorship),
        "kompetensverkstad.SiteImage": (Erasure.KEEP, "uploaded_by_user", keep_authorship),
    }
    for label, (erase, user_field, why) in optional.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        register(DataRule(model, erase, user_field=user_field, why=why))

    for label in ("wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry"):
        model = apps.get_model(label)
        register(
            DataRule(
                model,
                Erasure.ANONYMISE,
                anonymise=_anonymise_log_entries(model),
                why="History keeps what happened, not who did it; entries about the account go.",
            )
        )

    from wagtail.users.models import UserProfile

    register(
        DataRule(
            UserProfile,
            Erasure.DELETE,
            section="admin_preferences",
            title=_("Inställningar i administrationen"),
            export=export_wagtail_profile,
            files=avatar_files,
            why="Admin preferences and the avatar (in public media; deleted with the row's file).",
        )
    )
    for label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
        model = apps.get_model(label)
        register(
            DataRule(
                model,
                Erasure.DELETE,
                section="second_factor",
                title=_("Tvåstegsverifiering"),
                export=_export_devices(model),
                why="Second-factor devices (their tokens go with them); secrets never exported.",
            )
        )
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        model = apps.get_model(label)
        register(
            DataRule(
                model,
                Erasure.DELETE,
                rows=_axes_rows(model),
                why="Sign-in attempts and lockouts under the username.",
            )
        )
