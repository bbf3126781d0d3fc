"""TeX accent commands to Unicode, and names and words folded for comparison.

arXiv's announcement feeds give authors as TeX source (``R\\'emy``, ``Fran\\c{c}ois``,
``Przemys{\\l}aw``) while the API gives the same names in Unicode; abstracts mix both.
Decoding here lets every other module compare and display one form.  Pure: text in, text out.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_accents", "fold"]

#: Combining marks for TeX's one-symbol and one-letter accent commands.
_ACCENTS: dict[str, str] = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}

#: Letter commands that stand for a whole character (``\\l`` is ``ł``).
_LETTERS: dict[str, str] = {
    "l": "ł",
    "L": "Ł",
    "o": "ø",
    "O": "Ø",
    "i": "ı",
    "j": "ȷ",
    "ss": "ß",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "dh": "ð",
    "DH": "Ð",
}

# \'e  \'{e}  {\'e}  \c{c}  \c c  \'\i  -- the accent, then one letter (maybe braced, maybe \i).
_ACCENT = re.compile(
    r"""(?P<open>\{)?\\(?:(?P<sym>['`^"~=.])|(?P<word>[uvHckrdb])(?=[\s{\\]))\s*"""
    r"""(?:\{\s*(?P<braced>\\[ij]|[A-Za-z])\s*\}|(?P<bare>\\[ij](?![A-Za-z])|[A-Za-z]))"""
    r"""(?(open)\}|)"""
)
_LETTER = re.compile(
    r"\{\\(ss|aa|AA|ae|AE|oe|OE|dh|DH|[lLoOij])\}"
    r"|\\(ss|aa|AA|ae|AE|oe|OE|dh|DH|[lLoO])(?![A-Za-z]) ?"
)
#: Where an accent or letter command can start: a superset of what ``_ACCENT`` and
#: ``_LETTER`` match, found without their backtracking, so the common ``\\alpha`` or
#: ``\\emph`` alone does not send a whole abstract through both substitutions.
_COMMAND_START = re.compile(
    r"""\\(?:['`^"~=.]|[uvHckrdb][\s{\\]|(?:ss|aa|AA|ae|AE|oe|OE|[lLoOij])(?![A-Za-z]))"""
)
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")


def _accent(match: re.Match[str]) -> str:
    command = match["sym"] or match["word"]
    base = match["braced"] or match["bare"]
    letter = {"\\i": "i", "\\j": "j"}.get(base, base)
    return unicodedata.normalize("NFC", letter + _ACCENTS[command])


def _letter(match: re.Match[str]) -> str:
    return _LETTERS[match.group(1) or match.group(2)]


def decode_accents(text: str) -> str:
    """Replace TeX accent and letter commands with Unicode; everything else stays as written.

    Only accents on a single Latin letter are decoded, so math (``$\\hat{x}$`` is not an
    accent command here) and unknown commands are untouched.
    """
    if "\\" not in text or not _COMMAND_START.search(text):
        return text
    return _LETTER.sub(_letter, _ACCENT.sub(_accent, text))


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free words joined by single spaces.

    ``fold("Rémy  O'Neil-Smith")`` is ``"remy o neil smith"``; TeX accents are decoded first,
    so ``R\\'emy`` folds the same way.  Letters such as ``ł`` and ``ø`` that Unicode does not
    decompose fold to their plain Latin letter.
    """
    decoded = unicodedata.normalize("NFKD", decode_accents(text))
    stripped = "".join(ch for ch in decoded if not unicodedata.combining(ch))
    stripped = stripped.translate(_PLAIN).casefold()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped).replace("_", " ")).strip()


_PLAIN = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "ȷ": "j", "đ": "d", "Đ": "D"}
)
