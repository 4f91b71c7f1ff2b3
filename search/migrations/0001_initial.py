from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="IndexTask",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("report_id", models.BigIntegerField(unique=True, verbose_name="报告编号")),
                (
                    "action",
                    models.CharField(
                        choices=[("update", "更新"), ("delete", "删除")], default="update", max_length=10,
                        verbose_name="操作",
                    ),
                ),
                ("token", models.CharField(max_length=32)),
                ("queued_at", models.DateTimeField(db_index=True, verbose_name="入队时间")),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="尝试次数")),
                ("last_error", models.TextField(blank=True, verbose_name="最近错误")),
            ],
            options={
                "verbose_name": "索引任务",
                "verbose_name_plural": "索引任务",
                "ordering": ["queued_at", "pk"],
            },
        ),
    ]
