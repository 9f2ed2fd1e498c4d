"""The people who learn here: the municipality they work for and their profile beside the user.

The person's name lives on Django's user (first_name, last_name); the profile adds only what
the platform needs for reporting per municipality.
"""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class County(models.TextChoices):
    """Sweden's 21 counties (län), for grouping municipalities in reports."""

    BLEKINGE = "blekinge", _("Blekinge län")
    DALARNA = "dalarna", _("Dalarnas län")
    GOTLAND = "gotland", _("Gotlands län")
    GAVLEBORG = "gavleborg", _("Gävleborgs län")
    HALLAND = "halland", _("Hallands län")
    JAMTLAND = "jamtland", _("Jämtlands län")
    JONKOPING = "jonkoping", _("Jönköpings län")
    KALMAR = "kalmar", _("Kalmar län")
    KRONOBERG = "kronoberg", _("Kronobergs län")
    NORRBOTTEN = "norrbotten", _("Norrbottens län")
    SKANE = "skane", _("Skåne län")
    STOCKHOLM = "stockholm", _("Stockholms län")
    SODERMANLAND = "sodermanland", _("Södermanlands län")
    UPPSALA = "uppsala", _("Uppsala län")
    VARMLAND = "varmland", _("Värmlands län")
    VASTERBOTTEN = "vasterbotten", _("Västerbottens län")
    VASTERNORRLAND = "vasternorrland", _("Västernorrlands län")
    VASTMANLAND = "vastmanland", _("Västmanlands län")
    VASTRA_GOTALAND = "vastra-gotaland", _("Västra Götalands län")
    OREBRO = "orebro", _("Örebro län")
    OSTERGOTLAND = "ostergotland", _("Östergötlands län")


class Municipality(index.Indexed, models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    county = models.CharField(_("län"), max_length=32, choices=County.choices, blank=True)
    # A municipality that leaves keeps its people's accounts and data; they are only refused
    # at sign-in (accounts/federation/policy.py says how).
    takes_part = models.BooleanField(
        _("deltar"),
        default=True,
        help_text=_(
            "Avmarkera när kommunen lämnar plattformen: dess personal kan inte längre logga in, "
            "men deras uppgifter finns kvar."
        ),
    )
    local_sign_in_allowed = models.BooleanField(
        _("inloggning med lösenord tillåten"),
        default=True,
        help_text=_(
            "Avmarkera när kommunens personal ska logga in via kommunens egen inloggning. "
            "Administratörer kan alltid logga in med lösenord."
        ),
    )

    panels = [
        FieldPanel("name", help_text=_("Kommunens namn utan ordet ”kommun”, t.ex. ”Växjö”.")),
        FieldPanel("county"),
        FieldPanel("takes_part"),
        FieldPanel("local_sign_in_allowed"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        constraints = [
            # The CSV import matches names case-insensitively; two names differing only in
            # case would make that match ambiguous.
            models.UniqueConstraint(Lower("name"), name="kv_municipality_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("användare"),
    )
    # PROTECT: removing a municipality must not silently drop people out of its reports.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("kommun"),
    )
    job_title = models.CharField(_("yrkesroll"), max_length=200, blank=True)
    # Read when each reminder is sent, so turning them off holds from the next one on.
    receives_reminders = models.BooleanField(_("påminnelser per e-post"), default=True)
    # The language the person last chose on the site (accounts/language.py): their mail and
    # PDFs are written in it.
    language = models.CharField(
        _("språk"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profiler")

    def __str__(self) -> str:
        return display_name(self.user)


def display_name(user: AbstractBaseUser) -> str:
    """How a person is named on pages, PDFs and in mail: full name, else the username."""
    return user.get_full_name() or user.get_username()


def get_profile(user: AbstractBaseUser) -> Profile:
    """The user's profile, created on first use.

    Lazily, rather than from a post_save signal, so that users created before profiles existed
    (or by createsuperuser, fixtures, bulk_create) get one too, and saving a user costs nothing.
    """
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _created = Profile.objects.get_or_create(user=user)
        # Cache it on the user so later attribute access does not query again.
        user.profile = profile
        return profile


def report_group(user: AbstractBaseUser) -> dict:
    """What the reports group a person by (municipality, job title), as field values: copied to
    the anonymous rows an erased learner leaves behind."""
    profile = Profile.objects.filter(user=user).only("municipality_id", "job_title").first()
    if profile is None:
        return {"municipality_id": None, "job_title": ""}
    return {"municipality_id": profile.municipality_id, "job_title": profile.job_title}
