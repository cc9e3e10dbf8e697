"""Partner pages: each view parses, calls one selector or service, and renders (full page or htmx partial)."""

from sangsaeng.partners.views.company import detail, directory, edit, members, mine, set_fields
from sangsaeng.partners.views.onboarding import decide, resubmit, review_queue, signup, validate_brn
from sangsaeng.partners.views.people import (
    contact_edit,
    contact_remove,
    contacts,
    document_delete,
    document_download,
    document_upload,
)
from sangsaeng.partners.views.transfer import (
    export,
    import_job,
    import_partners,
    import_report,
    import_template,
)

__all__ = [
    "contact_edit",
    "contact_remove",
    "contacts",
    "decide",
    "detail",
    "directory",
    "document_delete",
    "document_download",
    "document_upload",
    "edit",
    "export",
    "import_job",
    "import_partners",
    "import_report",
    "import_template",
    "members",
    "mine",
    "resubmit",
    "review_queue",
    "set_fields",
    "signup",
    "validate_brn",
]
