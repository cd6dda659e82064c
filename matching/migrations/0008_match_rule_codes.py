"""Matches store the rules they miss as codes; sentences are derived on read.

``near_miss_reason`` and ``no_longer_meets_reason`` (English sentences) become
``near_miss_rule`` and ``no_longer_meets_rules`` (rule codes), read back from each sentence's
opening words in one UPDATE per rule; ``reasons`` goes (they are derived on read from the same
rule definitions). Backwards, the codes come back as the sentences' place: a rematch with the
earlier code writes the full sentences again.
"""

from django.db import migrations, models

# How each rule's sentence read (matching/engine.py before this migration): (code, lookup, text).
NEAR_MISS_PATTERNS = [
    ("certificates", "startswith", "needs "),
    ("tolerance", "startswith", "tolerance "),
    ("capacity", "startswith", "capacity "),
    ("temperature", "startswith", "max temperature "),
    ("radius", "contains", " km away, radius "),
]
GONE = {"the need is closed": "need_closed"}
NOT_OFFERED = "the supplier no longer offers this process or is inactive"


def sentences_to_codes(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    for code, lookup, text in NEAR_MISS_PATTERNS:
        Match.objects.filter(**{f"near_miss_reason__{lookup}": text}).update(near_miss_rule=code)
    flagged = Match.objects.exclude(no_longer_meets_reason="")
    for match in flagged.only("pk", "no_longer_meets_reason").iterator(chunk_size=2000):
        codes = []
        for part in match.no_longer_meets_reason.split("; "):
            if part in GONE:
                codes.append(GONE[part])
            elif part.startswith(NOT_OFFERED[:30]):
                codes.append("not_offered")
            else:
                codes += [
                    code
                    for code, lookup, text in NEAR_MISS_PATTERNS
                    if (part.startswith(text) if lookup == "startswith" else text in part)
                ][:1]
        Match.objects.filter(pk=match.pk).update(
            no_longer_meets_rules=",".join(codes or ["not_offered"])[:120]
        )


def codes_to_sentences(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    for code, _, _ in NEAR_MISS_PATTERNS:
        Match.objects.filter(near_miss_rule=code).update(near_miss_reason=code)
    for match in Match.objects.exclude(no_longer_meets_rules="").iterator(chunk_size=2000):
        Match.objects.filter(pk=match.pk).update(
            no_longer_meets_reason=match.no_longer_meets_rules.replace(",", "; ")
        )


class Migration(migrations.Migration):
    dependencies = [("matching", "0007_match_cascade_without_constraints")]

    operations = [
        migrations.AddField(
            model_name="match",
            name="near_miss_rule",
            field=models.CharField(blank=True, default="", help_text="The one rule a near miss fails; empty for a match.", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="match",
            name="no_longer_meets_rules",
            field=models.CharField(blank=True, default="", help_text="Set when a match someone acted on stops being a full match: the rules it fails (comma-separated), or why it is no candidate any more.", max_length=120),
            preserve_default=False,
        ),
        migrations.RunPython(sentences_to_codes, codes_to_sentences, elidable=True),
        migrations.RemoveField(model_name="match", name="near_miss_reason"),
        migrations.RemoveField(model_name="match", name="no_longer_meets_reason"),
        migrations.RemoveField(model_name="match", name="reasons"),
    ]
