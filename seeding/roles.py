"""The admin's two roles, as data: which permissions each group holds.

Daily work needs no superuser. A **scheme administrator** runs the programme: every permission
of the project's own apps (suppliers, needs, matches, runs, rules, reference data, their
history), reading user accounts (to name facility managers) and the login-lockout records
(django-axes, to unlock someone). A **facility manager** works on their facilities' needs and
matches only: the admin scopes every page to the facilities they manage
(``schemes.admin_access``), so their group grants the kinds of rows, not which ones.

``services.roles_sync`` makes the groups say exactly this after every ``migrate`` (a
``post_migrate`` handler, ``apps.py``); it is idempotent.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

SCHEME_ADMINISTRATOR = "Scheme administrator"
FACILITY_MANAGER = "Facility manager"

# Beyond the project's apps: read accounts (no change: that could grant superuser), and the
# lockouts (an administrator unlocks a facility manager who mistyped five times).
SCHEME_ADMINISTRATOR_OTHERS = Q(content_type__app_label="auth", codename="view_user") | Q(
    content_type__app_label="axes"
)

FACILITY_MANAGER_PERMISSIONS = (
    "schemes.view_facility",
    "schemes.view_need",
    "schemes.add_need",
    "schemes.change_need",
    "matching.view_match",
    "matching.change_match",
    # The consortia proposed for their needs, and the members' answers (read-only).
    "consortia.view_consortium",
    "consortia.view_consortiummember",
    # The need form's process field is an autocomplete, which asks to view processes.
    "taxonomy.view_process",
    # The partner view of the API: keys of the partners confined to their facilities.
    "partners.view_partner",
    "partners.view_apikey",
    "partners.add_apikey",
    "partners.change_apikey",
)


def project_app_labels() -> list[str]:
    """The project's own apps (a folder at the top of the repository): a new room, such as
    the partner API, is in the scheme administrator's role without editing this file."""
    base = Path(settings.BASE_DIR).resolve()
    return sorted(
        config.label for config in apps.get_app_configs() if Path(config.path).parent == base
    )


def _by_names(names: tuple[str, ...]) -> Q:
    wanted = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return wanted


def role_permissions(role: str) -> QuerySet[Permission]:
    if role == SCHEME_ADMINISTRATOR:
        wanted = Q(content_type__app_label__in=project_app_labels()) | SCHEME_ADMINISTRATOR_OTHERS
    elif role == FACILITY_MANAGER:
        wanted = _by_names(FACILITY_MANAGER_PERMISSIONS)
    else:
        raise KeyError(f"unknown role {role!r}")
    return Permission.objects.filter(wanted)


ROLES = (SCHEME_ADMINISTRATOR, FACILITY_MANAGER)
