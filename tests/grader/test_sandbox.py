"""nngrader.sandbox.jail: Limits refuses bad values naming the field; claim_uid hands out distinct
uids and takes them back; the command line isolates (no network, own PID namespace,
another user, resource limits, read-only Python, no repository); and, where bubblewrap
and root are available, a real sandboxed process is confined as promised."""

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nngrader.sandbox import jail
from nngrader.course import REPO_ROOT
from nngrader.sandbox.jail import Limits

FIELDS = [f.name for f in dataclasses.fields(Limits)]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_limits_refuse_bad_values_naming_the_field(field, bad):
    with pytest.raises(ValueError, match=f"Limits.{field} must be a positive integer"):
        Limits(**{field: bad})


def test_limits_keep_good_values():
    limits = Limits(cpu_seconds=3, processes=2)
    assert (limits.cpu_seconds, limits.processes) == (3, 2)


@pytest.fixture
def private_locks(tmp_path, monkeypatch):
    """Lock files of our own, so another test run's sandboxes cannot interfere."""
    monkeypatch.setattr(jail, "UID_LOCKS", tmp_path / "locks")


def test_claim_uid_gives_distinct_uids_and_takes_them_back(private_locks):
    with jail.claim_uid() as first:
        with jail.claim_uid() as second:
            assert first != second
            for uid in (first, second):
                assert jail.FIRST_UID <= uid < jail.FIRST_UID + jail.UID_COUNT
    with jail.claim_uid() as again:
        assert again == first, "a released uid is free to be claimed again"


def test_claim_uid_fails_when_all_uids_are_taken(private_locks, monkeypatch):
    monkeypatch.setattr(jail, "UID_COUNT", 2)
    with jail.claim_uid(), jail.claim_uid():
        with pytest.raises(jail.SandboxUnavailable, match="in use"):
            with jail.claim_uid():
                pass


def test_visible_paths_show_python_and_nnlib_but_not_the_repository():
    paths = jail.visible_paths()
    assert all(p.is_absolute() for p in paths)
    assert not any(p == REPO_ROOT or p in REPO_ROOT.parents for p in paths), \
        f"{paths} would show the repository (solutions, tests) to the student's code"
    assert REPO_ROOT / "lib" in paths
    system = [Path(p) for p in ("/usr", "/bin", "/lib", "/lib64", "/sbin")]
    for needed in (Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()):
        assert any(needed == p or p in needed.parents for p in paths + system), needed


def _ro_binds(cmd):
    return [Path(cmd[i + 1]) for i, word in enumerate(cmd) if word in ("--ro-bind", "--ro-bind-try")]


def test_command_isolates_and_limits():
    limits = Limits(cpu_seconds=7, memory_bytes=2**29, processes=5, file_bytes=4096, scratch_bytes=2**20)
    argv = [sys.executable, "-c", "pass"]
    cmd = jail.command(argv, 61234, limits, env={"HOME": "/scratch"}, how="root")
    split = cmd.index("--")
    bwrap, rest = cmd[:split], cmd[split + 1:]
    assert bwrap[0] == "bwrap"
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--clearenv"):
        assert flag in bwrap
    assert ["--setenv", "HOME", "/scratch"] == bwrap[bwrap.index("--setenv"):bwrap.index("--setenv") + 3]
    assert not {"--bind", "--bind-try", "--dev-bind"} & set(bwrap), "nothing may be bound writable"
    assert bwrap.count(str(limits.scratch_bytes)) == 2, "both tmpfs get the scratch size"

    assert rest[0] == "setpriv" and "--reuid=61234" in rest and "--regid=61234" in rest
    prlimit = rest[rest.index("prlimit"):rest.index("--")]
    assert "--cpu=7:12" in prlimit          # soft limit 7 s, hard a little later
    assert {"--as=536870912", "--nproc=5", "--fsize=4096"} <= set(prlimit)
    assert rest[-len(argv):] == argv

    binds = _ro_binds(bwrap)
    python = Path(sys.base_prefix).resolve()
    assert any(b == python or b in python.parents for b in binds), "the Python installation is bound"
    for hidden in (REPO_ROOT, REPO_ROOT / "solutions", REPO_ROOT / "tests"):
        assert not any(b == hidden or b in hidden.parents for b in binds), f"{hidden} is visible"


