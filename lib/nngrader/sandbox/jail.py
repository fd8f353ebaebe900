"""Run a student's code where it can harm nothing: bubblewrap, an unprivileged user, limits.

The sandboxed process

- sees a file system made of read-only system folders, this Python installation,
  its environment and ``nnlib``: not the repository (solutions, tests, build
  scripts), not the course (gradebook, other students' work), not ``/root``;
- can write only to its own scratch folder, a small tmpfs that vanishes with it;
- has no network (its own empty network namespace), its own process tree (a PID
  namespace: when it ends, every process it started ends too), no capabilities;
- runs as a user id of its own (one per running sandbox, claimed with a lock file),
  so the process limit counts only its own processes;
- has limits on CPU time, memory (address space), processes and file size.

bubblewrap (Debian package ``bubblewrap``; ``make sandbox`` installs it) builds the
sandbox in one of two ways (``mode()``):

- ``"root"``: the grader runs as root; setpriv changes the sandboxed process to an
  unprivileged uid of the host (61000 and up, no account needed);
- ``"userns"``: the grader is an ordinary user; bubblewrap makes an unprivileged
  user namespace with its own uid/gid mapping (the claimed uid inside, the grader's
  uid outside), no capabilities, and no nested user namespaces. The process limit
  counts per user namespace, so it still counts only the sandbox's own processes.
  Files the grader writes stay the grader's.

Root always uses the first: in a user namespace made by root the process limit would
not hold (the kernel exempts uid 0's processes). Where neither works (not root, and user
namespaces are off, as in many containers) ``check_available`` says so in one sentence
and nothing runs.
"""

import fcntl
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "SandboxUnavailable", "check_available", "claim_uid", "command", "mode",
           "visible_paths", "package_roots", "FIRST_UID", "UID_COUNT"]

#: Sandboxes run as uids FIRST_UID .. FIRST_UID + UID_COUNT - 1 (no account needed).
FIRST_UID = 61000
UID_COUNT = 1000

#: Where the lock files that hand out uids live (one folder per grading user).
UID_LOCKS = Path(tempfile.gettempdir()) / f"nnlib-sandbox-uids-{os.geteuid()}"


@dataclass(frozen=True)
class Limits:
    """What one sandboxed run of a notebook may use."""

    cpu_seconds: int = 600          # CPU time of the whole run, all processes
    memory_bytes: int = 4 * 2**30   # address space of each process
    processes: int = 64             # processes and threads of the sandbox's user
    file_bytes: int = 16 * 2**20    # largest file it may write
    scratch_bytes: int = 64 * 2**20  # its writable tmpfs

    def __post_init__(self):
        for name in ("cpu_seconds", "memory_bytes", "processes", "file_bytes", "scratch_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive integer, got {value!r}")


class SandboxUnavailable(RuntimeError):
    """This machine cannot build the sandbox; the message says what to do."""


def mode():
    """How sandboxes are built here: ``"root"`` (setpriv to a host uid) or ``"userns"``
    (an unprivileged user namespace). Says nothing about whether it works: see
    ``check_available``."""
    return "root" if os.geteuid() == 0 else "userns"


@functools.lru_cache(maxsize=None)
def _bwrap_supports(flag):
    try:
        text = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return flag in text


