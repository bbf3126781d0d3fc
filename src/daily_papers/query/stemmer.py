"""The Porter stemmer, so that local matching conflates words the way arXiv's search does.

arXiv's search indexes titles and abstracts with Elasticsearch's ``english`` analyzer, whose
stemmer is Porter's 1980 algorithm (in the form of Porter's own reference implementation,
with its ``bli``→``ble`` and ``logi``→``log`` rules): ``diffuse``, ``diffusion`` and
``diffusive`` all become ``diffus``.  Written from the published algorithm; pure.
"""

from __future__ import annotations

__all__ = ["stem"]

_VOWELS = frozenset("aeiou")

# Step 2, 3 and 4 suffix lists, longest first where one suffix ends another, so that the
# first suffix that matches is the one Porter's algorithm considers (and only that one).
_STEP2: tuple[tuple[str, str], ...] = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3: tuple[tuple[str, str], ...] = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4: tuple[str, ...] = (
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
)


_CV = str.maketrans({chr(c): "c" for c in range(128)} | dict.fromkeys("aeiou", "v"))


def _cv(word: str) -> str:
    """The word as ``c`` (consonant) and ``v`` (vowel) letters; ``y`` after a consonant is a
    vowel.  A prefix of the word has the prefix of this pattern, so one pattern serves every
    measurement of a step."""
    pattern = word.translate(_CV)
    if not pattern.isascii() or set(pattern) - {"c", "v"}:
        pattern = "".join("v" if ch in _VOWELS else "c" for ch in word)
    if "y" in word:
        letters = list(pattern)
        for i, ch in enumerate(word):
            if ch == "y":
                letters[i] = "v" if i > 0 and letters[i - 1] == "c" else "c"
        pattern = "".join(letters)
    return pattern


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in ``stem``."""
    return _cv(stem).count("vc")


def _has_vowel(stem: str) -> bool:
    return "v" in _cv(stem)


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _cv(word)[-1] == "c"


def _cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y (``hop``, not ``snow``)."""
    return len(word) >= 3 and _cv(word).endswith("cvc") and word[-1] not in "wxy"


def _step1(word: str) -> str:
    if word.endswith(("sses", "ies")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


def _by_last_letter(
    rules: tuple[tuple[str, str], ...],
) -> dict[str, tuple[tuple[str, str], ...]]:
    # Only suffixes ending in the word's last letter can match: look at those alone, in order.
    grouped: dict[str, list[tuple[str, str]]] = {}
    for suffix, replacement in rules:
        grouped.setdefault(suffix[-1], []).append((suffix, replacement))
    return {letter: tuple(group) for letter, group in grouped.items()}


_STEP2_BY_LETTER = _by_last_letter(_STEP2)
_STEP3_BY_LETTER = _by_last_letter(_STEP3)
_STEP4_BY_LETTER = _by_last_letter(tuple((suffix, "") for suffix in _STEP4))


def _replace(word: str, rules: dict[str, tuple[tuple[str, str], ...]]) -> str:
    for suffix, replacement in rules.get(word[-1], ()):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            return stem + replacement if _measure(stem) > 0 else word
    return word


def _step4(word: str) -> str:
    for suffix, _ in _STEP4_BY_LETTER.get(word[-1], ()):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if suffix == "ion" and not stem.endswith(("s", "t")):
                return word
            return stem if _measure(stem) > 1 else word
    return word


def _step5(word: str) -> str:
    if word.endswith("e"):
        m = _measure(word[:-1])
        if m > 1 or (m == 1 and not _cvc(word[:-1])):
            word = word[:-1]
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def stem(word: str) -> str:
    """The Porter stem of one lower-case word (words of one or two letters are kept)."""
    if len(word) <= 2:
        return word
    word = _step1(word)
    word = _replace(word, _STEP2_BY_LETTER)
    word = _replace(word, _STEP3_BY_LETTER)
    word = _step4(word)
    return _step5(word)
