"""A real course hub for the tests: deploy/hub/ as installed by `make hub-install`, run on 127.0.0.1.

The hub runs the deployment's own jupyterhub_config.py unchanged, with test settings in its
environment variables (accounts named nnt-*, an exchange in a fresh folder, free ports) and
one addition: a service token with the admin role, the script's key to the REST API.

Accounts (system users, PAM passwords for the three who log in with a browser) are made with
the deployment's own scripts (course.sh, add-user.sh) and removed afterwards, with their
home folders; nothing the tests started is left running (checked, and said if it was).
"""

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy" / "hub"
PREFIX = Path(os.environ.get("NN_HUB_PREFIX", "/opt/nn-course"))
ARTIFACTS = REPO / "build" / "test-artifacts" / "hub"

COURSE = "nn-review"
GRADER = "nnt-grader"
INSTRUCTOR = "nnt-instructor"
STUDENTS = ("nnt-student1", "nnt-student2")
LOAD_STUDENTS = tuple(f"nnt-load{i:02d}" for i in range(1, 31))
INSTRUCTORS_GROUP, STUDENTS_GROUP = "nnt-instructors", "nnt-students"
PEOPLE = (INSTRUCTOR, *STUDENTS, *LOAD_STUDENTS)

HUB_START_S = 120        # the hub, its proxy and the formgrader service on a busy machine
SPAWN_S = 600            # a user's server (30 at once in the load test)
REQUEST_S = 120          # one HTTP request
EXIT_S = 60              # the processes of a stopped server to end


def missing():
    """Why this machine cannot run the hub tests, or None."""
    if os.geteuid() != 0:
        return "the hub tests create system users and run JupyterHub as root: run them as root"
    for path in (PREFIX / "env" / "bin" / "jupyterhub", PREFIX / "proxy" / "node_modules" / ".bin" /
                 "configurable-http-proxy"):
        if not path.exists():
            return f"{path} is missing: `make hub-install` installs the course hub"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, method="GET", token=None, body=None, timeout=REQUEST_S, headers=None):
    """(status, parsed JSON or text) of one HTTP request; HTTP errors are returned, not raised."""
    data = None
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"token {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


