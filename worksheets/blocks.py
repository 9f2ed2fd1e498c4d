"""Worksheet question blocks.

Every block instance in a StreamField has a stable UUID (``block.id``) that survives edits to
the worksheet; learners' answers are keyed by it, so reordering or rewording questions never
scrambles answers already given.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kompetensverkstad.blocks import RICH_FEATURES


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Fråga"), max_length=1000)
    help_text = blocks.TextBlock(required=False, label=_("Hjälptext"), max_length=600)
    required = blocks.BooleanBlock(required=False, default=True, label=_("Obligatorisk"))

    answerable = True


class ReflectionBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(
        default=5000, min_value=50, max_value=20000, label=_("Högsta antal tecken")
    )

    class Meta:
        icon = "edit"
        label = _("Reflektion (fritext)")
        template = "worksheets/blocks/reflection.html"


class ScaleBlock(QuestionBlock):
    min_value = blocks.IntegerBlock(default=1, min_value=0, max_value=1, label=_("Lägsta värde"))
    max_value = blocks.IntegerBlock(default=5, min_value=3, max_value=10, label=_("Högsta värde"))
    min_label = blocks.CharBlock(label=_("Etikett för lägsta"), max_length=80)
    max_label = blocks.CharBlock(label=_("Etikett för högsta"), max_length=80)

    class Meta:
        icon = "radio-full"
        label = _("Skala")
        template = "worksheets/blocks/scale.html"


class ChoiceQuestionBlock(QuestionBlock):
    options = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("Alternativ")), min_num=2, label=_("Alternativ")
    )
    multiple = blocks.BooleanBlock(required=False, default=False, label=_("Flera svar tillåtna"))

    class Meta:
        icon = "list-ul"
        label = _("Flerval")
        template = "worksheets/blocks/choice.html"

    def clean(self, value):
        result = super().clean(value)
        options = [o.strip().casefold() for o in result["options"]]
        if len(set(options)) != len(options):
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("Alternativen måste vara olika."))}
            )
        return result


class TimelineBlock(QuestionBlock):
    min_rows = blocks.IntegerBlock(
        default=3, min_value=1, max_value=20, label=_("Antal rader att börja med")
    )
    period_label = blocks.CharBlock(
        default=_("År eller period"), max_length=60, label=_("Rubrik för tid")
    )
    event_label = blocks.CharBlock(
        default=_("Händelse"), max_length=60, label=_("Rubrik för händelse")
    )

    class Meta:
        icon = "time"
        label = _("Tidslinje över den egna historien")
        template = "worksheets/blocks/timeline.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["rows"] = range(value["min_rows"])
        return context


class DiscussionPromptBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Samtalsfråga"))
    minutes = blocks.IntegerBlock(
        required=False, min_value=1, max_value=240, label=_("Minuter i gruppen")
    )

    answerable = False

    class Meta:
        icon = "group"
        label = _("Samtalsfråga (ingen skriftlig svar)")
        template = "worksheets/blocks/discussion.html"


class StageBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Moment"), max_length=150)
    minutes = blocks.IntegerBlock(min_value=1, max_value=480, label=_("Minuter"))
    description = blocks.TextBlock(required=False, label=_("Så gör ni"), max_length=1500)

    class Meta:
        icon = "list-ol"
        label = _("Moment")


QUESTION_BLOCKS = [
    ("reflection", ReflectionBlock()),
    ("scale", ScaleBlock()),
    ("choice", ChoiceQuestionBlock()),
    ("timeline", TimelineBlock()),
    ("discussion", DiscussionPromptBlock()),
]
