"""Creating staff accounts in bulk from a CSV file, each with an invitation to choose a password.

The file is read whole and checked before anything is written; a bad row is reported and
skipped, the others are imported. Nobody gets a password by e-mail: each new account has an
unusable password and its invitation carries a password-reset link.
"""

import csv
import io
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompetensverkstad.links import absolute_url
from kompetensverkstad.mail import templated_message

from .forms import normalize_email
from .models import Municipality, Profile

logger = logging.getLogger(__name__)
User = get_user_model()

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 2000
# The username column holds 150 characters, and the address becomes the username.
MAX_EMAIL_LENGTH = 150
MAX_NAME_PART_LENGTH = 150

# Swedish headers first; the English ones are accepted for files exported from other systems.
HEADER_ALIASES = {
    "namn": "name",
    "name": "name",
    "e-post": "email",
    "epost": "email",
    "e-postadress": "email",
    "email": "email",
    "e-mail": "email",
    "kommun": "municipality",
    "municipality": "municipality",
}
REQUIRED_COLUMNS = {"name": "namn", "email": "e-post", "municipality": "kommun"}


class CsvFileError(ValueError):
    """The file as a whole cannot be imported; the message is shown to the administrator."""


@dataclass(frozen=True)
class CsvRow:
    line: int
    name: str
    email: str
    municipality: str


class Outcome(models.TextChoices):
    CREATED = "created", gettext_lazy("Skapad")
    EXISTS = "exists", gettext_lazy("Fanns redan")
    ERROR = "error", gettext_lazy("Fel")


@dataclass
class RowResult:
    row: CsvRow
    outcome: str
    message: str = ""
    user: AbstractBaseUser | None = field(default=None, repr=False)
    invited: bool = False


@dataclass
class ImportReport:
    results: list[RowResult]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def existing(self) -> int:
        return self.count(Outcome.EXISTS)

    @property
    def errors(self) -> int:
        return self.count(Outcome.ERROR)

    @property
    def invitations_failed(self) -> int:
        return sum(1 for r in self.results if r.outcome == Outcome.CREATED and not r.invited)


