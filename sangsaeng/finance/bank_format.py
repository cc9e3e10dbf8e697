"""The layout of a bank file, shared by the export (selectors) and the import (services.bank_files).

A leaf module (no imports) so that reads do not depend on the write services.
"""

# The columns of a bank file, in order; the export writes the same header so a bank can fill it in.
COLUMNS = (
    "action",
    "application_id",
    "loan_id",
    "amount_krw",
    "date",
    "annual_rate",
    "principal_krw",
    "interest_krw",
    "reason",
)
ACTIONS = ("approve", "reject", "disburse", "repay", "correct", "reverse")
# Corrections name the entry in an extra column after the fixed ones (the export's descriptive
# columns are ignored on import): "correct" reverses it and records date/principal/interest (blank =
# as before), "reverse" only reverses it (the payment never happened); both need a reason.
REPAYMENT_COLUMN = "repayment_id"
