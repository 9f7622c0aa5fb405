"""The interface texts as gettext catalogs (webapp/i18n.py): the English
catalog is complete and in line with the source, the language choice is
Flask-Babel's locale, and the transition from the legacy tables."""

import importlib.util
import shutil
import string
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import render_template_string

from webapp import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "webapp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _converter():
    spec = importlib.util.spec_from_file_location("texts_to_catalog", ROOT / "tools" / "texts_to_catalog.py")
    module = sys.modules["texts_to_catalog"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="en")


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_text_has_english_without_fuzzy_and_the_same_placeholders():
    catalog = _catalog()
    messages = [m for m in catalog if m.id]
    assert len(messages) > 900
    problems = []
    for message in messages:
        if not message.string or not message.string.strip():
            problems.append(f"{message.context}: no English")
        if message.fuzzy:
            problems.append(f"{message.context}: fuzzy")
        if message.context is None:
            problems.append(f"{message.id!r}: no msgctxt (the text's key)")
        if message.string and _fields(message.id) != _fields(message.string):
            problems.append(f"{message.context}: placeholders {_fields(message.id)} != {_fields(message.string)}")
    assert not problems, "\n".join(problems)
    assert not [error for _message, errors in catalog.check() for error in errors]


def test_catalog_is_in_line_with_what_pybabel_extract_finds(tmp_path):
    """The standard tool with babel.cfg finds every text, and the catalog
    holds exactly those (``pybabel update`` would change nothing)."""
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                    "--no-location", "-o", str(pot), "webapp"], cwd=ROOT, check=True)
    with pot.open("rb") as handle:
        extracted = {(m.context, m.id) for m in read_po(handle) if m.id}
    in_catalog = {(m.context, m.id) for m in _catalog() if m.id}
    assert extracted - in_catalog == set(), "texts without English: run tools/texts_to_catalog.py"
    assert in_catalog - extracted == set(), "English for texts no longer in the source: run tools/texts_to_catalog.py"


def test_every_registered_text_is_found_by_extraction(app):
    extracted = {(m.context, m.id) for m in _catalog() if m.id}
    registered = {(key, german) for key, german in i18n.TEXTS.items() if key not in i18n.LEGACY_EN}
    assert len(registered) > 900
    assert registered - extracted == set()


def test_translate_uses_the_catalog_with_the_key_as_context(app):
    with app.app_context():
        assert i18n.translate("start_form", "en") == "Start now"
        assert i18n.translate("start_form", "de") == "Jetzt starten"
        assert i18n.translate("steps", "en", n=3) == "3 steps"
        # the same German, told apart by the key
        assert i18n.TEXTS["inbox_assignee_any"] == i18n.TEXTS["inbox_status_all"] == "Alle"
        assert i18n.translate("inbox_assignee_any", "en") == "Anyone"
        assert i18n.translate("inbox_status_all", "en") == "All"
    # outside the app (a command, a script): the same catalog
    assert i18n.translate("start_form", "en") == "Start now"
    assert i18n.translate("document_of", "en", document="Birth certificate", name="Elif") == "Birth certificate for Elif"


def test_the_language_choice_is_the_locale_of_pages_and_of_gettext_in_templates(client, app):
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Apply and make requests online" in english and 'lang="en"' in english
    assert "Apply and make requests online" in client.get("/").get_data(as_text=True)  # remembered
    german = client.get("/?lang=de").get_data(as_text=True)
    assert "Anträge und Anfragen online stellen" in german
    template = "{{ pgettext('start_form', 'Jetzt starten') }} {{ t('next') }}"
    with app.test_request_context("/?lang=en"):
        assert render_template_string(template) == "Start now Continue"
    with app.test_request_context("/"):
        assert render_template_string(template) == "Jetzt starten Weiter"


def test_register_accepts_marked_and_legacy_texts_and_refuses_clashes(app, monkeypatch):
    monkeypatch.setattr(i18n, "TEXTS", {})
    monkeypatch.setattr(i18n, "LEGACY_EN", {})
    i18n.register({"t_new": i18n.NC_("t_new", "Neu {n}"), "t_old": {"de": "Alt", "en": "Old"}})
    with app.app_context():
        assert i18n.translate("t_old", "en") == "Old"  # legacy English until converted
        assert i18n.translate("t_new", "en", n=2) == "Neu 2"  # no English yet: the German
    i18n.register({"t_old": {"de": "Alt", "en": "Old"}})  # the same again is fine
    with pytest.raises(ValueError, match="defined twice"):
        i18n.register({"t_old": i18n.NC_("t_old", "Anders")})
    with pytest.raises(ValueError, match="context"):
        i18n.register({"t_x": i18n.NC_("t_y", "Falscher Schlüssel")})
    with pytest.raises(TypeError):
        i18n.register({"t_z": "nur Deutsch"})


