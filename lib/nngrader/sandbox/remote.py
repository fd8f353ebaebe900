"""The grader's end of a sandboxed student process: start it, run cells, call functions.

``SandboxProcess`` starts ``nngrader.sandbox.worker`` in the sandbox (``nngrader.sandbox.jail``) and talks to
it through two pipes. A student's function or object that a test uses becomes a
``RemoteFunction`` or ``RemoteObject`` here: calling it sends the arguments (plain
data, ``nngrader.sandbox.protocol``), runs the student's code in the sandbox and returns plain
data. Arrays and dicts the function changed are changed here too, and a
``np.random.Generator`` passed in continues from where the student's code left it.
Warnings, ``np.errstate`` and ``nnlib.grading.forbid_delegation`` in force around
a call apply inside the sandbox as they would in one process.

What comes back from the sandbox, when, and why (the write-back rules, applied by
``_write_back`` and ``_changed_beyond_allowed`` below; ``Policy.protect_inputs`` is
set by ``nngrader.sandbox.execute`` for the second run of a cell):

==========================================================  ===========  =============  =======
what the student's function did to an argument                normal run   protected run  re-run
==========================================================  ===========  =============  =======
changed an array's values in place, at any depth (the         copied       stays there    yes
argument itself, or inside a list, tuple or dict)
changed, added, removed or replaced a list item or a dict     copied       stays there    yes
entry (arrays, scalars, anything), at any depth
changed a top-level dict entry ``nnlib.grading.allow_updates``  copied       copied         no
names (08's running statistics)
drew from a ``np.random.Generator``, at any depth               copied       copied         no
changed NumPy's global random state                             copied       copied         no
its return value, printed text, warnings                        returned     returned       --
==========================================================  ===========  =============  =======

Why: as in one process, a test sees what a function did to its inputs (``relu``
changing its input in place is a mistake a test must catch). But a function could
zero its inputs so that a test computing the expected value afterwards expects
zeros: so when a cell passed after a function changed anything of its inputs
beyond the allowed entries and generators, the cell runs again with the inputs
protected, and must pass both ways.

Whatever the student's code does, only values come back: a test that compares
them runs here, with this process's NumPy and ``nnlib``, out of the student's reach.
"""

import builtins
import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
import weakref

import numpy as np

from nnlib import grading
from nngrader.sandbox import jail, protocol

__all__ = ["SandboxProcess", "Policy", "WorkerDied", "CallTimeout", "RemoteFunction", "RemoteObject",
           "RemoteError"]

#: Seconds the worker may take to start (import NumPy, nnlib) on a busy machine.
START_SECONDS = 60

#: Seconds given after a call's time is up for the student's code to stop by itself.
GRACE_SECONDS = 5

#: Text of a stream kept from one call (its result is what the test checks).
CALL_STDERR_LIMIT = 2000


class WorkerDied(RuntimeError):
    """The sandboxed process is gone (killed by a limit, crashed, or stopped answering)."""


class RemoteError(Exception):
    """An exception of a kind the grader does not rebuild, raised by the student's code."""


#: Exceptions rebuilt by name, so a test's ``except ValueError`` works across the boundary.
#: Only subclasses of Exception: whatever the student's code raises (BaseException,
#: SystemExit, KeyboardInterrupt, GeneratorExit or a subclass) arrives as an Exception
#: and fails only the test cell it breaks.
_EXCEPTIONS = {name: getattr(builtins, name) for name in dir(builtins)
               if isinstance(getattr(builtins, name), type)
               and issubclass(getattr(builtins, name), Exception)
               and name not in ("ExceptionGroup",)}
_WARNINGS = {name: cls for name, cls in _EXCEPTIONS.items() if issubclass(cls, Warning)}

#: NumPy's module-level random functions as imported: a test that replaces one (to catch a
#: student's use of the global random state) gets it replaced around the student's call too.
_NP_RANDOM = {name: getattr(np.random, name) for name in np.random.__all__}


def _digest(array):
    return hashlib.blake2b(np.ascontiguousarray(array).view(np.uint8).data, digest_size=16).digest() \
        if array.size else b""


