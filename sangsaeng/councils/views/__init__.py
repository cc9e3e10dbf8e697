"""Councils pages: each view parses, calls one selector or service, and renders."""
