"""The archive's domain: regions, reports and their numbered sections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from reports.titles import is_generic_title


class RegionLevel(models.IntegerChoices):
    # The national level (国务院 and its departments) is a root region of its own beside the
    # provinces, so "everything under 江苏省" never includes it and province names stay short.
    NATIONAL = 0, "国家级"
    PROVINCE = 1, "省级"
    CITY = 2, "地级"
    COUNTY = 3, "县级"
    TOWN = 4, "乡级"


class RegionQuerySet(models.QuerySet):
    def within(self, region: Region) -> RegionQuerySet:
        """The region itself and every region below it."""
        return self.filter(tree_path__startswith=region.tree_path)

    def provinces(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.PROVINCE)

    def roots(self) -> RegionQuerySet:
        """The tops of the tree: the provinces and the national root (国务院)."""
        return self.filter(parent__isnull=True)

    def national(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.NATIONAL)

    def with_ancestors(self) -> RegionQuerySet:
        """Parents joined, so ``full_name`` of a town needs no further query."""
        return self.select_related("parent__parent__parent")

    def matching(self, value: str | int) -> RegionQuerySet:
        """Regions named by a user: an id, or an exact name (several places may share one)."""
        value = str(value).strip()
        if not value:
            return self.none()
        if value.isdigit():
            return self.filter(pk=int(value))
        return self.filter(name=value)


class Region(models.Model):
    """A node of the administrative tree: province > city > county/district > town, with the
    national level (国务院 and its departments) as a root of its own beside the provinces."""

    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("级别", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("区划代码", max_length=12, blank=True)
    # Materialised path of zero-padded ids ("000001/000007/"): subtree queries are one
    # indexed prefix match instead of a recursive walk.
    tree_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["tree_path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True),
                name="region_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        expected = (self.parent.tree_path if self.parent_id else "") + f"{self.pk:08d}/"
        if self.tree_path != expected:
            self.tree_path = expected
            type(self).objects.filter(pk=self.pk).update(tree_path=expected)

    def ancestors(self) -> list[Region]:
        """From the province down to this region itself."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors())

    def at_level(self, level: int) -> Region | None:
        for region in self.ancestors():
            if region.level == level:
                return region
        return None

    def get_absolute_url(self) -> str:
        return reverse("reports:list") + f"?region={self.pk}"


class ReportKind(models.TextChoices):
    RULE_OF_LAW = "fazhi", "法治政府建设年度报告"
    GOVERNMENT_WORK = "gwr", "政府工作报告"
    # Same 1 April deadline as the rule-of-law report, but a different report: never folded in.
    INFO_DISCLOSURE = "xxgk", "政府信息公开工作年度报告"
    OTHER = "other", "其他"


class BodyKind(models.TextChoices):
    """Who reports: a people's government (or its office) or one of its departments."""

    GOVERNMENT = "gov", "政府"
    DEPARTMENT = "dept", "部门"


class Script(models.TextChoices):
    SIMPLIFIED = "simplified", "简体"
    TRADITIONAL = "traditional", "繁体"


class ReportQuerySet(models.QuerySet):
    def in_region(self, region: Region) -> ReportQuerySet:
        return self.filter(region__tree_path__startswith=region.tree_path)

    def in_any_region(self, regions) -> ReportQuerySet:
        """Reports in any of the given regions or below them."""
        condition = models.Q(pk__in=[])
        for region in regions:
            condition |= models.Q(region__tree_path__startswith=region.tree_path)
        return self.filter(condition)

    def for_years(self, first: int | None = None, last: int | None = None) -> ReportQuerySet:
        qs = self
        if first is not None:
            qs = qs.filter(year__gte=first)
        if last is not None:
            qs = qs.filter(year__lte=last)
        return qs

    def of_kind(self, kind: str) -> ReportQuerySet:
        return self.filter(kind=kind)

    def of_body_kind(self, body_kind: str) -> ReportQuerySet:
        """Government reports ("gov") or department reports ("dept")."""
        return self.filter(body_kind=body_kind)

    def with_region(self) -> ReportQuerySet:
        return self.select_related("region__parent__parent__parent")


