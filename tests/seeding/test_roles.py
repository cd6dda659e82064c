"""The admin's roles are groups kept in code: created by migrate, synced idempotently, and
enough for daily work without a superuser."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from seeding import roles
from seeding.services import roles_sync

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "taxonomy",
    "accounts",
    "clusters",
    "schemes",
    "vendors",
    "matching",
    "eligibility",
    "allocation",
    "consortia",
    "portal",
    "partners",
    "insights",
    "seeding",
}


def codes(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_migrate_leaves_both_groups_in_place() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Scheme administrator",
        "Facility manager",
    }


def test_the_project_apps_are_the_repositorys_own_folders() -> None:
    assert set(roles.project_app_labels()) == PROJECT_APPS


def test_a_scheme_administrator_holds_every_project_permission_and_reads_users_and_lockouts() -> (
    None
):
    group = Group.objects.get(name=roles.SCHEME_ADMINISTRATOR)
    held = codes(group)

    project = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=PROJECT_APPS).select_related(
            "content_type"
        )
    }
    assert project <= held
    assert {"schemes.manage_every_facility", "vendors.change_supplier"} <= held
    assert "vendors.view_historicalsupplier" in held
    assert "auth.view_user" in held
    assert {"axes.view_accessattempt", "axes.delete_accessattempt"} <= held
    # No account changes: whoever may change users may make themselves a superuser.
    assert not {"auth.change_user", "auth.add_user", "auth.change_group"} & held


def test_a_facility_manager_holds_needs_and_matches_only() -> None:
    group = Group.objects.get(name=roles.FACILITY_MANAGER)

    assert codes(group) == set(roles.FACILITY_MANAGER_PERMISSIONS)
    assert "schemes.manage_every_facility" not in codes(group)


def test_syncing_again_changes_nothing_and_takes_back_what_was_added_by_hand() -> None:
    manager = Group.objects.get(name=roles.FACILITY_MANAGER)
    before = codes(manager)
    manager.permissions.add(Permission.objects.get(codename="delete_need"))

    first = roles_sync()
    second = roles_sync()

    assert first == second
    assert codes(manager) == before
    assert Group.objects.filter(name__in=roles.ROLES).count() == 2


REGISTERED = sorted(
    (model for model in apps.get_models() if admin.site.is_registered(model)),
    key=lambda model: model._meta.label,
)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_a_scheme_administrator_opens_every_list_but_the_groups_without_being_a_superuser(
    scheme_admin: Client, scheme_admin_user: Any, model: type[Model]
) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = scheme_admin.get(url)

    assert not scheme_admin_user.is_superuser
    assert response.status_code == (403 if model is Group else 200)


def test_the_admin_login_locks_a_staff_account_out_after_five_wrong_passwords(
    client: Client, facility_manager_user: Any, settings: Any
) -> None:
    facility_manager_user.set_password("correct horse battery staple")
    facility_manager_user.save()

    def log_in(password: str) -> Any:
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "facility-manager", "password": password},
        )

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in("wrong-guess").status_code == 200
    assert log_in("wrong-guess").status_code == 429

    assert log_in("correct horse battery staple").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_demo_logins_include_a_scheme_administrator_and_a_facility_manager(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from seeding.management.commands import seed_demo_accounts
    from tests import factories as f

    quiet, busy = f.FacilityFactory(), f.FacilityFactory()
    f.NeedFactory(facility=quiet)
    f.NeedFactory.create_batch(2, facility=busy)
    f.NeedFactory(facility=quiet, status="closed")
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo_accounts, "CREDENTIALS_FILE", tmp_path / "credentials.txt")
    out = StringIO()

    call_command("seed_demo_accounts", stdout=out)
    call_command("seed_demo_accounts", stdout=StringIO())  # again: nothing new

    User = get_user_model()
    scheme_admin = User.objects.get(username="scheme-admin")
    manager = User.objects.get(username="facility-manager")
    assert scheme_admin.is_staff and not scheme_admin.is_superuser
    assert list(scheme_admin.groups.values_list("name", flat=True)) == ["Scheme administrator"]
    assert manager.is_staff and not manager.is_superuser
    assert list(manager.managed_facilities.all()) == [busy]
    logins = out.getvalue()
    assert "scheme-admin / " in logins
    assert "facility-manager / " in logins and f"(manages {busy.name})" in logins
    client = Client()
    password = _password(tmp_path, "facility-manager")
    client.post("/admin/login/", {"username": "facility-manager", "password": password})
    assert client.get("/admin/schemes/need/").status_code == 200


def test_make_run_prints_a_partner_key_that_opens_the_managed_facilitys_matches(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import re
    from io import StringIO

    from django.core.management import call_command

    from partners.models import ApiKey
    from seeding.management.commands import seed_demo_accounts
    from tests import factories as f

    need = f.NeedFactory()
    other = f.MatchFactory()
    mine = f.MatchFactory(need=need)
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo_accounts, "CREDENTIALS_FILE", tmp_path / "credentials.txt")
    first, second = StringIO(), StringIO()

    call_command("seed_demo_accounts", stdout=first)
    call_command("seed_demo_accounts", stdout=second)

    old, new = (re.search(r"Api-Key (\S+?)\"", out.getvalue()).group(1) for out in (first, second))
    client = Client()
    answer = client.get("/api/v1/matches/", HTTP_AUTHORIZATION=f"Api-Key {new}")
    assert answer.status_code == 200
    assert [m["id"] for m in answer.json()["results"]] == [mine.pk]
    assert other.pk != mine.pk
    assert client.get("/api/v1/matches/", HTTP_AUTHORIZATION=f"Api-Key {old}").status_code == 401
    assert ApiKey.objects.filter(revoked_at=None).count() == 1


def _password(tmp_path: Any, username: str) -> str:
    import json

    return json.loads((tmp_path / "credentials.txt").read_text())[username]
