"""Try other text features for the shipped ranker on the tune half of the ranking benchmark.

With the negatives held equal, sklearn's LinearSVC beat a pure-Python SVM on our features, so
the text features are what this grid varies, the score (centroid + 3-NN - pool) staying the
shipped one: stemming or not, our token rule or sklearn's (two or more word characters),
our stop list, sklearn's English one (``sklearn_stop_words.txt``) or none, the n-gram order,
whether an n-gram may span a dropped stop word (sklearn's drops stop words first), the
title's weight, idf over the pool and the library or the library alone, a ``max_df`` cut, and
hyphenated compounds and case-kept acronyms as extra tokens.  A :class:`Spec` equal to
:data:`SHIPPED` gives the shipped scores bit for bit (checked as the run starts).

Usage: ``.venv/bin/python benchmarks/ranking_features.py --skip S --users N --specs ...``;
every spec is scored on the same users in the same run, with LinearSVC (``--linearsvc``) and
the paired ratios to it and to the shipped features.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import ranking as bench  # noqa: E402
from daily_papers import ranking  # noqa: E402

#: sklearn's English stop list, as data (its provenance is the file's first line).
SKLEARN_STOP = frozenset(
    line.strip()
    for line in (Path(__file__).with_name("sklearn_stop_words.txt"))
    .read_text(encoding="utf-8")
    .splitlines()[1:]
    if line.strip()
)
STOP_LISTS: dict[str, frozenset[str]] = {
    "ours": ranking._STOP,
    "sklearn": SKLEARN_STOP,
    "none": frozenset(),
}
TOKENS = {"ours": re.compile(r"[a-z][a-z0-9]+"), "sklearn": re.compile(r"\b\w\w+\b")}
#: Hyphenated compounds as written ("self-supervised", "GPT-4"), lower-cased.
COMPOUND = re.compile(r"\b\w+(?:-\w+)+\b")
#: Words with two or more capitals or a capital after a lower-case letter ("BERT", "LoRA",
#: "wav2vec" is not one): system names authors reuse, kept with their case.
ACRONYM = re.compile(r"\b\w*[A-Z]\w*[A-Z]\w*\b|\b\w*[a-z][A-Z]\w*\b")


@dataclass(frozen=True)
class Spec:
    """One way to turn a paper into term counts and weigh them."""

    stem: bool = True
    tokens: str = "ours"
    stop: str = "ours"
    ngram: int = 2
    gaps: bool = True  # a stop word breaks an n-gram (ours); False: drop stop words first
    title: int = 2
    idf: str = "both"  # "both": pool + library; "library": the library's own, its words only
    max_df: float = 1.0  # terms in more than this share of the idf's papers are dropped
    compounds: bool = False
    acronyms: bool = False

    def name(self) -> str:
        default = Spec()
        parts = [
            f"{k}={getattr(self, k)}" for k in vars(self) if getattr(self, k) != getattr(default, k)
        ]
        return " ".join(parts) or "shipped"


SHIPPED = Spec()


def _words(text: str, spec: Spec) -> list[str]:
    """``text``'s n-grams in order (a stop word a gap ``""`` unless ``spec.gaps`` is off)."""
    stop = STOP_LISTS[spec.stop]
    raw = TOKENS[spec.tokens].findall(text.lower())
    if spec.stem:
        kept = ["" if w in stop else ranking.stemmed(w) for w in raw]
    else:
        kept = ["" if w in stop else w for w in raw]
    if not spec.gaps:
        kept = [w for w in kept if w]
    out: list[str] = []
    for i, word in enumerate(kept):
        if not word:
            continue
        out.append(word)
        gram = word
        for j in range(i + 1, min(i + spec.ngram, len(kept))):
            if not kept[j]:
                break
            gram = gram + " " + kept[j]
            out.append(gram)
    return out


def _terms(text: str, spec: Spec) -> list[str]:
    out = _words(text, spec)
    if spec.compounds:
        out += ["-:" + c.lower() for c in COMPOUND.findall(text)]
    if spec.acronyms:
        out += ["A:" + a for a in ACRONYM.findall(text)]
    return out


def features(title: str, abstract: str, spec: Spec) -> ranking.Features:
    counts: ranking.Features = Counter(_terms(title, spec))
    for term, n in counts.items():
        counts[term] = n * spec.title
    counts.update(_terms(abstract, spec))
    return counts