def run(argv, env=None, check=True, **kwargs):
    result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kwargs)
    if check and result.returncode:
        raise AssertionError(f"{' '.join(map(str, argv))} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def uid_of(user):
    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        return None


def processes_of(users):
    """pid -> (user, command line) of every process owned by one of `users`."""
    uids = {uid_of(u): u for u in users if uid_of(u) is not None}
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            uid = entry.stat().st_uid
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if uid in uids and state != "Z":            # a zombie has ended: only not yet reaped
                found[int(entry.name)] = (uids[uid], (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


class Hub:
    """The course hub of deploy/hub/, for the test accounts, on free ports of 127.0.0.1."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="nn-hub-test-"))
        self.root.chmod(0o711)                       # users reach the exchange, nothing else
        self.exchange = self.root / "exchange"
        self.state = self.root / "hub"
        self.state.mkdir(mode=0o700)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(32)
        self.passwords = {user: secrets.token_urlsafe(12) for user in (INSTRUCTOR, *STUDENTS)}
        self.env = dict(os.environ)
        for name in list(self.env):                 # nothing of the test's own Python leaks in
            if name.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "PYTEST")):
                del self.env[name]
        self.env.update(
            NN_HUB_PREFIX=str(PREFIX), NN_COURSE_ID=COURSE, NN_GRADER=GRADER,
            NN_INSTRUCTORS_GROUP=INSTRUCTORS_GROUP, NN_STUDENTS_GROUP=STUDENTS_GROUP,
            NN_EXCHANGE=str(self.exchange), NN_HUB_IP="127.0.0.1", NN_HUB_PORT=str(self.port),
            NN_HUB_API_PORT=str(free_port()), NN_PROXY_API_PORT=str(free_port()),
            NN_SERVICE_PORT=str(free_port()),
            PATH=f"{PREFIX / 'env' / 'bin'}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        )
        self.log_path = self.root / "jupyterhub.log"
        self.proc = None
        self.left_running = {}

    # --- accounts ----------------------------------------------------------------------
    def create_accounts(self):
        self.remove_accounts()                      # what an interrupted run may have left
        run([DEPLOY / "course.sh"], env=self.env)
        run([DEPLOY / "add-user.sh", "instructor", INSTRUCTOR], env=self.env)
        for user in (*STUDENTS, *LOAD_STUDENTS):
            run([DEPLOY / "add-user.sh", "student", user], env=self.env)
        lines = "".join(f"{user}:{password}\n" for user, password in self.passwords.items())
        subprocess.run(["chpasswd"], input=lines, text=True, check=True)

    def remove_accounts(self):
        for user in (*PEOPLE, GRADER):
            if uid_of(user) is not None:
                run(["userdel", "--remove", user], check=False)
        for group in (INSTRUCTORS_GROUP, STUDENTS_GROUP):
            run(["groupdel", group], check=False)

    @property
    def course_dir(self):
        return Path(pwd.getpwnam(GRADER).pw_dir) / COURSE

    def as_user(self, user, argv, cwd=None, check=True):
        """Run `argv` as `user` with the course environment, as a terminal in the hub would."""
        home = pwd.getpwnam(user).pw_dir
        env = ["env", "-i", f"HOME={home}", f"USER={user}", f"PATH={self.env['PATH']}",
               f"NN_COURSE_ID={COURSE}", f"NN_EXCHANGE={self.exchange}", "LANG=C.UTF-8"]
        return run(["runuser", "-u", user, "--", *env, *map(str, argv)], cwd=cwd or home, check=check)

    # --- the hub process -----------------------------------------------------------------
    def start(self):
        config = self.state / "jupyterhub_config.py"
        config.write_text(
            "c = get_config()  # noqa\n"
            f"load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})\n"
            "# the test's key to the REST API: a service with the admin role\n"
            f"c.JupyterHub.services.append({{'name': 'nnt-admin', 'api_token': {self.admin_token!r}}})\n"
            "c.JupyterHub.load_roles.append({'name': 'admin', 'services': ['nnt-admin']})\n")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(PREFIX / "env" / "bin" / "jupyterhub"), "-f", str(config)], cwd=self.state, env=self.env,
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + HUB_START_S
        service = f"http://127.0.0.1:{self.env['NN_SERVICE_PORT']}/services/{COURSE}/"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"jupyterhub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                hub_up = self.api("GET", "/")[0] == 200
                # the formgrader service answers (a redirect to log in) once it listens
                urllib.request.urlopen(urllib.request.Request(service, method="HEAD"), timeout=5)
                if hub_up:
                    return
            except urllib.error.HTTPError:
                if hub_up:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise AssertionError(f"the hub or its formgrader service did not answer within {HUB_START_S} s:\n"
                             f"{self.log_tail()}")

    def api(self, method, path, token=None, body=None, timeout=REQUEST_S):
        return request(f"{self.url}/hub/api{path}", method, token or self.admin_token, body, timeout)

    def user_token(self, user):
        status, body = self.api("POST", f"/users/{user}/tokens", body={"note": "load test", "expires_in": 3600})
        assert status == 201, f"creating a token for {user} answered {status}: {body}"
        return body["token"]

    def wait_ready(self, user, token=None):
        """Wait until `user`'s default server is ready (bounded); the seconds it took."""
        start = time.monotonic()
        while time.monotonic() - start < SPAWN_S:
            status, body = self.api("GET", f"/users/{user}", token)
            assert status == 200, f"GET /users/{user} answered {status}: {body}"
            server = body.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - start
            if not server and not body.get("pending"):
                raise AssertionError(f"{user}'s server is neither ready nor starting:\n{self.log_tail()}")
            time.sleep(1)
        raise AssertionError(f"{user}'s server was not ready within {SPAWN_S} s:\n{self.log_tail()}")

    def log_tail(self, lines=60):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        """Stop the hub as Ctrl-C would (it stops every server and service it started), then
        end whatever is left and remember it in `left_running`."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)       # the proxy, if the hub left it
            except ProcessLookupError:
                pass
            self.log.close()
        # Servers and kernels the hub stopped may still be on their way out: wait (bounded).
        deadline = time.monotonic() + EXIT_S
        while processes_of((*PEOPLE, GRADER)) and time.monotonic() < deadline:
            time.sleep(1)
        self.left_running = processes_of((*PEOPLE, GRADER))
        for pid in self.left_running:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def keep_log(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if self.log_path.exists():
            shutil.copy(self.log_path, ARTIFACTS / "jupyterhub.log")

    def clean(self):
        self.remove_accounts()
        shutil.rmtree(self.root, ignore_errors=True)
