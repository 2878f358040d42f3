"""The trained tagger on disk (tagging/store.py): the same suggestions with and without it, no scikit-learn on a
hit, damaged files ignored, a new file when what training reads changes, old ones pruned."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import make_project

from site_builder.corpus.load import load_corpus
from site_builder.corpus.taxonomy import load_taxonomy
from site_builder.model import Settings
from site_builder.tagging import store
from site_builder.tagging.classifier import TopicClassifier
from site_builder.tagging.tagger import Tagger, suggest_for, tagger_for
from site_builder.text.analyzer import get_analyzer

REPO = Path(__file__).resolve().parents[1]
FIELDTEST = REPO.parent / "shared" / "fieldtest" / "diaries"

# a fresh process: what the next `mkdocs build` or `diary search` does with the cache the first one left
PROBE = """
import json, sys
from pathlib import Path
from site_builder.corpus.load import load_corpus
from site_builder.model import Settings
corpus, _ = load_corpus(Settings(Path(sys.argv[1]), Path(sys.argv[2])))
print(json.dumps({"suggested": {e.id: list(e.suggested_topics) for e in corpus.entries},
                  "sklearn": sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy"))}))
"""


def _project(tmp_path: Path) -> Path:
    """The sample diaries (the hand-tagged training set), the field test's entries (some untagged) and the labelled
    fixtures with their topics removed (all untagged): many entries to suggest for, trained on real diaries."""
    root = make_project(tmp_path / "p", {})
    shutil.copytree(REPO / "diaries", root / "diaries", dirs_exist_ok=True)
    if FIELDTEST.is_dir():
        shutil.copytree(FIELDTEST, root / "diaries" / "fieldtest")
    for part in ("tuning", "heldout"):
        for f in sorted((REPO / "tests" / "fixtures" / "tagging" / part).glob("*.md")):
            text = "".join(line for line in f.read_text(encoding="utf-8").splitlines(keepends=True)
                           if not line.startswith("topics:"))
            out = root / "diaries" / "fixtures" / part / f.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    return root


def _suggested(settings: Settings) -> dict[str, list[str]]:
    corpus, _ = load_corpus(settings)  # no BuildCache given: a new one, as in a new process
    return {e.id: list(e.suggested_topics) for e in corpus.entries}


def _probe(settings: Settings) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(settings.diaries_dir), str(settings.cache_dir)],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = _project(tmp_path_factory.mktemp("cache"))
    return Settings(root / "diaries", root / ".cache" / "diary")


def _states(settings: Settings) -> list[Path]:
    return sorted(settings.cache_dir.glob("tagger-*.npz"))


def test_a_cached_tagger_suggests_what_a_trained_one_does_without_scikit_learn(project):
    shutil.rmtree(project.cache_dir, ignore_errors=True)
    trained = _suggested(project)
    assert len(_states(project)) == 1
    untagged = [i for i, s in trained.items() if s]
    assert len(untagged) > 150  # the fixtures and the field test's untagged entries got suggestions
    probe = _probe(project)
    assert probe["suggested"] == trained
    assert probe["sklearn"] == []  # loaded, not trained: not even imported
    assert len(_states(project)) == 1


def test_the_stored_state_is_the_trained_one_bit_for_bit(project):
    corpus, _ = load_corpus(project, suggest=False)
    taxonomy = corpus.taxonomy
    shutil.rmtree(project.cache_dir, ignore_errors=True)
    analyzer = get_analyzer(taxonomy, project.diaries_dir / "userdict.txt", project.cache_dir)
    trained = Tagger(taxonomy, analyzer, [e for e in corpus.entries if e.topics]).learned
    assert trained.classifier is not None
    store.save(project.cache_dir, "k" * 32, trained)
    loaded = store.load(project.cache_dir, "k" * 32)
    assert loaded is not None and loaded.classifier is not None
    assert (loaded.idf, loaded.centroids, loaded.trust, loaded.learning) == \
        (trained.idf, trained.centroids, trained.trust, trained.learning)
    assert loaded.classifier.slugs == trained.classifier.slugs
    assert loaded.classifier.columns == trained.classifier.columns
    for name in ("idf", "weights", "bias"):
        assert np.array_equal(getattr(loaded.classifier, name), getattr(trained.classifier, name))
    assert store.load(project.cache_dir, "j" * 32) is None  # another key is another state


def test_probabilities_equal_scikit_learns(project):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    corpus, _ = load_corpus(project, suggest=False)
    analyzer = get_analyzer(corpus.taxonomy, project.diaries_dir / "userdict.txt", project.cache_dir)
    tagged = [e for e in corpus.entries if e.topics]
    docs = [analyzer.tokens(e.title) * 2 + analyzer.tokens(e.body) for e in tagged]
    labels = [e.topics for e in tagged]
    model = TopicClassifier.train(docs, labels)
    assert model is not None and len(model.slugs) > 10
    vectorizer = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True)
    x = vectorizer.fit_transform(docs)
    assert model.columns == vectorizer.vocabulary_
    # unseen texts, words no tagged entry has, an empty text, one word many times
    others = [e for e in corpus.entries if not e.topics][:200]
    queries = [analyzer.tokens(e.title) * 2 + analyzer.tokens(e.body) for e in others]
    queries += [[], ["从来没有人写过的词"], ["物业"] * 7 + ["漏水"], docs[0]]
    ours = model.probabilities(queries)
    xq = vectorizer.transform(queries)
    for slug in model.slugs:
        lr = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", random_state=0)
        lr.fit(x, [slug in t for t in labels])
        expected = lr.predict_proba(xq)[:, 1]
        got = np.array([p[slug] for p in ours])
        assert np.allclose(got, expected, rtol=1e-12, atol=1e-15), slug


def _small_project(tmp_path: Path) -> Settings:
    """The field test's entries (about half hand-tagged) and 30 labelled fixtures with their topics removed: enough for
    the tagger to suggest something, small enough to train several times over."""
    root = make_project(tmp_path / "p", {})
    for f in sorted(FIELDTEST.glob("*.md")):
        shutil.copy(f, root / "diaries" / f.name)
    for f in sorted((REPO / "tests" / "fixtures" / "tagging" / "heldout").glob("*.md"))[:30]:
        text = "".join(line for line in f.read_text(encoding="utf-8").splitlines(keepends=True)
                       if not line.startswith("topics:"))
        (root / "diaries" / f"heldout-{f.name}").write_text(text, encoding="utf-8")
    return Settings(root / "diaries", root / ".cache" / "diary")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _small_project(tmp_path_factory.mktemp("small"))


def test_a_damaged_cache_file_is_ignored_and_rewritten(small):
    # what is damaged is the file, whatever the corpus: a small one, as every damage costs a training
    project = small
    corpus, _ = load_corpus(project, suggest=False)
    entries, taxonomy = corpus.entries, corpus.taxonomy

    def suggested() -> dict[str, list[str]]:
        found = suggest_for(tagger_for(entries, taxonomy, project), entries)  # a new BuildCache each time
        return {i: [s.slug for s in found] for i, found in found.items()}

    shutil.rmtree(project.cache_dir, ignore_errors=True)
    expected = suggested()
    assert sum(map(len, expected.values())) >= 10, expected  # a tagger that suggests nothing would pass below
    [path] = _states(project)
    key = path.name[len(store.PREFIX):-len(store.SUFFIX)]
    good = path.read_bytes()
    analyzer = get_analyzer(taxonomy, project.diaries_dir / "userdict.txt", project.cache_dir)
    other = Tagger(taxonomy, analyzer, [e for e in entries if e.topics][:-5]).learned
    for damage in ("garbage", "truncated", "empty", "other key"):
        if damage == "garbage":
            path.write_bytes(b"PK\x03\x04 not a zip at all" * 50)
        elif damage == "truncated":
            path.write_bytes(good[: len(good) // 2])
        elif damage == "empty":
            path.write_bytes(b"")
        else:  # a valid state of another training set, renamed: the key stored inside says it is not this one
            store.save(project.cache_dir, "0" * 32, other)
            shutil.move(store.path_for(project.cache_dir, "0" * 32), path)
        assert store.load(project.cache_dir, key) is None, damage
        assert suggested() == expected, damage
        assert store.load(project.cache_dir, key) is not None, damage  # rewritten: the next process loads it


def test_what_training_reads_changes_the_key_and_old_states_are_pruned(project, tmp_path):
    root = make_project(tmp_path, {
        "a.md": "---\ndate: 2020-01-02\ntitle: 物业撤了\ntopics: [wuye]\n---\n物业公司撤场，楼道没人扫。\n",
        "b.md": "---\ndate: 2020-01-03\ntitle: 又跑水\ntopics: [weixiu]\n---\n三楼跑水淹了二楼。\n",
        "c.md": "---\ndate: 2020-01-04\ntitle: 楼道\n---\n物业不管楼道卫生。\n",
    })
    settings = Settings(root / "diaries", root / ".cache" / "diary")
    taxonomy, _ = load_taxonomy(settings.diaries_dir)
    seen = set()
    for k in range(store.KEEP + 2):
        # a hand-tagged entry edited: another training set, another state
        (root / "diaries" / "a.md").write_text(
            f"---\ndate: 2020-01-02\ntitle: 物业撤了\ntopics: [wuye]\n---\n物业公司撤场，第{k}次。\n", encoding="utf-8")
        corpus, _ = load_corpus(settings, suggest=False)
        tagger_for(corpus.entries, taxonomy, settings)
        seen.add(tuple(_states(settings)))
        assert len(_states(settings)) == min(k + 1, store.KEEP)
    assert len(seen) == store.KEEP + 2
    # an untagged entry edited: the same training set, the same state
    before = _states(settings)
    (root / "diaries" / "c.md").write_text("---\ndate: 2020-01-04\ntitle: 楼道\n---\n物业不管。\n", encoding="utf-8")
    corpus, _ = load_corpus(settings, suggest=False)
    tagger_for(corpus.entries, taxonomy, settings)
    assert _states(settings) == before


def test_an_unwritable_cache_folder_costs_only_the_training(tmp_path):
    taxonomy, _ = load_taxonomy(REPO / "diaries")
    analyzer = get_analyzer(taxonomy, REPO / "diaries" / "userdict.txt", tmp_path / "c")
    learned = Tagger(taxonomy, analyzer).learned
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    store.save(blocked / "diary", "k" * 32, learned)  # no exception
    assert store.load(blocked / "diary", "k" * 32) is None


def test_after_a_hand_tagged_save_the_untagged_keyword_scores_come_from_disk(tmp_path, monkeypatch):
    """Training again (a hand-tagged entry saved) needs the untagged texts' learned scores again, not their keyword
    scores (store.keywords_key: no training in it): those are read back; the suggestions equal a fresh process's;
    a taxonomy change scores the keywords again."""
    settings = _small_project(tmp_path)
    _suggested(settings)
    assert (settings.cache_dir / store.KEYWORDS_FILE).is_file()
    scored: list[str] = []
    real = Tagger._keyword_scores

    def counting(self: Tagger, title: str, body: str) -> dict[str, tuple[float, list[str]]]:
        if body:  # topic_word_clues scores her topic words as titles; those are not texts
            scored.append(title)
        return real(self, title, body)

    monkeypatch.setattr(Tagger, "_keyword_scores", counting)
    corpus, _ = load_corpus(settings, suggest=False)
    tagged = next(e.source for e in corpus.entries if e.topics)
    tagged.write_text(tagged.read_text("utf-8") + "\n又去物业问了一次，答复下周来修。\n", encoding="utf-8")
    untagged = next(e.source for e in corpus.entries if not e.topics)
    untagged.write_text(untagged.read_text("utf-8") + "\n楼道里的马葫芦又冒水了。\n", encoding="utf-8")
    states = len(_states(settings))
    again = _suggested(settings)
    assert len(_states(settings)) >= min(states + 1, store.KEEP)  # it did train again
    assert len(scored) == 1  # only the untagged entry that changed
    fresh_settings = Settings(settings.diaries_dir, tmp_path / "fresh")
    assert again == _suggested(fresh_settings)
    topics = settings.diaries_dir / "topics.yml"
    topics.write_text(topics.read_text("utf-8").replace("漏水", "漏水漏雨", 1), encoding="utf-8")
    scored.clear()
    assert _suggested(settings) == _suggested(Settings(settings.diaries_dir, tmp_path / "fresh2"))
    assert len(scored) > 10  # another taxonomy: every untagged text scored again
