"""``manage.py cull_expired_data [--dry-run]``: cull now what the retention decision says is
older than its period, or only list how much of each kind would go."""

from django.core.management.base import BaseCommand
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kompetensverkstad.privacy.retention.culling import cull, preview


class Command(BaseCommand):
    help = "Gallra det som är äldre än gallringsbeslutets frist (eller visa det med --dry-run)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa bara hur mycket av varje slag som skulle tas bort; inget tas bort.",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            for item in preview():
                if item.plan.cutoff is None:
                    self.stdout.write(f"{item.plan.label}: {_('gallras inte')}")
                    continue
                cutoff = formats.date_format(timezone.localtime(item.plan.cutoff), "Y-m-d")
                self.stdout.write(
                    _("%(kind)s: %(count)d skulle tas bort (till och med %(cutoff)s)")
                    % {"kind": item.plan.label, "count": item.count, "cutoff": cutoff}
                )
            return
        for run in cull():
            self.stdout.write(
                _("%(kind)s: %(count)d borttagna") % {"kind": run.kind_label, "count": run.deleted}
            )
