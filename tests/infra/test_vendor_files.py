"""Every npm file a page links (asset("vendor/…") in a template) is put in place by both builds:
`make setup` (the Makefile) and the production image (infra/Dockerfile). A page linking a file
one build forgot would answer without its font, style or script there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def linked_vendor_files() -> set[str]:
    found = set()
    for template in (ROOT / "web" / "templates").rglob("*.html"):
        found |= set(re.findall(r"""asset\(["']vendor/([^"']+)["']\)""", template.read_text()))
    return found


def test_every_vendor_file_a_page_links_is_built_by_make_and_by_the_image():
    linked = linked_vendor_files()
    assert {"inter/inter.css", "htmx.min.js", "designsystemet.css"} <= linked
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "infra" / "Dockerfile").read_text()
    for name in linked:
        top = name.split("/")[0]
        assert f"$(VENDOR)/{top}" in makefile, f"the Makefile never makes vendor/{name}"
        assert f"web/static/vendor/{top}" in dockerfile, f"the image never gets vendor/{name}"
