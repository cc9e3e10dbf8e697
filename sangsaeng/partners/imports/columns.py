"""The import file's format: its modes, its columns (ImportColumn, IMPORT_COLUMNS) and the template.

IMPORT_COLUMNS is the one list of columns: the template, the reading of the header row, the
validation of each cell and the writing of partners all follow it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.core.spreadsheets import neutralize
from sangsaeng.partners.models import CollaborationField, Contact, Partner
from sangsaeng.partners.validators import brn_check_digit

MODE_CREATE = "create"
MODE_UPDATE = "update"
IMPORT_MODES = (MODE_CREATE, MODE_UPDATE)
EXAMPLE_MARKER = "(예시)"


@dataclass(frozen=True)
class ImportColumn:
    """One column of the import file: its Korean header, the key it fills, how it is read."""

    header: str
    key: str
    kind: str  # brn | corporate_number | text | longtext | ksic | date | count | money | bool | tier | fields | email | phone
    required: bool = False
    help_text: str | Promise = ""
    example: Any = ""


_EXAMPLE_BRN = "123-45-6789" + str(brn_check_digit("123456789"))

IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "사업자등록번호", "brn", "brn", True,
        gettext_lazy("10 digits, hyphens optional (e.g. 123-45-67890). One partner per number."), _EXAMPLE_BRN,
    ),
    ImportColumn(
        "법인등록번호", "corporate_number", "corporate_number", False,
        gettext_lazy("Optional. 13 digits (e.g. 110111-1234567)."), "",
    ),
    ImportColumn("회사명", "name_ko", "text", True, gettext_lazy("Company name in Korean."), f"{EXAMPLE_MARKER} 상생테크"),
    ImportColumn("영문명", "name_en", "text", False, gettext_lazy("Company name in English."), "Sangsaeng Tech"),
    ImportColumn("대표자", "ceo_name", "text", True, gettext_lazy("Name of the CEO."), "김대표"),
    ImportColumn("주소", "address", "text", False, gettext_lazy("Head office address."), "서울특별시 중구 세종대로 110"),
    ImportColumn("설립일", "founded_on", "date", False, gettext_lazy("Date as YYYY-MM-DD."), "2010-03-02"),
    ImportColumn("종업원수", "employees", "count", False, gettext_lazy("Whole number."), 42),
    ImportColumn(
        "주업종(KSIC)", "ksic_code", "ksic", True,
        gettext_lazy("Korean Standard Industrial Classification code of the main industry, 2 to 5 digits."),
        "26110",
    ),
    ImportColumn(
        "3년평균매출액(원)", "average_revenue_krw", "money", False,
        gettext_lazy("3-year average revenue in won (whole number)."), 12_000_000_000,
    ),
    ImportColumn(
        "자산총액(원)", "total_assets_krw", "money", False,
        gettext_lazy("Total assets in won (whole number)."), 8_000_000_000,
    ),
    ImportColumn(
        "공시대상기업집단", "in_disclosed_group", "bool", False,
        gettext_lazy("Belongs to a disclosed business group: Y or N."), "N",
    ),
    ImportColumn(
        "대기업30%소유", "owned_by_large_firm", "bool", False,
        # xgettext:no-python-format
        gettext_lazy("At least 30 % owned as largest shareholder by a firm with assets of 5,000억 or more: Y or N."),
        "N",
    ),
    ImportColumn("협력차수", "tier", "tier", False, gettext_lazy("Tier 1 to 4 (empty means 1)."), 1),
    ImportColumn(
        "공정거래협약", "fair_trade_agreement", "bool", False,
        gettext_lazy("Fair-trade agreement signed: Y or N."), "Y",
    ),
    ImportColumn(
        "협력분야코드", "fields", "fields", False,
        gettext_lazy("Collaboration field codes, separated by commas (see the list below)."),
        "area-technology, area-network",
    ),
    ImportColumn("역량", "capabilities", "longtext", False, gettext_lazy("Capabilities, free text."), "5G 중계기 설계"),
    ImportColumn("태그", "capability_tags", "text", False, gettext_lazy("Tags separated by commas."), "5G, RF"),
    ImportColumn("담당자명", "contact_name", "text", False, gettext_lazy("Contact person's name."), "홍길동"),
    ImportColumn(
        "담당자이메일", "contact_email", "email", False,
        gettext_lazy("Contact person's e-mail address."), "hong@example.com",
    ),
    ImportColumn(
        "담당자전화", "contact_phone", "phone", False,
        gettext_lazy("Contact person's phone number."), "010-1234-5678",
    ),
)  # fmt: skip

COLUMNS_BY_KEY = {column.key: column for column in IMPORT_COLUMNS}
CONTACT_KEYS = ("contact_name", "contact_email", "contact_phone")
# Model fields of Partner filled directly from a column of the same key.
PARTNER_KEYS = tuple(
    column.key for column in IMPORT_COLUMNS if column.key not in CONTACT_KEYS and column.key != "fields"
)
_CONTACT_FIELD = {"contact_name": "name", "contact_email": "email", "contact_phone": "phone"}


def _max_length(key: str) -> int | None:
    model_field = (
        Contact._meta.get_field(_CONTACT_FIELD[key])
        if key in _CONTACT_FIELD
        else Partner._meta.get_field(key)
        if key in PARTNER_KEYS
        else None
    )
    return getattr(model_field, "max_length", None)


_MAX_LENGTHS = {column.key: _max_length(column.key) for column in IMPORT_COLUMNS}


# --- The template ---------------------------------------------------------------------------------------
def build_template() -> bytes:
    """The import workbook: the header row and an example row, and a sheet explaining each column.

    The explanation sheet lists every collaboration field code. Written in the active language.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
    required = workbook.add_format({"bold": True, "bg_color": "#FFF3CD"})
    as_text = workbook.add_format({"num_format": "@"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    sheet = workbook.add_worksheet(_("Partners")[:31])
    text_kinds = {"brn", "corporate_number", "text", "longtext", "ksic", "fields", "email", "phone"}
    for col, column in enumerate(IMPORT_COLUMNS):
        sheet.write_string(0, col, column.header, required if column.required else bold)
        # Text columns are formatted as text so that Excel keeps leading zeros and long digit strings.
        sheet.set_column(
            col, col, max(12, len(column.header) * 2), as_text if column.kind in text_kinds else None
        )
        example = column.example
        if isinstance(example, int):
            sheet.write_number(1, col, example)
        elif example != "":
            sheet.write_string(1, col, str(example), as_text if column.kind in text_kinds else None)
    sheet.freeze_panes(1, 0)

    guide = workbook.add_worksheet(_("Columns")[:31])
    guide.set_column(0, 0, 22)
    guide.set_column(1, 1, 22)
    guide.set_column(2, 2, 10)
    guide.set_column(3, 3, 70)
    guide.set_column(4, 4, 26)
    for col, title in enumerate((_("Column"), _("Key"), _("Required"), _("How to fill it"), _("Example"))):
        guide.write_string(0, col, title, bold)
    row = 1
    for column in IMPORT_COLUMNS:
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, column.key)
        guide.write_string(row, 2, _("Yes") if column.required else _("No"))
        guide.write_string(row, 3, str(column.help_text), wrap)
        guide.write_string(row, 4, str(column.example))
        row += 1
    row += 1
    for line in (
        _("Rows whose company name starts with %(marker)s are examples and are not imported.")
        % {"marker": EXAMPLE_MARKER},
        _("Empty rows are skipped. If any row has an error, nothing is imported and you get a report."),
        _("Yes/no columns accept Y, N, 예, 아니오, TRUE or FALSE."),
    ):
        guide.write_string(row, 0, line)
        row += 1
    row += 1
    for col, title in enumerate(
        (_("Field code"), _("Name (Korean)"), _("Name (English)"), _("Valid from"), _("Valid to"))
    ):
        guide.write_string(row, col, title, bold)
    row += 1
    for collaboration_field in CollaborationField.objects.order_by("kind", "sort_order", "code"):
        values = (
            collaboration_field.code,
            collaboration_field.name_ko,
            collaboration_field.name_en,
            collaboration_field.valid_from.isoformat(),
            collaboration_field.valid_to.isoformat() if collaboration_field.valid_to else "",
        )
        for col, value in enumerate(values):
            guide.write_string(row, col, str(neutralize(value)))
        row += 1
    workbook.close()
    return buffer.getvalue()
