"""Plain text for step logs (orchest._text)."""

from orchest._text import cell_error_text, plain


def test_plain_removes_colours_and_osc_sequences():
    coloured = "\x1b[0;31mZeroDivisionError\x1b[0m: \x1b[38;5;241;43m1\x1b[39;49m"
    assert plain(coloured) == "ZeroDivisionError: 1"
    assert plain("\x1b]8;;https://example.org\x07link\x1b]8;;\x07 done") == "link done"
    assert plain("no escapes [1] here") == "no escapes [1] here"


class _Error(Exception):
    pass


def test_cell_error_text_drops_the_repeated_last_line():
    error = _Error("header\n\x1b[0;31mValueError\x1b[0m: bad\nValueError: bad\n")
    assert cell_error_text(error) == "header\nValueError: bad\n"


def test_cell_error_text_keeps_distinct_last_lines():
    error = _Error("header\nKeyError: 'a'\nOther: b")
    assert cell_error_text(error) == "header\nKeyError: 'a'\nOther: b\n"
