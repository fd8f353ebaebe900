"""The sandbox protocol: plain data across the boundary, what the grader and a student's process exchange.

A value crosses as JSON whose leaves are plain data (numbers, strings, NumPy arrays
of numbers saved in the ``.npy`` format without pickles). Anything else, a student's
object or function, crosses as a numbered *reference* that only the side holding it
can use. So what arrives from a student's process can never be an object with
methods of the student's choosing (one that "compares equal to anything"): it is
a number, an array, a string, or a reference the grader can only call or ask
about.

Frames on a byte stream are a 4-byte big-endian length and that many bytes of JSON.
Every frame is one *message*: a dict whose ``op`` names its kind in ``MESSAGES``,
the one table of what crosses, in which direction, with which fields of which
type. ``message()`` builds one and ``check()`` validates one that arrived; both
ends use them, so a field nobody documented cannot cross.

Who may write on the grader's channel: only the *broker*, a process of the
sandbox that never runs student code (``nngrader.sandbox.worker``). The student's
code runs in another process (the *executor*) that talks to the broker; the broker
stamps each reply with the id of the request it answers, forwards one reply per
request, and reports facts of its own (``ended``: how the executor ended).
So what a reply *says* comes from a process the student controls and is only ever
data to the grader (validated, bounded); *that* it is the reply to a request, and
how the executor ended, come from the broker.

    >>> decode(encode({"W": np.eye(2), "lr": 0.1}))["lr"]
    0.1
"""

import base64
import io
import json
import os
import select
import struct
import time

import numpy as np

__all__ = ["WireError", "ProtocolError", "encode", "decode", "write_frame", "read_frame",
           "MAX_FRAME_BYTES", "MAX_NOTEBOOK_BYTES", "OUTPUT_LIMIT", "NOTEBOOK_OUTPUT_LIMIT",
           "MESSAGES", "message", "check", "GENERATORS", "STOPPED", "CUT_MARK"]

#: A frame larger than this is refused: a submission cannot make the grader run out of memory.
MAX_FRAME_BYTES = 64 * 2**20

#: What the grader reads from one notebook's sandbox in all; more ends the notebook.
MAX_NOTEBOOK_BYTES = 1024 * 2**20

#: Characters of printed output kept per stream of one cell or call (the grader enforces it).
OUTPUT_LIMIT = 20_000

#: Characters of printed output kept for a whole notebook, all cells together.
NOTEBOOK_OUTPUT_LIMIT = 200_000

#: Characters kept of an error's message and of its traceback; of a name.
ERROR_LIMIT = 20_000
NAME_LIMIT = 200

#: How deeply nested a value may be.
MAX_DEPTH = 64

#: dtype kinds that cross: bool, signed and unsigned int, float, complex, bytes, str.
ARRAY_KINDS = set("biufcSU")

