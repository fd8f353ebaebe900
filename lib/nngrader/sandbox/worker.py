"""The process that runs a student's notebook code inside the grading sandbox.

Started by ``nngrader.sandbox.remote.SandboxProcess`` as ``python -m nngrader.sandbox.worker IN_FD OUT_FD``.
Two processes:

- the **broker** (this process; PID 1 of the sandbox, so no process of the sandbox
  can kill or stop it, and not dumpable, so none can read its memory or reach its
  file descriptors) holds the grader's channel (IN_FD, OUT_FD). It never imports or
  runs student code. It forwards each request to the executor, forwards one reply
  per request stamped with that request's id (``nngrader.sandbox.protocol.check``),
  and when the executor ends, tells the grader how (``ended``: exit code or signal);
  a message that breaks the protocol ends the executor, and says so;
- the **executor** (``CellRunner``, a child of the broker without the grader's
  channel) runs the student's cells and, when a test cell (which runs in the
  grader, not here) calls a student's function, that function. Nothing in it is
  trusted: the student's code can change anything in this process, which is why
  the grader only believes plain data that comes out of it.

Requests (``op``): ``run`` a cell's source; ``get`` a global; ``call`` a referenced
object; ``getattr``/``setattr``/``len``/``iter`` on one; and ``return`` answers a
``callback`` this side sent (a test's function the student's code called).
"""

import builtins
import contextlib
import ctypes
import importlib
import io
import os
import select
import signal
import socket
import sys
import traceback
import warnings
import weakref

import numpy as np

from nnlib import probes
from nngrader.sandbox import protocol
from nnlib.grading import forbid_delegation

#: Characters kept of what a cell or a call prints on each stream.
OUTPUT_LIMIT = protocol.OUTPUT_LIMIT


class CellTimeout(BaseException):
    """The grader's time for this cell or call is up (a BaseException: `except Exception` lets it by)."""


class CappedText(io.TextIOBase):
    """A text stream that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit=OUTPUT_LIMIT):
        self.parts, self.kept, self.dropped, self.limit = [], 0, 0, limit

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} {protocol.CUT_MARK}]\n"
        return text


class _IPythonStub:
    """``get_ipython()`` for cells with magics: line and cell magics and shell escapes do nothing."""

    def run_line_magic(self, *args, **kwargs):
        return None

    run_cell_magic = system = getoutput = run_line_magic


def _python_source(source):
    """IPython syntax (``%matplotlib inline``, ``!ls``) turned into plain Python."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return source
    return TransformerManager().transform_cell(source)


def describe_error(err, skip_frames=0):
    """An exception as nbformat's error output: ename, evalue and traceback lines."""
    try:
        message = str(err)
    except BaseException:
        message = f"<{type(err).__name__} whose message could not be read>"
    try:
        lines = traceback.format_exception(type(err), err, err.__traceback__)
        lines = lines[:1] + lines[1 + skip_frames:] if skip_frames else lines
    except BaseException:
        lines = [f"{type(err).__name__}: {message}"]
    text = "".join(lines)[-OUTPUT_LIMIT:]
    # A class of the student's is named with its module ("__main__.MemoryError"): only
    # Python's own exceptions have a bare name.
    try:
        cls = type(err)
        if str(cls.__module__).split(".")[0] == "numpy":  # NumPy's _ArrayMemoryError: its builtin base
            cls = next(c for c in cls.__mro__ if c.__module__ == "builtins")
        ename = cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    except BaseException:
        ename = "Exception"
    return {"ename": str(ename)[:100], "evalue": message[:OUTPUT_LIMIT], "traceback": text.splitlines()}


