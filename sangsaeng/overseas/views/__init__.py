"""Overseas pages, by sub-domain: each view parses, calls one selector or service, and renders (full
page or htmx partial through core.http.render_page)."""
