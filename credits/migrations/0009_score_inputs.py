"""Scores keep what they were assessed from (``inputs``) and explain it when read; the explanations stored before
stay as ``legacy_explanation`` until each score is next recomputed. The official's own index goes: the unique
(official, year) index starts with it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0008_baoji_kinds"),
        ("organisation", "0003_official_birth_date"),
    ]

    operations = [
        migrations.AlterField(
            model_name="annualscore",
            name="official",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scores",
                to="organisation.official",
            ),
        ),
        migrations.RenameField(model_name="annualscore", old_name="explanation", new_name="legacy_explanation"),
        migrations.AlterField(
            model_name="annualscore",
            name="legacy_explanation",
            field=models.JSONField(blank=True, default=None, null=True),
        ),
        migrations.AddField(
            model_name="annualscore",
            name="inputs",
            field=models.TextField(blank=True, default=""),
        ),
    ]
