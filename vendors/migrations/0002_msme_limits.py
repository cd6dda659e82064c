"""Ship the MSME classification limits as data, so every database can classify suppliers.

Later revisions are new rows (added in the admin or a new data migration), never code changes.
"""

import datetime

from django.db import migrations

CRORE = 10_000_000

LIMITS = [
    # (category, investment ≤, turnover ≤, effective from, effective to, notification)
    ("micro", 1 * CRORE, 5 * CRORE, datetime.date(2020, 7, 1), datetime.date(2025, 3, 31), "S.O. 2119(E), 2020-06-26"),
    ("small", 10 * CRORE, 50 * CRORE, datetime.date(2020, 7, 1), datetime.date(2025, 3, 31), "S.O. 2119(E), 2020-06-26"),
    ("medium", 50 * CRORE, 250 * CRORE, datetime.date(2020, 7, 1), datetime.date(2025, 3, 31), "S.O. 2119(E), 2020-06-26"),
    ("micro", 25 * CRORE // 10, 10 * CRORE, datetime.date(2025, 4, 1), None, "S.O. 1364(E), 2025-03-21"),
    ("small", 25 * CRORE, 100 * CRORE, datetime.date(2025, 4, 1), None, "S.O. 1364(E), 2025-03-21"),
    ("medium", 125 * CRORE, 500 * CRORE, datetime.date(2025, 4, 1), None, "S.O. 1364(E), 2025-03-21"),
]


def load_limits(apps, schema_editor):
    MsmeLimit = apps.get_model("vendors", "MsmeLimit")
    for category, investment, turnover, start, end, notification in LIMITS:
        MsmeLimit.objects.update_or_create(
            category=category,
            effective_from=start,
            defaults={
                "max_investment_rupees": investment,
                "max_turnover_rupees": turnover,
                "effective_to": end,
                "notification": notification,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("vendors", "0001_initial")]

    operations = [migrations.RunPython(load_limits, migrations.RunPython.noop)]
