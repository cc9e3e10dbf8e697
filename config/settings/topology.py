"""Settings of bin/topology: production settings, plus a heartbeat job every TOPOLOGY_HEARTBEAT_SECONDS
(0: none), so that "each scheduled job runs once per period" can be watched in seconds."""

from config.env import env_int
from config.settings.base import *  # noqa: F403
from config.settings.base import SCHEDULED_JOBS

_HEARTBEAT = env_int("TOPOLOGY_HEARTBEAT_SECONDS", 0)
if _HEARTBEAT:
    SCHEDULED_JOBS = {
        **SCHEDULED_JOBS,
        "core.heartbeat": {"path": "sangsaeng.core.heartbeat.heartbeat", "every_seconds": _HEARTBEAT},
    }
