"""`python manage.py seed_demo_accounts`: a demo administrator and a demo MSME login.

For local demos only: passwords are generated once, kept in var/demo-credentials.txt (git-ignored)
and printed on every run, so `make run` can always tell you how to log in.
"""

import datetime
import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Case, Count, Q, When

from matching.rules import expiring_soon_until
from vendors.models import Supplier

CREDENTIALS_FILE = settings.VAR_DIR / "demo-credentials.txt"


class Command(BaseCommand):
    help = "Create (once) a demo administrator and a demo MSME owner, and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only (DEBUG is off).")
        stored = self._read_credentials()
        with transaction.atomic():
            admin_password = self._ensure_user(
                "admin", stored, superuser=True, email="admin@repm.example.in"
            )
            msme_password = self._ensure_user("demo-msme", stored, email="msme@repm.example.in")
            supplier = self._attach_demo_supplier()
        CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
        CREDENTIALS_FILE.write_text(
            json.dumps({"admin": admin_password, "demo-msme": msme_password}, indent=2)
        )
        self.stdout.write(self.style.SUCCESS("Demo logins (local development only):"))
        self.stdout.write(f"  administrator  admin / {admin_password}   → /admin/")
        owner_note = f" (owns {supplier.name})" if supplier else ""
        self.stdout.write(
            f"  MSME owner     demo-msme / {msme_password}   → /accounts/login/, then /me/"
            f"{owner_note}"
        )

    def _read_credentials(self) -> dict[str, str]:
        if CREDENTIALS_FILE.exists():
            return json.loads(CREDENTIALS_FILE.read_text())
        return {}

    def _ensure_user(
        self, username: str, stored: dict[str, str], *, email: str, superuser: bool = False
    ) -> str:
        User = get_user_model()
        password = stored.get(username) or secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_staff = user.is_superuser = superuser
        user.save()
        return password

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
