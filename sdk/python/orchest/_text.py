"""Text for people: step logs are read in files and terminals that do not
render escape sequences, so what the notebook runner logs is plain text."""

import re

# CSI sequences (colours, cursor moves: ESC [ ... final byte) and OSC
# sequences (titles, hyperlinks: ESC ] ... BEL or ESC \). IPython colours
# every traceback with the former.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def plain(text: str) -> str:
    """The text without terminal escape sequences."""
    return _ESCAPES.sub("", text)


def cell_error_text(error) -> str:
    """The log text of nbclient's CellExecutionError, each line once.

    nbclient appends "<ename>: <evalue>" after IPython's traceback, whose own
    last line already says exactly that (once the colours are gone).
    """
    text = plain(str(error))
    lines = text.rstrip("\n").split("\n")
    if len(lines) >= 2 and lines[-1] == lines[-2]:
        lines.pop()
    return "\n".join(lines) + "\n"
