"""The page checker of test_page_formats.py really looks: a page broken on purpose, rendered by the
app's own MiniJinja set-up, is reported for each fault, and the same page written through the
format filters is not."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from litestar.plugins.minijinja import MiniJinjaTemplateEngine

from tests.web.format_faults import faults
from web.templating import TEMPLATES, _configure

VALUES = {
    "moment": datetime(2026, 11, 30, 10, 40, 33, 134135, tzinfo=UTC),
    "day_": date(2026, 12, 21),
    "place": None,
    "price": Decimal("12000"),
    "orgnr": "931782258",
}
BROKEN = """<main><h1>Medlemmer i {{ place }}</h1>
<p>Mottatt {{ moment }}</p><p>Frist {{ day_ }}</p>
<table><tr><td>{{ price }}</td></tr></table>
<p>Decision points overdue</p><p>Overdue</p><p>Beklager. There is nothing here.</p>
<p>Organisasjonsnummer {{ orgnr }}</p><h2>Prosjektleiing 787202</h2><a href="/x">Sak 202612345</a>
<p>Konkurransen «Prosjektleiing 787202» er oppretta.</p>
<time datetime="{{ moment }}">ok</time><input value="{{ day_ }}"><script>var x = "None 12000";</script>
</main>"""
FIXED = """<main><h1>{{ _("Members of %(place)s", place=place or "Fossli Rådgjeving") }}</h1>
<p>Mottatt {{ moment|at }}</p><p>Frist {{ day_|day }}</p>
<table><tr><td>{{ price|kr }}</td></tr></table>
<p>{{ _("Decision points overdue") }}</p><p>{{ _("Overdue") }}</p><p>{{ _("There is nothing here.") }}</p>
<p>Organisasjonsnummer {{ orgnr }}</p>
<time datetime="{{ moment }}">ok</time><input value="{{ day_ }}"><script>var x = "None 12000";</script>
</main>"""


@pytest.fixture(scope="module")
def engine():
    found = MiniJinjaTemplateEngine(directory=Path(TEMPLATES))
    _configure(found, {})  # no static files: the pages below name none
    return found.engine


def render(engine, source: str, lang: str) -> str:
    return engine.render_str(source, lang=lang, **VALUES)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_a_broken_norwegian_page_is_reported_for_each_fault(engine, lang):
    found = faults(render(engine, BROKEN, lang), lang)
    assert found == [
        "None: 'Medlemmer i None'",
        "ISO timestamp '2026-11-30 10:40:33.134135': 'Mottatt 2026-11-30 10:40:33.134135+00:00'",
        "ISO timestamp '2026-12-21': 'Frist 2026-12-21'",
        "number without groups '12000': '12000.0'",  # MiniJinja writes a Decimal as a float
        "untranslated 'Decision points overdue'",
        "untranslated 'Overdue'",
        "untranslated 'There is nothing here'",  # inside a longer text
    ]


def test_a_broken_english_page_is_reported_but_english_is_no_fault_there(engine):
    found = faults(render(engine, BROKEN, "en"), "en")
    assert [fault.split(":")[0] for fault in found] == [
        "None",
        "ISO timestamp '2026-11-30 10",
        "ISO timestamp '2026-12-21'",
        "number without groups '12000'",
    ]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_same_page_through_the_format_filters_has_no_fault(engine, lang):
    page = render(engine, FIXED, lang)
    assert faults(page, lang) == []
    assert ("12\u00a0000\u00a0kr" if lang != "en" else "NOK 12,000") in page


def test_a_choice_named_none_in_english_is_no_lost_value(engine):
    page = render(engine, '<option value="">{{ _("None") }}</option>', "en")
    assert faults(page, "en") == []
    assert faults("<p>None</p>", "nb") == ["None: 'None'", "untranslated 'None'"]
