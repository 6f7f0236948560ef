"""The templates keep to their two shared pieces: one include writes the CSRF field, one macro
draws a form's field with its label, hint and error."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parents[2] / "web" / "templates"
PAGES = sorted(p for p in TEMPLATES.rglob("*.html") if p.name not in ("_csrf.html", "_forms.html"))


def test_no_template_types_the_csrf_field_by_hand():
    typed = [p.name for p in PAGES if "_csrf_token" in p.read_text()]
    assert typed == []


def test_every_post_form_carries_the_csrf_include():
    missing = []
    for page in PAGES:
        for form in re.findall(r'<form[^>]*method="post".*?</form>', page.read_text(), re.S):
            if '{% include "_csrf.html" %}' not in form:
                missing.append(page.relative_to(TEMPLATES).as_posix())
    assert missing == []


def test_no_template_draws_a_labelled_text_field_of_its_own():
    """Labels with a field are the macro's; what is left is radios, checkboxes, filters and table cells."""
    own = []
    for page in PAGES:
        for field in re.findall(r"<(?:textarea|input)\b[^>]*>", page.read_text()):
            if re.search(
                r'type="(hidden|radio|checkbox)"|ds-radio|class="ds-input (weight|share)-input"',
                field,
            ):
                continue
            if re.search(r'id="(criterion|steering-name|steering-represents)-', field):
                continue
            own.append(f"{page.relative_to(TEMPLATES).as_posix()}: {field[:60]}")
    assert own == []