class CellRunner:
    def __init__(self, in_fd, out_fd):
        self.in_fd, self.out_fd = in_fd, out_fd
        self.pid = os.getpid()
        self.namespace = {"__name__": "__main__", "__builtins__": builtins,
                          "get_ipython": _IPythonStub}
        self.refs, self.ids = {}, {}
        self.arrays = {}  # the grader's tag -> weak reference to this side's copy of that array
        self.tags = {}  # id of such a copy -> the tag
        self.depth = 0
        self.callbacks_made = 0

    # -- references ---------------------------------------------------------
    def reference(self, obj):
        key = id(obj)
        if key not in self.ids:
            self.ids[key] = len(self.refs) + 1
            self.refs[self.ids[key]] = obj
        try:
            name = str(getattr(obj, "__qualname__", None) or type(obj).__name__)[:200]
        except BaseException:
            name = "object"
        return {"$r": self.ids[key], "name": name, "callable": bool(callable(obj))}

    def resolve(self, tree):
        if "$r" in tree:
            if tree["$r"] not in self.refs:
                raise protocol.WireError(f"unknown reference {tree['$r']}")
            return self.refs[tree["$r"]]
        return _Callback(self, tree["$cb"], str(tree.get("name", "callback")))

    def encode(self, value):
        return protocol.encode(value, self.reference, array_id=self.tag_of)

    def tag_of(self, array):
        """The grader's tag of an array it sent (so it gets its own object back), else None."""
        tag = self.tags.get(id(array))
        known = self.arrays.get(tag) if tag is not None else None
        return tag if known is not None and known() is array else None

    def decode(self, tree):
        return protocol.decode(tree, self.resolve, on_array=self.same_array)

    def same_array(self, tag, array):
        """One object per array of the grader's: a second sending updates the first copy."""
        known = self.arrays.get(tag)
        known = known() if known is not None else None
        if known is not None and known.shape == array.shape and known.dtype == array.dtype \
                and known.flags.writeable:
            known[...] = array
            return known
        self.arrays[tag] = weakref.ref(array)
        self.tags[id(array)] = tag
        return array

    # -- the loop -----------------------------------------------------------
    def send(self, message):
        protocol.write_frame(self.out_fd, message)

    def serve(self, until=None):
        """Answer requests; with `until` (a callback id), return that callback's answer."""
        while True:
            message = protocol.read_frame(self.in_fd)
            op = message.get("op")
            if op == "return":
                if message.get("id") == until:
                    return message
                continue  # the answer to a callback that was given up on
            handler = getattr(self, f"op_{op}", None)
            if handler is None:
                self.send({"op": "done", "id": message.get("id"),
                           "error": {"ename": "ProtocolError", "evalue": f"unknown op {op!r}",
                                     "traceback": []}})
                continue
            self.depth += 1
            try:
                reply = self.timed(handler, message)
            except BaseException as err:  # noqa: B902 - a bad request must not end the worker
                reply = {"error": describe_error(err)}
            finally:
                self.depth -= 1
            if os.getpid() != self.pid:  # a process the student's code forked: never answer
                os._exit(0)
            _restore_builtins()  # a cell that replaced isinstance or len must not break this loop
            reply.update(op="done", id=message.get("id"))
            try:
                self.send(reply)
            except protocol.WireError as err:
                self.send({"op": "done", "id": message.get("id"),
                           "error": {"ename": "ValueError", "evalue": f"the result is too large: {err}",
                                     "traceback": []}})

    def timed(self, handler, message):
        timeout = message.get("timeout") if self.depth == 1 else None
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, float(timeout))
        try:
            return handler(message)
        except CellTimeout as err:
            return {"error": describe_error(err)}
        finally:
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, 0)

    # -- requests -----------------------------------------------------------
    def op_run(self, message):
        """Run a cell: what it printed, its error if any, and which globals it (re)bound."""
        before = {name: id(value) for name, value in self.namespace.items()}
        stdout, stderr = CappedText(), CappedText()
        error = None
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = compile(_python_source(message["source"]), message.get("label", "<cell>"), "exec")
                exec(code, self.namespace)
            except BaseException as err:  # noqa: B902 - SystemExit and KeyboardInterrupt too
                error = describe_error(err, skip_frames=1)
            finally:
                _close_figures()
        bound = [name for name, value in self.namespace.items() if before.get(name) != id(value)]
        return {"stdout": stdout.getvalue(), "stderr": stderr.getvalue(), "error": error,
                "bound": [str(name) for name in bound][:10_000]}

    def op_get(self, message):
        name = message["name"]
        if name not in self.namespace:
            return {"missing": True}
        return {"value": self.encode(self.namespace[name])}

    def op_call(self, message):
        target = self.decode(message["target"])
        args, kwargs = self.decode(message["args"]), self.decode(message["kwargs"])
        stderr = CappedText(2000)
        if "np_random_state" in message:
            np.random.set_state(self.decode(message["np_random_state"]))
        random_before = np.random.get_state()
        patched = self.decode(message.get("np_random_patched", {}))
        originals = {name: getattr(np.random, name) for name in patched if hasattr(np.random, name)}
        try:
            for name, replacement in patched.items():
                setattr(np.random, name, replacement)
            reply = self._call(target, args, kwargs, message, stderr)
        finally:
            for name, original in originals.items():
                setattr(np.random, name, original)
        random_after = np.random.get_state()
        if random_after[2:] != random_before[2:] or not np.array_equal(random_after[1], random_before[1]):
            reply["np_random_state"] = self.encode(random_after)
        return reply

    def _call(self, target, args, kwargs, message, stderr):
        given = list(args) + list(kwargs.values())
        identities = [{k: id(v) for k, v in a.items()} if isinstance(a, dict) else {} for a in given]
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(CappedText(0)), \
                contextlib.redirect_stderr(stderr), np.errstate(**message.get("errstate", {})), \
                forbid_delegation(*self.forbidden(message.get("forbid", []))):
            warnings.simplefilter("always")
            action = message.get("runtime_warnings", "default")
            if action in ("error", "ignore"):
                warnings.simplefilter(action, RuntimeWarning)
            try:
                if message.get("count"):
                    result, count = probes.count_operations(target, *args, **kwargs)
                else:
                    result, count = target(*args, **kwargs), None
            except CellTimeout:
                raise
            except BaseException as err:  # noqa: B902
                return {"error": describe_error(err, skip_frames=1), "stderr": stderr.getvalue(),
                        "warnings": _warnings(caught)}
        # Which entries of a dict argument the code replaced (rather than changed in place).
        rebound = [[j for j, (k, v) in enumerate(a.items()) if ids.get(k) != id(v)]
                   if isinstance(a, dict) else [] for a, ids in zip(given, identities)]
        return {"value": self.encode(result), "after": self.encode([list(args), kwargs]),
                "rebound": rebound, "count": count, "stderr": stderr.getvalue(), "warnings": _warnings(caught)}

    def op_getattr(self, message):
        return {"value": self.encode(getattr(self.decode(message["target"]), str(message["name"])))}

    def op_setattr(self, message):
        setattr(self.decode(message["target"]), str(message["name"]), self.decode(message["value"]))
        return {"value": None}

    def op_len(self, message):
        return {"value": int(len(self.decode(message["target"])))}

    def op_iter(self, message):
        return {"value": self.encode(list(self.decode(message["target"])))}

    def forbidden(self, names):
        """nnlib's functions named by (module, code name, first line): the same functions as
        the grader's, found in this process's copy of the module (a lambda has no usable name)."""
        functions = []
        for module, code_name, first_line in names:
            if not str(module).startswith("nnlib"):
                continue
            candidates = list(vars(importlib.import_module(module)).values())
            for value in list(candidates):
                if isinstance(value, dict):
                    candidates += [v for item in value.values()
                                   for v in (item if isinstance(item, (tuple, list)) else (item,))]
            functions += [f for f in candidates if getattr(f, "__code__", None) is not None
                          and getattr(f, "__module__", None) == module
                          and (f.__code__.co_name, f.__code__.co_firstlineno) == (code_name, first_line)][:1]
        return functions