class Featured:
    """Each paper's features and each day's document frequencies under one spec, kept."""

    def __init__(self, corpus: bench.Corpus, spec: Spec) -> None:
        self.corpus, self.spec = corpus, spec
        self.feats: dict[str, ranking.Features] = {}
        self.day_df: dict[str, Counter[str]] = {}

    def get(self, paper_id: str) -> ranking.Features:
        found = self.feats.get(paper_id)
        if found is None:
            paper = self.corpus.papers[paper_id]
            found = self.feats[paper_id] = features(
                str(paper["title"]), str(paper["abstract"]), self.spec
            )
        return found

    def df(self, day: str) -> Counter[str]:
        found = self.day_df.get(day)
        if found is None:
            found = Counter()
            for paper_id in self.corpus.days[day]:
                found.update(self.get(paper_id).keys())
            self.day_df[day] = found
        return found

    def parts(self, library: Sequence[str], day: str) -> ranking.Components:
        lib = [self.get(i) for i in library]
        pool = [self.get(i) for i in self.corpus.days[day]]
        spec = self.spec
        if spec.idf == "both" and spec.max_df >= 1.0:
            return ranking.components(lib, pool, pool_df=self.df(day))
        lib_df: Counter[str] = Counter()
        for counts in lib:
            lib_df.update(counts.keys())
        if spec.idf == "library":
            # the library is the vocabulary: a pool paper is its library words only
            vocab = lib_df
            total = len(lib)
            pool = [Counter({t: n for t, n in c.items() if t in vocab}) for c in pool]
            pool_df: Counter[str] = Counter({t: 0 for c in pool for t in c})
            both = lib_df
        else:
            pool_df = self.df(day)
            total = len(lib) + len(pool)
            both = pool_df + lib_df
        if spec.max_df < 1.0:
            cut = spec.max_df * total
            common = {t for t, n in both.items() if n > cut}
            lib = [Counter({t: n for t, n in c.items() if t not in common}) for c in lib]
            pool = [Counter({t: n for t, n in c.items() if t not in common}) for c in pool]
            pool_df = Counter({t: n for t, n in pool_df.items() if t not in common})
        if spec.idf == "library":
            # ranking.components adds the pool's size to the idf's papers: a zero-count
            # pool would still shift it, so weigh with the library's count alone
            return _library_idf(lib, pool)
        return ranking.components(lib, pool, pool_df=pool_df)


def _library_idf(
    lib: Sequence[ranking.Features], pool: Sequence[ranking.Features]
) -> ranking.Components:
    """``ranking.components`` with idf over the library alone (the pool adds no papers)."""
    original = ranking._idf

    def idf(df: Counter[str], lib_df: Counter[str], papers: int) -> dict[str, float]:
        return original(Counter(dict.fromkeys(df, 0)), lib_df, len(lib))

    ranking._idf = idf
    try:
        return ranking.components(lib, pool, pool_df=Counter({t: 0 for c in pool for t in c}))
    finally:
        ranking._idf = original


Mix = tuple[int, float, float]  # knn, centroid share, pool penalty (libraries of ten or more)


def _scores(parts: ranking.Components, mix: Mix | None) -> list[float]:
    if mix is None:
        return ranking.mix(parts)
    knn, share, penalty = mix
    if len(parts.index) < ranking.COLD_LIBRARY:
        penalty = ranking.COLD_POOL_PENALTY
    return ranking.mix(parts, knn=knn, centroid_share=share, pool_penalty=penalty)


Results = dict[str, list[list[list[float]]]]


def evaluate(
    corpus: bench.Corpus,
    people: Sequence[bench.User],
    specs: Sequence[Spec],
    mixes: Sequence[Mix | None],
    svm: bench.Scorer | None,
) -> Results:
    """Per (spec, mix), per user, per ranked day: the metrics; LinearSVC's under its name."""
    featured = [Featured(corpus, s) for s in specs]
    names = [(f, m, _label(f.spec, m)) for f in featured for m in mixes]
    out: Results = {name: [] for *_, name in names}
    if svm is not None:
        out[bench.SVM_NAME] = []
    for number, user in enumerate(people):
        rows: dict[str, list[list[float]]] = {name: [] for name in out}
        for day, relevant in user.days:
            pool = corpus.days[day]
            for f in featured:
                parts = f.parts(user.library, day)
                for m in mixes:
                    rows[_label(f.spec, m)].append(bench.metrics(_scores(parts, m), pool, relevant))
            if svm is not None:
                case = bench.Case(corpus, user, user.library, day, pool)
                rows[bench.SVM_NAME].append(bench.metrics(svm(case), pool, relevant))
        for name, row in rows.items():
            out[name].append(row)
        print(f"  {number + 1}/{len(people)} users", file=sys.stderr, end="\r", flush=True)
    return out


def _label(spec: Spec, mix: Mix | None) -> str:
    return spec.name() + ("" if mix is None else f" mix k={mix[0]} share={mix[1]} pen={mix[2]}")


