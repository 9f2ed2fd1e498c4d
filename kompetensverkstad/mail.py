"""Sending mail from templates: every message the platform sends is written under
``templates/email/`` as ``<name>_subject.txt`` and ``<name>_body.txt``, in Swedish by default."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def templated_message(name: str, context: dict, to: list[str]) -> EmailMessage:
    """The message from ``email/<name>_subject.txt`` and ``email/<name>_body.txt``; the
    context gets ``site_name``."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    subject = " ".join(render_to_string(f"email/{name}_subject.txt", context).split())
    body = render_to_string(f"email/{name}_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=to)


def send_templated_mail(
    name: str,
    context: dict,
    to: list[str],
    attachments: list[tuple[str, bytes, str]] | None = None,
    connection=None,
) -> int:
    """Render the message ``name`` and send it; returns the number sent (0 or 1).

    ``connection`` (``django.core.mail.get_connection()``, opened by the caller) lets a batch
    go over one SMTP session. Errors from the mail server propagate: the tasks that send mail
    retry on them.
    """
    message = templated_message(name, context, to)
    message.connection = connection
    for attachment in attachments or []:
        message.attach(*attachment)
    return message.send()