class _Callback:
    """A function of the grader's (defined by a test) that the student's code calls."""

    def __init__(self, worker, key, name):
        self.worker, self.key, self.__name__ = worker, key, name

    def __call__(self, *args, **kwargs):
        worker = self.worker
        worker.callbacks_made += 1
        ident = f"cb{worker.callbacks_made}"
        worker.send({"op": "callback", "id": ident, "target": self.key,
                     "args": worker.encode(list(args)), "kwargs": worker.encode(kwargs)})
        answer = worker.serve(until=ident)
        if "error" in answer:
            error = answer["error"] if isinstance(answer["error"], dict) else {}
            cls = {"AssertionError": AssertionError, "ValueError": ValueError,
                   "TypeError": TypeError}.get(error.get("ename"), RuntimeError)
            raise cls(str(error.get("evalue", "the test's function failed")))
        return worker.decode(answer["value"])


#: The builtins as this process started: restored after every request.
_BUILTINS = dict(vars(builtins))


def _restore_builtins():
    namespace = vars(builtins)
    for name in [n for n in namespace if n not in _BUILTINS]:
        del namespace[name]
    namespace.update(_BUILTINS)


def _warnings(caught):
    return [[w.category.__name__[:100], str(w.message)[:500]] for w in caught[:20]]


