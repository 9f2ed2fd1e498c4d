"""``manage.py load_demo``: the Swedish demo site, its images and one demo user per role.

Safe to run any number of times: everything is looked up first (pages by slug under their
parent, images by title, snippets by name, users by username) and only what is missing is
created, so a second run adds no rows and no revisions.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from kompetensverkstad.demo import content
from kompetensverkstad.demo.accounts import ensure_page_permissions, ensure_users, ensure_workflow
from kompetensverkstad.demo.build import Build
from kompetensverkstad.demo.federation import demo_identity_rows, ensure_demo_identity_provider
from kompetensverkstad.demo.oidc import DEMO_OIDC_PORT, demo_oidc_rows, ensure_demo_oidc_provider
from kompetensverkstad.demo.pages import build_site
from kompetensverkstad.demo.progress import ensure_demo_progress
from lessons.workshops.demo import ensure_demo_session


class Command(BaseCommand):
    help = "Skapar demoinnehållet och demoanvändarna (lägger bara till det som saknas)."
    # `make demo` runs migrate, and with it the system checks, just before; running them again
    # would cost more than the whole command does on a second run.
    requires_system_checks: list[str] = []

    def handle(self, *args, verbosity: int = 1, **options) -> None:
        build = Build()
        # All or nothing: a run that fails half-way must not leave a tree the next run skips.
        with transaction.atomic():
            users = ensure_users(build)
            # Revisions and the page history then name a real account, as if published by hand.
            build.user = users["admin"]
            home = build_site(build)
            ensure_page_permissions(home, build)
            ensure_workflow(home, build)
            # The demo trainer's workshop on the demo module (lessons/workshop_demo.py).
            ensure_demo_session(build.created)
            # Staff in Kalmar and Västervik at every stage, for the coordinator's report.
            ensure_demo_progress(build)
            # "Logga in via din kommun" against the demo IdP that `make run` starts.
            self.demo_idp = ensure_demo_identity_provider(build)
            # The same with OpenID Connect, against the demo provider `make run` starts.
            self.demo_oidc = ensure_demo_oidc_provider(build)

        if verbosity >= 1:
            self.report(build)

    def report(self, build: Build) -> None:
        done = +build.created  # unary plus drops the zero counts
        if done:
            made = ", ".join(f"{what} {count}" for what, count in done.items())
            self.stdout.write(
                self.style.SUCCESS(f"Demoinnehållet är på plats. Nytt eller ändrat: {made}.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Demoinnehållet fanns redan; inget ändrades."))
        for warning in build.warnings:
            self.stdout.write(self.style.WARNING(warning))

        rows = [("Användarnamn", "Roll", "Lösenord")] + [
            (u["username"], u["role"], u["password"]) for u in content.DEMO_USERS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("\nDemoanvändare (bara för en lokal demomaskin):")
        for i, row in enumerate(rows):
            cells = (cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        if getattr(self, "demo_idp", None) is not None:
            self.stdout.write(
                "\nDemo-IdP (Logga in → Logga in via din kommun; välj en identitet, "
                "inget lösenord):"
            )
            for key, label in demo_identity_rows():
                self.stdout.write(f"  {key:<6}  {label}")
        if getattr(self, "demo_oidc", None) is not None:
            self.stdout.write(
                f"\nDemo-OIDC-leverantör på http://127.0.0.1:{DEMO_OIDC_PORT}/ (Logga in → "
                "Logga in via din kommun → Demokommunernas inloggning (OpenID Connect)):"
            )
            for username, password, who in demo_oidc_rows():
                self.stdout.write(f"  {username:<15} {password:<11} {who}")
        self.stdout.write(f"\nWebbplatsen: {content.SITE_URL}")
        self.stdout.write(f"Administration: {content.ADMIN_URL}")