def original_upload_to(report: Report, filename: str) -> str:
    return f"{report.checksum[:2]}/{report.checksum}/{filename}"


class Report(models.Model):
    title = models.CharField("标题", max_length=300)
    title_generated = models.BooleanField(
        "标题为生成", default=False, help_text="原文无标题，标题由地区、年度和类型生成。"
    )
    kind = models.CharField("类型", max_length=10, choices=ReportKind.choices, default=ReportKind.OTHER)
    region = models.ForeignKey(
        Region, verbose_name="地区", null=True, blank=True, on_delete=models.PROTECT,
        related_name="reports",
    )
    year = models.PositiveSmallIntegerField("报告年度", null=True, blank=True)
    published = models.DateField("发布日期", null=True, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True)
    # The reporting body as named (苏州市司法局, 国务院); `region` is its jurisdiction.
    reporting_body = models.CharField("报告主体", max_length=200, blank=True)
    body_kind = models.CharField(
        "主体类型", max_length=4, choices=BodyKind.choices, default=BodyKind.GOVERNMENT
    )
    department = models.CharField("部门", max_length=100, blank=True, help_text="部门报告的部门简称，如“司法局”。")
    # Facts read from the page's metadata block (发布机构, 索引号, 文号, 信息来源/栏目).
    publisher = models.CharField("发布机构", max_length=200, blank=True)
    index_number = models.CharField("索引号", max_length=100, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    source_column = models.CharField("来源/栏目", max_length=200, blank=True)
    page_metadata = models.JSONField("页面元数据", default=dict, blank=True)
    original_text = models.TextField("原文")
    original_file = models.FileField("原始文件", upload_to=original_upload_to, blank=True)
    original_filename = models.CharField("原始文件名", max_length=255, blank=True)
    original_format = models.CharField("原始格式", max_length=20, blank=True)
    original_encoding = models.CharField("原始编码", max_length=30, blank=True)
    script = models.CharField("字形", max_length=12, choices=Script.choices, default=Script.SIMPLIFIED)
    checksum = models.CharField("内容校验和 (SHA-256)", max_length=64, unique=True)
    file_checksum = models.CharField("文件校验和 (SHA-256)", max_length=64, blank=True)
    parse_warnings = models.JSONField("解析提示", default=list, blank=True)
    # Provenance: how the text was obtained.  OCR: the engine and its mean word confidence
    # (0-100); by web address: when the source was fetched (its responses are Captures).
    ocr_engine = models.CharField("OCR 引擎", max_length=100, blank=True)
    ocr_confidence = models.FloatField("OCR 平均置信度", null=True, blank=True)
    fetched_at = models.DateTimeField("抓取时间", null=True, blank=True)
    # Harvested reports: the web page they are a version of (SourceDocument.reports, oldest first).
    source_document = models.ForeignKey(
        "SourceDocument", verbose_name="采集来源", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reports",
    )
    # Names of metadata fields an admin set by hand: re-parsing keeps them.
    locked_fields = models.JSONField("人工设定字段", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后修改者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "报告"
        verbose_name_plural = "报告"
        ordering = ["-year", "title", "pk"]
        indexes = [
            models.Index(fields=["year"], name="report_year_idx"),
            models.Index(fields=["kind", "year"], name="report_kind_year_idx"),
            models.Index(fields=["-created_at"], name="report_created_idx"),
            models.Index(fields=["body_kind", "year"], name="report_body_kind_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1949, year__lte=2100),
                name="report_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def jurisdiction_name(self) -> str:
        return self.region.full_name if self.region_id else ""

    @property
    def title_context(self) -> str:
        """Who and which year, shown beside a generic printed title (a bare 政府工作报告) that
        names neither; the title itself stays as printed."""
        if self.title_generated or not is_generic_title(self.title):
            return ""
        who = self.reporting_body or (self.region.name if self.region_id else "")
        return f"{who}{self.year}年" if self.year else who

    @property
    def is_department_report(self) -> bool:
        return self.body_kind == BodyKind.DEPARTMENT

    @property
    def body_label(self) -> str:
        """Who reports, for lists and comparisons: "苏州市司法局（部门）", "广东省人民政府"."""
        name = self.reporting_body or (self.department if self.is_department_report else "")
        if self.is_department_report:
            return f"{name}（部门）" if name else "部门报告"
        return name


class SourceDocument(models.Model):
    """A web address harvested from a source's list pages (``manage.py harvest``).

    Its reports are its versions, oldest first: a re-harvest that finds different content
    keeps the old report and adds a new one.  A source that answers 404/410 is not deleted
    but flagged ``gone_since`` (with ``last_seen``, the last time it answered).
    """

    url = models.URLField("网址", max_length=2000, unique=True)
    source = models.CharField("来源", max_length=200, blank=True)
    etag = models.CharField("ETag", max_length=300, blank=True)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True)
    checksum = models.CharField("最近内容校验和", max_length=64, blank=True)
    first_seen = models.DateTimeField("首次发现", auto_now_add=True)
    last_checked = models.DateTimeField("最近检查", null=True, blank=True)
    last_seen = models.DateTimeField("最近可访问", null=True, blank=True)
    gone_since = models.DateTimeField("发现失效", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "采集来源网页"
        verbose_name_plural = "采集来源网页"
        ordering = ["source", "url"]

    def __str__(self) -> str:
        return self.url


def capture_upload_to(capture: Capture, filename: str) -> str:
    return f"captures/{capture.checksum[:2]}/{capture.checksum}/{filename}"


class CaptureRole(models.TextChoices):
    PAGE = "page", "网页"
    ATTACHMENT = "attachment", "附件"


class Capture(models.Model):
    """One HTTP response a report was made from, kept as a WARC record (ISO 28500).

    A report fetched from a wrapper page has two: the page and the attachment it links to.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="captures")
    role = models.CharField("角色", max_length=10, choices=CaptureRole.choices, default=CaptureRole.PAGE)
    url = models.URLField("请求网址", max_length=2000)
    final_url = models.URLField("最终网址", max_length=2000)
    fetched_at = models.DateTimeField("抓取时间")
    status = models.PositiveSmallIntegerField("HTTP 状态")
    headers = models.JSONField("HTTP 响应头", default=list, blank=True)
    checksum = models.CharField("内容校验和 (SHA-256)", max_length=64)
    size = models.PositiveBigIntegerField("字节数")
    content_type = models.CharField("内容类型", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("服务器地址", null=True, blank=True)
    redirects = models.JSONField("重定向经过", default=list, blank=True)
    warc_file = models.FileField("WARC 记录", upload_to=capture_upload_to, blank=True)

    class Meta:
        verbose_name = "抓取记录"
        verbose_name_plural = "抓取记录"
        ordering = ["report", "fetched_at", "pk"]
        indexes = [
            models.Index(fields=["final_url"], name="capture_final_url_idx"),
            models.Index(fields=["checksum"], name="capture_checksum_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.final_url} ({self.fetched_at:%Y-%m-%d})"


class Section(models.Model):
    """One numbered part of a report, as printed (`一、`, `（一）`, `1.`, `（1）`, `①`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField("层级")
    number = models.CharField("编号", max_length=20, blank=True)
    path = models.CharField("路径", max_length=50)
    heading = models.CharField("标题", max_length=500, blank=True)
    text = models.TextField("正文", blank=True)
    order = models.PositiveIntegerField("顺序")
    # Topic key from compare/topics.py; an admin override is kept across re-parsing.
    topic = models.CharField("主题", max_length=40, blank=True, db_index=True)
    topic_overridden = models.BooleanField("主题为人工设定", default=False)

    class Meta:
        verbose_name = "章节"
        verbose_name_plural = "章节"
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "path"], name="section_unique_path"),
            models.UniqueConstraint(fields=["report", "order"], name="section_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.heading}".strip()

    @property
    def anchor(self) -> str:
        return f"s-{self.path}"

    def get_absolute_url(self) -> str:
        return reverse("reports:section", args=[self.report_id, self.path])