def check_shipped(corpus: bench.Corpus, people: Sequence[bench.User]) -> None:
    """The shipped spec must give the shipped ranker's scores exactly (else the grid lies)."""
    featured = Featured(corpus, SHIPPED)
    user = people[0]
    day = user.days[0][0]
    case = bench.Case(corpus, user, user.library, day, corpus.days[day])
    assert ranking.mix(featured.parts(user.library, day)) == bench.ours(case)


#: Named specs the command line may ask for.
SPECS: dict[str, Spec] = {
    "shipped": SHIPPED,
    "nostem": Spec(stem=False),
    "sk-tok": Spec(stem=False, tokens="sklearn"),
    "sk-stop": Spec(stem=False, tokens="sklearn", stop="sklearn"),
    "sk-nogap": Spec(stem=False, tokens="sklearn", stop="sklearn", gaps=False),
    "nostem-skstop": Spec(stem=False, stop="sklearn"),
    "nostem-nostop": Spec(stem=False, stop="none"),
    "stem-skstop": Spec(stop="sklearn"),
    "nostem-libidf": Spec(stem=False, idf="library"),
    "nostem-maxdf.5": Spec(stem=False, max_df=0.5),
    "nostem-maxdf.2": Spec(stem=False, max_df=0.2),
    "nostem-title1": Spec(stem=False, title=1),
    "nostem-tri": Spec(stem=False, ngram=3),
    "nostem-comp": Spec(stem=False, compounds=True),
    "nostem-acro": Spec(stem=False, acronyms=True),
    "nostem-comp-acro": Spec(stem=False, compounds=True, acronyms=True),
    "stem-comp-acro": Spec(compounds=True, acronyms=True),
    "nostem-nogap": Spec(stem=False, gaps=False),
    "stem-nogap": Spec(gaps=False),
}


def mixes_from(text: Sequence[str]) -> list[Mix | None]:
    out: list[Mix | None] = []
    for item in text:
        if item == "shipped":
            out.append(None)
        else:
            k, share, penalty = item.split(",")
            out.append((int(k), float(share), float(penalty)))
    return out


def report(results: Results, base: str) -> None:
    svm = results.get(bench.SVM_NAME)
    rows = sorted(results.items(), key=lambda kv: -bench.mean_of(kv[1], 0))
    for name, per_user in rows:
        r10, (lo, hi) = bench.mean_of(per_user, 0), bench.bootstrap(per_user, 0)
        mrr, (mlo, mhi) = bench.mean_of(per_user, 2), bench.bootstrap(per_user, 2)
        line = f"{name}: R@10 {r10:.3f} [{lo:.3f}, {hi:.3f}] MRR {mrr:.3f} [{mlo:.3f}, {mhi:.3f}]"
        p, plo, phi = bench.paired_ratio(per_user, results[base], 0)
        line += f" /shipped {p:.3f} [{plo:.3f}, {phi:.3f}]"
        if svm is not None:
            p, plo, phi = bench.paired_ratio(per_user, svm, 0)
            line += f" /LinearSVC {p:.3f} [{plo:.3f}, {phi:.3f}]"
        print(line, flush=True)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--skip", type=int, default=0, help="tune users to skip first")
    parser.add_argument("--specs", nargs="+", default=["shipped", "nostem"], choices=sorted(SPECS))
    parser.add_argument(
        "--mixes", nargs="+", default=["shipped"], help="'shipped' or k,share,penalty"
    )
    parser.add_argument("--linearsvc", action="store_true", help="add sklearn's LinearSVC row")
    parser.add_argument("--dump", type=Path, help="write the per-user metrics as JSON here")
    args = parser.parse_args(list(argv) if argv is not None else None)
    corpus = bench.found_corpus()
    if corpus is None:
        return 2
    people = bench.tune_users(corpus, args.skip, args.users)
    check_shipped(corpus, people)
    specs = [SPECS[s] for s in args.specs]
    if SHIPPED not in specs:
        specs.insert(0, SHIPPED)
    mixes = mixes_from(args.mixes)
    if None not in mixes:
        mixes.insert(0, None)
    print(
        f"tune half, users {args.skip}..{args.skip + len(people) - 1}, "
        f"{sum(len(u.days) for u in people)} ranked days",
        flush=True,
    )
    started = time.perf_counter()
    svm = bench.make_svm(corpus) if args.linearsvc else None
    results = evaluate(corpus, people, specs, mixes, svm)
    if args.dump:
        args.dump.write_text(json.dumps(results), encoding="utf-8")
    report(results, _label(SHIPPED, None))
    print(f"{time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
