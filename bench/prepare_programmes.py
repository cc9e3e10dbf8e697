"""Build (or reuse) the programme dataset on top of a "scale" dataset:
`python -m bench.prepare_programmes --source var/bench/scale-1 --var-dir var/bench/scale-1-programmes`.

The programmes' bench data (the R&D call with its reviews, the loan fund with its loans and
schedules, the Open Lab with its bookings) is written by each app's own generator,
`bench/generators/<app>.py`'s `generate_bench_data`, into a copy of the scale database, so the partner
dataset stays as it is and a programme generator that changes only rebuilds this copy. The copy is
reused while the source dataset and every generator's BENCH_DATA_VERSION are unchanged.
What each generator returns (ids, logins, timings) goes to <var-dir>/programmes.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.prepare import DB_NAME, configure  # noqa: E402

# The apps that take part, in the order their data is written.
PROGRAMME_APPS = ("rnd", "finance", "openlab", "councils")


def benchmark_module(app: str) -> ModuleType | None:
    """`bench.generators.<app>` if it offers the bench interface, else None."""
    try:
        module = importlib.import_module(f"bench.generators.{app}")
    except ModuleNotFoundError as error:
        if error.name != f"bench.generators.{app}":
            raise
        return None
    wanted = ("generate_bench_data", "bench_endpoints", "BENCH_DATA_VERSION")
    return module if all(hasattr(module, name) for name in wanted) else None


def versions() -> dict[str, int]:
    """BENCH_DATA_VERSION of every app that offers the interface (imports only, no database)."""
    found = {}
    for app in PROGRAMME_APPS:
        module = benchmark_module(app)
        if module is not None:
            found[app] = int(module.BENCH_DATA_VERSION)
    return found


def _copy_database(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (target / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    (target / "programmes.json").unlink(missing_ok=True)
    with sqlite3.connect(source / DB_NAME) as src, sqlite3.connect(target / DB_NAME) as dst:
        src.backup(dst)
    if (source / "secret_key").exists():
        shutil.copy2(source / "secret_key", target / "secret_key")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="the scale dataset's var dir")
    parser.add_argument("--var-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    source = args.source if args.source.is_absolute() else ROOT / args.source
    target = args.var_dir if args.var_dir.is_absolute() else ROOT / args.var_dir

    # Django first (the generators import models); it opens no connection until the first query,
    # so the database file can still be replaced below.
    target.mkdir(parents=True, exist_ok=True)
    configure(target)
    from django.core.management import call_command
    from django.db import connections

    source_meta = json.loads((source / "dataset.json").read_text(encoding="utf-8"))
    wanted = {"source": source_meta, "seed": args.seed, "versions": versions()}
    meta_file = target / "programmes.json"
    if not args.regenerate and meta_file.exists() and (target / DB_NAME).exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if all(meta.get(key) == value for key, value in wanted.items()):
            call_command("migrate", verbosity=0, interactive=False)
            print(f"reusing {target / DB_NAME}: programmes {', '.join(wanted['versions'])}", flush=True)
            return 0

    started = time.monotonic()
    connections.close_all()
    _copy_database(source, target)
    call_command("migrate", verbosity=0, interactive=False)
    info: dict[str, dict] = {}
    for app in wanted["versions"]:
        module = benchmark_module(app)
        app_started = time.monotonic()
        info[app] = module.generate_bench_data(
            seed=args.seed,
            log=lambda message, app=app: print(
                f"  {time.monotonic() - started:6.1f} s  {app}: {message}", flush=True
            ),
        )
        print(f"{app}: bench data written in {time.monotonic() - app_started:.1f} s", flush=True)
    # The endpoint lists are stored too: bench/run.py measures them without importing Django.
    endpoints = {app: benchmark_module(app).bench_endpoints(info[app]) for app in info}
    meta_file.write_text(
        json.dumps({**wanted, "info": info, "endpoints": endpoints}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(
        f"programme data for {', '.join(info) or 'no app'} in {time.monotonic() - started:.1f} s", flush=True
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
