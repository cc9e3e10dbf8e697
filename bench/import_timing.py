"""Time the Excel import of 5,000 new partners: `python -m bench.import_timing --source var/bench/scale-1`.

The import writes rows, so it runs on a copy of the scale database (SQLite backup API) under
var/bench/import; the reused scale database stays as generated. The workbook has the columns of
sangsaeng.partners.imports.IMPORT_COLUMNS and only valid, new companies, so the whole file is
validated and then written in one transaction. The task backend is the immediate one, so
start_import returns when the import has finished: its wall time is the figure. Prints one JSON
line: {"rows", "seconds", "status", "message"} or {"skipped": reason}.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

from bench.prepare import DB_NAME, ROOT, configure


def _copy_database(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (target / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source / DB_NAME) as src, sqlite3.connect(target / DB_NAME) as dst:
        src.backup(dst)


def build_workbook(rows: int, seed: int) -> bytes:
    """An .xlsx of `rows` new valid partners with every import column filled."""
    import xlsxwriter

    from sangsaeng.demo import synthetic
    from sangsaeng.partners.imports import IMPORT_COLUMNS
    from sangsaeng.partners.models import CollaborationField, Partner

    rng = random.Random(seed)
    taken = set(Partner.objects.values_list("brn", flat=True))
    brns = synthetic.unique_brns(rng, rows, taken=taken)
    codes = list(CollaborationField.objects.values_list("code", flat=True))
    names = synthetic.company_names(
        seed, exclude=frozenset(Partner.objects.values_list("name_ko", flat=True))
    )
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet("Partners")
    for col, column in enumerate(IMPORT_COLUMNS):
        sheet.write_string(0, col, column.header)
    for row, brn in enumerate(brns, start=1):
        company = next(names)
        figures = synthetic.size_profile(rng, rng.choices(synthetic.SIZE_TARGETS, synthetic.SIZE_WEIGHTS)[0])
        text, tags = synthetic.capabilities(rng)
        values = {
            "brn": f"{brn[:3]}-{brn[3:5]}-{brn[5:]}",
            "corporate_number": synthetic.corporate_number(rng) if rng.random() < 0.5 else "",
            "name_ko": company.name_ko,
            "name_en": company.name_en,
            "ceo_name": synthetic.person_name(rng),
            "address": synthetic.address(rng),
            "founded_on": f"{rng.randint(1985, 2022)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "employees": figures.employees,
            "ksic_code": rng.choice(company.ksic_codes),
            "average_revenue_krw": figures.average_revenue_krw,
            "total_assets_krw": figures.total_assets_krw,
            "in_disclosed_group": "N",
            "owned_by_large_firm": "N",
            "tier": rng.randint(1, 4),
            "fair_trade_agreement": rng.choice("YN"),
            "fields": ", ".join(rng.sample(codes, k=min(2, len(codes)))),
            "capabilities": text,
            "capability_tags": tags,
            "contact_name": synthetic.person_name(rng),
            "contact_email": f"contact@{company.domain}",
            "contact_phone": synthetic.phone_number(rng),
        }
        for col, column in enumerate(IMPORT_COLUMNS):
            value = values.get(column.key, "")
            if isinstance(value, int):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, str(value))
    workbook.close()
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="var dir of the scale database")
    parser.add_argument("--var-dir", type=Path, default=Path("var/bench/import"))
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=4242)
    args = parser.parse_args(argv)
    source = args.source if args.source.is_absolute() else ROOT / args.source
    var_dir = args.var_dir if args.var_dir.is_absolute() else ROOT / args.var_dir
    _copy_database(source, var_dir)
    configure(var_dir)
    try:
        from sangsaeng.partners import imports
    except ImportError as error:
        print(json.dumps({"skipped": f"sangsaeng.partners.imports is not available ({error})"}))
        return 0
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench.generate import PM_EMAIL
    from sangsaeng.accounts.models import User
    from sangsaeng.partners.models import Partner

    content = build_workbook(args.rows, args.seed)
    pm = User.objects.get(email=PM_EMAIL)
    before = Partner.objects.count()
    upload = SimpleUploadedFile(
        "bench-import.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    started = time.perf_counter()
    job = imports.start_import(actor=pm, upload=upload, mode=imports.MODE_CREATE)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    print(
        json.dumps(
            {
                "rows": args.rows,
                "seconds": round(seconds, 2),
                "status": job.status,
                "message": job.message,
                "imported": Partner.objects.count() - before,
                "bytes": len(content),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
