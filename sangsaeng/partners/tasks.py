"""Background work of the partner registry (django-tasks: immediate by default, db_worker when configured).

The import's task is declared beside the work it queues (imports.jobs), so that the import does not
import this module back; it is listed here with the app's other tasks.
"""

from __future__ import annotations

from sangsaeng.partners.imports.jobs import import_partners

__all__ = ["import_partners"]