def test_values_and_dates_follow_the_language():
    from types import SimpleNamespace

    from webapp.presentation import format_value, local_date, local_time

    yes_no = SimpleNamespace(values=(True, False), options={}, constraints={}, widget=None)
    birth = SimpleNamespace(values=(), options={}, constraints={"format": "date"}, widget=None)
    assert format_value(yes_no, True, "de") == "Ja" and format_value(yes_no, False, "en") == "No"
    assert format_value(birth, "1985-03-27", "de") == "27.03.1985"
    assert format_value(birth, "1985-03-27", "en") == "27 March 1985"
    assert local_date(datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc), "en") == "1 July 2026"  # Berlin's day
    logged = datetime(2026, 7, 1, 10, 0, 5)  # stored UTC, naive as SQLite returns it
    assert local_time(logged, "de", seconds=True) == "01.07.2026, 12:00:05 Uhr"
    assert local_time(logged, "en") == "1 July 2026, 12:00"
    assert local_date(None, "de") == "—"


def test_stale_catalogs_are_compiled(tmp_path, monkeypatch):
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(PO, folder / "messages.po")
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    assert i18n.catalogs_stale() == [folder / "messages.po"]
    i18n.compile_catalogs()
    assert i18n.catalogs_stale() == []
    compiled = Translations.load(str(tmp_path), ["en"])
    assert compiled.pgettext("receipt_title", "Ihr Antrag ist eingegangen") == "Your application has been received"


LEGACY_SOURCE = '''"""A part's texts."""

from __future__ import annotations

from . import i18n

STATES = {"offen": {"de": "Offen", "en": "Open"}}

TEXTS: dict = {
    "x_done": NC_("x_done", "Schon umgestellt"),
    "x_title": {"de": "Titel", "en": "Title"},  # a comment stays
    "x_long": {"de": "Ein langer "
                     "Text mit {n}",
               "en": "A long text with {n}"},
    "x_quote": {"de": 'Sagen Sie „Ja“', "en": 'Say "yes"'},
}
i18n.register(TEXTS)
'''


def test_the_converter_rewrites_legacy_entries_in_place_and_is_idempotent():
    converter = _converter()
    new, entries = converter.convert(LEGACY_SOURCE)
    assert [(e.key, e.german, e.english) for e in entries] == [
        ("x_title", "Titel", "Title"), ("x_long", "Ein langer Text mit {n}", "A long text with {n}"),
        ("x_quote", "Sagen Sie „Ja“", 'Say "yes"')]
    assert '    "x_title": NC_("x_title", "Titel"),  # a comment stays\n' in new
    assert 'NC_("x_long", "Ein langer "\n                     "Text mit {n}")' in new
    assert "from __future__ import annotations\n\nfrom . import i18n\nfrom webapp.i18n import NC_\n" in new
    assert 'STATES = {"offen": {"de": "Offen", "en": "Open"}}' in new  # not a text table
    assert converter.find_legacy(new) == []
    assert converter.convert(new) == (new, [])  # a second run changes nothing
    namespace = {"NC_": i18n.NC_}
    exec(compile(new.replace("from . import i18n\n", "").replace("from webapp.i18n import NC_\n", "")
                 .replace("i18n.register(TEXTS)\n", ""), "x", "exec"), namespace)
    assert namespace["TEXTS"]["x_long"] == i18n.Text("x_long", "Ein langer Text mit {n}")
    # a table under another name counts when it is registered
    other = 'from . import i18n\n\nMORE = {"y": {"de": "Ja", "en": "Yes"}}\ni18n.register(MORE)\n'
    assert converter.convert(other)[0] == ('from . import i18n\nfrom webapp.i18n import NC_\n\n'
                                           'MORE = {"y": NC_("y", "Ja")}\ni18n.register(MORE)\n')


def test_the_converter_puts_the_english_into_the_catalog():
    converter = _converter()
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="en")
    _, entries = converter.convert(LEGACY_SOURCE)
    converter.add_english(catalog, entries)
    converter.add_english(catalog, entries)
    assert catalog.get("Titel", context="x_title").string == "Title"
    assert len([m for m in catalog if m.id]) == 3


def test_the_converter_checks_and_leaves_a_file_that_does_not_parse_alone(tmp_path, capsys):
    converter = _converter()
    legacy = tmp_path / "texts.py"
    legacy.write_text(LEGACY_SOURCE, encoding="utf-8")
    assert converter.main(["--check", str(tmp_path)]) == 1
    assert f"{legacy}: x_title" in capsys.readouterr().out
    half = "TEXTS = {\n    \"x\": {\"de\": \"Halb\", \"en\":\n"
    legacy.write_text(half, encoding="utf-8")
    assert converter.main(["--check", str(tmp_path)]) == 1
    assert "does not parse" in capsys.readouterr().err
    with pytest.raises(SyntaxError):
        converter.convert_file(legacy)
    assert legacy.read_text(encoding="utf-8") == half


@pytest.mark.i18n_transition
def test_no_legacy_text_tables_remain(app):
    """Fails while parts still add ``{"de", "en"}`` entries; the lead re-runs
    ``.venv/bin/python tools/texts_to_catalog.py --commit`` at the end."""
    converter = _converter()
    left = [f"{path.relative_to(ROOT)}: {entry.key}" for path in converter.sources([ROOT / "webapp"])
            for entry in converter.find_legacy(path.read_text(encoding="utf-8"))]
    assert left == []
    assert i18n.LEGACY_EN == {}
