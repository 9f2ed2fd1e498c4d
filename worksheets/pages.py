"""Reflection worksheets: purpose, the trainer's instruction and the learner's questions.

Where the worksheet sits in a module (step n of m, previous and next) is the learning path's to
show: the template asks for it with the ``learner_progress`` tag, so this page knows nothing of
modules.
"""

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from kompetensverkstad.pdfs.pipeline import pdf_response

from .answering import current_response, save_draft, submit
from .answers import answered_view, raw_from_form
from .blocks import QUESTION_BLOCKS, StageBlock
from .pdfs import blank_pdf, latest_response_pdf


class WorksheetPage(RoutablePageMixin, Page):
    purpose = models.TextField(
        _("syfte"), max_length=1000, help_text=_("Vad deltagarna får ut av aktiviteten.")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("tid (minuter)"), default=45)
    group_size = models.CharField(
        _("gruppstorlek"), max_length=100, blank=True, help_text=_("Till exempel ”3–5 personer”.")
    )
    preparation = models.TextField(
        _("förberedelser"), blank=True, max_length=1500, help_text=_("Vad utbildaren ordnar före.")
    )
    stages = StreamField(
        [("stage", StageBlock())],
        blank=True,
        verbose_name=_("moment för utbildaren"),
    )
    questions = StreamField(QUESTION_BLOCKS, verbose_name=_("frågor"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("group_size")]),
                FieldPanel("preparation"),
                FieldPanel("stages", help_text=_("Momenten i ordning, med tid för var och ett.")),
            ],
            heading=_("Instruktion för utbildaren"),
        ),
        FieldPanel(
            "questions",
            help_text=_(
                "Deltagarnas frågor. Svaren knyts till varje fråga, så en fråga som flyttas "
                "eller skrivs om behåller sina svar."
            ),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("purpose"),
        index.SearchField("questions"),
    ]
    parent_page_types = ["lessons.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("arbetsblad")
        verbose_name_plural = _("arbetsblad")

    def question_blocks(self) -> list[blocks.StreamValue.StreamChild]:
        """Questions that take a written answer, in order, each with its stable id."""
        return [q for q in self.questions if getattr(q.block, "answerable", False)]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["stage_minutes"] = sum(s.value["minutes"] for s in self.stages)
        response = kwargs.get("response") or current_response(request.user, self)
        answers = response.answers if response else {}
        items, removed = answered_view(self, answers)
        errors = kwargs.get("errors") or {}
        posted = kwargs.get("posted") or {}
        for item in items:
            item["error"] = errors.get(item["question"].id)
            # A refused value is shown again as typed, next to its message, so nothing is lost.
            if item["question"].id in errors and item["question"].id in posted:
                item["value"] = posted[item["question"].id]
        context.update(
            response=response,
            items=items,
            removed=removed,
            errors=errors,
            response_pdf=latest_response_pdf(response),
            last_submission=response.submissions.first() if response else None,
        )
        return context

    @path("")
    def worksheet(self, request: HttpRequest) -> HttpResponse:
        """The worksheet; signed-in learners answer it here. Works without JavaScript."""
        if request.method != "POST":
            return self.render(request)
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        raw = raw_from_form(self, request.POST)
        if request.POST.get("action") == "submit":
            response, submission, cleaned = submit(request.user, self, raw)
            if submission:
                messages.success(
                    request,
                    gettext_now("Tack! Arbetsbladet är inlämnat (version %(v)s).")
                    % {"v": submission.version},
                )
                return redirect(self.url)
        else:
            response, cleaned = save_draft(request.user, self, raw)
            if not cleaned.errors:
                messages.success(request, gettext_now("Utkastet är sparat."))
                return redirect(self.url)
        # Errors are shown next to their fields; everything the learner typed is re-shown.
        context = self.get_context(request, response=response, errors=cleaned.errors, posted=raw)
        return TemplateResponse(request, self.get_template(request), context, status=400)

    @path("spara/", name="autosave")
    def autosave(self, request: HttpRequest) -> JsonResponse:
        """Autosave from the page's script: {"answers": {question id: value}}."""
        if request.method != "POST":
            return JsonResponse({"error": gettext_now("Använd POST.")}, status=405)
        if not request.user.is_authenticated:
            return JsonResponse({"error": gettext_now("Logga in för att spara.")}, status=403)
        try:
            payload = json.loads(request.body.decode("utf-8"))
            raw = payload["answers"]
            if not isinstance(raw, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return JsonResponse(
                {"error": gettext_now("Svaren kunde inte läsas. Ladda om sidan.")}, status=400
            )
        response, cleaned = save_draft(request.user, self, raw)
        now = timezone.localtime()
        return JsonResponse(
            {
                "saved_at": now.isoformat(),
                "saved_label": gettext_now("Sparat kl. %(time)s")
                % {"time": time_format(now, "H:i")},
                "status": response.status,
                "errors": cleaned.errors,
            },
            status=400 if cleaned.errors else 200,
        )

    @path("pdf/", name="blank_pdf")
    def blank_pdf_view(self, request: HttpRequest) -> HttpResponse:
        """The blank printable worksheet, for anyone; rebuilt when the page is republished."""
        document = blank_pdf(self)
        document.refresh_from_db()
        if document.is_ready:
            return pdf_response(document)
        return TemplateResponse(
            request,
            "worksheets/pdf_pending.html",
            {"page": self, "document": document},
            status=202 if document.state != document.State.FAILED else 503,
        )
