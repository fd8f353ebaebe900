"""nngrader.edges on small solution notebooks made here: a test that never uses a square W,
one sample or float32 leaves a gap, one that checks the result closes it, and a declared
reason or an input the function never takes is not a gap."""

import nbformat
import pytest

from nngrader.edges import audit, main

SETUP = "import numpy as np\n"

SCORES = '''def scores(X, W, b):
    ### BEGIN SOLUTION
    return X @ W.T + b
    ### END SOLUTION
'''

SQUARE_TEST = '''X, W, b = np.ones((4, 3)), np.arange(9.0).reshape(3, 3), np.zeros(3)
assert np.allclose(scores(X, W, b), X @ W.T)
'''
OBLONG_TEST = '''X, W, b = np.ones((4, 3)), np.arange(6.0).reshape(2, 3), np.zeros(2)
assert np.allclose(scores(X, W, b), X @ W.T)
'''
SINGLE_UNCHECKED = '''scores(np.ones((1, 3)), np.ones((2, 3)), np.zeros(2))
'''
SINGLE_CHECKED = '''assert scores(np.ones((1, 3)), np.ones((2, 3)), np.zeros(2)).shape == (1, 2)
'''
FLOAT32_CHECKED = '''Z = scores(*(np.ones(s, dtype=np.float32) for s in [(2, 3), (2, 3), 2]))
assert Z.dtype == np.float32
'''


def _cell(source, **nbgrader):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False, **nbgrader}
    return cell


def _course(tmp_path, tests, answer=SCORES, declared=None):
    """A repository at `tmp_path` with one assignment whose only function is `answer`."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [_cell(SETUP, grade_id="setup", locked=True),
                _cell(answer, grade_id="scores", solution=True)]
    nb.cells += [_cell(src, grade_id=f"test_{k}", grade=True, locked=True, points=1) for k, src in enumerate(tests)]
    folder = tmp_path / "solutions" / "99_edges"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "edges.ipynb")
    if declared is not None:
        (tmp_path / "course" / "99_edges").mkdir(parents=True)
        (tmp_path / "course" / "99_edges" / "mistakes.py").write_text(f"EDGES_NOT_APPLICABLE = {declared!r}\n")
    return {(v.function, v.kind): v for v in audit("99_edges", tmp_path)}


def test_tests_that_check_every_edge_cover_every_kind(tmp_path):
    verdicts = _course(tmp_path, [SQUARE_TEST, SINGLE_CHECKED, FLOAT32_CHECKED])
    assert {k: v.status for k, v in verdicts.items()} == {
        ("scores", "square"): "covered", ("scores", "single"): "covered", ("scores", "float32"): "covered"}


def test_a_test_without_a_square_weight_leaves_the_transposed_mistake_uncaught(tmp_path):
    verdict = _course(tmp_path, [OBLONG_TEST, SINGLE_CHECKED, FLOAT32_CHECKED])[("scores", "square")]
    assert verdict.status == "gap"
    assert verdict.why.startswith("no test does") and "square weight matrix" in verdict.why


def test_one_sample_passed_but_not_checked_is_a_gap_that_says_so(tmp_path):
    verdict = _course(tmp_path, [SQUARE_TEST, SINGLE_UNCHECKED, FLOAT32_CHECKED])[("scores", "single")]
    assert verdict.status == "gap"
    assert verdict.why.startswith("the tests give it such input but do not check the result")


def test_float32_never_passed_is_a_gap(tmp_path):
    verdict = _course(tmp_path, [SQUARE_TEST, SINGLE_CHECKED])[("scores", "float32")]
    assert verdict.status == "gap" and "float32" in verdict.why


def test_a_declared_reason_replaces_a_gap(tmp_path):
    verdicts = _course(tmp_path, [SQUARE_TEST, SINGLE_CHECKED],
                       declared={"scores": {"float32": "scores are float64 by design"}})
    assert verdicts[("scores", "float32")].status == "n/a"
    assert verdicts[("scores", "float32")].why == "scores are float64 by design"


def test_a_function_without_weights_or_arrays_is_not_applicable(tmp_path):
    answer = "def he_std(fan_in, fan_out):\n    ### BEGIN SOLUTION\n    return (2 / fan_in) ** 0.5\n    ### END SOLUTION\n"
    verdicts = _course(tmp_path, ["assert he_std(2, 3) == 1.0\n"], answer=answer)
    assert {k: v.status for k, v in verdicts.items()} == {
        ("he_std", "square"): "n/a", ("he_std", "single"): "n/a", ("he_std", "float32"): "n/a"}


def test_a_declaration_naming_no_function_is_refused(tmp_path):
    with pytest.raises(ValueError, match="names no graded function.*'score'"):
        _course(tmp_path, [SQUARE_TEST], declared={"score": {"square": "typo"}})


def test_a_reference_that_fails_its_own_test_is_reported_not_audited(tmp_path):
    with pytest.raises(RuntimeError, match="the reference fails 'test_0'"):
        _course(tmp_path, ["assert scores(np.ones((1, 2)), np.ones((3, 2)), np.zeros(3)).shape == (9,)\n"])


def test_the_command_names_an_unknown_assignment(capsys):
    assert main(["99_no_such_assignment"]) == 2
    assert "no assignment 99_no_such_assignment" in capsys.readouterr().err
