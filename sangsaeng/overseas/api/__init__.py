"""Overseas expansion API, mounted at /api/v1/overseas: one router per sub-domain, the same selectors
and services as the pages."""

from ninja import Router

from sangsaeng.overseas.api import channel, exhibitions, opportunities, reports

router = Router(tags=["overseas"])
router.add_router("", channel.router)
router.add_router("", opportunities.router)
router.add_router("", exhibitions.router)
router.add_router("", reports.router)
