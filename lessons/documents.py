"""The certificate: how a completed module becomes a PDF, and the mail that says it is ready."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from kompetensverkstad.documents import PdfDocument
from kompetensverkstad.pdf import register_notifier, register_renderer

from .progress import ModuleCompletion


def verification_url(completion: ModuleCompletion) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("certificate_verify", args=[completion.verification_code])


@register_renderer(PdfDocument.Kind.CERTIFICATE)
def certificate(document: PdfDocument) -> tuple[str, dict, str]:
    completion = ModuleCompletion.objects.get(pk=document.source_id)
    context = {
        "completion": completion,
        "verify_url": verification_url(completion),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    return "pdf/certificate.html", context, f"intyg-{completion.verification_code}.pdf"


@register_notifier(PdfDocument.Kind.CERTIFICATE)
def certificate_ready(document: PdfDocument) -> None:
    completion = ModuleCompletion.objects.select_related("user").get(pk=document.source_id)
    if not completion.user.email:
        return
    dashboard = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("dashboard")
    send_mail(
        subject=_("Ditt intyg för %(module)s är klart") % {"module": completion.module_title},
        message=_(
            "Hej %(name)s!\n\nDu har genomfört modulen ”%(module)s”. Ditt intyg finns att "
            "ladda ned på Mina sidor: %(url)s\n\nVänliga hälsningar\n%(site)s"
        )
        % {
            "name": completion.learner_name,
            "module": completion.module_title,
            "url": dashboard,
            "site": settings.WAGTAIL_SITE_NAME,
        },
        from_email=None,
        recipient_list=[completion.user.email],
    )
