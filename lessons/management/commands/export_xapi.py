"""Export the learning records of a period as xAPI statements in a JSON file, for an LRS that
cannot be reached (or a funder who asks for the raw records)."""

import json
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lessons.learning.models import LearningEvent
from lessons.learning.xapi import statement


class Command(BaseCommand):
    help = "Skriv alla xAPI-påståenden för en period till en JSON-fil."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="ÅÅÅÅ-MM-DD (med)")
        parser.add_argument("--to", dest="end", required=True, help="ÅÅÅÅ-MM-DD (med)")
        parser.add_argument("--output", required=True, help="filen som skrivs")

    def handle(self, *args, start: str, end: str, output: str, **options) -> None:
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError as exc:
            raise CommandError(f"Ogiltigt datum: {exc}") from exc
        zone = timezone.get_current_timezone()
        since = timezone.make_aware(datetime.combine(first, time.min), zone)
        until = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), zone)
        events = LearningEvent.objects.filter(timestamp__gte=since, timestamp__lt=until).order_by(
            "timestamp", "pk"
        )
        cache: dict = {}
        statements = [statement(e, cache) for e in events.iterator(chunk_size=1000)]
        with open(output, "w", encoding="utf-8") as handle:
            json.dump(statements, handle, ensure_ascii=False, indent=1)
        self.stdout.write(f"{len(statements)} påståenden skrivna till {output}")
