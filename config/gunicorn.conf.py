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


# Ctrl-C (`make demo`) reaches the master and every worker at once, as one process group. gunicorn's
# own answer is a quick shutdown: the master sends SIGQUIT and a worker in the middle of a request
# dies in it ("[ERROR] Error handling request", or "Worker … was sent SIGINT!" when the worker took
# the terminal's signal itself). Here SIGINT is a graceful stop, as SIGTERM: workers leave SIGINT to
# the master, which lets each finish its request (up to graceful_timeout).
def on_starting(server):
    server.handle_int = server.handle_term


def post_worker_init(worker):
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