def test_userns_command_maps_its_own_uid_and_drops_every_capability():
    limits = Limits(processes=5)
    argv = [sys.executable, "-c", "pass"]
    cmd = jail.command(argv, 61234, limits, how="userns")
    split = cmd.index("--")
    bwrap, rest = cmd[:split], cmd[split + 1:]
    for flag in ("--unshare-user", "--unshare-net", "--unshare-pid", "--die-with-parent", "--clearenv"):
        assert flag in bwrap
    assert bwrap[bwrap.index("--uid") + 1] == "61234" and bwrap[bwrap.index("--gid") + 1] == "61234"
    assert bwrap[bwrap.index("--cap-drop") + 1] == "ALL" and "--cap-add" not in bwrap
    assert "setpriv" not in rest, "no user change is needed (or possible) without root"
    assert rest[0] == "prlimit" and "--nproc=5" in rest
    assert rest[-len(argv):] == argv
    assert not {"--bind", "--bind-try", "--dev-bind"} & set(bwrap), "nothing may be bound writable"


def test_mode_follows_the_user():
    assert jail.mode() == ("root" if os.geteuid() == 0 else "userns")


def test_without_user_namespaces_a_normal_user_gets_one_sentence(monkeypatch):
    monkeypatch.setattr(jail, "mode", lambda: "userns")
    monkeypatch.setattr(jail, "_userns_error", lambda: "No permissions to create new namespace")
    monkeypatch.setattr(jail.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    with pytest.raises(jail.SandboxUnavailable) as caught:
        jail.check_available()
    message = str(caught.value)
    assert "user namespace" in message and "nothing was graded" in message
    assert "\n" not in message and message.count(". ") == 0, "one sentence"


CHILD = r"""
import json, os, socket, sys
report = {"uid": os.getuid(), "gid": os.getgid(),
          "solutions": os.path.exists(sys.argv[1]),
          "repo": sorted(os.listdir(sys.argv[2])) if os.path.isdir(sys.argv[2]) else []}
for name, path in (("nnlib", os.path.join(sys.argv[3], "probe.txt")), ("scratch", "probe.txt"),
                   ("root", "/probe.txt"), ("parent", os.path.join(sys.argv[2], "probe.txt"))):
    try:
        open(path, "w").close()
        report[name] = "written"
    except OSError as err:
        report[name] = err.errno
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    report["network"] = True
except OSError:
    report["network"] = False
n = 0
try:
    for _ in range(50):
        if os.fork() == 0:
            import time; time.sleep(30); os._exit(0)
        n += 1
except OSError:
    pass
report["forks"] = n
print(json.dumps(report))
"""


def test_a_real_sandboxed_process_is_confined():
    # As root this tests the root mode; tools/test-as-user runs it again as an ordinary user.
    how = jail.mode()
    try:
        jail.check_available()
    except jail.SandboxUnavailable as err:
        pytest.skip(f"no sandbox here: {err}")
    import nnlib

    nnlib_dir = Path(nnlib.__file__).resolve().parent
    argv = [sys.executable, "-c", CHILD, str(REPO_ROOT / "solutions"), str(REPO_ROOT), str(nnlib_dir)]
    with jail.claim_uid() as uid:
        result = subprocess.run(jail.command(argv, uid, Limits(processes=6), env={"PATH": "/usr/bin"}, how=how),
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["uid"], report["gid"]) == (uid, uid), how
    assert report["solutions"] is False
    assert "solutions" not in report["repo"] and "tests" not in report["repo"]
    assert report["nnlib"] != "written" and not (nnlib_dir / "probe.txt").exists()
    assert report["scratch"] == "written", "the scratch folder must stay writable"
    assert report["root"] != "written", "the sandbox's own root must be read-only"
    # A checkout under /tmp (a fresh clone) sits inside the sandbox's private /tmp tmpfs, where a
    # write is allowed; elsewhere its folder must refuse writes. Either way nothing reaches the host.
    if not REPO_ROOT.resolve().is_relative_to("/tmp"):
        assert report["parent"] != "written", "nothing outside /tmp and the scratch folder may take writes"
    assert not (REPO_ROOT / "probe.txt").exists()
    assert report["network"] is False
    assert report["forks"] < 6, "Limits(processes=6) must stop a fork loop"


def test_tmp_is_mounted_before_the_binds_so_an_environment_under_tmp_stays_visible():
    argv = jail.command(["python"], 61000, jail.Limits())
    tmpfs_at = next(i for i, arg in enumerate(argv) if arg == "--tmpfs" and argv[i + 1] == "/tmp")
    binds = [i for i, arg in enumerate(argv) if arg == "--ro-bind" and argv[i + 2] != "/usr"]
    assert binds and all(tmpfs_at < i for i in binds)