#: Bit generators a ``np.random.Generator`` may be rebuilt from.
GENERATORS = {name: getattr(np.random, name) for name in ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")}


#: ename of a cell where the grading sandbox stopped the notebook (written by the grader).
STOPPED = "SandboxStopped"

#: What the sandbox appends to a stream it cut (``worker.CappedText``).
CUT_MARK = "more characters of output were cut"


class WireError(ValueError):
    """A value that cannot cross, or bytes that are not a well-formed value."""


class ProtocolError(WireError):
    """A message that is not one the protocol allows here (unknown op, field or type)."""


# -- the messages ---------------------------------------------------------------
# Field kinds: a Python type (or tuple of them), TREE (an encoded value, checked when
# decoded), or a checker function that raises ProtocolError.
TREE = "tree"


def _optional(kind):
    def check_optional(value):
        if value is not None:
            _check_field(value, kind)
    return check_optional


def _error_info(value):
    if not isinstance(value, dict) or set(value) - {"ename", "evalue", "traceback"}:
        raise ProtocolError("an error must be {ename, evalue, traceback}")
    if not isinstance(value.get("ename", ""), str) or not isinstance(value.get("evalue", ""), str):
        raise ProtocolError("an error's name and message must be text")
    if not isinstance(value.get("traceback", []), list) or \
            not all(isinstance(line, str) for line in value.get("traceback", [])):
        raise ProtocolError("a traceback must be a list of lines")


def _list_of(kind):
    def check_list(value):
        if not isinstance(value, list):
            raise ProtocolError("expected a list")
        for item in value:
            _check_field(item, kind)
    return check_list


def _int_only(value):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError("expected an integer")


_NUMBER = (int, float)
_TIMEOUT = _optional(_NUMBER)

#: Every message: op -> (sender, {field: kind}, required fields). "grader" messages go to
#: the sandbox, "sandbox" ones come from the student's process (through the broker,
#: which stamps their id), "broker" ones are the broker's own.
MESSAGES = {
    # grader -> sandbox
    "run": ("grader", {"id": _int_only, "source": str, "label": str, "timeout": _TIMEOUT},
            {"id", "source"}),
    "get": ("grader", {"id": _int_only, "name": str, "timeout": _TIMEOUT}, {"id", "name"}),
    "call": ("grader", {"id": _int_only, "target": TREE, "args": TREE, "kwargs": TREE, "errstate": dict,
                        "runtime_warnings": str, "forbid": list, "count": bool, "np_random_state": TREE,
                        "np_random_patched": TREE, "timeout": _TIMEOUT}, {"id", "target", "args", "kwargs"}),
    "getattr": ("grader", {"id": _int_only, "target": TREE, "name": str, "timeout": _TIMEOUT},
                {"id", "target", "name"}),
    "setattr": ("grader", {"id": _int_only, "target": TREE, "name": str, "value": TREE, "timeout": _TIMEOUT},
                {"id", "target", "name", "value"}),
    "len": ("grader", {"id": _int_only, "target": TREE, "timeout": _TIMEOUT}, {"id", "target"}),
    "iter": ("grader", {"id": _int_only, "target": TREE, "timeout": _TIMEOUT}, {"id", "target"}),
    "return": ("grader", {"id": str, "value": TREE, "error": dict}, {"id"}),
    # sandbox -> grader (written by the student's process; the broker sets "id" of "done")
    "done": ("sandbox", {"id": _int_only, "stdout": str, "stderr": str, "error": _optional(_error_info),
                         "value": TREE, "missing": bool, "bound": _list_of(str), "after": TREE,
                         "rebound": _list_of(_list_of(_int_only)), "count": _optional(_int_only),
                         "warnings": _list_of(_list_of(str)), "np_random_state": TREE}, {"id"}),
    "callback": ("sandbox", {"id": str, "target": str, "args": TREE, "kwargs": TREE},
                 {"id", "target", "args", "kwargs"}),
    # the broker's own
    "ready": ("broker", {"pid": _int_only}, set()),
    "ended": ("broker", {"why": str, "signal": _optional(_int_only), "code": _optional(_int_only)}, {"why"}),
}


def _check_field(value, kind):
    if kind is TREE:
        return
    if isinstance(kind, (type, tuple)):
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, _NUMBER)):
            raise ProtocolError(f"expected {kind}, got {type(value).__name__}")
        return
    kind(value)


def check(frame, senders):
    """`frame` if it is a well-formed message from one of `senders`; else ProtocolError."""
    if not isinstance(frame, dict):
        raise ProtocolError("a message must be a JSON object")
    op = frame.get("op")
    if not isinstance(op, str) or op not in MESSAGES:
        raise ProtocolError(f"unknown message {str(op)[:40]!r}")
    sender, fields, required = MESSAGES[op]
    if sender not in senders:
        raise ProtocolError(f"a {op!r} message may not come from here")
    unknown = set(frame) - set(fields) - {"op"}
    if unknown:
        raise ProtocolError(f"unknown fields in {op!r}: {', '.join(sorted(map(str, unknown)))[:80]}")
    missing = required - set(frame)
    if missing:
        raise ProtocolError(f"{op!r} is missing {', '.join(sorted(missing))}")
    for name, value in frame.items():
        if name != "op":
            try:
                _check_field(value, fields[name])
            except ProtocolError as err:
                raise ProtocolError(f"{op}.{name}: {err}") from None
    return frame


def message(op, **fields):
    """A message of kind `op`, checked against ``MESSAGES`` (None fields are left out)."""
    frame = {"op": op, **{k: v for k, v in fields.items() if v is not None}}
    return check(frame, {MESSAGES.get(op, ("?",))[0]})


def _array_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array).view(np.ndarray) if isinstance(array, np.ndarray)
            else np.asarray(array), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _load_array(text):
    try:
        array = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except Exception as err:
        raise WireError(f"not an array: {err}") from None
    if not isinstance(array, np.ndarray) or array.dtype.kind not in ARRAY_KINDS:
        raise WireError("an array must hold numbers or text")
    return array


