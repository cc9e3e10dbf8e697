"""Bench data generators, one module per programme app (`bench/prepare_programmes.py` runs them).

Each module offers `generate_bench_data(seed, log)` (writes the app's data at bench scale into the
bench database and returns ids, logins and timings), `bench_endpoints(info)` (the pages to measure,
who asks for them, the p95 target) and `BENCH_DATA_VERSION` (bumped when the data changes, so the
bench rebuilds its copy). They are bench code, not part of the apps: nothing under `sangsaeng/`
imports them. Their tests are `bench/tests/test_generators_<app>.py`.
"""
