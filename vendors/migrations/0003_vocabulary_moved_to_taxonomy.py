"""Suppliers use taxonomy's vocabulary; the moved models leave vendors' state.

State only: every table keeps its name and rows (see taxonomy 0001).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0002_msme_limits"),
        ("taxonomy", "0001_initial"),
        # Needs stop pointing at vendors.Process before it leaves vendors' state.
        ("schemes", "0004_needs_point_at_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="suppliercapability",
                    name="process",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="capabilities", to="taxonomy.process"),
                ),
                migrations.AlterField(
                    model_name="certification",
                    name="certification_type",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="certifications", to="taxonomy.certificationtype"),
                ),
                migrations.AlterField(
                    model_name="historicalcertification",
                    name="certification_type",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="taxonomy.certificationtype"),
                ),
                migrations.AlterField(
                    model_name="supplier",
                    name="sectors",
                    field=models.ManyToManyField(blank=True, related_name="suppliers", to="taxonomy.strategicsector"),
                ),
                migrations.DeleteModel(name="Process"),
                migrations.DeleteModel(name="CapabilityCategory"),
                migrations.DeleteModel(name="CertificationType"),
                migrations.DeleteModel(name="MsmeLimit"),
            ],
        ),
    ]