def encode(value, on_other=None, _depth=0, array_id=None):
    """A JSON-ready tree for `value`.

    Parameters
    ----------
    value : None, bool, int, float, complex, str, ndarray, NumPy scalar, Generator,
        or a list, tuple or dict of them
    on_other : callable(obj) -> dict, optional
        Makes a reference for any other object; without it such an object is a WireError.
    array_id : callable(ndarray) -> int, optional
        Tags each array, so the other side can keep one object per array (aliasing survives).
    """
    if _depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in ARRAY_KINDS:
            raise WireError(f"an array of dtype {value.dtype} cannot be checked; return numbers")
        tree = {"$a": _array_bytes(value)}
        tag = array_id(value) if array_id is not None else None
        if tag is not None:
            tree["id"] = tag
        return tree
    if isinstance(value, np.generic):
        if np.dtype(type(value)).kind not in ARRAY_KINDS:
            raise WireError(f"a NumPy {type(value).__name__} cannot be checked")
        return {"$s": _array_bytes(np.asarray(value))}
    if isinstance(value, np.random.Generator):
        state = value.bit_generator.state
        if state.get("bit_generator") not in GENERATORS:
            raise WireError(f"unknown bit generator {state.get('bit_generator')!r}")
        return {"$g": encode(state, None, _depth + 1)}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, complex):
        return {"$c": [value.real, value.imag]}
    # Subclasses (a namedtuple, an OrderedDict) cross as the plain container.
    if isinstance(value, tuple):
        return {"$t": [encode(v, on_other, _depth + 1, array_id) for v in value]}
    if isinstance(value, list):
        return [encode(v, on_other, _depth + 1, array_id) for v in value]
    if isinstance(value, dict):
        return {"$d": [[encode(k, None, _depth + 1), encode(v, on_other, _depth + 1, array_id)]
                       for k, v in value.items()]}
    if on_other is None:
        raise WireError(f"a {type(value).__name__} cannot be sent; use numbers, arrays, lists, "
                        "tuples and dicts")
    return on_other(value)


def decode(tree, on_ref=None, _depth=0, on_array=None):
    """The value `tree` (from ``encode``) stands for; references go to `on_ref(tree)`, and a
    tagged array to `on_array(tag, array)`, which returns the array to use.

    Only plain data comes out (and whatever `on_ref` makes of a reference): bytes
    from a student's process cannot build an object of the student's choosing.
    """
    if _depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    if tree is None or isinstance(tree, (bool, int, float, str)):
        return tree
    if isinstance(tree, list):
        return [decode(v, on_ref, _depth + 1, on_array) for v in tree]
    if not isinstance(tree, dict):
        raise WireError("malformed value")
    if ("$r" in tree or "$cb" in tree) and on_ref is not None:
        return on_ref(tree)
    if "$a" in tree and set(tree) == {"$a", "id"} and isinstance(tree["id"], int) and on_array is not None:
        return on_array(tree["id"], _load_array(tree["$a"]))
    if len(tree) != 1:
        raise WireError("malformed value")
    if "$a" in tree:
        return _load_array(tree["$a"])
    if "$s" in tree:
        array = _load_array(tree["$s"])
        if array.shape != ():
            raise WireError("a scalar must have shape ()")
        return array[()]
    if "$c" in tree:
        parts = _list(tree["$c"], 2)
        if not all(isinstance(x, (int, float)) for x in parts):
            raise WireError("malformed value")
        return complex(float(parts[0]), float(parts[1]))
    if "$t" in tree:
        return tuple(decode(v, on_ref, _depth + 1, on_array) for v in _list(tree["$t"]))
    if "$d" in tree:
        result = {}
        for pair in _list(tree["$d"]):
            key, item = _list(pair, 2)
            key = decode(key, None, _depth + 1)
            try:
                hash(key)
            except TypeError:
                raise WireError("a dict key must be hashable") from None
            result[key] = decode(item, on_ref, _depth + 1, on_array)
        return result
    if "$g" in tree:
        state = decode(tree["$g"], None, _depth + 1)
        name = state.get("bit_generator") if isinstance(state, dict) else None
        if name not in GENERATORS:
            raise WireError(f"unknown bit generator {name!r}")
        bit_generator = GENERATORS[name]()
        try:
            bit_generator.state = state
        except Exception as err:
            raise WireError(f"bad generator state: {err}") from None
        return np.random.Generator(bit_generator)
    raise WireError("malformed value")


def _list(value, length=None):
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise WireError("malformed value")
    return value


def write_frame(fd, message):
    """Send `message` (a JSON-ready dict) on file descriptor `fd`."""
    data = json.dumps(message, separators=(",", ":")).encode()
    if len(data) > MAX_FRAME_BYTES:
        raise WireError(f"a message of {len(data)} bytes is larger than the limit")
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_frame(fd, deadline=None, counter=None):
    """The next message on `fd`; TimeoutError after `deadline` (a time.monotonic() value),
    EOFError when the other side has gone, WireError for a malformed frame. `counter`, a
    one-item list, adds the frame's size (to bound what one notebook sends in all)."""
    (size,) = struct.unpack(">I", _read_exactly(fd, 4, deadline))
    if counter is not None:
        counter[0] += size + 4
    if size > MAX_FRAME_BYTES:
        raise WireError(f"a message of {size} bytes is larger than the limit")
    try:
        message = json.loads(_read_exactly(fd, size, deadline))
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise WireError(f"malformed message: {err}") from None
    if not isinstance(message, dict):
        raise WireError("malformed message")
    return message


def _read_exactly(fd, size, deadline):
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError("no answer in time")
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
