"""course/blocks.py and the support modules written from it (nngrader.support): each assignment
gets exactly the blocks taught before it, the blocks are right, and the rules are enforced."""

import ast

import numpy as np
import pytest

from nnlib.gradcheck import numerical_gradient
from nngrader.build import write_support
from nngrader.course import REPO_ROOT
from nngrader.support import BLOCKS, BlockError, support_source

ASSIGNMENTS = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
TAUGHT_IN = ast.literal_eval(next(
    n.value for n in ast.parse((REPO_ROOT / BLOCKS).read_text()).body
    if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "TAUGHT_IN"))


def _module(assignment):
    text = support_source(assignment, REPO_ROOT / BLOCKS)
    namespace = {}
    exec(compile(text, f"{assignment}/support.py", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_support_module_holds_exactly_the_blocks_taught_before_its_assignment(assignment):
    text = support_source(assignment, REPO_ROOT / BLOCKS)
    earlier = sorted(name for name, where in TAUGHT_IN.items() if where < assignment)
    if not earlier:
        assert text is None
        return
    assert sorted(_module(assignment)["__all__"]) == earlier
    later = {name for name, where in TAUGHT_IN.items() if where >= assignment}
    defined = {n.name for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)}
    assert not defined & later


def test_02_gets_01s_softmax_and_nothing_of_its_own():
    module = _module("02_cross_entropy")
    assert module["__all__"] == ["softmax", "log_softmax"]
    np.testing.assert_allclose(module["softmax"](np.array([[1000.0, 1000.0]])), [[0.5, 0.5]])


def test_the_last_support_modules_network_has_the_right_gradients():
    module = _module("99_after_the_course")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 3)), np.array([0, 2, 1, 1, 0])
    for name, activation in module["ACTIVATIONS"].items():
        params = module["init_mlp"]([3, 4, 3], rng, module["he_std"])
        _, grads = module["mlp_loss_and_grads"](params, X, y, activation)
        for key, value in params.items():
            def loss(v, key=key):
                return module["mlp_loss_and_grads"]({**params, key: v}, X, y, activation)[0]
            np.testing.assert_allclose(grads[key], numerical_gradient(loss, value.copy()),
                                       rtol=1e-4, atol=1e-7, err_msg=f"{name}: {key}")


def test_a_block_that_uses_a_later_block_is_refused(tmp_path):
    blocks = tmp_path / "blocks.py"
    blocks.write_text('import numpy as np\nTAUGHT_IN = {"early": "02_x", "late": "05_y"}\n\n'
                      'def early(x):\n    return late(x) + _helper(x)\n\n'
                      'def late(x):\n    return x\n\n'
                      'def _helper(x):\n    return np.abs(x)\n')
    with pytest.raises(BlockError, match=r"block early \(02_x\) uses late, taught later in 05_y"):
        support_source("03_z", blocks)
    blocks.write_text(blocks.read_text().replace("late(x) + ", ""))
    text = support_source("03_z", blocks)
    assert "def _helper" in text and "def late" not in text


def test_the_build_never_overwrites_a_hand_written_support_module(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / BLOCKS).write_text((REPO_ROOT / BLOCKS).read_text())
    mine = tmp_path / "solutions/02_cross_entropy/support.py"
    mine.parent.mkdir(parents=True)
    mine.write_text("def mine():\n    return 1\n")
    with pytest.raises(BlockError, match="was not written by the build: move it to course/02_cross_entropy/support.py"):
        write_support(tmp_path, "02_cross_entropy")
    assert mine.read_text() == "def mine():\n    return 1\n"
    mine.unlink()
    assert write_support(tmp_path, "02_cross_entropy") == mine and write_support(tmp_path, "01_softmax") is None
