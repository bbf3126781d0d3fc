"""Venue: every recorded comment against its hand label, recorded journal refs, edge cases.

Real comments and journal refs: tests/fixtures/rows/recorded-papers.jsonl (PROVENANCE.md there);
labels: tests/venue_labels.py.  Papers built with ``synthetic_paper`` carry SYNTHETIC text.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from daily_papers.models import Paper
from daily_papers.tex import fold
from daily_papers.venue import MAX_VENUE_LENGTH, venue, venue_of
from tests.papers import synthetic_paper
from tests.venue_labels import NO_VENUE, VENUE_LABELS, Label

RECORDED = Path(__file__).parent / "fixtures" / "rows" / "recorded-papers.jsonl"

#: Labelled venues the rules do not find (a missing venue is the safe failure).  Pinned so
#: that an improvement or a regression shows up here.
KNOWN_MISSES = frozenset(
    {
        "2104.11069",  # workshop name then a URL, no year in the name
        "1809.08100",  # "Accepted at 10th IEEE ... Software Testing, Verification and Validation"
        "1904.08007",  # "8 pages, First IEEE International Conference On ..." (no verb)
        "2202.09076",  # a journal named alone with "(2022)"
        "1309.0683",  # "extended version of '...' (21st International Symposium on ...)"
        "gr-qc/0103067",  # "in: ''book title'' (eds.), Springer-Verlag 2001"
        "1501.02925",  # "Version of FoSSaCS 2015 paper with appendices"
        "1501.03593",  # "FPS - 7th International Symposium ..., Nov 2014"
        "1501.03601",  # "Wireless Pers Commun(2014)79:2209-2225", a journal ref as comment
        "1409.8065",  # "to appear in special issue on break-junctions in JOPCM"
        "1501.03615",  # "Astroplate Workshop, 2014 March 18-21" (no verb)
        "1501.03713",  # "published as a Nature Physics Insight review article"
    }
)


@cache
def recorded() -> tuple[Paper, ...]:
    lines = RECORDED.read_text(encoding="utf-8").splitlines()
    return tuple(Paper.from_json(json.loads(line)) for line in lines)


def _key(text: str) -> str:
    return re.sub(r"^the ", "", fold(text))


def _accepts(label: Label, found: str | None) -> bool:
    answers = () if label is None else (label,) if isinstance(label, str) else label
    if found is None:
        return not answers
    return _key(found) in {_key(a) for a in answers}


def test_every_recorded_comment_is_labelled_once() -> None:
    commented = [p.id for p in recorded() if p.comment]
    assert len(commented) == 303
    assert set(VENUE_LABELS).isdisjoint(NO_VENUE)
    assert len(NO_VENUE) == len(set(NO_VENUE))
    assert set(commented) == set(VENUE_LABELS) | set(NO_VENUE)


def test_precision_and_recall_on_recorded_comments() -> None:
    """Comment only (journal_ref left out): what the comment rules alone achieve."""
    labels: dict[str, Label] = {**VENUE_LABELS, **dict.fromkeys(NO_VENUE)}
    wrong, missed, right = [], [], []
    for paper in recorded():
        if not paper.comment:
            continue
        found = venue_of(None, paper.comment)
        label = labels[paper.id]
        if found is not None and _accepts(label, found):
            right.append(paper.id)
        elif found is not None:
            wrong.append((paper.id, found))
        elif label is not None:
            missed.append(paper.id)
    precision = len(right) / (len(right) + len(wrong))
    recall = len(right) / (len(right) + len(missed))
    print(f"venue on {len(labels)} comments: precision {precision:.3f}, recall {recall:.3f}")
    assert wrong == []
    assert set(missed) == KNOWN_MISSES
    assert len(right) == 109
    assert precision >= 0.95
    assert recall >= 0.85


@pytest.mark.parametrize("paper_id", sorted(set(VENUE_LABELS) - KNOWN_MISSES))
def test_labelled_comment(paper_id: str) -> None:
    paper = next(p for p in recorded() if p.id == paper_id)
    found = venue_of(None, paper.comment)
    assert found is not None
    assert _accepts(VENUE_LABELS[paper_id], found), found


@pytest.mark.parametrize("paper_id", NO_VENUE)
def test_comment_without_venue(paper_id: str) -> None:
    paper = next(p for p in recorded() if p.id == paper_id)
    assert venue_of(None, paper.comment) is None


#: Recorded journal refs, one of each form (journal before the volume; conference acronym).
JOURNAL_REFS = {
    "Phys. Rev. B 91, 035118 (2015)": "Phys. Rev. B",
    "Phys.Lett.B573:94-100,2003": "Phys.Lett.B",
    "JCAP11(2024)042": "JCAP",
    "JHEP 1410:101,2014": "JHEP",
    "Appl. Comput. Harmon. Anal., 34:96-116, 2013": "Appl. Comput. Harmon. Anal.",
    "Class. Quantum Grav. 32 (2015) 035022": "Class. Quantum Grav.",
    "J. Phys.: Condens. Matter 26, 474208 (2014)": "J. Phys.: Condens. Matter",
    "The Astrophysical Journal, 799: 44, 2015": "The Astrophysical Journal",
    "2015 Chinese Phys. Lett. 32 010303": "Chinese Phys. Lett.",
    "A&A 691, A35 (2024)": "A&A",
    "Cancers. 2024; 16(14):2538": "Cancers",
    "Nature Physics volume 20, 465-471 (2024)": "Nature Physics",
    "EPL,vol. 92, p. 17007 (2010)": "EPL",
    "CERN Yellow Report CERN-2013-002, pp.237-240": "CERN Yellow Report",
    "IEEE/ACM Transactions on Audio, Speech, and Language Processing, vol. 32, pp. 4661-4675, "
    "2024": "IEEE/ACM Transactions on Audio, Speech, and Language Processing",
    "Sustainable Energy, Grids and Networks, Volume 39, 2024, 101477, ISSN 2352-4677": (
        "Sustainable Energy, Grids and Networks"
    ),
    "Deep Generative Models. DGM4MICCAI 2024. Lecture Notes in Computer Science, vol 15224. "
    "Springer, Cham": "Deep Generative Models",
    "2023 International Joint Conference on Neural Networks (IJCNN)": "IJCNN 2023",
    "International Conference on Machine Learning (ICML) 2024": "ICML 2024",
    "In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis (ISSTA 2020)": (
        "ISSTA 2020"
    ),
    "SBES 2025 39th Brazilian Symposium on Software Engineering": "SBES 2025",
    "IEEE, 10.23919 (2024)": None,
    "Vol. 1 No. 1 (2024): AI-Linguistica": None,
    'in L.A. Glinka (Ed.) "Towards New Cosmology From Quantum Gravity & Particle Physics"': None,
    "Li, Y., Xia, G., Lotov, K. V., Sosedkin, A. P., Hanahoe, K., & Mete-Apsimon, O. (2017).": None,
}


@pytest.mark.parametrize(("ref", "expected"), JOURNAL_REFS.items())
def test_journal_ref(ref: str, expected: str | None) -> None:
    assert any((p.journal_ref or "").startswith(ref) for p in recorded())  # really recorded
    assert venue_of(ref, None) == expected


def test_every_recorded_journal_ref_gives_a_short_venue_or_none() -> None:
    refs = [p.journal_ref for p in recorded() if p.journal_ref]
    assert len(refs) == 223
    found = [venue_of(ref, None) for ref in refs]
    assert sum(v is not None for v in found) == 217
    assert all(v is None or (0 < len(v) <= MAX_VENUE_LENGTH and v == v.strip()) for v in found)


# --- edge cases (SYNTHETIC comments in the recorded forms) ------------------------------------


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Accepted at the 3rd Foo Conference on Bar (FCB 2031)", "FCB 2031"),
        ("Accepted to the Foo Symposium (FS), 2030", "FS 2030"),
        ("12 pages; to appear in Phys. Rev. Lett.", "Phys. Rev. Lett."),
        ("Published in Nature Physics, 2024", "Nature Physics"),
        ("10 pages, accepted by MNRAS", "MNRAS"),
        ("ABCD 2029", "ABCD 2029"),
        ("12 pages, XYZW'27", "XYZW 2027"),
        ("Submitted to the Foo Conference (FC 2030)", None),
        ("Under review at Phys. Rev. B", None),
        ("Accepted version", None),
        ("Published version; 12 pages", None),
        ("COVID-19 testing, 2020", None),
        ("Springer-Verlag 2001", None),
        ("Accepted for publication in the proceedings of", None),
        ("", None),
        ("   ", None),
    ],
)
def test_synthetic_comment(comment: str, expected: str | None) -> None:
    assert venue(synthetic_paper(1, comment=comment)) == expected


def test_journal_ref_wins_over_comment_and_none_is_none() -> None:
    paper = synthetic_paper(1, comment="Accepted at FOO 2030")
    assert venue(paper) == "FOO 2030"
    assert venue(replace(paper, journal_ref="Phys. Rev. B 1, 2 (2031)")) == "Phys. Rev. B"
    assert venue(replace(paper, journal_ref="IEEE, 10.1 (2031)")) == "FOO 2030"
    assert venue(synthetic_paper(1)) is None
    assert venue_of(None, None) is None


# --- venue forms: workshops, Findings, years, qualifiers, wordings (SYNTHETIC comments in the
# --- forms of the real 2025–2026 comments; see tests/test_venue_sample.py for those) ---------


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("NLLP Workshop at EMNLP 2025", "NLLP @ EMNLP 2025"),
        ("Accepted at the NLLP Workshop at EMNLP 2025", "NLLP @ EMNLP 2025"),
        ("Accepted at the IEEE/CVF Conference (ICCV) Workshops, 2025", "ICCV 2025 Workshop"),
        ("Accepted at KDD 2025 workshop on Foo Bar", "KDD 2025 Workshop"),
        ("Accepted at CVPR 2026 Workshop on Foo (FooW2)", "FooW2 @ CVPR 2026"),
        ("Accepted at ICLR 2025 (LMRL)", "LMRL @ ICLR 2025"),
        ("ArtFoo @ ICCV 2025 (non-archival)", "ArtFoo @ ICCV 2025"),
        ("Accepted to SemEval-2026 co-located with ACL 2026", "SemEval 2026 @ ACL 2026"),
        ("Published at ACL 2025 SRW", "SRW @ ACL 2025"),
        ("Accepted at the SLiDE workshop", "SLiDE workshop"),
        ("Accepted at the Workshop on Foo at ACL", "Workshop on Foo at ACL"),  # no year: not ACL
        ("Findings of EMNLP 2025", "EMNLP 2025 Findings"),
        ("Accepted to Findings of the ACL 2026", "ACL 2026 Findings"),
        ("To appear in ACL Findings (2026)", "ACL 2026 Findings"),
        ("Accepted in EMNLP Findings 2025", "EMNLP 2025 Findings"),
        ("CVPR 2026(Findings)", "CVPR 2026 Findings"),
        ("EMNLP2025 Main", "EMNLP 2025"),
        ("CVPR26", "CVPR 2026"),
        ("Accepted at CIKM' 25", "CIKM 2025"),
        ("AAAI-26", "AAAI 2026"),
        ("Accepted at ICLR 26", "ICLR 2026"),
        ("ACL 2025 Main Conference", "ACL 2025"),
        ("ICME 2026 Spotlight", "ICME 2026"),
        ("AAAI 2026 Oral", "AAAI 2026"),
        ("CVPR 2026 (Oral)", "CVPR 2026"),
        ("ACL 2025 Findings", "ACL 2025 Findings"),
        ("WWW 2025 Short Paper", "WWW 2025"),
        ("ACMMM 2025 poster", "ACMMM 2025"),
        ("CVPR 2025 camera ready", "CVPR 2025"),
        ("Camera-ready version for ECAI 2025", "ECAI 2025"),
        ("Extended version of ECCV 2024 paper", "ECCV 2024"),
        ("Extended version of 'A Title With Capitals'", None),
        ("In Proceedings TARK 2025", "TARK 2025"),
        ("accepted for presentation at the EAMT Conference 2026", "EAMT 2026"),
        ("published to TMI", "TMI"),
        (
            "Accepted in 2026 IEEE International Conference on Robotics and Automation",
            ("2026 IEEE International Conference on Robotics and Automation"),
        ),
        ("Accepted to 3DV 2025", "3DV 2025"),
        ("published in acl2026", "ACL 2026"),
        ("published in *Neural Networks*", "Neural Networks"),
        ("Accpeted by ICRA 2026", "ICRA 2026"),
        ("Accepted by TPAMI, extension of CVPR 2024 paper Foo", "TPAMI"),
        ("Accepted at APSIPA ASC 2025", "APSIPA ASC 2025"),
        ("IEEE Transactions on Foo and Bar, 11 pages", "IEEE Transactions on Foo and Bar"),
        ("Print on Demand(PoD) ISBN 978-1-2345, 2025", None),
        ("Published by MIT Press", None),
        ("Published in Zenodo", None),
        ("Published as PDF", None),
        ("COVID-19 cases, 2020", None),
        ("Submitted to Findings of EMNLP 2025", None),
        ("Submitted to the Foo Workshop at ICML 2025", None),
        # the tune half's remaining errors (tests/test_venue_sample.py), in synthetic forms
        ("12 pages, 13FooSec2025", "FooSec 2025"),  # the 13th FooSec, not "13FooSec"
        ("Accepted to 4DX 2025", "4DX 2025"),  # one digit may begin a name
        ("FOB 2016 Forum of Open Bars, Evora, Portugal", "FOB 2016"),  # the acronym spelled out
        ("FOB 2016 Best Tools", None),  # a tail that is not the acronym's name
        ("11 figures, cvpr workshop", "CVPR Workshop"),
        ("ICLR Workshop Version", "ICLR Workshop"),
        ("ICML 2025 workshops", "ICML 2025 Workshop"),
        ("Accepted at NeurIPS workshop", "NeurIPS Workshop"),
        ("foo workshop", None),  # not a known host
        ("Submitted to cvpr workshop", None),
        # the fresh sample's wrong venues (found after it was scored), in synthetic forms
        ("Strong accept by FOO2025 reviewers and AC, but reject by PC", None),
        (
            "Accepted by the Journal of Foo Research (JCR-Q1). In press soon",
            "Journal of Foo Research",
        ),
        ("Accepted and presented at IEEE FooCC 2025. 4 pages short paper", "FooCC 2025"),
        ("6 pages, accepted by IEEE FOOCOM 2025 Workshop on Bar and Baz", "FOOCOM 2025 Workshop"),
        ("Accepted at FOOCOM 2025 WS07", "FOOCOM 2025 Workshop"),
        (
            "Accepted at the International Joint Conference on Foo Bars (IJCFB) 2025, Workshop "
            "on Baz. https://x.org",
            "IJCFB 2025 Workshop",
        ),
        ("Accepted to the 2026 IEEE/CVF Conference on Foo Workshops (FOOW). 14 pages", "FOOW 2026"),
        ("Accepted at the International Conference on Foo (ICFOO) 2025", "ICFOO 2025"),
    ],
)
def test_venue_form(comment: str, expected: str | None) -> None:
    assert venue_of(None, comment) == expected
