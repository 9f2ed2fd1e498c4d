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
from django.utils.cache import add_never_cache_headers
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from kompetensverkstad.pdfs.pipeline import pdf_response
from kompetensverkstad.routing import RestrictionsFromCache

from .answering import StaleDraft, current_response, save_draft, submit
from .answers import answered_view, display_value, is_empty, raw_from_form, stored_values
from .blocks import QUESTION_BLOCKS, StageBlock
from .pdfs import blank_pdf, latest_response_pdf


def _form_version(data) -> int | None:
    """The draft version a posted form was built from; None when it sent none (or nonsense)."""
    value = data.get("draft_version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


class WorksheetPage(RestrictionsFromCache, RoutablePageMixin, Page):
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
        values = stored_values(answers)
        errors = kwargs.get("errors") or {}
        posted = kwargs.get("posted") or {}
        unsaved = kwargs.get("unsaved") or {}
        for item in items:
            question_id = item["question"].id
            item["error"] = errors.get(question_id)
            # A refused value is shown again as typed, next to its message, so nothing is lost.
            if question_id in errors and question_id in posted:
                item["value"] = posted[question_id]
                item["warning"] = None
            # A form refused as older than the saved draft: the page shows the saved draft and,
            # beside it, what was sent, for the learner to copy if it is what they want.
            if question_id in unsaved:
                item["unsaved"] = {
                    "value": unsaved[question_id],
                    "display": display_value(unsaved[question_id]),
                    "empty": is_empty(unsaved[question_id]),
                }
        context.update(
            response=response,
            draft_version=response.draft_version if response else 0,
            # What the server holds, for the page's script to tell its own changes from others'.
            saved_answers={item["question"].id: values.get(item["question"].id) for item in items},
            items=items,
            # Each question with its answer, paired here rather than by a loop inside a loop
            # in the template (a step page is rendered for every learner who opens it).
            question_rows=_paired(self.questions, items),
            removed=removed,
            errors=errors,
            stale=kwargs.get("stale", False),
            response_pdf=latest_response_pdf(response),
            last_submission=response.submissions.first() if response else None,
        )
        return context

    @path("")
    def worksheet(self, request: HttpRequest) -> HttpResponse:
        """The worksheet; signed-in learners answer it here. Works without JavaScript.

        A refused save or hand-in answers 400 with the page: errors beside their fields, what
        the learner typed kept (the page's script then turns the entry into a GET, so a reload
        shows the saved draft instead of sending the form again). A form built from an older
        draft than the stored one, as a browser without the script sends on reload, answers
        409 with the saved draft and what was sent beside it; nothing is overwritten.
        """
        if request.method != "POST":
            page = self.render(request)
        elif not request.user.is_authenticated:
            return redirect_to_login(self.url)
        else:
            page = self._answer(request)
        if request.user.is_authenticated:
            # A learner's own answers: never from a cache, nor from the browser's on "back".
            add_never_cache_headers(page)
        return page

    def _answer(self, request: HttpRequest) -> HttpResponse:
        raw = raw_from_form(self, request.POST)
        based_on = _form_version(request.POST)
        try:
            if request.POST.get("action") == "submit":
                response, submission, cleaned = submit(request.user, self, raw, based_on)
                if submission:
                    messages.success(
                        request,
                        gettext("Tack! Arbetsbladet är inlämnat (version %(v)s).")
                        % {"v": submission.version},
                    )
                    return redirect(self.url)
            else:
                response, cleaned = save_draft(request.user, self, raw, based_on)
                if not cleaned.errors:
                    if cleaned.warnings:
                        messages.warning(
                            request,
                            gettext(
                                "Utkastet är sparat, men ett svar är för långt för att kunna "
                                "lämnas in. Se meddelandet vid frågan."
                            ),
                        )
                    else:
                        messages.success(request, gettext("Utkastet är sparat."))
                    return redirect(self.url)
        except StaleDraft as stale:
            context = self.get_context(
                request, response=stale.response, unsaved=stale.unsaved, stale=True
            )
            return TemplateResponse(request, self.get_template(request), context, status=409)
        # Errors are shown next to their fields; everything the learner typed is re-shown.
        context = self.get_context(request, response=response, errors=cleaned.errors, posted=raw)
        return TemplateResponse(request, self.get_template(request), context, status=400)

    @path("spara/", name="autosave")
    def autosave(self, request: HttpRequest) -> JsonResponse:
        """Autosave from the page's script: {"answers": {question id: value}, "draft_version": n}.

        200: stored (``warnings`` name answers that are stored but too long to hand in); 400:
        the answers in ``errors`` were refused and not stored, the others were; 409: the draft
        changed since ``draft_version`` (another tab, a reload) and nothing was stored — the
        answer carries the stored answers and version, for the script to offer a choice.
        """
        if request.method != "POST":
            return JsonResponse({"error": gettext("Använd POST.")}, status=405)
        if not request.user.is_authenticated:
            return JsonResponse({"error": gettext("Logga in för att spara.")}, status=403)
        try:
            payload = json.loads(request.body.decode("utf-8"))
            raw = payload["answers"]
            based_on = payload.get("draft_version")
            if not isinstance(raw, dict):
                raise TypeError
            if based_on is not None and (type(based_on) is not int or based_on < 0):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            return JsonResponse(
                {"error": gettext("Svaren kunde inte läsas. Ladda om sidan.")}, status=400
            )
        try:
            response, cleaned = save_draft(request.user, self, raw, based_on)
        except StaleDraft as stale:
            return JsonResponse(
                {
                    "error": gettext(
                        "Inte sparat: svaren har sparats från en annan flik eller ett annat "
                        "fönster efter att den här sidan öppnades. Välj vid frågan vilket svar "
                        "du vill behålla."
                    ),
                    "conflict": True,
                    "draft_version": stale.response.draft_version,
                    "answers": stored_values(stale.response.answers),
                },
                status=409,
            )
        now = timezone.localtime()
        time = time_format(now, "H:i")
        if cleaned.warnings:
            label = gettext(
                "För långt svar – se meddelandet vid frågan. Utkastet är sparat kl. %(time)s, "
                "men kan inte lämnas in förrän svaret är kortare."
            ) % {"time": time}
        else:
            label = gettext("Sparat kl. %(time)s") % {"time": time}
        return JsonResponse(
            {
                "saved_at": now.isoformat(),
                "saved_label": label,
                "status": response.status,
                "draft_version": response.draft_version,
                "errors": cleaned.errors,
                "warnings": cleaned.warnings,
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


def _paired(questions, items: list[dict]) -> list[tuple]:
    by_id = {item["question"].id: item for item in items}
    return [(block, by_id.get(block.id)) for block in questions]
