"""The API's docs page works in a real browser under the site's Content-Security-Policy: Swagger
UI comes from our own static files, its start-up script from a URL (no inline script)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_every_partner_operation(browser, live_server) -> None:
    page = browser.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text
            else None
        ),
    )

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)
    text = page.inner_text("body")
    page.close()

    for path in ("/api/v1/matches/", "/api/v1/matches/{match_id}/", "/api/v1/needs/"):
        assert path in text
    assert "/api/v1/eligibility/check/" in text
    assert refused == []  # no script the policy had to block
