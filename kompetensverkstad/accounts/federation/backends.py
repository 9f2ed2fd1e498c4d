"""The password sign-in's municipality rule as an authentication backend, so it holds on every
password form (the site's and the Wagtail admin's): a person whose municipality left or signs in
its staff through its own identity provider is refused before the password is even accepted."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .provisioning import local_sign_in_refusal

# The sign-in form reads this from the request to say why, instead of "wrong password".
REFUSAL_ATTRIBUTE = "kv_local_sign_in_refused"


class MunicipalitySignInBackend:
    """Never authenticates anybody; raises PermissionDenied (which stops Django's
    ``authenticate`` and counts as a failed attempt for django-axes) for a refused person.

    Deliberately no ``get_user`` or permission methods (no BaseBackend): sessions and
    ``force_login`` keep naming ModelBackend, and permissions stay ModelBackend's alone.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        # Proving an account for linking it (views.link) is no sign-in of its own.
        if not username or password is None or kwargs.get("kv_link_proof"):
            return None
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            return None
        refusal = local_sign_in_refusal(user)
        if refusal is None:
            return None
        # The reason is told only to someone who knows the password.
        if request is not None and user.check_password(password):
            setattr(request, REFUSAL_ATTRIBUTE, refusal)
        raise PermissionDenied(refusal)
