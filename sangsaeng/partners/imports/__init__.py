"""Excel import of partner companies (협력사 일괄 등록) for host staff.

Rules (DESIGN.md rule 5, issue 2 §4):
- Only host administrators and programme managers import; the file must be a real .xlsx within
  settings.MAX_IMPORT_BYTES. The upload is stored on a Job and a task does the work, so a page can
  poll its progress.
- Every row is validated before anything is written. If any row fails, nothing is imported: the job
  fails with a row / column / message list (in the importing person's language) and an error
  report workbook. Otherwise every partner is written in one transaction.
- Mode "create" refuses a business registration number (사업자등록번호) that is already registered;
  mode "update" updates the partner with that number (columns absent from the file are left as
  they are) and creates the others. Imported new partners are approved at once: the host vouches
  for them.
- Text is NFC-normalised (Excel on macOS writes decomposed NFD Hangul). Empty rows are skipped.
  Rows whose company name starts with "(예시)" are the template's example and are skipped too.

Split by step; import from here:
- columns: the modes, the columns of the file (IMPORT_COLUMNS) and the template workbook;
- cells: reading one cell's value into the type its column wants;
- reading: reading the workbook and validating every row into a list of errors;
- writing: the all-or-nothing write of partners with their audit events and progress;
- jobs: the upload and its Job (start_import) and the task's work (run_import).
"""

from sangsaeng.partners.imports.columns import (
    COLUMNS_BY_KEY,
    CONTACT_KEYS,
    EXAMPLE_MARKER,
    IMPORT_COLUMNS,
    IMPORT_MODES,
    MODE_CREATE,
    MODE_UPDATE,
    PARTNER_KEYS,
    ImportColumn,
    build_template,
)
from sangsaeng.partners.imports.jobs import JOB_KIND, MAX_ERRORS_IN_RESULT, run_import, start_import
from sangsaeng.partners.imports.reading import (
    MAX_EMPLOYEES,
    MAX_IMPORT_ROWS,
    MAX_MONEY_KRW,
    ParsedRow,
    RowError,
)
from sangsaeng.partners.imports.writing import PROGRESS_EVERY

__all__ = [
    "COLUMNS_BY_KEY",
    "CONTACT_KEYS",
    "EXAMPLE_MARKER",
    "IMPORT_COLUMNS",
    "IMPORT_MODES",
    "JOB_KIND",
    "MAX_EMPLOYEES",
    "MAX_ERRORS_IN_RESULT",
    "MAX_IMPORT_ROWS",
    "MAX_MONEY_KRW",
    "MODE_CREATE",
    "MODE_UPDATE",
    "PARTNER_KEYS",
    "PROGRESS_EVERY",
    "ImportColumn",
    "ParsedRow",
    "RowError",
    "build_template",
    "run_import",
    "start_import",
]
