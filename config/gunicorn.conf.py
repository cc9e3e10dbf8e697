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
    if os.environ.get("SANGSAENG_OWN_PROCESS_GROUP") == "1":
        # bin/serve: the master leads a process group of its own (already so when it is a session or job
        # leader), so that a restart after `kill -9` can end every process of the old group.
        try:
            os.setpgid(0, 0)
        except PermissionError:  # a session leader already leads its group
            pass


def post_worker_init(worker):
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# A master killed with SIGKILL (the OOM killer, `kill -9`, a crashed supervisor) cannot stop its workers:
# they kept the listening socket for about 45 s (until their next check of the parent), so a new master
# could not bind the port ("Connection in use"). Linux tells each worker at once instead: the parent-death
# signal (prctl PR_SET_PDEATHSIG) sends it SIGTERM when the master dies, and it finishes its request and
# exits, so an immediate restart binds again (gunicorn retries the bind for a few seconds). bin/serve also
# ends any process left from the previous group before it starts.
def post_fork(server, worker):
    import ctypes
    import os
    import signal

    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except OSError:  # not Linux/glibc: bin/serve's process-group cleanup still applies
        return
    if os.getppid() != server.pid:  # the master died between fork and prctl
        os._exit(0)


# Prometheus counts per worker process (PROMETHEUS_MULTIPROC_DIR, set by bin/serve): a dead worker's files
# are marked so that its gauges leave the sum (core/metrics.py).
def child_exit(server, worker):
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
