"""nngrader.intake: a submission folder is looked at with lstat only; anything but regular
files and folders, and anything too large or too many, refuses it with a reason, and
nothing refused is ever followed or opened (a FIFO would block, /dev/zero never ends)."""

import os
import socket
import stat

import pytest

from nngrader import intake


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "submitted" / "alice" / "01_softmax"
    path.mkdir(parents=True)
    (path / "softmax.ipynb").write_text("{}")
    (path / "timestamp.txt").write_text("2024-01-01 00:00:00.000000 UTC")
    (path / "images").mkdir()
    (path / "images" / "plot.png").write_bytes(b"\x89PNG")
    return path


def test_a_plain_submission_is_accepted_and_fingerprinted_by_content(folder):
    assert intake.check(folder) == []
    before = intake.fingerprint(folder)
    (folder / "softmax.ipynb").write_text('{"changed": 1}')
    assert intake.fingerprint(folder) != before


@pytest.mark.parametrize("make, words", [
    (lambda f: os.symlink("/etc/shadow", f / "x.ipynb"), "'x.ipynb' is a symbolic link"),
    (lambda f: os.symlink("/dev/zero", f / "images" / "z"), "'images/z' is a symbolic link"),
    (lambda f: os.symlink(f.parent, f / "up"), "'up' is a symbolic link"),
    (lambda f: os.mkfifo(f / "pipe.ipynb"), "'pipe.ipynb' is a named pipe"),
    (lambda f: os.mknod(f / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5)), "'zero' is a character device"),
    (lambda f: socket.socket(socket.AF_UNIX).bind(str(f / "s")), "'s' is a socket"),
])
def test_anything_but_files_and_folders_is_refused_unopened(folder, make, words):
    try:
        make(folder)
    except PermissionError:
        pytest.skip("needs root")
    problems = intake.check(folder)
    assert any(words in p for p in problems), problems
    intake.fingerprint(folder)  # never opens it: a FIFO would block here, /dev/zero never end


def test_the_folder_itself_must_be_a_real_folder(folder, tmp_path):
    link = tmp_path / "submitted" / "alice" / "02"
    os.symlink(folder, link)
    assert "is a symbolic link, not a folder" in intake.check(link)[0]
    intake.fingerprint(link)


def test_sizes_counts_and_depth_are_bounded(folder, monkeypatch):
    with open(folder / "big.npy", "wb") as f:
        f.truncate(intake.MAX_FILE_BYTES + 1)
    assert any("big.npy" in p and "MiB" in p for p in intake.check(folder))
    (folder / "big.npy").unlink()
    monkeypatch.setattr(intake, "MAX_FILES", 5)
    for i in range(6):
        (folder / f"f{i}").write_text("x")
    assert any("more than 5 files" in p for p in intake.check(folder))
    monkeypatch.setattr(intake, "MAX_FILES", 200)
    deep = folder
    for i in range(intake.MAX_DEPTH + 1):
        deep = deep / "d"
        deep.mkdir()
    assert any("nested more than" in p for p in intake.check(folder))


def test_a_name_with_control_characters_is_refused(tmp_path):
    path = tmp_path / "submitted" / "\x1b[2Jeve" / "01_softmax"
    path.mkdir(parents=True)
    (problem,) = intake.check(path)
    assert "control characters" in problem and "\x1b" not in problem
