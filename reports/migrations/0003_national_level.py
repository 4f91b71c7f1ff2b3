# The national level: 国务院 and its departments as a root region beside the provinces.
#
# Reports imported before it have no region when they are national (the parser returned none).
# They are moved to the national root here by the same plain rule the parser starts with: a
# title or an opening that names 国务院 / 全国人民代表大会 while the report has no region.  The
# reporting body of other reports (departments) is read when a report is imported or its text
# is replaced; a migration does not re-run the parser.

import re

from django.conf import settings
from django.db import migrations, models

NATIONAL_LEVEL = 0
NATIONAL_ROOT = "国务院"
NATIONAL_CODE = "100000"
_NATIONAL = re.compile(
    r"(?:^|\d{4}年)(?:中华人民共和国)?(?:国务院|全国人民代表大会)|代表(?:中华人民共和国)?国务院|全国人民代表大会第")


def national_root(Region):
    root = Region.objects.filter(parent__isnull=True, name=NATIONAL_ROOT).first()
    if root is None:
        root = Region.objects.create(name=NATIONAL_ROOT, level=NATIONAL_LEVEL, code=NATIONAL_CODE)
        # Historical models lack Region.save()'s materialised path: set it here.
        Region.objects.filter(pk=root.pk).update(tree_path=f"{root.pk:08d}/")
    return root


def forwards(apps, schema_editor):
    Region = apps.get_model("reports", "Region")
    Report = apps.get_model("reports", "Report")
    root = None
    for report in Report.objects.filter(region__isnull=True).only("pk", "title", "original_text").iterator():
        opening = re.sub(r"\s+", "", (report.title or "") + "\n" + (report.original_text or "")[:400])
        if not _NATIONAL.search(opening):
            continue
        root = root or national_root(Region)
        body = "全国人民代表大会" if "全国人民代表大会" in opening[:60] else NATIONAL_ROOT
        Report.objects.filter(pk=report.pk).update(region=root, reporting_body=body, body_kind="gov")


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_fidelity_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['body_kind', 'year'], name='report_body_kind_year_idx'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
