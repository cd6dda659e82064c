"""Move the vocabulary into taxonomy without touching a table or a row.

CapabilityCategory, Process, CertificationType and MsmeLimit come from vendors, StrategicSector
from schemes. The database keeps every table under its old name (``db_table``); only Django's
state moves (``SeparateDatabaseAndState``). Content types move with the models, so permissions,
admin log entries and history that point at them keep working. vendors 0003 and schemes 0004/0005
repoint the foreign keys and drop the old state.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = [
    ("vendors", "capabilitycategory"),
    ("vendors", "process"),
    ("vendors", "certificationtype"),
    ("vendors", "msmelimit"),
    ("schemes", "strategicsector"),
]


def move_content_types(apps, schema_editor, *, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        source, target = (old_app, "taxonomy") if forward else ("taxonomy", old_app)
        if not ContentType.objects.filter(app_label=source, model=model).exists():
            continue  # a fresh database: post_migrate creates the content types afterwards
        # The source holds the permissions groups were given; a target that post_migrate made
        # after an earlier migration back and forth is an empty duplicate.
        ContentType.objects.filter(app_label=target, model=model).delete()
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("vendors", "0002_msme_limits"),
        ("schemes", "0003_facility_cluster_is_demo"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CapabilityCategory",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("slug", models.SlugField(max_length=40, unique=True)),
                        ("name", models.CharField(max_length=80, unique=True)),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "vendors_capabilitycategory",
                        "ordering": ["order", "name"],
                        "verbose_name_plural": "capability categories",
                    },
                ),
                migrations.CreateModel(
                    name="CertificationType",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=20, unique=True)),
                        ("name", models.CharField(max_length=160)),
                        ("description", models.CharField(blank=True, max_length=250)),
                        ("zed_level", models.PositiveSmallIntegerField(blank=True, help_text="1 bronze, 2 silver, 3 gold for ZED certificates.", null=True)),
                    ],
                    options={"db_table": "vendors_certificationtype", "ordering": ["code"]},
                ),
                migrations.CreateModel(
                    name="MsmeLimit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("category", models.CharField(choices=[("micro", "Micro"), ("small", "Small"), ("medium", "Medium")], max_length=10)),
                        ("max_investment_rupees", models.PositiveBigIntegerField(help_text="Investment in plant & machinery or equipment, at most (₹).")),
                        ("max_turnover_rupees", models.PositiveBigIntegerField(help_text="Annual turnover, at most (₹).")),
                        ("effective_from", models.DateField()),
                        ("effective_to", models.DateField(blank=True, help_text="Empty while in force.", null=True)),
                        ("notification", models.CharField(max_length=120)),
                    ],
                    options={
                        "db_table": "vendors_msmelimit",
                        "verbose_name": "MSME classification limit",
                        "ordering": ["-effective_from", "max_investment_rupees"],
                        "constraints": [
                            models.UniqueConstraint(fields=("category", "effective_from"), name="msme_limit_unique_per_period"),
                            models.CheckConstraint(condition=models.Q(("effective_to__isnull", True), ("effective_to__gte", models.F("effective_from")), _connector="OR"), name="msme_limit_period_ordered"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Process",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("slug", models.SlugField(max_length=60, unique=True)),
                        ("name", models.CharField(max_length=120)),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                        ("category", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="processes", to="taxonomy.capabilitycategory")),
                    ],
                    options={
                        "db_table": "vendors_process",
                        "ordering": ["category__order", "order", "name"],
                        "verbose_name_plural": "processes",
                    },
                ),
                migrations.CreateModel(
                    name="StrategicSector",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("slug", models.SlugField(max_length=40, unique=True)),
                        ("name", models.CharField(max_length=80, unique=True)),
                        ("is_headline", models.BooleanField(default=True, help_text="Named among the scheme's main sectors (others are 'also').")),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={"db_table": "schemes_strategicsector", "ordering": ["order", "name"]},
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
