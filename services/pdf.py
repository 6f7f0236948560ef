"""A tagged PDF of Samspel's own documents (a bid receipt; the tender protocol has its own
layout in web/): language and title set, DejaVu Sans embedded, every heading and paragraph in
the structure tree, page numbers as artifacts outside it.

fpdf2 builds a structure tree one level deep (Document → leaf elements, each with its marked
content); marked content may not span pages, so a block breaks the page before it is drawn.
The font comes from Debian's fonts-dejavu-core (the Makefile's `fonts`), never from the repo.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.prefs import ViewerPreferences

FONTS = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
LINE = 5.0  # mm per line of body text
LANG_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "en": "en"}


class TaggedPDF(FPDF):
    """An A4 document in `lang`, titled, its text in DejaVu Sans; `page_of` is the translated
    "Page %(page)s of %(pages)s" its footer writes."""

    def __init__(self, *, title: str, author: str, lang: str, page_of: str) -> None:
        if not (FONTS / "DejaVuSans.ttf").exists():
            raise RuntimeError(f"The PDF font is missing: install fonts-dejavu-core ({FONTS})")
        super().__init__(format="A4")
        self.page_of = page_of
        self.set_title(title)
        self.set_lang(LANG_TAGS.get(lang, lang))
        self.set_creator("Samspel")
        self.set_author(author)
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 18, 18)
        self.add_page()

    @contextmanager
    def tagged(self, struct_type: str) -> Iterator[None]:
        """Content of one structure element (H1, H2, P) on one page."""
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{struct_type}", mcid=mcid)
        self._out(f"/{struct_type} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self._out("/Artifact BMC")
        self.cell(0, 5, self.page_of % {"page": self.page_no(), "pages": "{nb}"}, align="C")
        self._out("EMC")

    def block(
        self, tag: str, text: str, *, size: float = 10, bold: bool = False, line: float = LINE
    ) -> None:
        """One heading or paragraph, kept on one page."""
        self.set_font(FONT, "B" if bold else "", size)
        height = self.multi_cell(
            self.epw, line, text, align="L", dry_run=True, output=MethodReturnValue.HEIGHT
        )
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        with self.tagged(tag):
            self.multi_cell(self.epw, line, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fact(self, label: str, value: str) -> None:
        """A label in bold and its value below it, one paragraph."""
        self.set_font(FONT, "", 10)
        height = LINE + self.multi_cell(
            self.epw, LINE, value, dry_run=True, output=MethodReturnValue.HEIGHT
        )
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        with self.tagged("P"):
            self.set_font(FONT, "B", 10)
            self.multi_cell(self.epw, LINE, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(FONT, "", 10)
            self.multi_cell(self.epw, LINE, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def done(self) -> bytes:
        return bytes(self.output())
