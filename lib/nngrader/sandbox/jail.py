"""Run a student's code where it can harm nothing: bubblewrap, an unprivileged user, limits.

The sandboxed process

- sees a file system made of read-only system folders, this Python installation,
  its environment and ``nnlib``: not the repository (solutions, tests, build
  scripts), not the course (gradebook, other students' work), not ``/root``;
- can write only to its own scratch folder, a small tmpfs that vanishes with it;
- has no network (its own empty network namespace), its own process tree (a PID
  namespace: when it ends, every process it started ends too), no capabilities;
- runs as an unprivileged user id of its own (one per running sandbox, claimed with
  a lock file), so the process limit counts only its own processes;
- has limits on CPU time, memory (address space), processes and file size.

bubblewrap (Debian package ``bubblewrap``) builds the sandbox; changing to another
user needs root, which CI and ``make demo`` have. ``make sandbox`` installs it.
"""

import fcntl
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "SandboxUnavailable", "check_available", "claim_uid", "command",
           "visible_paths", "package_roots", "SUPPORT_DIR", "FIRST_UID", "UID_COUNT"]

#: Sandboxes run as uids FIRST_UID .. FIRST_UID + UID_COUNT - 1 (no account needed).
FIRST_UID = 61000
UID_COUNT = 1000

#: Where the lock files that hand out uids live.
UID_LOCKS = Path(tempfile.gettempdir()) / "nnlib-sandbox-uids"


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


def check_available():
    """Raise SandboxUnavailable unless bubblewrap is installed and we may change user."""
    missing = [tool for tool in ("bwrap", "setpriv", "prlimit") if shutil.which(tool) is None]
    if missing:
        raise SandboxUnavailable(
            f"the grading sandbox needs {', '.join(missing)}: install Debian's bubblewrap "
            "(`make sandbox`, or `apt-get install bubblewrap`)")
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the grading sandbox runs each notebook as an unprivileged user, which needs root: "
            "grade as root (as CI and `make demo` do)")


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


#: Where an assignment's support modules appear inside the sandbox (on its PYTHONPATH).
SUPPORT_DIR = "/support"


def command(argv, uid, limits, scratch="/scratch", env=None, support=()):
    """The command line that runs `argv` inside the sandbox as user `uid`.

    Parameters
    ----------
    argv : list of str, the program and its arguments (an absolute path to Python)
    uid : int, from ``claim_uid``
    limits : Limits
    scratch : the sandbox's writable folder, also its working directory and HOME
    env : dict, the program's whole environment (nothing else is passed in)
    support : paths of the assignment's support modules, shown read-only in SUPPORT_DIR
    """
    # --as-pid-1: the worker's broker is the sandbox's PID 1, which no process inside can kill.
    bwrap = ["bwrap", "--unshare-pid", "--as-pid-1", "--unshare-net", "--unshare-ipc", "--unshare-uts",
             "--unshare-cgroup-try", "--die-with-parent", "--new-session",
             "--hostname", "sandbox",
             # setpriv needs these two to change user; it drops them (and all others) itself.
             "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
             "--ro-bind", "/usr", "/usr"]
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
    if support:
        bwrap += ["--perms", "0755", "--dir", SUPPORT_DIR]
    for path in support:
        bwrap += ["--ro-bind", str(Path(path).resolve()), f"{SUPPORT_DIR}/{Path(path).name}"]
    bwrap += ["--proc", "/proc", "--dev", "/dev",
              "--perms", "1777", "--size", str(limits.scratch_bytes), "--tmpfs", scratch,
              "--chdir", scratch, "--clearenv"]
    for key, value in (env or {}).items():
        bwrap += ["--setenv", key, value]
    drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    rlimits = ["prlimit", f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 5}",
               f"--as={limits.memory_bytes}", f"--nproc={limits.processes}",
               f"--fsize={limits.file_bytes}", "--core=0", "--"]
    return bwrap + ["--"] + drop + rlimits + list(argv)
