"""Admin forms for uploading reports and correcting what the parser found."""

from __future__ import annotations

from django import forms
from django.conf import settings

from reports.ingest import IngestError
from reports.ingest.url import check_syntax
from reports.models import ReportKind, Script

MAX_URLS = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    # Empty files pass the form so that the importer names the problem like any other.
    files = MultipleFileField(
        label="报告文件", required=False, allow_empty_file=True,
        help_text=(
            "可一次选择多个文件：纯文本（UTF-8、GB18030/GBK、Big5 自动识别）、Word (.docx/.doc)、"
            "WPS (.wps)、PDF（扫描件自动 OCR）、图片 (PNG/JPEG/TIFF，OCR)、OFD、保存的网页 (.html)。"
        ),
    )
    urls = forms.CharField(
        label="或粘贴网址", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"每行一个 http(s) 网址，最多 {MAX_URLS} 个；只有附件链接的页面会自动下载附件，网页和附件都会存档。",
    )
    text = forms.CharField(label="或直接粘贴全文", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    text_name = forms.CharField(label="粘贴文本的名称", required=False, max_length=100, initial="粘贴文本.txt")

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("files") or []
        limit = settings.ARCHIVE_MAX_UPLOAD_BYTES
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    f"文件「{upload.name}」超过大小上限（{limit // (1024 * 1024)} MB），未作任何改动。"
                )
        urls = [line.strip() for line in (cleaned.get("urls") or "").splitlines() if line.strip()]
        if len(urls) > MAX_URLS:
            raise forms.ValidationError(f"一次最多导入 {MAX_URLS} 个网址。")
        for url in urls:
            try:
                check_syntax(url)
            except IngestError as exc:
                raise forms.ValidationError(exc.message) from None
        cleaned["url_list"] = list(dict.fromkeys(urls))
        if not files and not (cleaned.get("text") or "").strip() and not urls:
            raise forms.ValidationError("请选择文件、粘贴报告全文或网址。")
        return cleaned

    def staged_payload(self) -> list[tuple[str, bytes]]:
        payload = [(upload.name, upload.read()) for upload in self.cleaned_data["files"]]
        text = self.cleaned_data.get("text") or ""
        if text.strip():
            name = (self.cleaned_data.get("text_name") or "粘贴文本.txt").strip()
            payload.append((name, text.encode("utf-8")))
        return payload


class DraftForm(forms.Form):
    """One previewed file: save it or not, and the metadata to save it with."""

    save = forms.BooleanField(label="保存", required=False, initial=True)
    title = forms.CharField(
        label="标题", max_length=300, widget=forms.TextInput(attrs={"class": "vTextField preview-title"})
    )
    kind = forms.ChoiceField(label="类型", choices=ReportKind.choices)
    year = forms.IntegerField(label="报告年度", required=False, min_value=1949, max_value=2100)
    # An <input type=date> shows only an ISO value; the zh-hans default format (2021/03/31) left it blank.
    published = forms.DateField(
        label="发布日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    script = forms.ChoiceField(label="字形", choices=Script.choices)
    province = forms.CharField(label="省", required=False, max_length=100)
    city = forms.CharField(label="市", required=False, max_length=100)
    county = forms.CharField(label="县/区", required=False, max_length=100)
    town = forms.CharField(label="乡镇/街道", required=False, max_length=100)
    source_url = forms.URLField(label="来源网址", required=False, max_length=500, assume_scheme="https")
    confirm_unstructured = forms.BooleanField(
        label="确认按单节报告保存（未识别出中文或正文）", required=False
    )

    REGION_FIELDS = ("province", "city", "county", "town")

    def __init__(self, *args, ocr: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ocr:  # OCR text is shown for correction before anything is saved
            self.fields["text"] = forms.CharField(
                label="识别出的文字（可校对）", widget=forms.Textarea(attrs={"rows": 16, "class": "ocr-text"}),
                strip=False,
            )

    def corrected_text(self) -> str | None:
        """The admin's corrected OCR text, or None when it was left as recognised."""
        if "text" not in self.fields or "text" not in self.changed_data:
            return None
        return self.cleaned_data["text"].replace("\r\n", "\n")

    @staticmethod
    def initial_from_draft(draft) -> dict:
        meta = draft.metadata
        names = meta.jurisdiction.names() if meta.jurisdiction else {}
        return {
            "save": True,
            "title": meta.title,
            "kind": meta.kind,
            "year": meta.year,
            "published": meta.published,
            "script": meta.script,
            "source_url": draft.ingested.page_meta.get("source_url", ""),
            "text": draft.ingested.text,
            **{field: names.get(field, "") for field in DraftForm.REGION_FIELDS},
        }

    def overrides(self) -> dict:
        """What the admin changed relative to the detected values (these become locked)."""
        from reports.services import region_from_names

        changed = set(self.changed_data)
        overrides = {
            name: self.cleaned_data[name]
            for name in ("title", "kind", "year", "published", "script", "source_url")
            if name in changed
        }
        if changed & set(self.REGION_FIELDS):
            levels = {level: self.cleaned_data[field] for level, field in enumerate(self.REGION_FIELDS, start=1)}
            if any(v.strip() for v in levels.values()):
                overrides["region"] = region_from_names(levels)
        return overrides
