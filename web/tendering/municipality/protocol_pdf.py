"""The tender protocol as a tagged PDF a klagenemnd can file: language and title set, DejaVu Sans
embedded, every heading, sentence and table row in the structure tree, the same text as the page.

fpdf2 builds a structure tree one level deep (Document → leaf elements, each with its marked
content); it has no nesting for Table → TR → TD, so a table row is tagged as one paragraph, its
cells in reading order. The document itself (language, title, font, tagging, page numbers as
artifacts) is services.pdf's TaggedPDF, the one the bid receipt is drawn on; this lays out the
protocol on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf.enums import MethodReturnValue, XPos, YPos

from services.pdf import FONT, LINE, TaggedPDF
from web.tendering.municipality.protocol_text import Entry, Table


@dataclass
class Heading:
    """What the protocol says before its events: its title, facts about the tender, and the
    words for "page N of M" in the reader's language."""

    title: str
    subtitle: str
    author: str  # the municipality whose protocol it is
    facts: list[str]
    events_heading: str
    page_of: str  # "Page %(page)s of %(pages)s", translated


class _TaggedPDF(TaggedPDF):
    """Samspel's tagged PDF, with the measures the protocol's own layout needs."""

    def fit(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def text_height(self, width: float, text: str, line: float = LINE) -> float:
        return self.multi_cell(
            width, line, text, align="L", dry_run=True, output=MethodReturnValue.HEIGHT
        )


def protocol_pdf(heading: Heading, entries: list[Entry], lang: str) -> bytes:
    pdf = _TaggedPDF(title=heading.title, author=heading.author, lang=lang, page_of=heading.page_of)
    pdf.set_subject(heading.subtitle)

    _block(pdf, "H1", heading.title, size=16, bold=True, line=7.5)
    _block(pdf, "P", heading.subtitle, size=11, bold=True)
    pdf.ln(1.5)
    for fact in heading.facts:
        _block(pdf, "P", fact, size=10)
    pdf.ln(4)
    _block(pdf, "H2", heading.events_heading, size=13, bold=True, line=6.5)
    pdf.ln(1)
    for entry in entries:
        _entry(pdf, entry)
    return bytes(pdf.output())


def _block(
    pdf: _TaggedPDF,
    tag: str,
    text: str,
    *,
    size: float = 10,
    bold: bool = False,
    line: float = LINE,
    indent: float = 0,
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    width = pdf.epw - indent
    pdf.fit(pdf.text_height(width, text, line))
    pdf.set_x(pdf.l_margin + indent)
    with pdf.tagged(tag):
        pdf.multi_cell(width, line, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _entry(pdf: _TaggedPDF, entry: Entry) -> None:
    """ "3. 14.12.2026 kl. 12.00.31" in bold above its sentence, both one paragraph; the table
    below it, kept on the same page as its sentence when it is short enough."""
    number = f"{entry.number}. {entry.when}"
    indent = 6
    pdf.set_font(FONT, "", 10)
    height = LINE + pdf.text_height(pdf.epw - indent, entry.sentence) + 2
    grid = _Grid(pdf, entry.table, pdf.epw - indent) if entry.table else None
    if grid:
        whole = height + sum(grid.heights)
        keep = whole if whole < 90 else height + sum(grid.heights[:2])  # a header, one row
        pdf.fit(keep)
    else:
        pdf.fit(height)
    with pdf.tagged("P"):
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, LINE, number, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            pdf.epw - indent, LINE, entry.sentence, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    if grid:
        pdf.ln(1)
        grid.draw(indent)
    pdf.ln(3)


class _Grid:
    """A table laid out: its column widths and each row's height (the header's first)."""

    LINE = 4.6

    def __init__(self, pdf: _TaggedPDF, table: Table, width: float) -> None:
        self.pdf, self.table, self.width = pdf, table, width
        self.widths = _widths(pdf, table, width)
        self.rows = [(table.headers, True), *((r, False) for r in table.rows)]
        self.heights = [self._height(cells, bold) for cells, bold in self.rows]

    def _height(self, cells: list[str], bold: bool) -> float:
        self.pdf.set_font(FONT, "B" if bold else "", 9)
        return (
            max(
                self.pdf.text_height(w - 2, c, self.LINE)
                for w, c in zip(self.widths, cells, strict=True)
            )
            + 1.2
        )

    def draw(self, indent: float) -> None:
        """Each row one tagged paragraph, a rule under it; the header again after a break."""
        for (cells, bold), height in zip(self.rows, self.heights, strict=True):
            if self.pdf.get_y() + height > self.pdf.page_break_trigger:
                self.pdf.add_page()
                if not bold:
                    self._row(self.table.headers, True, self.heights[0], indent)
            self._row(cells, bold, height, indent)

    def _row(self, cells: list[str], bold: bool, height: float, indent: float) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", 9)
        y, x = pdf.get_y(), pdf.l_margin + indent
        with pdf.tagged("P"):
            for i, (w, cell) in enumerate(zip(self.widths, cells, strict=True)):
                pdf.set_xy(x + 1, y + 0.6)
                align = "R" if i in self.table.numbers else "L"
                pdf.multi_cell(w - 2, self.LINE, cell, align=align)
                x += w
        pdf.set_y(y + height)
        pdf.set_draw_color(150 if bold else 210)
        pdf._out("/Artifact BMC")  # the rules are decoration, outside the structure
        pdf.line(x - sum(self.widths), pdf.get_y(), x, pdf.get_y())
        pdf._out("EMC")


def _widths(pdf: _TaggedPDF, table: Table, width: float) -> list[float]:
    """Each column as wide as its longest cell wants; if the page is too narrow for that, every
    column keeps at least its longest word (never a word broken inside) and shares the rest."""
    pad = 2 * pdf.c_margin + 2.5

    def widest(texts: list[str], bold: bool, words: bool) -> float:
        pdf.set_font(FONT, "B" if bold else "", 9)
        # Only a plain space breaks a line: "430 000 kr" holds together by its no-break spaces.
        parts = [w for t in texts for w in (t.split(" ") if words else [t])]
        return max((pdf.get_string_width(p) for p in parts), default=0.0)

    full, least = [], []
    for i, header in enumerate(table.headers):
        cells = [r[i] for r in table.rows]
        full.append(max(widest([header], True, False), widest(cells, False, False)) + pad)
        least.append(max(widest([header], True, True), widest(cells, False, True)) + pad)
    pdf.set_font(FONT, "", 9)
    if sum(full) <= width:
        return full
    spare = width - sum(least)
    if spare <= 0:
        return [w * width / sum(least) for w in least]
    extra = [f - m for f, m in zip(full, least, strict=True)]
    return [m + e * spare / sum(extra) for m, e in zip(least, extra, strict=True)]