def _close_figures():
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def _on_alarm(signum, frame):
    raise CellTimeout("the time for this cell is up")


def executor(channel):
    """The executor process: run the student's code, talk to the broker on `channel`."""
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file too large fails to write; no crash
    os.register_at_fork(after_in_child=lambda: os.close(channel))
    worker = CellRunner(channel, channel)
    try:
        worker.serve()
    except EOFError:
        pass
    os._exit(0)


def _not_dumpable():
    """No process of the sandbox's user may ptrace this one or open its /proc files (fds, memory)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):  # pragma: no cover - Linux has prctl
        pass


def _reap(child):
    """Wait for every finished process (the broker is the sandbox's PID 1); the status of
    `child` if it is among them, else None."""
    status = None
    while True:
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return status
        if pid == 0:
            return status
        if pid == child:
            status = code


def broker(grader_in, grader_out):
    """The broker process (module docstring): relay between the grader and the executor."""
    parent_end, child_end = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        os.close(grader_in)
        os.close(grader_out)
        parent_end.close()
        try:
            executor(child_end.detach())
        finally:
            os._exit(0)
    child_end.close()
    _not_dumpable()
    ours = parent_end.fileno()
    try:
        watch = os.pidfd_open(pid)
    except (AttributeError, OSError):  # pragma: no cover - Linux >= 5.3
        watch = None
    protocol.write_frame(grader_out, protocol.message("ready", pid=os.getpid()))
    pending = []  # ids of the requests the executor is answering, innermost last

    def end(why, status=None):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if status is None:
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:
                status = None
        fields = {"why": why}
        if status is not None and os.WIFSIGNALED(status):
            fields["signal"] = os.WTERMSIG(status)
        elif status is not None and os.WIFEXITED(status):
            fields["code"] = os.WEXITSTATUS(status)
        try:
            protocol.write_frame(grader_out, protocol.message("ended", **fields))
        finally:
            os._exit(0)

    while True:
        waiting = [grader_in, ours] + ([watch] if watch is not None else [])
        ready = select.select(waiting, [], [], 1.0)[0]
        status = _reap(pid)
        if grader_in in ready:
            try:
                frame = protocol.check(protocol.read_frame(grader_in), {"grader"})
            except (EOFError, OSError):
                end("the grader closed the channel")
            if frame["op"] != "return":
                pending.append(frame["id"])
            protocol.write_frame(ours, frame)
        if ours in ready:
            try:
                frame = protocol.check(protocol.read_frame(ours), {"sandbox"})
                if not pending:
                    raise protocol.ProtocolError(f"a {frame['op']!r} when no request was waiting")
            except (EOFError, OSError):
                end("ended", status)
            except (protocol.WireError, ValueError, RecursionError) as err:
                end(f"sent a message that breaks the protocol ({str(err)[:200]})")
            if frame["op"] == "done":
                # It must answer the innermost waiting request: a reply forged for an earlier one
                # makes the real reply arrive for the wrong request, which ends the notebook.
                if frame.get("id") != pending[-1]:
                    end(f"sent a message that breaks the protocol (a reply to request {frame.get('id')} "
                        f"while request {pending[-1]} was waiting)")
                frame["id"] = pending.pop()
            protocol.write_frame(grader_out, frame)
        if status is not None:
            end("ended", status)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    broker(int(argv[0]), int(argv[1]))


if __name__ == "__main__":
    main()