def _same_state(a, b):
    return b is not None and a[0] == b[0] and a[2:] == b[2:] and np.array_equal(a[1], b[1])


class CallTimeout(TimeoutError):
    """The grader's clock says a call of the student's code outlived its time."""


def _rebuild(error, timed_out=False):
    """The exception to raise here for the student's `error`; `timed_out`: the grader's own
    clock says the call's time was up (a name the student's code chose never says so)."""
    if timed_out:
        return CallTimeout("the time for this cell ran out while the notebook's function was "
                           "running (an endless loop?)")
    ename = str(error.get("ename", ""))[:protocol.NAME_LIMIT]
    message = str(error.get("evalue", ""))[:protocol.ERROR_LIMIT]
    cls = _EXCEPTIONS.get(ename, RemoteError)
    try:
        err = cls(message)
    except Exception:
        err = None
    if not isinstance(err, Exception):
        err = RemoteError(f"{ename}: {message}")
    return err


class Policy:
    """How calls of the student's code made during one test cell are handled (passed to
    ``SandboxProcess.policy``): `deadline` (time.monotonic) when the cell's time is up,
    `protect_inputs` (the write-back table's "protected run"). `inputs_changed` is what
    the calls did: True once one changed a test's input beyond what comes back protected."""

    def __init__(self, deadline=None, protect_inputs=False):
        self.deadline, self.protect_inputs = deadline, protect_inputs
        self.inputs_changed = False


