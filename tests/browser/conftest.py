"""The browser fixtures (`browser`, `new_page`, `log_in_page`) live in the root conftest.py."""
