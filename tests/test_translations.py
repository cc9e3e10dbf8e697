"""The Korean catalogue is complete, compiled from the current .po, and served by default."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parent.parent / "sangsaeng" / "locale" / "ko" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')
_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|\{[A-Za-z_0-9]*\}")


def _unquote(token: str) -> str:
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (obsolete #~ entries are skipped)."""
    entries: list[Entry] = []
    current = Entry(line=1)
    target: tuple[str, int | None] | None = None

    def flush() -> None:
        nonlocal current, target
        if current.msgid is not None:
            entries.append(current)
        current, target = Entry(line=number + 1), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation without a keyword"
            name, index = target
            if name == "msgstr":
                current.msgstr[index or 0] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
        else:
            match = _KEYWORD.match(line)
            assert match, f"{path}:{number}: cannot parse {raw!r}"
            name, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if name == "msgid" and current.msgid is not None:
                flush()
            if name == "msgstr":
                current.msgstr[int(index) if index else 0] = value
                target = (name, int(index) if index else 0)
            else:
                setattr(current, name, value)
                target = (name, None)
    flush()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    entries = parse_po(PO_FILE)
    assert entries and entries[0].msgid == "", "the .po file has no header"
    return entries


def test_locale_paths_point_at_the_catalogue():
    assert settings.LANGUAGE_CODE == "ko"
    assert LC_MESSAGES.parent.parent in {Path(p) for p in settings.LOCALE_PATHS}


def test_po_header_is_korean_utf8_with_one_plural_form(po_entries):
    header = po_entries[0].msgstr[0]
    assert "Language: ko\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=1; plural=0;" in header


def test_every_entry_is_translated_and_none_is_fuzzy(po_entries):
    messages = po_entries[1:]
    assert len(messages) > 100
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in messages if not e.msgstr or any(not s for s in e.msgstr.values())]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    wrong_plurals = [e.msgid for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0}]
    assert not wrong_plurals, f"Korean has one plural form (msgstr[0] only): {wrong_plurals}"


def test_msgids_are_unique(po_entries):
    keys = [e.key for e in po_entries[1:]]
    assert len(keys) == len(set(keys))


def test_placeholders_survive_translation(po_entries):
    problems = []
    for entry in po_entries[1:]:
        if "python-format" not in entry.flags and "python-brace-format" not in entry.flags:
            continue
        wanted = set(_PLACEHOLDER.findall(entry.msgid))
        for translated in entry.msgstr.values():
            if set(_PLACEHOLDER.findall(translated)) != wanted:
                problems.append((entry.msgid, translated))
            leftover = _PLACEHOLDER.sub("", translated) if "python-format" in entry.flags else ""
            if "%" in leftover:
                problems.append((entry.msgid, translated))
    assert not problems, problems


def test_mo_is_compiled_from_the_current_po(po_entries):
    assert MO_FILE.exists(), "run: manage.py compilemessages -l ko"
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in po_entries[1:]:
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
    compiled = {key: value for key, value in catalog.items() if key != ""}
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    stale = sorted(str(k) for k in compiled.keys() - expected.keys())
    assert not missing, f"in the .po but not in the .mo (recompile): {missing[:20]}"
    assert not stale, f"in the .mo but no longer in the .po (recompile): {stale[:20]}"
    changed = sorted(str(k) for k, v in expected.items() if compiled[k] != v)
    assert not changed, f"the .mo holds older translations (recompile): {changed[:20]}"


def test_django_serves_the_korean_catalogue():
    with translation.override("ko"):
        assert translation.gettext("Log in") == "로그인"
        assert translation.gettext("Partner company") == "협력사"
        assert translation.ngettext("%(counter)s partner", "%(counter)s partners", 3) % {"counter": 3} == (
            "협력사 3곳"
        )
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


@pytest.mark.django_db
def test_login_page_is_korean_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "로그인" in html
    assert response.headers.get("Content-Language") == "ko"


@pytest.mark.django_db
def test_login_page_is_english_with_accept_language(client):
    response = client.get("/accounts/login/", headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "로그인" not in html


@pytest.mark.django_db
def test_language_cookie_overrides_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/", headers={"accept-language": "ko"})
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "로그인" not in html
