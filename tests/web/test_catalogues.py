"""Every message in the code and templates has a bokmål and a nynorsk translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_every_extracted_message_is_translated_to_nb_and_nn(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "-k",
            "N_",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert wanted, "extraction found no messages"
    for lang in ("nb", "nn"):
        with (ROOT / "services/locale" / lang / "LC_MESSAGES/messages.po").open("rb") as f:
            catalogue = read_po(f, locale=lang)
        translated = {
            m.id if isinstance(m.id, str) else m.id[0]
            for m in catalogue
            if m.id and (m.string if isinstance(m.string, str) else all(m.string)) and not m.fuzzy
        }
        assert sorted(wanted - translated) == [], lang
