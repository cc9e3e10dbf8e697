"""Build (or reuse) one bench database: `python -m bench.prepare --scale 1 --var-dir var/bench/scale-1`.

Runs in its own process because Django's settings are fixed at start-up and each scale has its own
SQLite file: SANGSAENG_VAR_DIR is set before Django loads, so the demo database is never touched.
The dataset description is written to <var-dir>/dataset.json; when that file matches the requested
size and version and the database holds the partners, the database is reused as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "sangsaeng.sqlite3"


def configure(var_dir: Path) -> None:
    """Point Django at the bench's own SQLite database under `var_dir` and set it up."""
    os.environ["SANGSAENG_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ.setdefault("EMAIL_URL", "locmem://")
    os.environ["TASKS_BACKEND"] = "immediate"
    import django

    django.setup()


def _remove_database(var_dir: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        (var_dir / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    (var_dir / "dataset.json").unlink(missing_ok=True)


def _reusable(var_dir: Path, partners: int, users: int, seed: int, version: int) -> dict | None:
    meta_file = var_dir / "dataset.json"
    if not meta_file.exists() or not (var_dir / DB_NAME).exists():
        return None
    meta = json.loads(meta_file.read_text())
    wanted = {"partners": partners, "users": users, "seed": seed, "version": version}
    if any(meta.get(key) != value for key, value in wanted.items()):
        return None
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--var-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="throw the database away and rebuild it")
    args = parser.parse_args(argv)
    var_dir = args.var_dir if args.var_dir.is_absolute() else ROOT / args.var_dir
    var_dir.mkdir(parents=True, exist_ok=True)

    configure(var_dir)
    from django.core.management import call_command

    from bench.generate import DATASET_VERSION, generate, sizes_for_scale
    from sangsaeng.partners.models import Partner

    partners, users = sizes_for_scale(args.scale)
    meta = None if args.regenerate else _reusable(var_dir, partners, users, args.seed, DATASET_VERSION)
    if meta is not None and Partner.objects.count() == partners:
        # New migrations (an index, say) apply to a reused dataset too, or the bench measures old code.
        call_command("migrate", verbosity=0, interactive=False)
        print(f"reusing {var_dir / DB_NAME}: {partners:,} partners, {meta['users']:,} users", flush=True)
        return 0
    from django.db import connections

    # A stale or half-built database is thrown away and rebuilt, never migrated over.
    connections.close_all()
    _remove_database(var_dir)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated {var_dir / DB_NAME} in {time.monotonic() - started:.1f} s", flush=True)
    dataset = generate(
        partners=partners,
        users=users,
        seed=args.seed,
        log=lambda message: print(f"  {time.monotonic() - started:6.1f} s  {message}", flush=True),
    )
    (var_dir / "dataset.json").write_text(json.dumps(dataset.to_dict(), ensure_ascii=False, indent=1))
    print(
        f"generated {partners:,} partners, {dataset.users:,} users, {dataset.audit_events:,} audit events "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
