"""Forms for signing in, resetting a password, signing up and editing one's profile."""

import unicodedata
from collections.abc import Iterator

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .federation.backends import REFUSAL_ATTRIBUTE
from .models import Municipality, Profile

User = get_user_model()


def normalize_email(value: str) -> str:
    """E-mail addresses are usernames here, stored lower-case so that sign-in ignores case."""
    return value.strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username django-axes counts failures against, whatever case it was typed in."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "").strip().lower()


def _casefold_equal(a: str, b: str) -> bool:
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class SiteAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen, "
            "eller återställ lösenordet."
        ),
        "inactive": _("Kontot är avstängt. Kontakta en administratör."),
    }

    def __init__(self, request: HttpRequest | None = None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-postadress")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("Lösenord")

    def clean_username(self) -> str:
        # People type their address as they like; the account's username is stored lower-case
        # for imported and signed-up staff, but administrators' usernames may have capitals.
        typed = self.cleaned_data["username"].strip()
        matches = list(
            User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": typed}).values_list(
                User.USERNAME_FIELD, flat=True
            )[:2]
        )
        return matches[0] if len(matches) == 1 else typed

    def clean(self) -> dict:
        try:
            return super().clean()
        except forms.ValidationError:
            # The municipality rule refused a right password: say why (federation/backends.py).
            refusal = getattr(self.request, REFUSAL_ATTRIBUTE, None)
            if refusal:
                raise forms.ValidationError(refusal, code="municipality_refused") from None
            raise


class SitePasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterator[AbstractBaseUser]:
        # Django skips users without a usable password, to protect accounts that sign in
        # elsewhere (LDAP and the like). Here an unusable password means an invited person
        # who has not chosen one yet, and a lost invitation must be recoverable by a reset.
        email_field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
        return (u for u in users if _casefold_equal(email, getattr(u, email_field)))


class MunicipalityChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Municipality.objects.all(),
            label=_("Kommun"),
            empty_label=_("Välj kommun"),
            **kwargs,
        )


class ProfileForm(forms.ModelForm):
    """The signed-in person's own name, municipality and job title."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    municipality = MunicipalityChoiceField(
        required=False,
        help_text=_("Kommunen du arbetar i. Saknas den i listan? Kontakta en administratör."),
    )

    class Meta:
        model = Profile
        fields = ["first_name", "last_name", "municipality", "job_title", "receives_reminders"]
        labels = {
            "job_title": _("Yrkesroll"),
            "receives_reminders": _("Skicka påminnelser till mig per e-post"),
        }
        help_texts = {
            "job_title": _("Till exempel ”Handläggare” eller ”Förskollärare”."),
            "receives_reminders": _(
                "En påminnelse när du inte har fortsatt en påbörjad modul på ett tag, och "
                "dagen före en workshop du är anmäld till."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"

    @transaction.atomic
    def save(self, commit: bool = True) -> Profile:
        profile = super().save(commit=commit)
        user = profile.user
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        if commit:
            user.save(update_fields=["first_name", "last_name"])
        return profile


class SignupForm(forms.Form):
    first_name = forms.CharField(
        label=_("Förnamn"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Efternamn"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=150,  # it becomes the username, whose column holds 150 characters
        help_text=_("Du loggar in med den här adressen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    municipality = MunicipalityChoiceField(
        help_text=_("Kommunen du arbetar i. Saknas den i listan? Kontakta en administratör."),
    )
    job_title = forms.CharField(
        label=_("Yrkesroll"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    password1 = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Lösenord igen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Skriv samma lösenord en gång till."),
    )

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        taken = User._default_manager.filter(username__iexact=email).exists() or (
            User._default_manager.filter(email__iexact=email).exists()
        )
        if taken:
            raise forms.ValidationError(
                _(
                    "Det finns redan ett konto med den e-postadressen. Logga in, eller återställ "
                    "lösenordet om du har glömt det."
                ),
                code="exists",
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                forms.ValidationError(_("Lösenorden är inte likadana."), code="mismatch"),
            )
        elif password1:
            # An unsaved user lets the similarity validator compare with name and address.
            candidate = User(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @transaction.atomic
    def save(self) -> AbstractBaseUser:
        data = self.cleaned_data
        user = User._default_manager.create_user(
            username=data["email"],
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
        )
        Profile.objects.create(
            user=user, municipality=data["municipality"], job_title=data["job_title"].strip()
        )
        return user
