"""Forms of the workshop pages: planning a session, joining one, attendance, sharing answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from worksheets.pages import WorksheetPage

from ..pages.modules import ModulePage
from .models import MAX_CAPACITY, WorkshopSession

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_input() -> forms.DateTimeInput:
    # The browser's own date and time picker; the value format is what it sends and expects.
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def material_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Live modules and worksheets as one grouped list: "module:<id>" / "worksheet:<id>"."""
    modules = ModulePage.objects.live().order_by("title").only("id", "title")
    worksheets = WorksheetPage.objects.live().order_by("title").only("id", "title")
    return [
        (_("Moduler"), [(f"module:{m.pk}", m.title) for m in modules]),
        (_("Enstaka arbetsblad"), [(f"worksheet:{w.pk}", w.title) for w in worksheets]),
    ]


class WorkshopSessionForm(forms.ModelForm):
    material = forms.ChoiceField(
        label=_("Innehåll"),
        help_text=_(
            "Modulen som workshoppen går igenom, eller ett enstaka arbetsblad. Närvaro räknas "
            "in i modulens workshopsteg."
        ),
    )

    # Declared here only to choose the scheme assumed for "www.example.org" (https, as Django 6).
    meeting_url = forms.URLField(
        label=_("Länk till mötet"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("För en workshop på distans: länken till videomötet."),
        error_messages={"invalid": _("Skriv en hel webbadress, som börjar med https://.")},
    )

    class Meta:
        model = WorkshopSession
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "meeting_url",
            "capacity",
            "note",
        ]
        labels = {
            "title": _("Rubrik"),
            "starts_at": _("Börjar"),
            "ends_at": _("Slutar"),
            "place": _("Plats"),
            "capacity": _("Antal platser"),
            "note": _("Meddelande till deltagarna"),
        }
        help_texts = {
            "title": _("Visas för deltagarna, till exempel ”Vi blir fler – Växjö, våren”."),
            "starts_at": _("Datum och klockslag, till exempel 2026-03-12 09:00."),
            "ends_at": _("Måste ligga efter starttiden."),
            "place": _("Adress och rum. Ange en plats, en länk till mötet, eller båda."),
            "capacity": _(
                "Högst %(max)s. Så många kan gå med, och så många tomma arbetsblad "
                "kommer med i workshopmaterialet."
            )
            % {"max": MAX_CAPACITY},
            "note": _("Frivilligt. Till exempel vad deltagarna ska ta med sig."),
        }
        widgets = {
            "starts_at": _datetime_input(),
            "ends_at": _datetime_input(),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": _("Skriv en rubrik.")},
            "starts_at": {
                "required": _("Ange när workshoppen börjar."),
                "invalid": _("Skriv datum och tid som 2026-03-12 09:00."),
            },
            "ends_at": {
                "required": _("Ange när workshoppen slutar."),
                "invalid": _("Skriv datum och tid som 2026-03-12 12:00."),
            },
            "capacity": {
                "required": _("Ange hur många som får plats."),
                "invalid": _("Skriv ett heltal."),
                "min_value": _("Minst en plats."),
                "max_value": _("Högst %(limit_value)s platser."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].choices = [
            ("", _("Välj modul eller arbetsblad")),
            *material_choices(),
        ]
        self.fields["material"].error_messages["required"] = _(
            "Välj vilken modul eller vilket arbetsblad workshoppen handlar om."
        )
        self.fields["material"].error_messages["invalid_choice"] = _(
            "Välj en publicerad modul eller ett publicerat arbetsblad."
        )
        instance = self.instance
        if instance.pk:
            current = (
                f"module:{instance.module_id}"
                if instance.module_id
                else f"worksheet:{instance.worksheet_id}"
            )
            self.initial.setdefault("material", current)
        # The model field is a PositiveSmallIntegerField; the browser should know the real range.
        self.fields["capacity"].widget.attrs.update(min=1, max=MAX_CAPACITY)
        self.order_fields(["title", "material"])

    def clean(self) -> dict:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Sluttiden måste ligga efter starttiden."))
        nowhere = not cleaned.get("place") and not cleaned.get("meeting_url")
        if nowhere and "place" not in self.errors and "meeting_url" not in self.errors:
            self.add_error("place", _("Ange en plats eller en länk till mötet."))
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            joined = self.instance.participants.count()
            if capacity < joined:
                self.add_error(
                    "capacity",
                    _("%(n)s deltagare har redan gått med; antalet platser kan inte vara färre.")
                    % {"n": joined},
                )
        material = cleaned.get("material", "")
        kind, _sep, pk = material.partition(":")
        self.instance.module = None
        self.instance.worksheet = None
        if kind == "module":
            self.instance.module = ModulePage.objects.live().filter(pk=pk).first()
        elif kind == "worksheet":
            self.instance.worksheet = WorksheetPage.objects.live().filter(pk=pk).first()
        if material and self.instance.module is None and self.instance.worksheet is None:
            self.add_error("material", self.fields["material"].error_messages["invalid_choice"])
        return cleaned


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Kod"),
        max_length=20,
        help_text=_("Sex tecken, till exempel K7M4QX. Stora eller små bokstäver går lika bra."),
        error_messages={"required": _("Skriv koden som utbildaren visar.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "join-code-input",
            }
        ),
    )


class ShareForm(forms.Form):
    shares = forms.BooleanField(
        required=False, label=_("Dela mina svar med utbildaren för den här workshoppen")
    )
