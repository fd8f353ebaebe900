"""Each assignment's support module, written from the course's building blocks.

``course/blocks.py`` holds reference versions of what the notebooks teach and a
``TAUGHT_IN`` table (block -> assignment). The support module of assignment A,
``solutions/A/support.py``, holds exactly the blocks taught before A (and the
private helpers they use), so A's notebook can ``from support import softmax``
and nothing holds an answer of A or of a later assignment. A block that uses a
block taught later is refused.
"""

import ast
import builtins
import symtable
from pathlib import Path

__all__ = ["BLOCKS", "SUPPORT_NAME", "support_source", "BlockError"]

#: The building blocks, relative to the repository.
BLOCKS = Path("course") / "blocks.py"

#: The file name of the generated module beside an assignment's notebook.
SUPPORT_NAME = "support.py"


class BlockError(ValueError):
    """course/blocks.py breaks a rule; the message names the block."""


def _definitions(tree):
    """name -> top-level node of every function and single-name assignment."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node
    return found


def _globals_used(text, node):
    """Module-level names a definition reads."""
    if isinstance(node, ast.FunctionDef):
        table = next(t for t in symtable.symtable(text, "blocks", "exec").get_children()
                     if t.get_name() == node.name and t.get_lineno() == node.lineno)
        names, stack = set(), [table]
        while stack:
            t = stack.pop()
            names |= {s.get_name() for s in t.get_symbols() if s.is_global() and s.is_referenced()}
            stack += t.get_children()
        return names
    return {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}


def support_source(assignment, blocks_path):
    """The text of `assignment`'s support module, or None when nothing was taught before it."""
    text = Path(blocks_path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    definitions = _definitions(tree)
    if "TAUGHT_IN" not in definitions:
        raise BlockError(f"{blocks_path} has no TAUGHT_IN table")
    taught = ast.literal_eval(definitions["TAUGHT_IN"].value)
    missing = sorted(set(taught) - set(definitions))
    if missing:
        raise BlockError(f"TAUGHT_IN names blocks {blocks_path} does not define: {', '.join(missing)}")
    chosen = {name for name, where in taught.items() if where < assignment}
    if not chosen:
        return None
    todo = sorted(chosen)
    while todo:
        name = todo.pop()
        for used in sorted(_globals_used(text, definitions[name]) & set(definitions)):
            if used in taught and used not in chosen:
                raise BlockError(f"block {name} ({taught[name]}) uses {used}, taught later in {taught[used]}")
            if used not in chosen and used != "TAUGHT_IN":
                chosen.add(used)
                todo.append(used)
    unknown = {n for name in chosen for n in _globals_used(text, definitions[name])} \
        - set(definitions) - set(dir(builtins)) - {"np"}
    if unknown:
        raise BlockError(f"blocks use names blocks.py does not define: {', '.join(sorted(unknown))}")
    public = [n for n in definitions if n in chosen and n in taught]
    lines = [f'"""Support module of {assignment}: what earlier notebooks taught, ready to use.',
             "", "Reference versions, from the assignment that taught each:", ""]
    lines += [f"- ``{name}`` ({taught[name]})" for name in public]
    lines += ["", "Written by ``nngrader build`` from course/blocks.py; do not edit.", '"""', "",
              "import numpy as np", "", f"__all__ = {public!r}"]
    for name, node in definitions.items():
        if name in chosen:
            lines += ["", "", ast.get_source_segment(text, node, padded=False)]
            comment = _comment_above(text, node)
            if comment:
                lines[-1] = comment + "\n" + lines[-1]
    return "\n".join(lines) + "\n"


def _comment_above(text, node):
    """The ``#:`` comment lines right above a definition (its documentation)."""
    source = text.splitlines()
    i, block = node.lineno - 2, []
    while i >= 0 and source[i].startswith("#:"):
        block.insert(0, source[i])
        i -= 1
    return "\n".join(block)
