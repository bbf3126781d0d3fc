"""TeX accents as the announcement feeds write author names (forms seen in the 2024-11-28 feed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_papers.tex import decode_accents, fold


@pytest.mark.parametrize(
    ("tex", "unicode"),
    [
        ("R\\'emi", "Rémi"),
        ("Fran\\c{c}ois", "François"),
        ("Przemys{\\l}aw", "Przemysław"),
        ("{\\L}uksza", "Łuksza"),
        ("\\v{S}aponja-Milutinovi\\'c", "Šaponja-Milutinović"),
        ("\\.Zygierewicz", "Żygierewicz"),
        ("Zi\\k{e}ba", "Zięba"),
        ("N\\'u\\~nez", "Núñez"),
        ("Niccol\\`o", "Niccolò"),
        ('{\\"o}', "ö"),
        ("Mart\\'{\\i}nez", "Martínez"),
        ("\\H{o}", "ő"),
        ("Stra\\ss e", "Straße"),
        ("plain text", "plain text"),
        ("$\\hat{x}$ and \\mathcal{L}", "$\\hat{x}$ and \\mathcal{L}"),
    ],
)
def test_decode_accents(tex: str, unicode: str) -> None:
    assert decode_accents(tex) == unicode


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("R\\'emy", "remy"),
        ("Rémy  O'Neil-Smith", "remy o neil smith"),
        ("Przemysław", "przemyslaw"),
        ("del_maestro", "del maestro"),
        ("ADRIAN Del Maestro", "adrian del maestro"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_braces_outside_an_accent_group_survive() -> None:
    assert decode_accents("{Jos\\'e}") == "{José}"
    assert decode_accents("\\'{e}}") == "é}"
    assert decode_accents("{\\'e") == "{é"


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(
        r"([A-Za-z]{0,3}|\\[`'^\"~=.uvHckrdblLoOijsaAeE]|[{} \\]|\\ss|\\aa){0,10}", fullmatch=True
    )
)
def test_the_command_precheck_never_skips_a_command(text: str) -> None:
    """decode_accents skips text without a command start; the full substitution agrees."""
    from daily_papers import tex

    full = tex._LETTER.sub(tex._letter, tex._ACCENT.sub(tex._accent, text))
    assert decode_accents(text) == full