class SandboxProcess:
    """One sandboxed process running one student's notebook.

    Parameters
    ----------
    limits : jail.Limits
    python : path of the Python to run (this one by default)
    support : paths of the assignment's support modules, importable inside the sandbox
    """

    def __init__(self, limits=jail.Limits(), python=None, support=()):
        jail.check_available()
        self.limits = limits
        self.callbacks = {}
        self.requests = 0
        self.death = None
        self._np_state = None
        self.closed = False
        self._tags = {}  # id(array) -> tag, one per array sent
        self._sent = {}  # tag -> (weak reference to the array, digest of its values when last sent)
        self.received = [0]  # bytes read from the sandbox in all (bounded: MAX_NOTEBOOK_BYTES)
        self._policy = Policy()
        self._timed_out = False
        self._uid = jail.claim_uid()
        uid = self._uid.__enter__()
        to_worker_r, self.to_worker = os.pipe()
        self.from_worker, from_worker_w = os.pipe()
        self.log = tempfile.TemporaryFile()
        env = {"PATH": "/usr/bin:/bin", "HOME": "/scratch", "MPLBACKEND": "Agg",
               "MPLCONFIGDIR": "/tmp", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
               "LANG": "C.UTF-8",
               "PYTHONPATH": os.pathsep.join([jail.SUPPORT_DIR, *map(str, jail.package_roots())])}
        argv = jail.command([python or sys.executable, "-m", "nngrader.sandbox.worker",
                                str(to_worker_r), str(from_worker_w)], uid, limits, env=env,
                                support=support)
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                        pass_fds=(to_worker_r, from_worker_w), start_new_session=True)
        os.close(to_worker_r)
        os.close(from_worker_w)
        try:
            hello = protocol.check(protocol.read_frame(self.from_worker, time.monotonic() + START_SECONDS),
                                   {"broker"})
        except (EOFError, TimeoutError, protocol.WireError) as err:
            log = self.log_text()
            self.close()
            raise WorkerDied(f"the sandbox did not start ({err}): {log}") from None
        if hello.get("op") != "ready":
            self.close()
            raise WorkerDied("the sandbox did not start")

    # -- lifetime -------------------------------------------------------------
    def log_text(self, limit=2000):
        self.log.seek(0)
        return self.log.read()[-limit:].decode(errors="replace")

    def close(self):
        """Stop the sandbox (every process in it) and free its user id."""
        if self.closed:
            return
        self.closed = True
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        for fd in (self.to_worker, self.from_worker):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        self._uid.__exit__(None, None, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _died(self, why):
        """Kill the sandbox and remember why; every later request fails with this reason."""
        if self.death is None:
            self.close()
            self.death = why
        raise WorkerDied(self.death)

    def _ended(self, frame):
        """The broker's word on how the student's process ended."""
        sig, code, why = frame.get("signal"), frame.get("code"), frame["why"]
        if why.startswith("sent a message"):
            return f"the notebook's process {why[:300]}; it was stopped"
        if sig == signal.SIGXCPU:
            return f"it used up its {self.limits.cpu_seconds} s of CPU time and was stopped"
        if sig == signal.SIGKILL:
            return "the notebook's process ended: it was killed (by a limit of the sandbox, or its own code)"
        if sig is not None:
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            return f"the notebook's process ended: it crashed ({name})"
        return (f"the notebook's process ended (exit code {code}: it called os._exit or exit, "
                "or crashed)")

    def _last_word(self):
        """The broker's ``ended`` message, if it left one before the channel closed (a request
        written after the broker ended the notebook fails to send, but its reason is there)."""
        try:
            while True:
                frame = protocol.read_frame(self.from_worker, time.monotonic() + 2, self.received)
                if frame.get("op") == "ended":
                    return self._ended(protocol.check(frame, {"broker"}))
        except (EOFError, OSError, TimeoutError, protocol.WireError, ValueError):
            return None

    # -- requests -------------------------------------------------------------
    @contextlib.contextmanager
    def policy(self, policy):
        """Calls made in the block follow `policy` (a ``Policy``); yields it."""
        previous, self._policy = self._policy, policy
        try:
            yield policy
        finally:
            self._policy = previous

    def request(self, op, timeout=None, **fields):
        """Send a request, serve the callbacks the student's code makes, return the reply
        (checked against ``protocol.MESSAGES``). Sets ``_timed_out`` when the grader's own
        clock says the reply came after `timeout`."""
        if self.death:
            raise WorkerDied(self.death)
        self.requests += 1
        ident = self.requests
        started = time.monotonic()
        deadline = None if timeout is None else started + timeout + GRACE_SECONDS
        try:
            protocol.write_frame(self.to_worker, protocol.message(op, id=ident, timeout=timeout, **fields))
            while True:
                answer = protocol.check(protocol.read_frame(self.from_worker, deadline, self.received),
                                        {"sandbox", "broker"})
                if self.received[0] > protocol.MAX_NOTEBOOK_BYTES:
                    raise protocol.ProtocolError(
                        f"it sent more than {protocol.MAX_NOTEBOOK_BYTES // 2**20} MiB in all")
                if answer["op"] == "callback":
                    self._serve_callback(answer)
                elif answer["op"] == "ended":
                    self._died(self._ended(answer))
                elif answer["op"] == "ready" or answer["id"] != ident:
                    raise protocol.ProtocolError("a reply to another request")
                else:
                    self._timed_out = timeout is not None and time.monotonic() - started >= timeout
                    return answer
        except TimeoutError:
            self._died(f"it did not stop within {timeout:g} s, even when interrupted")
        except (EOFError, BrokenPipeError):
            self._died(self._last_word() or "the notebook's process ended (it crashed, called os._exit, "
                                            "or was killed by a limit)")
        except protocol.WireError as err:
            self._died(f"the notebook's process sent something that is not an answer ({str(err)[:200]})")

    def _serve_callback(self, message):
        function = self.callbacks.get(message["target"])
        reply = {"op": "return", "id": message["id"]}
        try:
            if function is None:
                raise RuntimeError("unknown callback")
            value = function(*self.decode(message.get("args", [])), **self.decode(message.get("kwargs", {})))
            reply["value"] = self.encode(value)
        except WorkerDied:
            raise
        except Exception as err:
            reply["error"] = {"ename": type(err).__name__, "evalue": str(err)}
        protocol.write_frame(self.to_worker, protocol.check(reply, {"grader"}))

    # -- values ---------------------------------------------------------------
    def encode(self, value):
        def other(obj):
            if isinstance(obj, (RemoteFunction, RemoteObject)):
                if obj._worker is not self:
                    raise protocol.WireError("an object of another notebook")
                return {"$r": obj._ref}
            if callable(obj):
                key = f"f{len(self.callbacks) + 1}"
                self.callbacks[key] = obj
                return {"$cb": key, "name": str(getattr(obj, "__name__", "function"))}
            raise protocol.WireError(f"a {type(obj).__name__} cannot be passed to the notebook's code")
        return protocol.encode(value, other, array_id=self._array_id)

    def _array_id(self, array):
        """The same tag each time the same array is sent: the sandbox then updates its copy in
        place, so an array the student's code kept a reference to changes as it would here."""
        tag = self._tags.get(id(array))
        if tag is None or self._sent[tag][0]() is not array:  # new, or an id reused after gc
            tag = self._tags[id(array)] = len(self._sent) + 1
        self._sent[tag] = (weakref.ref(array), _digest(array))
        return tag

    def decode(self, tree):
        def ref(node):
            if "$r" not in node or not isinstance(node["$r"], int):
                raise protocol.WireError("malformed reference")
            cls = RemoteFunction if node.get("callable") else RemoteObject
            return cls(self, node["$r"], str(node.get("name", "object"))[:200])
        return protocol.decode(tree, ref, on_array=self._array_back)

    def _array_back(self, tag, array):
        """An array of the grader's that the student's code hands back (returns it, or keeps
        it): the grader's own object, as in one process, when the grader changed it since it
        was sent or the values agree. When only the student's code changed it, a new array:
        nothing the sandbox sends writes into the test's arrays."""
        ref, sent = self._sent.get(tag, (None, None))
        original = ref() if ref is not None else None
        if original is None or original.shape != array.shape or original.dtype != array.dtype:
            return array
        if _digest(original) != sent or np.array_equal(original, array):
            return original
        return array

    def run(self, source, label="<cell>", timeout=None):
        """Run a cell's source; returns {"stdout", "stderr", "error", "bound"}."""
        answer = self.request("run", timeout, source=source, label=label)
        error = answer.get("error")
        if error is not None:
            error = {"ename": error.get("ename", "")[:protocol.NAME_LIMIT],
                     "evalue": error.get("evalue", "")[:protocol.ERROR_LIMIT],
                     "traceback": _cap_lines(error.get("traceback", []), protocol.ERROR_LIMIT)}
        return {"stdout": answer.get("stdout", ""), "stderr": answer.get("stderr", ""),
                "error": error, "timed_out": self._timed_out, "bound": answer.get("bound", [])[:10_000]}

    def get(self, name, timeout=None):
        """The value of the notebook's global `name` (KeyError when it has none)."""
        answer = self.request("get", timeout, name=name)
        if answer.get("missing"):
            raise KeyError(name)
        return self._value(answer)

    def _value(self, answer):
        if answer.get("error") is not None or self._timed_out:
            raise _rebuild(answer.get("error") or {}, self._timed_out)
        try:
            return self.decode(answer.get("value"))
        except protocol.WireError as err:
            raise TypeError(f"the notebook's code returned something that cannot be checked: {err}") from None

    def call(self, ref, args, kwargs, count=False):
        """Call the notebook's object `ref`; see the module docstring."""
        policy = self._policy
        message = {"target": {"$r": ref}, "args": self.encode(list(args)),
                   "kwargs": self.encode(dict(kwargs)), "errstate": np.geterr(),
                   "runtime_warnings": _runtime_warning_action(),
                   "forbid": [[f.__module__, code.co_name, code.co_firstlineno]
                              for f, code in grading.forbidden_functions()],
                   "count": bool(count)}
        # One process's global random state, as if the student's code ran here.
        state = np.random.get_state()
        if not _same_state(state, self._np_state):
            message["np_random_state"] = self.encode(state)
        message["np_random_patched"] = self.encode(
            {name: getattr(np.random, name) for name, original in _NP_RANDOM.items()
             if getattr(np.random, name, original) is not original})
        self._np_state = state
        answer = self.request("call", self.time_left(), **message)
        if "np_random_state" in answer:
            try:
                np.random.set_state(self.decode(answer["np_random_state"]))
            except (TypeError, ValueError, protocol.WireError):
                pass
            self._np_state = np.random.get_state()
        if answer.get("stderr"):
            sys.stderr.write(answer["stderr"][:CALL_STDERR_LIMIT])
        for pair in (answer.get("warnings") or [])[:20]:
            if len(pair) == 2:
                warnings.warn(pair[1][:500], _WARNINGS.get(pair[0], UserWarning), stacklevel=3)
        value = self._value(answer)
        try:
            after_args, after_kwargs = self.decode(answer.get("after"))
            after = list(after_args) + list(after_kwargs.values())
        except (TypeError, ValueError, protocol.WireError):
            after = []
        rebound = answer.get("rebound") or []
        given = list(args) + list(kwargs.values())
        for original, changed, replaced in zip(given, after, rebound + [[]] * len(given)):
            if _changed_beyond_allowed(original, changed, top=True):
                policy.inputs_changed = True
            _write_back(original, changed, replaced, policy.protect_inputs)
        if count:
            number = answer.get("count")
            if not isinstance(number, int) or isinstance(number, bool):
                raise TypeError("the operation count is not a number")
            return value, number
        return value

    def time_left(self):
        """Seconds the current cell has left (its policy's deadline); CallTimeout once spent."""
        if self._policy.deadline is None:
            return None
        left = self._policy.deadline - time.monotonic()
        if left <= 0:
            raise CallTimeout("the test ran out of time: the notebook's functions are too slow "
                              "(an endless loop?)")
        return left


def _runtime_warning_action():
    """What this process's warning filters do with a RuntimeWarning: error, ignore or default."""
    for action, message, category, module, lineno in warnings.filters:
        if not issubclass(RuntimeWarning, category) or lineno:
            continue
        if (message is not None and message.pattern) or (module is not None and module.pattern):
            continue  # a filter for particular messages or modules
        return action if action in ("error", "ignore") else "default"
    return "default"


def _cap_lines(lines, limit):
    kept, total = [], 0
    for line in lines[:1000]:
        kept.append(line[:max(0, limit - total)])
        total += len(kept[-1])
        if total >= limit:
            break
    return kept


_PLAIN = (str, int, float, complex, bool, type(None), np.generic)


def _same_plain(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, (float, complex, np.floating, np.complexfloating)):
        return bool(a == b) or (a != a and b != b)
    try:
        return bool(a == b)
    except Exception:
        return False


def _changed_beyond_allowed(original, changed, top=False):
    """Whether the student's code changed a test's input, at any depth, beyond what comes
    back in a protected run: the top-level dict entries ``allow_updates`` names, and
    generators. Objects that are not plain data (functions, references) are not inputs."""
    if isinstance(original, np.random.Generator):
        return False
    if isinstance(original, np.ndarray):
        return not (isinstance(changed, np.ndarray) and changed.shape == original.shape
                    and changed.dtype == original.dtype
                    and np.array_equal(changed, original, equal_nan=original.dtype.kind in "fc"))
    if isinstance(original, dict):
        if not isinstance(changed, dict):
            return True
        allowed = grading.updatable_keys() if top else set()
        keys = (set(original) | set(changed)) - allowed
        return any(k not in original or k not in changed or _changed_beyond_allowed(original[k], changed[k])
                   for k in keys)
    if isinstance(original, (list, tuple)):
        return not isinstance(changed, type(original)) or len(changed) != len(original) or any(
            _changed_beyond_allowed(a, b) for a, b in zip(original, changed))
    if isinstance(original, _PLAIN):
        return not _same_plain(original, changed)
    return False


def _write_back(original, changed, replaced, protected):
    """Apply the write-back table (module docstring) to one argument of a call."""
    if not protected:
        _update_in_place(original, changed, replaced)  # as in one process
        return
    _advance_generators(original, changed)
    if isinstance(original, dict) and isinstance(changed, dict):
        _apply_allowed_updates(original, changed, replaced)


def _advance_generators(original, changed):
    """Generators, at any depth, continue from where the student's code left its copies."""
    if isinstance(original, np.random.Generator) and isinstance(changed, np.random.Generator):
        original.bit_generator.state = changed.bit_generator.state
    elif isinstance(original, dict) and isinstance(changed, dict):
        for key in set(original) & set(changed):
            _advance_generators(original[key], changed[key])
    elif isinstance(original, (list, tuple)) and isinstance(changed, (list, tuple)):
        for a, b in zip(original, changed):
            _advance_generators(a, b)


def _apply_allowed_updates(original, changed, replaced):
    """Copy into a test's dict the entries ``allow_updates`` names, as the student's code left
    them: replaced by a new object (`replaced`: positions in `changed`), or changed in place."""
    keys = list(changed)
    replaced = {keys[j] for j in replaced if isinstance(j, int) and 0 <= j < len(keys)}
    for key in grading.updatable_keys() & set(changed):
        value, current = changed[key], original.get(key)
        if key not in replaced and isinstance(current, np.ndarray) and isinstance(value, np.ndarray) \
                and current.shape == value.shape and current.flags.writeable:
            current[...] = value
        else:
            original[key] = value


def _update_in_place(original, changed, replaced=()):
    """Make `original` look as the student's code left its copy of it; `replaced` lists the
    positions (in `changed`) of a dict's entries the code replaced by new objects."""
    if isinstance(original, np.ndarray) and isinstance(changed, np.ndarray):
        if original.shape == changed.shape and original.flags.writeable:
            try:
                if not np.array_equal(original, changed, equal_nan=original.dtype.kind in "fc"):
                    original[...] = changed
            except (TypeError, ValueError):
                pass
    elif isinstance(original, np.random.Generator) and isinstance(changed, np.random.Generator):
        original.bit_generator.state = changed.bit_generator.state
    elif isinstance(original, dict) and isinstance(changed, dict):
        keys = list(changed)
        replaced = {keys[j] for j in replaced if isinstance(j, int) and 0 <= j < len(keys)}
        for key, value in changed.items():
            if key not in replaced and key in original and isinstance(original[key], (np.ndarray, dict, list, np.random.Generator)) \
                    and type(value) is type(original[key]) and getattr(value, "shape", None) == getattr(original[key], "shape", None):
                _update_in_place(original[key], value)
            else:
                original[key] = value
        for key in [k for k in original if k not in changed]:
            del original[key]
    elif isinstance(original, tuple) and isinstance(changed, tuple) and len(original) == len(changed):
        for item, value in zip(original, changed):  # a tuple cannot change; what it holds can
            if isinstance(item, (np.ndarray, dict, list, tuple, np.random.Generator)):
                _update_in_place(item, value)
    elif isinstance(original, list) and isinstance(changed, list):
        if len(original) == len(changed):
            for i, value in enumerate(changed):
                if isinstance(original[i], (np.ndarray, dict, list, np.random.Generator)) \
                        and type(value) is type(original[i]) and getattr(value, "shape", None) == getattr(original[i], "shape", None):
                    _update_in_place(original[i], value)
                else:
                    original[i] = value
        else:
            original[:] = changed


class RemoteFunction:
    """A function (or class, or method) of the student's, called in the sandbox."""

    def __init__(self, worker, ref, name):
        self._worker, self._ref = worker, ref
        self.__name__ = self.__qualname__ = name.rsplit(".", 1)[-1]

    def __call__(self, *args, **kwargs):
        return self._worker.call(self._ref, args, kwargs)

    def nnlib_count_operations(self, *args, **kwargs):
        """``nnlib.probes.count_operations`` for this function, counted in the sandbox."""
        return self._worker.call(self._ref, args, kwargs, count=True)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._worker._value(self._worker.request(
            "getattr", self._worker.time_left(), target={"$r": self._ref}, name=name))

    def __repr__(self):
        return f"<student's {self.__name__}>"


class RemoteObject:
    """An object of the student's (an instance of their class): attributes and methods
    are fetched from the sandbox; what comes back is plain data or another reference."""

    def __init__(self, worker, ref, name):
        object.__setattr__(self, "_worker", worker)
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_name", name)

    def _ask(self, op, **fields):
        worker = self._worker
        return worker._value(worker.request(op, worker.time_left(), target={"$r": self._ref}, **fields))

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name, value):
        self._worker._value(self._worker.request(
            "setattr", self._worker.time_left(), target={"$r": self._ref}, name=name,
            value=self._worker.encode(value)))

    def __len__(self):
        return self._ask("len")

    def __iter__(self):
        return iter(self._ask("iter"))

    def __getitem__(self, key):
        return self._ask("getattr", name="__getitem__")(key)

    def __repr__(self):
        return f"<student's {self._name} object>"
