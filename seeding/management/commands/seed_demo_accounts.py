"""`python manage.py seed_demo_accounts`: demo logins for the admin's roles and an MSME.

A superuser (for what only a superuser does: accounts and groups), a scheme administrator and a
facility manager (daily work, no superuser: the groups of ``seeding.roles``), and an MSME owner.

For local demos only: passwords are generated once, kept in var/demo-credentials.txt (git-ignored)
and printed on every run, so `make run` can always tell you how to log in.
"""

import datetime
import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Case, Count, Q, When

from matching.rules import expiring_soon_until
from schemes.models import Facility, Need
from seeding import roles
from seeding.services import demo_partner_key, roles_sync
from seeding.story import demo_story
from vendors.models import Supplier

CREDENTIALS_FILE = settings.VAR_DIR / "demo-credentials.txt"


class Command(BaseCommand):
    help = (
        "Create (once) demo logins: a superuser, a scheme administrator, a facility manager and "
        "an MSME owner; print them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only (DEBUG is off).")
        stored = self._read_credentials()
        with transaction.atomic():
            roles_sync()
            passwords = {
                "admin": self._ensure_user(
                    "admin", stored, superuser=True, email="admin@repm.example.in"
                ),
                "scheme-admin": self._ensure_user(
                    "scheme-admin",
                    stored,
                    email="scheme-admin@repm.example.in",
                    group=roles.SCHEME_ADMINISTRATOR,
                ),
                "facility-manager": self._ensure_user(
                    "facility-manager",
                    stored,
                    email="facility-manager@repm.example.in",
                    group=roles.FACILITY_MANAGER,
                ),
                "demo-msme": self._ensure_user("demo-msme", stored, email="msme@repm.example.in"),
            }
            facility = self._attach_managed_facility()
            supplier = self._attach_demo_supplier()
            story = (
                demo_story(supplier=supplier, facility=facility) if supplier and facility else None
            )
            api_key = demo_partner_key(facility=facility) if facility else None
        CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
        CREDENTIALS_FILE.write_text(json.dumps(passwords, indent=2))
        self.stdout.write(self.style.SUCCESS("Demo logins (local development only):"))
        self.stdout.write(f"  superuser         admin / {passwords['admin']}   → /admin/")
        self.stdout.write(
            f"  scheme admin      scheme-admin / {passwords['scheme-admin']}   → /admin/"
            " (everything a scheme administrator does day to day)"
        )
        manages = f" (manages {facility.name})" if facility else ""
        self.stdout.write(
            f"  facility manager  facility-manager / {passwords['facility-manager']}   → /admin/"
            f"{manages}"
        )
        owner_note = f" (owns {supplier.name})" if supplier else ""
        self.stdout.write(
            f"  MSME owner        demo-msme / {passwords['demo-msme']}   → /accounts/login/, "
            f"then /me/{owner_note}"
        )
        for line in story.lines if story else []:
            self.stdout.write(f"  {line}")
        if api_key:
            self.stdout.write(
                f"  partner API key   (new each run; {facility.name}'s needs and matches)\n"
                f'    curl -H "Authorization: Api-Key {api_key}" '
                "http://127.0.0.1:8000/api/v1/matches/   (docs: /api/docs/)"
            )

    def _read_credentials(self) -> dict[str, str]:
        if CREDENTIALS_FILE.exists():
            return json.loads(CREDENTIALS_FILE.read_text())
        return {}

    def _ensure_user(
        self,
        username: str,
        stored: dict[str, str],
        *,
        email: str,
        superuser: bool = False,
        group: str | None = None,
    ) -> str:
        User = get_user_model()
        password = stored.get(username) or secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_superuser = superuser
        user.is_staff = superuser or group is not None
        user.save()
        if group is not None:
            user.groups.set([Group.objects.get(name=group)])
        return password

    def _attach_managed_facility(self) -> Facility | None:
        """The demo facility manager runs the facility with the most open needs (kept once
        chosen)."""
        manager: AbstractUser = get_user_model().objects.get(username="facility-manager")
        managed = manager.managed_facilities.order_by("number").first()
        if managed:
            return managed
        facility = (
            Facility.objects.annotate(
                open_needs=Count("needs", filter=Q(needs__status=Need.Status.OPEN))
            )
            .order_by("-open_needs", "number")
            .first()
        )
        if facility:
            facility.managers.add(manager)
        return facility

    def _attach_demo_supplier(self) -> Supplier | None:
        """Give the demo MSME login a demo supplier with matches, near misses and a certificate
        about to expire, so its dashboard has all of them to show from the first visit (kept
        once chosen)."""
        owner = get_user_model().objects.get(username="demo-msme")
        owned = Supplier.objects.filter(owner=owner).first()
        if owned:
            return owned
        today = datetime.date.today()
        soon = expiring_soon_until(today)
        supplier = (
            Supplier.objects.filter(is_demo=True, owner__isnull=True)
            .annotate(
                full=Count("matches", filter=Q(matches__near_miss_rule=""), distinct=True),
                near=Count("matches", filter=~Q(matches__near_miss_rule=""), distinct=True),
                expiring=Count(
                    "certifications",
                    filter=Q(
                        certifications__valid_until__gte=today,
                        certifications__valid_until__lte=soon,
                    ),
                    distinct=True,
                ),
            )
            .annotate(
                has_both=Case(When(full__gt=0, near__gt=0, then=1), default=0),
                has_expiring=Case(When(expiring__gt=0, then=1), default=0),
            )
            .order_by("-has_both", "-has_expiring", "-full", "pk")
            .first()
        )
        if supplier:
            Supplier.objects.filter(pk=supplier.pk).update(owner=owner)
        return supplier