def read_rows(data: bytes) -> list[CsvRow]:
    """Parse a UTF-8 CSV file (with or without BOM, comma or semicolon separated)."""
    if len(data) > MAX_FILE_BYTES:
        raise CsvFileError(
            _("Filen är för stor. Den får vara högst %(size)s MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        # utf-8-sig drops the byte-order mark that Excel writes in "CSV UTF-8".
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            _(
                "Filen är inte sparad som UTF-8. Spara den som ”CSV UTF-8 (kommaavgränsad)” "
                "och försök igen."
            )
        ) from error
    if "\x00" in text:
        raise CsvFileError(_("Filen ser inte ut att vara en textfil (CSV)."))

    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise CsvFileError(_("Filen är tom."))
    # Swedish Excel separates with semicolons, since the comma is the decimal sign.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[CsvRow] = []
    try:
        header: list[str] = []
        for cells in reader:
            if any(c.strip() for c in cells):
                header = cells
                break
        columns = {
            HEADER_ALIASES[key]: index
            for index, key in reversed(list(enumerate(c.strip().lower() for c in header)))
            if key in HEADER_ALIASES
        }
        missing = [swedish for key, swedish in REQUIRED_COLUMNS.items() if key not in columns]
        if missing:
            raise CsvFileError(
                _(
                    "Filen saknar kolumnerna: %(missing)s. Första raden ska vara "
                    "”namn,e-post,kommun”."
                )
                % {"missing": ", ".join(missing)}
            )

        def cell(cells: list[str], key: str) -> str:
            index = columns[key]
            return cells[index].strip() if index < len(cells) else ""

        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvFileError(
                    _("Filen har för många rader. Högst %(max)s personer kan importeras åt gången.")
                    % {"max": MAX_ROWS}
                )
            rows.append(
                CsvRow(
                    line=reader.line_num,
                    name=" ".join(cell(cells, "name").split()),
                    email=cell(cells, "email"),
                    municipality=cell(cells, "municipality"),
                )
            )
    except csv.Error as error:
        raise CsvFileError(
            _("Filen kunde inte läsas som CSV (rad %(line)s).") % {"line": reader.line_num}
        ) from error
    if not rows:
        raise CsvFileError(_("Filen innehåller inga personer, bara rubrikraden."))
    return rows


def municipality_key(name: str) -> str:
    """Match "Växjö", "växjö" and "Växjö kommun" to the same municipality."""
    key = " ".join(name.split()).casefold()
    return key.removesuffix(" kommun").strip()


def split_name(name: str) -> tuple[str, str]:
    """First names and surname: the last word is the surname, the words before it first names."""
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    return " ".join(parts[:-1]), parts[-1]


def _check_row(
    row: CsvRow, municipalities: dict[str, Municipality], others: frozenset[str] = frozenset()
) -> list[str]:
    problems = []
    if not row.name:
        problems.append(_("Namn saknas."))
    else:
        first, last = split_name(row.name)
        if len(first) > MAX_NAME_PART_LENGTH or len(last) > MAX_NAME_PART_LENGTH:
            problems.append(_("Namnet är för långt."))
    if not row.email:
        problems.append(_("E-postadress saknas."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            problems.append(_("”%(email)s” är inte en giltig e-postadress.") % {"email": row.email})
        else:
            if len(row.email) > MAX_EMAIL_LENGTH:
                problems.append(_("E-postadressen är för lång."))
    if not row.municipality:
        problems.append(_("Kommun saknas."))
    elif municipality_key(row.municipality) in others:
        problems.append(
            _("Du kan bara bjuda in personal till dina egna kommuner, inte till ”%(name)s”.")
            % {"name": row.municipality}
        )
    elif municipality_key(row.municipality) not in municipalities:
        problems.append(
            _(
                "Kommunen ”%(name)s” finns inte i listan. Lägg till den under Kommuner "
                "eller rätta namnet i filen."
            )
            % {"name": row.municipality}
        )
    return problems


def _taken_addresses(emails: set[str]) -> set[str]:
    """Addresses already used as a username or an e-mail address, lower-cased."""
    if not emails:
        return set()
    taken: set[str] = set()
    matches = (
        User._default_manager.annotate(lower_username=Lower("username"), lower_email=Lower("email"))
        .filter(models.Q(lower_username__in=emails) | models.Q(lower_email__in=emails))
        .values_list("lower_username", "lower_email")
    )
    for username, email in matches:
        taken.update({username, email})
    return taken


def import_users(
    rows: list[CsvRow], allowed: models.QuerySet[Municipality] | None = None
) -> ImportReport:
    """Create an account and profile for each good, new row; report every row.

    ``allowed`` limits the municipalities rows may name (a coordinator's own); a row naming
    another one is reported as an error and nothing is created for it.
    """
    every = {municipality_key(m.name): m for m in Municipality.objects.all()}
    if allowed is None:
        municipalities, others = every, frozenset()
    else:
        allowed_ids = set(allowed.values_list("pk", flat=True))
        municipalities = {k: m for k, m in every.items() if m.pk in allowed_ids}
        others = frozenset(every.keys() - municipalities.keys())
    taken = _taken_addresses({normalize_email(r.email) for r in rows if r.email})
    results: list[RowResult] = []

    with transaction.atomic():
        for row in rows:
            problems = _check_row(row, municipalities, others)
            if problems:
                results.append(RowResult(row, Outcome.ERROR, " ".join(problems)))
                continue
            email = normalize_email(row.email)
            if email in taken:
                results.append(
                    RowResult(
                        row,
                        Outcome.EXISTS,
                        _("Det finns redan ett konto med den här e-postadressen."),
                    )
                )
                continue
            first_name, last_name = split_name(row.name)
            try:
                # A savepoint per row: an account created meanwhile by someone else fails
                # only its own row, not the whole import.
                with transaction.atomic():
                    user = User(
                        username=email, email=email, first_name=first_name, last_name=last_name
                    )
                    user.set_unusable_password()
                    user.save()
                    Profile.objects.create(
                        user=user, municipality=municipalities[municipality_key(row.municipality)]
                    )
            except IntegrityError:
                results.append(
                    RowResult(
                        row,
                        Outcome.EXISTS,
                        _("Det finns redan ett konto med den här e-postadressen."),
                    )
                )
                continue
            taken.add(email)
            results.append(RowResult(row, Outcome.CREATED, user=user))
    return ImportReport(results)


def invitation_message(user: AbstractBaseUser, request: HttpRequest) -> EmailMessage:
    """A Swedish invitation whose link lets the person choose a password (a reset link)."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "set_password_url": absolute_url(path, request),
        "login_url": absolute_url(reverse("accounts:login"), request),
        "reset_url": absolute_url(reverse("accounts:password_reset"), request),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
    }
    return templated_message("invitation", context, to=[user.email])


def send_invitations(report: ImportReport, request: HttpRequest) -> None:
    """Send the new accounts their invitations over one connection; note each one's fate."""
    created = [r for r in report.results if r.outcome == Outcome.CREATED]
    if not created:
        return
    with get_connection() as connection:
        for result in created:
            message = invitation_message(result.user, request)
            message.connection = connection
            try:
                result.invited = bool(message.send())
            except (smtplib.SMTPException, OSError):
                # The account stands; the person can still use "Glömt lösenordet?".
                logger.exception("Invitation to user %s could not be sent", result.user.pk)
                result.invited = False
            if not result.invited:
                result.message = _(
                    "Kontot skapades, men inbjudan kunde inte skickas. Personen kan välja "
                    "lösenord via ”Glömt lösenordet?”."
                )
