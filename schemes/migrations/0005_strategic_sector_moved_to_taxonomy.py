"""StrategicSector leaves schemes' state once suppliers point at taxonomy's (vendors 0003).

State only: the table ``schemes_strategicsector`` and its rows stay (see taxonomy 0001).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("schemes", "0004_needs_point_at_taxonomy"),
        ("vendors", "0003_vocabulary_moved_to_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="StrategicSector")],
        ),
    ]
