"""Identity providers and what their identities become here: the provider (SAML 2.0 or OpenID
Connect, configured by an administrator), organisation values mapped to municipalities, role
values mapped to groups, the link between a person and their identity at a provider, and the
SAML assertions already used (so a replayed one is refused)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from ..models import Municipality


def private_storage():
    return storages["private"]


class Protocol(models.TextChoices):
    SAML = "saml", _("SAML 2.0")
    OIDC = "oidc", _("OpenID Connect")


class IdentityProvider(ClusterableModel):
    """One identity provider (a municipality's own, or a federation's) that people sign in with.

    SAML fields are read by ``federation.saml``, OIDC fields by the OpenID Connect part; the
    organisation and role mappings are the same for both.
    """

    name = models.CharField(
        _("namn"),
        max_length=200,
        help_text=_("Visas för användaren, t.ex. ”Kalmar kommun” eller ”Skolfederationen”."),
    )
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    protocol = models.CharField(_("protokoll"), max_length=8, choices=Protocol.choices)
    enabled = models.BooleanField(_("aktiv"), default=True)
    municipalities = ParentalManyToManyField(
        Municipality,
        blank=True,
        related_name="identity_providers",
        verbose_name=_("kommuner"),
        help_text=_(
            "Kommunerna vars personal loggar in här. Med en enda kommun hamnar alla som loggar "
            "in här i den, om ingen organisationskoppling säger något annat."
        ),
    )
    grant_roles = models.BooleanField(
        _("tillåt roller från identitetsutgivaren"),
        default=False,
        help_text=_(
            "Bara när detta är markerat ger rollkopplingarna nedan grupper. Grupper i en "
            "rollkoppling styrs då av identitetsutgivaren vid varje inloggning."
        ),
    )

    # --- SAML 2.0 ---
    entity_id = models.CharField(_("entity ID"), max_length=500, blank=True)
    metadata_url = models.URLField(_("metadata-URL"), max_length=500, blank=True)
    metadata_file = models.FileField(
        _("metadatafil"),
        upload_to="federation/metadata/",
        storage=private_storage,
        blank=True,
        help_text=_("I stället för en URL: identitetsutgivarens metadata som XML-fil."),
    )
    # The last copy that parsed and named the entity id: used while a refresh fails.
    metadata_xml = models.TextField(_("senast hämtade metadata"), blank=True, editable=False)
    metadata_fetched_at = models.DateTimeField(_("metadata hämtad"), null=True, editable=False)
    metadata_error = models.TextField(_("senaste fel vid hämtning"), blank=True, editable=False)

    # --- OpenID Connect ---
    issuer_url = models.URLField(_("utfärdare (issuer)"), max_length=500, blank=True)
    client_id = models.CharField(_("klient-ID"), max_length=255, blank=True)
    client_secret = models.CharField(_("klienthemlighet"), max_length=500, blank=True)
    scopes = models.CharField(_("scopes"), max_length=255, default="openid email profile")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("protocol"),
        FieldPanel("enabled"),
        FieldPanel("municipalities"),
        MultiFieldPanel(
            [FieldPanel("entity_id"), FieldPanel("metadata_url"), FieldPanel("metadata_file")],
            heading=_("SAML 2.0"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("issuer_url"),
                FieldPanel("client_id"),
                FieldPanel("client_secret"),
                FieldPanel("scopes"),
            ],
            heading=_("OpenID Connect"),
        ),
        InlinePanel("organisation_mappings", heading=_("Organisation → kommun")),
        FieldPanel("grant_roles"),
        InlinePanel("role_mappings", heading=_("Roll → grupp")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("identitetsutgivare")
        verbose_name_plural = _("identitetsutgivare")
        constraints = [
            models.UniqueConstraint(
                fields=["entity_id"],
                condition=~models.Q(entity_id=""),
                name="kv_idp_entity_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.protocol == Protocol.SAML:
            if not self.entity_id:
                raise ValidationError({"entity_id": _("Ange identitetsutgivarens entity ID.")})
            if not self.metadata_url and not self.metadata_file:
                raise ValidationError(
                    {"metadata_url": _("Ange en metadata-URL eller ladda upp en metadatafil.")}
                )
        elif self.protocol == Protocol.OIDC and not (self.issuer_url and self.client_id):
            raise ValidationError(
                {"issuer_url": _("Ange utfärdarens URL och klient-ID för OpenID Connect.")}
            )

    def login_url(self, next_url: str = "") -> str:
        """Where "Logga in via …" starts: the view named ``federation:<protocol>-login`` with
        this provider's slug. Empty while that protocol has no view (not installed yet)."""
        try:
            url = reverse(f"federation:{self.protocol}-login", args=[self.slug])
        except NoReverseMatch:
            return ""
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class OrganisationMapping(models.Model):
    """An organisation value the provider sends → the municipality its people belong to.

    The value is compared case-insensitively with every organisation value of the identity:
    SAML ``o``, ``norEduOrgNIN`` (organisation number), the scope of ``eduPersonPrincipalName``
    / ``eduPersonScopedAffiliation`` (the part after ``@``), or an OIDC claim's value.
    """

    provider = ParentalKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="organisation_mappings"
    )
    value = models.CharField(
        _("organisationsvärde"),
        max_length=255,
        help_text=_("T.ex. ”Kalmar kommun”, ”212000-0803” eller ”kalmar.se”."),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("kommun")
    )

    panels = [FieldPanel("value"), FieldPanel("municipality")]

    class Meta:
        verbose_name = _("organisationskoppling")
        verbose_name_plural = _("organisationskopplingar")
        constraints = [
            models.UniqueConstraint(
                "provider", Lower("value"), name="kv_orgmapping_provider_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} → {self.municipality}"


class RoleMapping(models.Model):
    """A role value (``eduPersonEntitlement``, an OIDC ``roles``/``groups`` claim value) → a
    group here; applied only while the provider's ``grant_roles`` is on."""

    provider = ParentalKey(IdentityProvider, on_delete=models.CASCADE, related_name="role_mappings")
    value = models.CharField(
        _("rollvärde"),
        max_length=500,
        help_text=_("T.ex. ”urn:mace:example.org:kompetensverkstad:utbildare”."),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("grupp")
    )

    panels = [FieldPanel("value"), FieldPanel("group")]

    class Meta:
        verbose_name = _("rollkoppling")
        verbose_name_plural = _("rollkopplingar")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "value", "group"], name="kv_rolemapping_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} → {self.group}"


class FederatedIdentity(models.Model):
    """A person's stable identity at one provider, tied to their account here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="federated_identities",
        verbose_name=_("användare"),
    )
    # PROTECT: removing a provider must not silently cut people off their accounts.
    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.PROTECT,
        related_name="identities",
        verbose_name=_("identitetsutgivare"),
    )
    subject = models.CharField(_("identifierare"), max_length=500)
    created_at = models.DateTimeField(_("kopplad"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("senast inloggad"), null=True, blank=True)

    class Meta:
        verbose_name = _("federerad identitet")
        verbose_name_plural = _("federerade identiteter")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="kv_federated_identity_unique"
            ),
            # One identity per person and provider: a second would be a second person.
            models.UniqueConstraint(
                fields=["provider", "user"], name="kv_federated_identity_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.subject}"


class SeenAssertion(models.Model):
    """A SAML assertion id already accepted: accepting it again would be a replay. Rows are
    kept past the assertion's own expiry and then removed by a beat task."""

    assertion_id = models.CharField(max_length=255)
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "assertion_id"], name="kv_seen_assertion_unique"
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="kv_seen_assertion_expiry")]

    def __str__(self) -> str:
        return self.assertion_id


class PendingAuthnRequest(models.Model):
    """An AuthnRequest this site sent and has not seen answered: its id (the response's
    ``InResponseTo`` must name one), the provider, and where to go afterwards. Keyed by the
    short random ``RelayState``, so the answer needs no session cookie (the IdP's POST back is
    cross-site, and the session cookie is SameSite=Lax)."""

    relay_state = models.CharField(max_length=64, unique=True)
    request_id = models.CharField(max_length=255)
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    next_url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.request_id
