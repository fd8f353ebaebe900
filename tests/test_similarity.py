"""nngrader.similarity: two near-copies of one solution are listed, side by side with the shared
code marked; two correct answers written independently are not; the code students were given
(signatures, docstrings) never counts; bad thresholds are refused."""

import pytest

from nngrader.course import Course
from nngrader.report import write_report
from nngrader.similarity import similar_pairs, solution_code
from nngrader.submissions import reference_submission, with_answer

pytestmark = pytest.mark.slow
ASSIGNMENT, NAME = "01_softmax", "softmax"

# A copy of the reference answers with other names, other comments and other spacing.
DISGUISED = {
    "scores": "def scores(X, W, b):\n    # the linear part\n    result = X @ W.T + b\n    return result\n",
    "softmax": ("def softmax(Z, axis=-1):\n    # subtract the max so exp never overflows\n"
                "    moved = Z - np.max(Z, axis=axis, keepdims=True)\n    ex = np.exp(moved)\n"
                "    return ex / np.sum(ex, axis=axis, keepdims=True)\n"),
    "log_softmax": ("def log_softmax(Z, axis=-1):\n    moved = Z - np.max(Z, axis=axis, keepdims=True)\n"
                    "    return moved - np.log(np.sum(np.exp(moved), axis=axis, keepdims=True))\n"),
    "predict": "def predict(X, W, b):\n    return np.argmax(X @ W.T + b, axis=1)\n",
}
# Two students who wrote their own, correct, answers.
INDEPENDENT = [{
    "scores": "def scores(X, W, b):\n    out = np.einsum('nd,cd->nc', X, W)\n    out += b[None, :]\n    return out\n",
    "softmax": ("def softmax(Z, axis=-1):\n    Zm = np.moveaxis(Z, axis, -1)\n    top = Zm.max(-1)[..., None]\n"
                "    num = np.exp(Zm - top)\n    den = num.sum(-1)[..., None]\n    return np.moveaxis(num / den, -1, axis)\n"),
    "log_softmax": ("def log_softmax(Z, axis=-1):\n    m = np.amax(Z, axis=axis, keepdims=True)\n"
                    "    lse = m + np.log(np.exp(Z - m).sum(axis=axis, keepdims=True))\n    return Z - lse\n"),
    "predict": "def predict(X, W, b):\n    return scores(X, W, b).argmax(axis=-1)\n",
}, {
    "scores": ("def scores(X, W, b):\n    Z = np.zeros((X.shape[0], W.shape[0]), dtype=np.result_type(X, W))\n"
               "    for i in range(W.shape[0]):\n        Z[:, i] = X.dot(W[i]) + b[i]\n    return Z\n"),
    "softmax": ("def softmax(Z, axis=-1):\n    c = Z.max(axis=axis, keepdims=True)\n    p = np.exp(Z - c)\n"
                "    p /= p.sum(axis=axis, keepdims=True)\n    return p\n"),
    "log_softmax": "def log_softmax(Z, axis=-1):\n    return np.log(softmax(Z, axis))\n",
    "predict": ("def predict(X, W, b):\n    best = []\n    for row in scores(X, W, b):\n"
                "        best.append(int(np.argmax(row)))\n    return np.array(best)\n"),
}]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("similar") / "course", assignments=[ASSIGNMENT])
    student_nb = course.generate(ASSIGNMENT)[NAME]
    reference = reference_submission(course.source_notebooks(ASSIGNMENT)[NAME], student_nb)

    def answered(answers):
        nb = reference
        for grade_id, code in answers.items():
            nb = with_answer(nb, grade_id, code)
        return nb

    course.submit("ada", ASSIGNMENT, {NAME: reference})
    course.submit("copycat", ASSIGNMENT, {NAME: answered(DISGUISED)})
    course.submit("indie", ASSIGNMENT, {NAME: answered(INDEPENDENT[0])})
    course.submit("loner", ASSIGNMENT, {NAME: answered(INDEPENDENT[1])})
    course.submit("blank", ASSIGNMENT, {NAME: student_nb})
    return course


def test_near_copies_are_found_and_independent_answers_are_not(course):
    pairs = similar_pairs(course.root, [ASSIGNMENT], threshold=0.6)
    assert [(p.first, p.second) for p in pairs] == [("ada", "copycat")], \
        [(p.first, p.second, round(p.similarity, 2)) for p in pairs]
    assert pairs[0].similarity >= 0.6 and pairs[0].first_slices and pairs[0].second_slices


def test_the_given_code_does_not_make_blank_submissions_alike(course):
    blank = solution_code(course.root / "submitted" / "blank" / ASSIGNMENT)
    assert "raise NotImplementedError()" in blank and '"""Class scores' in blank
    # every blank submission would be a 100 % copy of every other if the stubs counted
    course.submit("blank2", ASSIGNMENT, {NAME: course.student_notebooks(ASSIGNMENT)[NAME]})
    try:
        pairs = similar_pairs(course.root, [ASSIGNMENT], threshold=0.01)
        assert ("blank", "blank2") not in {(p.first, p.second) for p in pairs}
    finally:
        import shutil

        shutil.rmtree(course.root / "submitted" / "blank2")


def test_report_shows_the_pair_side_by_side_escaped(course, tmp_path):
    pairs = similar_pairs(course.root, [ASSIGNMENT], threshold=0.6)
    index = write_report([], tmp_path, similar=pairs).read_text()
    assert "ada and copycat" in index and "<mark>" in index and "<table class='pair'>" in index
    assert "X @ W.T" in index and "<script" not in index
    assert "ada and copycat" in (tmp_path / "summary.md").read_text()


@pytest.mark.parametrize("bad", [0, -0.5, 1.5])
def test_bad_threshold_is_refused(course, bad):
    with pytest.raises(ValueError, match="threshold must be in"):
        similar_pairs(course.root, [ASSIGNMENT], threshold=bad)
