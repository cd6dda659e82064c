"""Production settings pass Django's deployment checks, and refuse to start without secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_for_production_settings_with_real_secrets() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k3v$" + "x9Lq2!pZ7@wR4#tY8^uI0&oP5*aS1(dF6)gH3_jK" * 2,
            "ALLOWED_HOSTS": "repm.example.in",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_manage(
        "check", env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": ""}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
