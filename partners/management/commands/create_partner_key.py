"""``create_partner_key --partner NAME [--facility SLUG ...]``: print a new API key."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from partners import services
from partners.models import Partner
from schemes.models import Facility


class Command(BaseCommand):
    help = (
        "Make an API key for a partner (made if new; linked to the facilities given) and print "
        "it. The key is shown only now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partner", required=True, help="The partner's name.")
        parser.add_argument(
            "--facility",
            action="append",
            default=[],
            metavar="SLUG",
            help="Link the partner to this facility (repeat for several). None: read-only, "
            "every facility.",
        )
        parser.add_argument("--kind", choices=Partner.Kind.values, default=Partner.Kind.ANCHOR)
        parser.add_argument("--name", default="", help="What the key is for.")
        parser.add_argument("--expires-in-days", type=int, default=None, metavar="DAYS")

    def handle(self, *args: Any, **options: Any) -> None:
        slugs = options["facility"]
        facilities = list(Facility.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {f.slug for f in facilities})
        if unknown:
            raise CommandError(f"No facility with slug {', '.join(unknown)}.")
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        partner = services.partner_ensure(
            name=options["partner"], facilities=facilities, kind=options["kind"]
        )
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        api_key, key = services.api_key_create(
            partner=partner, name=options["name"], expires_at=expires_at
        )
        scope = ", ".join(partner.facilities.values_list("slug", flat=True)) or "every facility"
        self.stderr.write(f"Key {api_key.prefix}… for {partner} (scope: {scope}). Shown once:")
        self.stdout.write(key)
