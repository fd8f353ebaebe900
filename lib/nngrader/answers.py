"""No answer before its time: find graded answers in what students receive.

A *graded answer* is a function defined in a solution cell of a solution notebook.
What a student receives with assignment N (its release folder: the notebook and
support modules; the student package) must not hold the answer of N or of any
later assignment. Functions are compared by their normalised syntax tree: the
docstring dropped and every local name numbered in order of appearance, so a copy
with renamed variables is still found; attribute names (``np.exp``) stay as they are.

    >>> fingerprint("def f(x):\\n    y = x + 1\\n    return y") == fingerprint("def g(a):\\n    b = a + 1\\n    return b")
    True
"""

import ast
import copy
import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Answer", "fingerprint", "graded_answers", "functions_in", "leaks", "MIN_NODES"]

#: Bodies smaller than this (``return x``) are too generic to call a copy.
MIN_NODES = 8


@dataclass(frozen=True)
class Answer:
    assignment: str
    name: str
    where: str


class _Numbered(ast.NodeTransformer):
    """Number every plain name and argument in order of first appearance."""

    def __init__(self):
        self.names = {}

    def _number(self, name):
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id=self._number(node.id), ctx=node.ctx), node)

    def visit_arg(self, node):
        return ast.copy_location(ast.arg(arg=self._number(node.arg)), node)


def _body(node):
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def _fingerprint_of(node):
    body = _body(node)
    if sum(1 for statement in body for _ in ast.walk(statement)) < MIN_NODES:
        return None
    numbered = _Numbered()
    for arg in node.args.args:
        numbered._number(arg.arg)
    tree = numbered.visit(ast.Module(body=copy.deepcopy(body), type_ignores=[]))
    return ast.dump(tree, annotate_fields=False)


def _functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def fingerprint(source):
    """Fingerprint of the (first) function defined in Python `source`; None if too small."""
    (function, *_) = _functions(ast.parse(source))
    return _fingerprint_of(function)


def _parse(source):
    lines = ["pass" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _code_cells(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            yield cell, "".join(cell["source"])


def graded_answers(solutions):
    """{fingerprint: Answer} of every function defined in a solution cell under `solutions`."""
    found = {}
    for path in sorted(Path(solutions).glob("*/*.ipynb")):
        for cell, source in _code_cells(path):
            if not cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                continue
            tree = _parse(source)
            for function in _functions(tree) if tree else ():
                key = _fingerprint_of(function)
                if key is not None:
                    found.setdefault(key, Answer(path.parent.name, function.name, path.name))
    return found


def functions_in(path):
    """[(name, fingerprint)] of the functions in a Python file or a notebook's code cells."""
    path = Path(path)
    if path.suffix == ".py":
        sources = [path.read_text(encoding="utf-8")]
    elif path.suffix == ".ipynb":
        sources = [source for _, source in _code_cells(path)]
    else:
        return []
    found = []
    for source in sources:
        tree = _parse(source)
        for function in _functions(tree) if tree else ():
            key = _fingerprint_of(function)
            if key is not None:
                found.append((function.name, key))
    return found


def leaks(files, assignment, answers):
    """Sentences naming each function in `files` that is the graded answer of `assignment`
    or of a later one (assignments compare by their folder names, ``NN_topic``)."""
    problems = []
    for path in files:
        for name, key in functions_in(path):
            answer = answers.get(key)
            if answer is not None and answer.assignment >= assignment:
                problems.append(f"{path}: {name} is the graded answer {answer.name} of {answer.assignment} "
                                f"({answer.where}), received with {assignment}")
    return problems
