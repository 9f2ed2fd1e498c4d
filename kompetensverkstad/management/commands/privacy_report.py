"""``manage.py privacy_report``: what the export holds for a person, and the rule for every model
linked to the user.

    python manage.py privacy_report --user larande   # the export's sections and their counts
    python manage.py privacy_report --rules          # every model the erasure test walks
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.privacy.export import DATA_EXPORT, collect
from kompetensverkstad.privacy.registry import rule_for, rules, user_models


class Command(BaseCommand):
    help = "Visar exportens innehåll för en användare och raderingsreglerna för varje modell."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", help="användarnamnet vars export visas")
        parser.add_argument("--rules", action="store_true", help="visa reglerna per modell")

    def handle(self, *args, user: str | None = None, rules: bool = False, **options) -> None:
        if not user and not rules:
            raise CommandError("Ange --user ANVÄNDARNAMN och/eller --rules.")
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"Ingen användare {user!r}.")
            self._export(person)
        if rules:
            self._rules()

    def _export(self, person) -> None:
        data = collect(person)
        files = (
            PdfDocument.objects.filter(owner=person, state=PdfDocument.State.READY)
            .exclude(kind=DATA_EXPORT)
            .exclude(file="")
            .count()
        )
        self.stdout.write(f"uppgifter.json for {person.get_username()}:")
        for key in ["format_version", "generated_at", "site", *data, "files"]:
            count = len(data[key]) if key in data else (files if key == "files" else "-")
            self.stdout.write(f"  {key:<26} {count}")
        self.stdout.write(f"dokument/: {files} PDF files; sammanfattning.html")

    def _rules(self) -> None:
        walked = user_models()
        self.stdout.write(f"{len(walked)} foreign keys to the user, on these models:")
        for model, field in sorted(walked, key=lambda mf: (mf[0]._meta.label, mf[1])):
            rule = rule_for(model)
            erase = rule.erase.value if rule else "NO RULE"
            if rule and field != rule.user_field and rule.rows is None:
                # Another link to a person on the model (an author, who resolved a comment):
                # the database clears it when the account is deleted.
                erase = model._meta.get_field(field).remote_field.on_delete.__name__.lower()
            self.stdout.write(f"  {model._meta.label + '.' + field:<48} {erase}")
        others = [
            r for r in rules() if r.model not in {m for m, _f in walked} and r.section != "account"
        ]
        for rule in others:
            self.stdout.write(f"  {rule.label + ' (by username)':<48} {rule.erase.value}")
