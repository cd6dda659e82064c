"""Needs ask for taxonomy's processes and certification types (moved there by taxonomy 0001).

State only: the foreign keys already point at the same tables, which kept their names.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schemes", "0003_facility_cluster_is_demo"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="need",
                    name="process",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="needs", to="taxonomy.process"),
                ),
                migrations.AlterField(
                    model_name="historicalneed",
                    name="process",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="taxonomy.process"),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="required_certifications",
                    field=models.ManyToManyField(blank=True, related_name="required_by_needs", to="taxonomy.certificationtype"),
                ),
            ],
        ),
    ]
