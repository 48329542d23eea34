"""Before the board starts: can this terminal session draw Vietnamese at all?

Textual writes in the encoding of the process's locale. Under a non-UTF-8 locale
(LANG=en_US on an old server, vi_VN.TCVN, ...) every Vietnamese letter would be
drawn as "?" or as an escape, silently. Guessing that the terminal is UTF-8 anyway
could show wrong letters in names and figures' labels, so the board does not
start: it says what is wrong and the one line that fixes it. The message is
plain ASCII, the only text such a session is sure to show.
"""

from __future__ import annotations

import codecs
from typing import TextIO

FIX = "LANG=C.UTF-8"


def encoding_problem(*streams: TextIO | None) -> str | None:
    """None when every stream writes UTF-8, else what to tell the person (in ASCII)."""
    for stream in streams:
        name = getattr(stream, "encoding", None) or "ascii"
        try:
            utf8 = codecs.lookup(name).name == "utf-8"
        except LookupError:
            utf8 = False
        if not utf8:
            return (
                f"bluezone board: phien dang nhap dang dung bang ma {name}, khong phai UTF-8:"
                " chu tieng Viet se hien sai.\n"
                f"Cach sua: chay  {FIX} bluezone board\n"
                f"(hoac them dong  export {FIX}  vao ~/.profile tren may chu roi dang nhap lai)."
            )
    return None
