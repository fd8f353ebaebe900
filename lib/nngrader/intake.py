"""Safe intake of a submission folder: look before anything reads or copies it.

nbgrader copies a submission as root, following symbolic links, into
``autograded/`` and ``feedback/``; the grader fingerprints and reads it. So before
any of that, ``check`` walks ``submitted/<student>/<assignment>`` with ``lstat``
only (never following a link, never opening a file) and refuses the submission,
with a reason, when it holds anything but regular files and folders (symbolic
links, named pipes, sockets, device files), or more files, bytes or depth than a
notebook submission needs. The folder itself and its student folder must be real
folders too. ``fingerprint`` digests a submission it accepted (and only names and
kinds of one it refused: it never opens them).
"""

import hashlib
import os
import stat
from pathlib import Path

from nngrader.sanitize import clean, quoted

__all__ = ["MAX_FILES", "MAX_FILE_BYTES", "MAX_TOTAL_BYTES", "MAX_DEPTH", "check", "fingerprint"]

#: Limits of one submission folder (a few notebooks, perhaps data or images).
MAX_FILES = 200
MAX_FILE_BYTES = 50 * 2**20
MAX_TOTAL_BYTES = 200 * 2**20
MAX_DEPTH = 8

_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


def _kind(mode):
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def check(folder):
    """Why the submission in `folder` must not be read or copied: a list of reasons, empty
    when it holds only regular files and folders within the limits."""
    folder = Path(folder)
    for path in (folder.parent, folder):
        try:
            mode = os.lstat(path).st_mode
        except OSError as err:
            return [f"the submission folder {quoted(path.name)} cannot be read ({err.strerror})"]
        if not stat.S_ISDIR(mode):
            return [f"the submission folder {quoted(path.name)} is {_kind(mode)}, not a folder: "
                    "refused unread"]
        if clean(path.name, 200) != path.name:
            return [f"the folder name {quoted(path.name)} holds control characters: refused unread"]
    problems, files, total = [], 0, 0
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as err:
            return [f"{quoted(str(current.relative_to(folder)))} cannot be listed ({err.strerror})"]
        for entry in entries:
            relative = quoted(str(Path(entry.path).relative_to(folder)))
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                if depth + 1 > MAX_DEPTH:
                    problems.append(f"{relative} is nested more than {MAX_DEPTH} folders deep")
                else:
                    stack.append((Path(entry.path), depth + 1))
            elif stat.S_ISREG(mode):
                files += 1
                size = entry.stat(follow_symlinks=False).st_size
                total += size
                if size > MAX_FILE_BYTES:
                    problems.append(f"{relative} holds {size // 2**20} MiB, more than the "
                                    f"{MAX_FILE_BYTES // 2**20} MiB a submitted file may")
            else:
                problems.append(f"{relative} is {_kind(mode)}: refused, never followed or opened")
            if files > MAX_FILES:
                return problems + [f"more than {MAX_FILES} files in the submission"]
            if len(problems) >= 10:
                return problems
    if total > MAX_TOTAL_BYTES:
        problems.append(f"the submission holds {total // 2**20} MiB, more than {MAX_TOTAL_BYTES // 2**20} MiB")
    return problems


def fingerprint(folder):
    """sha256 over the names and bytes of every regular file of an accepted submission; for
    one ``check`` refuses, over the names and kinds of its entries only (nothing opened)."""
    folder = Path(folder)
    digest = hashlib.sha256()
    refused = bool(check(folder))
    try:
        walk = list(os.walk(folder, followlinks=False)) if not os.path.islink(folder) else []
    except OSError:
        walk = []
    for root, dirs, names in sorted(walk):
        dirs.sort()
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
            path = Path(root) / name
            if ".ipynb_checkpoints" in path.parts:
                continue
            try:
                info = os.lstat(path)
            except OSError:
                continue
            digest.update(str(path.relative_to(folder)).encode(errors="surrogateescape") + b"\0")
            if refused or not stat.S_ISREG(info.st_mode):
                digest.update(f"{stat.S_IFMT(info.st_mode)}:{info.st_size}:{info.st_mtime_ns}".encode() + b"\0")
            else:
                with open(path, "rb") as f:
                    digest.update(f.read() + b"\0")
    return digest.hexdigest()
