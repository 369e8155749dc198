"""The three templates of RULES §4.1–4.3 (assessments/template_data.py), by code: running it again updates them."""

from django.db import migrations


def load_templates(apps, schema_editor):
    from assessments.template_data import TEMPLATES

    ScorecardTemplate = apps.get_model("assessments", "ScorecardTemplate")
    for definition in TEMPLATES:
        ScorecardTemplate.objects.update_or_create(
            code=definition["code"],
            defaults={"name": definition["name"], "version": definition["version"], "definition": definition},
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load_templates, migrations.RunPython.noop)]