@functools.lru_cache(maxsize=None)
def _userns_error():
    """None when bubblewrap can build an unprivileged user namespace here, else why not."""
    probe = ["bwrap", "--unshare-user", "--uid", str(FIRST_UID), "--gid", str(FIRST_UID),
             "--unshare-pid", "--unshare-net", "--ro-bind", "/usr", "/usr", "--proc", "/proc"]
    for name in ("bin", "lib", "lib64"):
        if os.path.islink(f"/{name}"):
            probe += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
        elif os.path.isdir(f"/{name}"):
            probe += ["--ro-bind", f"/{name}", f"/{name}"]
    try:
        result = subprocess.run(probe + ["true"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as err:
        return str(err)
    return None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["failed"])[-1]


def check_available():
    """Raise SandboxUnavailable (one sentence) unless a sandbox can be built here; returns the mode."""
    how = mode()
    tools = ("bwrap", "prlimit") + (("setpriv",) if how == "root" else ())
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        raise SandboxUnavailable(
            f"the grading sandbox needs {', '.join(missing)}: install Debian's bubblewrap "
            "(`make sandbox`, or `apt-get install bubblewrap`); nothing was graded")
    if how == "userns":
        why = _userns_error()
        if why:
            raise SandboxUnavailable(
                f"the grading sandbox cannot start here: this user may not create a user namespace "
                f"with bubblewrap ({why}), so grade as root or on a machine where unprivileged user "
                "namespaces are enabled; nothing was graded")
    return how


@contextmanager
def claim_uid():
    """A user id no other running sandbox on this machine has, held until the block ends."""
    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    start = os.getpid() % UID_COUNT
    for step in range(UID_COUNT):
        uid = FIRST_UID + (start + step) % UID_COUNT
        handle = open(UID_LOCKS / str(uid), "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield uid
        finally:
            handle.close()
        return
    raise SandboxUnavailable(f"all {UID_COUNT} sandbox user ids are in use")


def package_roots():
    """The folders ``nnlib`` and ``nngrader`` were imported from (site-packages, a
    source checkout, or a ``PYTHONPATH`` entry): the sandbox imports the same ones."""
    import nnlib
    import nngrader

    return sorted({Path(nnlib.__file__).resolve().parents[1], Path(nngrader.__file__).resolve().parents[1]})


def visible_paths():
    """Folders the sandboxed Python needs, read-only: its installation, its environment,
    and the folders ``nnlib`` and ``nngrader`` are imported from."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), *package_roots()}
    system = {Path(p) for p in ("/usr", "/bin", "/lib", "/lib64", "/sbin")}
    # Only folders outside the system ones need binding, and a folder inside another
    # bound one is already there.
    extra = {p for p in paths if not any(p == s or s in p.parents for s in system)}
    return sorted(p for p in extra if not any(q in p.parents for q in extra))


def command(argv, uid, limits, scratch="/scratch", env=None, how=None):
    """The command line that runs `argv` inside the sandbox as user `uid`.

    Parameters
    ----------
    argv : list of str, the program and its arguments (an absolute path to Python)
    uid : int, from ``claim_uid``
    limits : Limits
    scratch : the sandbox's writable folder, also its working directory and HOME
    env : dict, the program's whole environment (nothing else is passed in)
    how : "root" or "userns" (default: ``mode()``)
    """
    how = how or mode()
    if how not in ("root", "userns"):
        raise ValueError(f"how must be 'root' or 'userns', not {how!r}")
    bwrap = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
             "--unshare-cgroup-try", "--die-with-parent", "--new-session",
             "--hostname", "sandbox"]
    if how == "root":
        # setpriv needs these two to change user; it drops them (and all others) itself.
        bwrap += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        # A user namespace of its own: `uid` inside, the grader outside; no capabilities,
        # and (bubblewrap 0.8+) no user namespace inside it to regain any.
        bwrap += ["--unshare-user", "--uid", str(uid), "--gid", str(uid), "--cap-drop", "ALL"]
        if _bwrap_supports("--disable-userns"):
            bwrap += ["--disable-userns"]
    bwrap += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = os.readlink(f"/{name}") if os.path.islink(f"/{name}") else None
        if target:
            bwrap += ["--symlink", target, f"/{name}"]
        elif os.path.isdir(f"/{name}"):
            bwrap += ["--ro-bind", f"/{name}", f"/{name}"]
    for path in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf"):
        bwrap += ["--ro-bind-try", path, path]
    # /tmp first: an environment that lives under /tmp (a fresh clone) is bound on top of it.
    bwrap += ["--perms", "1777", "--size", str(limits.scratch_bytes), "--tmpfs", "/tmp"]
    made = set()
    for path in visible_paths():
        for parent in reversed(path.parents):
            if str(parent) not in ("/", "/tmp") and parent not in made:
                bwrap += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        bwrap += ["--ro-bind", str(path), str(path)]
    bwrap += ["--proc", "/proc", "--dev", "/dev",
              "--perms", "1777", "--size", str(limits.scratch_bytes), "--tmpfs", scratch,
              # the root bubblewrap builds everything on is a tmpfs; in a user namespace it belongs
              # to the sandbox's own uid: read-only, so only /tmp and the scratch folder take writes
              "--remount-ro", "/",
              "--chdir", scratch, "--clearenv"]
    for key, value in (env or {}).items():
        bwrap += ["--setenv", key, value]
    drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"] if how == "root" else []
    rlimits = ["prlimit", f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 5}",
               f"--as={limits.memory_bytes}", f"--nproc={limits.processes}",
               f"--fsize={limits.file_bytes}", "--core=0", "--"]
    return bwrap + ["--"] + drop + rlimits + list(argv)
