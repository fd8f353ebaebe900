"""09_capstone: the claims its prose makes about training runs, which nbval does not compare
(those cells are marked NBVAL_IGNORE_OUTPUT because their figures depend on round-off)."""

import json

import nbformat
import pytest
from nbclient import NotebookClient

from nngrader.build import read_source, sources
from nngrader.course import REPO_ROOT

pytestmark = pytest.mark.slow

PROBE = """
import json
_contrast = {"not", "never", "but", "although"}
_mistakes = [val[k] for k in wrong[np.argsort(-confidence)][:10]]
print("CLAIMS" + json.dumps({
    "scores": {k: float(v) for k, v in scores.items()},
    "ablation_means": {k: float(v.mean()) for k, v in ablation.items()},
    "hard_mistakes": sum(bool(_contrast & set(token_lists[i]) or any(t not in vocab for t in token_lists[i]))
                         for i in _mistakes),
    "n_mistakes_listed": len(_mistakes),
    "same_output_for_same_bag": bool(np.allclose(P_pair[0], P_pair[1])),
    "taggers": {k: [float(x) for x in recall_precision(v, win_labels[is_val])] for k, v in taggers.items()},
}))
"""


@pytest.fixture(scope="module")
def claims():
    nb = read_source(sources(REPO_ROOT, ["09_capstone"])["09_capstone"])
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(REPO_ROOT / "solutions" / "09_capstone")}}).execute()
    text = "".join(out.get("text", "") for out in nb.cells[-1].outputs)
    return json.loads(text.split("CLAIMS", 1)[1])


def test_the_task_is_honest_the_linear_models_are_clearly_below_100_percent(claims):
    s = claims["scores"]
    assert 0.4 <= s["majority class"] <= 0.6
    for model in ("Naive Bayes", "logistic regression"):
        assert 0.6 <= s[model] <= 0.9, f"{model}: {s[model]}"


def test_the_network_is_close_to_the_linear_models_and_well_above_the_majority(claims):
    s = claims["scores"]
    net = s["network (averaged word vectors)"]
    assert net >= s["majority class"] + 0.1
    assert abs(net - s["logistic regression"]) <= 0.1, "the prose says: within a few sentences of logistic regression"
    assert net <= max(s["Naive Bayes"], s["logistic regression"]) + 0.05, "the prose says it does not clearly beat them"


def test_every_ablation_row_beats_the_majority_class(claims):
    assert len(claims["ablation_means"]) == 7
    for name, mean in claims["ablation_means"].items():
        assert mean >= claims["scores"]["majority class"] + 0.05, name


def test_most_confident_mistakes_involve_negation_contrast_or_unknown_words(claims):
    assert claims["n_mistakes_listed"] == 10
    assert claims["hard_mistakes"] >= 7


def test_the_same_bag_of_words_gets_the_same_prediction(claims):
    assert claims["same_output_for_same_bag"]


def test_the_window_tagger_beats_the_word_lookup_which_beats_nothing(claims):
    t = claims["taggers"]
    assert t["never a place"][0] == 0
    assert t["lookup of the word"][0] < t["softmax on the window"][0] - 0.1
    assert t["softmax on the window"][1] >= 0.8
