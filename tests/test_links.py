"""Code and project links: every recorded paper that names a code host, plus edge cases.

Real papers: tests/fixtures/rows/recorded-papers.jsonl (see PROVENANCE.md there).  The table of
expected links was checked by hand against each abstract/comment.  Papers built here with
``synthetic_paper`` carry SYNTHETIC text.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from daily_papers.links import PaperLinks, code_links, link_label, links_in, links_of, project_page
from daily_papers.models import Paper
from tests.papers import synthetic_paper
from tests.venue_sample import SHARED

RECORDED = Path(__file__).parent / "fixtures" / "rows" / "recorded-papers.jsonl"
HOSTS = re.compile(r"github|gitlab|huggingface|hf\.co", re.IGNORECASE)


@cache
def recorded() -> tuple[Paper, ...]:
    lines = RECORDED.read_text(encoding="utf-8").splitlines()
    return tuple(Paper.from_json(json.loads(line)) for line in lines)


#: Every recorded paper whose abstract or comment names a code host: (code links, project page).
#: The empty ones name GitHub in prose, an organisation page (github.com/SPARC-X) or a Hugging
#: Face user page (huggingface.co/Xu-Ouyang): none of them is a repository.
EXPECTED: dict[str, tuple[tuple[str, ...], str | None]] = {
    "2507.10541": ((), "https://opendatalab.github.io/REST"),
    "1706.00679": (("https://github.com/ydecastro/super-resolution-testing",), None),
    "2604.03438": ((), None),
    "2102.08864": ((), None),
    "2411.17702": (("https://github.com/mandiehyewon/goodviews_ecg",), None),
    "2411.17705": (("https://github.com/Kanyooo/EEG-DCNet",), None),
    "2411.17765": ((), "https://wanquanf.github.io/I2VControl"),
    "2411.17769": (("https://github.com/itsmag11/Omegance",), None),
    "2411.17770": (("https://github.com/ZHU-0108/MTS-UNMixers",), None),
    "2411.17771": ((), "https://dxzxy12138.github.io/diagramqg-home"),
    "2411.17787": (("https://github.com/czg1225/CoDe",), None),
    "2411.17792": (("https://github.com/sftekin/h3fusion",), None),
    "2411.17799": ((), "https://2000zrl.github.io/soke"),
    "2411.17820": ((), "https://ai4ce.github.io/CityWalker"),
    "2411.17833": (("https://github.com/AllanMSouza/ACSP-FL",), None),
    "2411.17835": (("https://github.com/MohamedAliRashad/arabic-nougat",), None),
    "2411.17845": (("https://github.com/HealthX-Lab/CAMLD",), None),
    "2411.17864": ((), "https://rayjryang.github.io/LayerDecomp"),
    "2411.17876": (("https://github.com/aheldis/Toxicity-Classification",), None),
    "2411.17900": (("https://github.com/syyunn/finrl-dt",), None),
    "2411.17928": (("https://github.com/JokerJohn/Cloud_Map_Evaluation",), None),
    "2411.17980": (("https://github.com/boa2004plaust/ViMD",), None),
    "2411.17982": ((), "https://hi-slam2.github.io"),
    "2411.17991": (("https://github.com/yellow-binary-tree/MMDuet",), None),
    "2411.18009": (("https://github.com/ch9397/FixedWing-MonoPPO",), None),
    "2411.18019": ((), None),
    "2411.18024": ((), None),
    "2411.18066": (("https://github.com/JiaxiongQ/GLS",), None),
    "2411.18068": ((), "https://gwang-kim.github.io/persona_craft"),
    "2411.18072": ((), "https://yanyan-li.github.io/project/gs/smilesplat"),
    "2411.18104": (
        (
            "https://github.com/iiis-ai/TemplateMath",
            "https://huggingface.co/datasets/math-ai/TemplateGSM",
        ),
        None,
    ),
    "2411.18115": (("https://github.com/mahmad000/ATL-SST",), None),
    "2411.18142": ((), "https://future-item.github.io/autoimagine-site"),
    "2411.18211": (("https://github.com/TimeMarker-LLM/TimeMarker",), None),
    "2411.18250": (("https://github.com/MaeChd/SurrogateVarStabe",), None),
    "2411.18296": (("https://github.com/ZengxiZhang/HUPE",), None),
    "2411.18301": (("https://github.com/wtybest/EnMMDiT",), None),
    "2411.18311": (("https://github.com/WJakubowska/NeuralSurfacePriors",), None),
    "2411.18347": (("https://github.com/Siyuan-Li201/TransferFuzz",), None),
    "2411.18350": ((), "https://rizavelioglu.github.io/tryoffdiff"),
    "2411.18363": (("https://github.com/IDEA-Research/ChatRex",), None),
    "2411.18388": (("https://github.com/Criscraft/PredefinedFilterNetworks",), None),
    "2411.18466": ((), "https://eduardzamfir.github.io/moceir"),
    "2411.18499": ((), "https://opening.github.io"),
    "2411.18613": ((), "https://cat-4d.github.io"),
    "2203.12985": (("https://github.com/liqi-casia/FaceSwapper",), None),
    "2211.15656": (("https://github.com/haomo-ai/SuperFusion",), None),
    "2304.00050": (("https://github.com/MuhammadSaeedBatikh/kNN-Res_Demo",), None),
    "2311.08562": (("https://github.com/cathyxl/MAgIC",), None),
    "2403.07657": (("https://github.com/google/bayesnf",), None),
    "2403.20287": (("https://github.com/gulnazaki/counterfactual-benchmark",), None),
    "2404.03015": (("https://github.com/TUMFTM/DPFT",), None),
    "2405.05160": (("https://github.com/sun-umn/sc_with_distshift",), None),
    "2405.11616": ((), "https://penghtyx.github.io/Era3D"),
    "2405.11828": (("https://github.com/AdibaOrz/FLISM",), None),
    "2405.17472": (("https://github.com/pittisl/FreezeAsGuard",), None),
    "2405.18428": (("https://github.com/hustvl/DiG",), None),
    "2405.19644": (("https://github.com/Fujiry0/EgoSurgery",), None),
    "2406.03095": (("https://github.com/Fujiry0/EgoSurgery",), None),
    "2406.03923": (("https://github.com/L-I-M-I-T/LatentNeuralOperator",), None),
    "2406.12315": (("https://github.com/HollyLee2000/PruningBench",), None),
    "2406.15334": (("https://github.com/Brandon3964/MultiModal-Task-Vector",), None),
    "2407.03263": (("https://github.com/dk-liang/UniSeg3D",), None),
    "2407.04127": (("https://github.com/zhaodongsun/rppg_biometrics",), None),
    "2407.09646": ((), "https://humansensinglab.github.io/Hamba"),
    "2407.14725": ((), "https://fujiry0.github.io/CrowdMAC-project-page"),
    "2407.17197": (("https://github.com/CEA-LIST/ALPI",), None),
    "2408.10511": (("https://github.com/LFD-byte/scCLG",), None),
    "2408.12957": (("https://github.com/stanley-313/ImageSegFM-Survey",), None),
    "2408.17175": (("https://github.com/zhenye234/xcodec",), "https://x-codec-audio.github.io"),
    "2409.12346": ((), "https://msg-ld.github.io"),
    "2409.12959": ((), "https://mmsearch.github.io"),
    "2409.13694": (("https://github.com/USTCAGI/PruningRAG",), None),
    "2409.19884": (("https://github.com/windowso/SWIM-ASAD",), None),
    "2410.11061": (("https://github.com/pnnl/L2O-pMINLP",), None),
    "2411.14082": (("https://github.com/chenxm1986/cktso",), None),
    "2411.14392": (("https://github.com/Yash-10/cvt-cosmo-inference",), None),
    "2411.16681": ((), "https://showlab.github.io/FQGAN"),
    "2411.16800": ((), "https://jiajinglin.github.io/Phys4DGen"),
    "2411.17181": (("https://github.com/FMOpee/WGSS",), None),
    "2411.17190": ((), "https://gynjn.github.io/selfsplat"),
    "2411.17376": ((), "https://fujiry0.github.io/RealTraj-project-page"),
    "2411.17515": ((), "https://hyj542682306.github.io/SuperMat"),
    "2411.17691": ((), None),
}


def test_every_recorded_paper_that_names_a_host_is_in_the_table() -> None:
    named = {p.id for p in recorded() if HOSTS.search(f"{p.abstract} {p.comment or ''}")}
    assert named == set(EXPECTED)


@pytest.mark.parametrize("paper_id", sorted(EXPECTED))
def test_recorded_links(paper_id: str) -> None:
    paper = next(p for p in recorded() if p.id == paper_id)
    code, page = EXPECTED[paper_id]
    assert links_of(paper) == PaperLinks(code=code, project_page=page)
    assert code_links(paper) == code
    assert project_page(paper) == page


def test_recorded_papers_without_a_host_have_no_links() -> None:
    others = [p for p in recorded() if p.id not in EXPECTED]
    assert len(others) > 400
    assert [p.id for p in others if links_of(p) != PaperLinks((), None)] == []


def test_share_of_recorded_papers_with_a_link() -> None:
    """The measured share, per recording kind (pinned so a change in the rules shows)."""
    with_link = {pid for pid, (code, page) in EXPECTED.items() if code or page}
    assert len(with_link) == 79
    # 2 of the 157 API papers; 77 of the 1504 RSS items (the file keeps every RSS item
    # that names a host, so the RSS share is 77/1504).
    api = {json.loads(line)["id"] for line in RECORDED.read_text().splitlines()[:157]}
    assert len(with_link & api) == 2


# --- edge cases (SYNTHETIC text built from the real forms above) ------------------------------


def links(abstract: str, comment: str | None = None) -> PaperLinks:
    return links_of(synthetic_paper(1, abstract=abstract, comment=comment))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/Owner/Repo.", "https://github.com/Owner/Repo"),
        ("(https://github.com/Owner/Repo), then", "https://github.com/Owner/Repo"),
        ("at https://github.com/Owner/Repo.git.", "https://github.com/Owner/Repo"),
        ("at https://github.com/Owner/Repo/ under MIT", "https://github.com/Owner/Repo"),
        ("at github.com/Owner/Repo;", "https://github.com/Owner/Repo"),
        ("at http://github.com/Owner/Repo", "http://github.com/Owner/Repo"),
        ("at www.github.com/Owner/Repo", "https://www.github.com/Owner/Repo"),
        ("\\url{https://github.com/Owner/Repo}.", "https://github.com/Owner/Repo"),
        ("\\href{https://github.com/O/R}{\\texttt{github.com/O/R}}", "https://github.com/O/R"),
        (
            "\\footnote{\\texttt{https://github.com/O/Cloud\\_Map}}",
            "https://github.com/O/Cloud_Map",
        ),
        ("see https://github.com/O/R/tree/main/sub!", "https://github.com/O/R/tree/main/sub"),
        ("in https://gitlab.com/group/sub/project.", "https://gitlab.com/group/sub/project"),
        ("at https://huggingface.co/Org/Model-7B,", "https://huggingface.co/Org/Model-7B"),
        ("at https://huggingface.co/datasets/o/d.", "https://huggingface.co/datasets/o/d"),
        ("at https://hf.co/spaces/o/demo", "https://hf.co/spaces/o/demo"),
        ("[https://github.com/O/R]", "https://github.com/O/R"),
        ("(file https://github.com/O/R/blob/a_(b).md)", "https://github.com/O/R/blob/a_(b).md"),
    ],
)
def test_one_code_link(text: str, expected: str) -> None:
    assert links(text).code == (expected,)


@pytest.mark.parametrize(
    "text",
    [
        "We mined 30 GitHub repositories and GitHub issues.",
        "The project (https://github.com/SPARC-X) provides",  # an organisation
        "checkpoints at https://huggingface.co/Xu-Ouyang.",  # a user page
        "see https://huggingface.co/datasets/only-owner",  # no dataset name
        "see https://huggingface.co/docs/transformers",
        "see https://github.com/features/actions and https://github.com/orgs/x",
        "clone git@github.com:owner/repo.git",
        "see https://notgithub.com/a/b and https://github.community/t/x",
        "no links at all",
        "",
    ],
)
def test_no_code_link(text: str) -> None:
    assert links(text).code == ()


def test_project_pages() -> None:
    found = links("Page: https://Team.github.io/Proj/. Demos at \\url{cat-4d.github.io}.")
    assert found.project_page == "https://Team.github.io/Proj"
    assert found.code == ()
    assert links("page https://x.github.io").project_page == "https://x.github.io"
    assert links("no page").project_page is None


def test_repositories_first_then_hugging_face_duplicates_once_original_case() -> None:
    found = links(
        "Data: https://huggingface.co/datasets/o/D. Code: https://github.com/O/Repo "
        "and https://github.com/o/repo/ (same) and https://GitLab.com/g/p.",
        "Mirror: http://github.com/O/Repo.git; page https://o.github.io/x, "
        "again https://O.github.io/X",
    )
    assert found.code == (
        "https://github.com/O/Repo",
        "https://GitLab.com/g/p",
        "https://huggingface.co/datasets/o/D",
    )
    assert found.project_page == "https://o.github.io/x"


def test_abstract_before_comment() -> None:
    found = links("abstract https://github.com/a/first", "comment https://github.com/b/second")
    assert found.code == ("https://github.com/a/first", "https://github.com/b/second")


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://github.com/Owner/Repo", "Owner/Repo"),
        ("https://github.com/Owner/Repo/tree/main/sub", "Owner/Repo"),
        ("https://gitlab.com/group/sub/project", "group/sub/project"),
        ("https://gitlab.com/group/project/-/tree/main", "group/project"),
        ("https://huggingface.co/Org/Model-7B", "Org/Model-7B"),
        ("https://huggingface.co/datasets/o/d", "datasets/o/d"),
        ("https://Team.github.io/Proj", "Team.github.io/Proj"),
        ("https://team.github.io", "team.github.io"),
        ("https://codeberg.org/o/r", "o/r"),
        ("https://anonymous.4open.science/r/Name-1A2B", "anonymous/Name-1A2B"),
        ("https://sourceforge.net/projects/name", "sourceforge/name"),
    ],
)
def test_link_label(url: str, label: str) -> None:
    assert link_label(url) == label


# --- more hosts, names, and whose github.io page it is (SYNTHETIC text in the real forms of
# --- the 2025–2026 abstracts and comments in ../shared) ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/Owner/DuQuant++.", "https://github.com/Owner/DuQuant++"),
        ("at https://github.com/o/spectral.ViT-v2_x.", "https://github.com/o/spectral.ViT-v2_x"),
        (
            "at https://anonymous.4open.science/r/Foo-3E88.",
            "https://anonymous.4open.science/r/Foo-3E88",
        ),
        ("at https: //anonymous.4open.science/r/Foo/.", "https://anonymous.4open.science/r/Foo"),
        (
            "\\noindenthttps://anonymous.4open.science/r/Foo-3CE/",
            ("https://anonymous.4open.science/r/Foo-3CE"),
        ),
        ("at https://codeberg.org/owner/in-context.", "https://codeberg.org/owner/in-context"),
        ("at https://bitbucket.org/team/repo.", "https://bitbucket.org/team/repo"),
        ("at https://sourceforge.net/projects/foo/files/", "https://sourceforge.net/projects/foo"),
        ("available athttps://github.com/o/r", "https://github.com/o/r"),
    ],
)
def test_one_code_link_on_more_hosts(text: str, expected: str) -> None:
    assert links(text).code == (expected,)


@pytest.mark.parametrize(
    "text",
    [
        "see https://anonymous.4open.science/ for the policy",
        "see https://codeberg.org/owner and https://bitbucket.org/",
        "see https://sourceforge.net/directory/ only",
    ],
)
def test_no_repository_on_more_hosts(text: str) -> None:
    assert links(text).code == ()


@pytest.mark.parametrize(
    ("text", "page"),
    [
        ("Results are strong. Project page: https://ours.github.io/p", "https://ours.github.io/p"),
        ("Our code is available at https://ours.github.io.", "https://ours.github.io"),
        ("Results improve. https://ours.github.io/p", "https://ours.github.io/p"),
        ("https://ours.github.io/p", "https://ours.github.io/p"),
        (
            "Accepted at ICCV 2025 Workshop X. Project page: https://o.github.io",
            "https://o.github.io",
        ),
        # a third-party dataset page, cited: not the paper's own
        ("We evaluate on the FooBar dataset (https://foobar.github.io) and ours.", None),
        ("We use the data from https://foobar.github.io in all runs.", None),
        ("More information is on the workshop website: https://ws.github.io/.", None),
        ("Presented at the NeurIPS 2025 Foo Workshop https://foo-ws.github.io/papers", None),
        (
            "We evaluate on FooBar (https://foobar.github.io). Project page: https://ours.github.io",
            "https://ours.github.io",
        ),
    ],
)
def test_github_io_is_the_project_page_only_when_presented_as_the_papers_own(
    text: str, page: str | None
) -> None:
    assert links(text).project_page == page


@pytest.mark.skipif(
    not (SHARED / "ranking").is_dir(),
    reason=f"the shared abstracts are absent ({SHARED}); measured only where ../shared exists",
)
def test_every_anonymous_repository_and_plus_name_in_the_shared_abstracts_is_found() -> None:
    """Real 2025–2026 abstracts (../shared/ranking, see PROVENANCE.md there)."""
    import gzip

    path = SHARED / "ranking" / "arxiv-listings-2025-03-to-2026-07.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        abstracts = [json.loads(line)["abstract"] for line in handle]
    named = re.compile(r"anonymous\.4open\.science/r/[\w.-]+|github\.com/[\w.-]+/[\w.-]*\+[\w.+-]*")
    total = found = 0
    for text in abstracts:
        if "4open" not in text and "+" not in text:
            continue
        code = " ".join(links_in(text).code).lower()
        for match in named.finditer(text):
            total += 1
            found += match.group(0).rstrip(".").lower() in code
    assert (found, total) == (253, 253)
