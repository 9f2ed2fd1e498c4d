"""The certificate: the document kind a completed module becomes, and the mail that says so."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.accounts.language import in_language_of
from kompetensverkstad.links import absolute_url
from kompetensverkstad.mail import send_templated_mail
from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument

from .models import ModuleCompletion

CERTIFICATE = "certificate"


def verification_url(completion: ModuleCompletion) -> str:
    return absolute_url(reverse("learning:certificate_verify", args=[completion.verification_code]))


def build_certificate(document: PdfDocument) -> kinds.Rendering:
    completion = ModuleCompletion.objects.get(pk=document.source_id)
    context = {
        "completion": completion,
        "verify_url": verification_url(completion),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    return kinds.Rendering(context, f"intyg-{completion.verification_code}.pdf")


def certificate_ready(document: PdfDocument) -> None:
    completion = ModuleCompletion.objects.select_related("user").get(pk=document.source_id)
    if not completion.user.email:
        return
    # In the learner's language, with the link to their "Mina sidor" in it.
    with in_language_of(completion.user):
        send_templated_mail(
            "certificate_ready",
            {
                "name": completion.learner_name,
                "module": completion.module_title,
                "url": absolute_url(reverse("learning:dashboard")),
            },
            to=[completion.user.email],
        )


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            name=CERTIFICATE,
            label=_("Intyg"),
            template="pdf/certificate.html",
            build=build_certificate,
            on_ready=certificate_ready,
        )
    )
