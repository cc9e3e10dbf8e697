"""gunicorn settings shared by `make demo`, `make bench` and deployments (README, design notes).

Sync workers, one request at a time each, as many as 2 × cores + 1 (WEB_CONCURRENCY overrides): the
pages spend their time in Python (ORM rows, rendering), so threads in one process only queue behind
its GIL, and a keep-alive connection stays on the worker that accepted it; with a few people at once,
several of them would share one core while the other idles (measured: p95 two to four times the
page's own latency). A sync worker accepts a connection only when it is free. In production a
buffering proxy (nginx or the load balancer) sits in front, as gunicorn advises for sync workers.
"""

import multiprocessing
import os

worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or multiprocessing.cpu_count() * 2 + 1
timeout = 60
graceful_timeout = 20
backlog = 2048
