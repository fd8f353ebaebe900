"""JupyterHub for one course on one machine: system users, nbgrader's exchange, formgrader.

nbgrader's documented multi-grader set-up ("Using nbgrader with JupyterHub", one class,
several graders): a grader account owns the course folder and the gradebook; formgrader
runs as that account in a hub-managed service named after the course; the instructors'
hub group ``formgrade-COURSE`` may open it. Students see the Assignments tab in their own
JupyterLab. Everyone runs the one environment deploy/hub/install.sh made.

Who is who comes from two Unix groups (``adduser alice nn-students``, then restart the hub):

    NN_INSTRUCTORS_GROUP  (nn-instructors)   hub group formgrade-COURSE: formgrader
    NN_STUDENTS_GROUP     (nn-students)      hub group nbgrader-COURSE: the Assignments tab

Every setting is an environment variable with the single-machine default (deploy/hub/hub.env
lists them; the systemd unit reads that file):

    NN_HUB_PREFIX   /opt/nn-course              what install.sh installed
    NN_COURSE_ID    nn-review                   the course id in the exchange
    NN_GRADER       nn-grader                   the account that owns the gradebook
    NN_COURSE_DIR   ~NN_GRADER/NN_COURSE_ID     the course folder (deploy/hub/course.sh)
    NN_EXCHANGE     /srv/nbgrader/exchange      nbgrader's exchange (mode 1777)
    NN_HUB_IP / NN_HUB_PORT                     where people connect (127.0.0.1:8000)
    NN_HUB_API_PORT, NN_PROXY_API_PORT, NN_SERVICE_PORT   internal ports on 127.0.0.1
    NN_AUTHENTICATOR  pam                       pam: system users and their passwords
"""

import grp
import os
import pwd

c = get_config()  # noqa: F821  (provided by JupyterHub)

env = os.environ.get
PREFIX = env("NN_HUB_PREFIX", "/opt/nn-course")
COURSE = env("NN_COURSE_ID", "nn-review")
GRADER = env("NN_GRADER", "nn-grader")
INSTRUCTORS_GROUP = env("NN_INSTRUCTORS_GROUP", "nn-instructors")
STUDENTS_GROUP = env("NN_STUDENTS_GROUP", "nn-students")
EXCHANGE = env("NN_EXCHANGE", "/srv/nbgrader/exchange")
COURSE_DIR = env("NN_COURSE_DIR") or os.path.join(pwd.getpwnam(GRADER).pw_dir, COURSE)
BIN = os.path.join(PREFIX, "env", "bin")


def members(group):
    """The users of a Unix group (its supplementary members), or none if it does not exist."""
    try:
        return sorted(grp.getgrnam(group).gr_mem)
    except KeyError:
        return []


instructors, students = members(INSTRUCTORS_GROUP), members(STUDENTS_GROUP)

# --- where the hub listens: people through the proxy, everything else on loopback -----------
c.JupyterHub.ip = env("NN_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("NN_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("NN_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('NN_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [os.path.join(PREFIX, "proxy", "node_modules", ".bin",
                                                "configurable-http-proxy")]
# The hub's database and cookie secret live in its working folder (systemd: /srv/nn-course/hub).
c.JupyterHub.cleanup_servers = True       # stopping the hub stops every server it started

# --- who may log in: the two Unix groups, with their system passwords (PAM) ----------------
c.JupyterHub.authenticator_class = env("NN_AUTHENTICATOR", "pam")
c.Authenticator.allowed_users = set(instructors) | set(students)
c.LocalAuthenticator.create_system_users = False     # accounts are made with adduser, not by the hub

# --- every user's own JupyterLab, as their own Unix user, from the shared environment -------
c.JupyterHub.spawner_class = env("NN_SPAWNER", "localprocess")   # or "systemdspawner.SystemdSpawner"
course_env = {
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",   # nbgrader runs `alembic` from here
    "NN_COURSE_ID": COURSE,
    "NN_EXCHANGE": EXCHANGE,
}
c.Spawner.cmd = [os.path.join(BIN, "jupyterhub-singleuser")]
c.Spawner.environment = dict(course_env)
c.Spawner.default_url = "/lab"
c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = "~"
# A classroom logs in at once on a small machine: give servers time to start.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 180
c.JupyterHub.concurrent_spawn_limit = 100

# --- nbgrader: formgrader as a hub service run by the grader account ------------------------
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": instructors},
    f"nbgrader-{COURSE}": {"users": students},
}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE}",
        "groups": [f"formgrade-{COURSE}"],
        "scopes": [f"access:services!service={COURSE}", "list:services", f"read:services!service={COURSE}"],
    },
    {
        "name": f"nbgrader-{COURSE}",
        "groups": [f"nbgrader-{COURSE}"],
        "scopes": ["list:services", f"read:services!service={COURSE}"],
    },
]
c.JupyterHub.services = [
    {
        "name": COURSE,
        "url": f"http://127.0.0.1:{env('NN_SERVICE_PORT', '9999')}",
        "command": [os.path.join(BIN, "jupyterhub-singleuser"), f"--ServerApp.root_dir={COURSE_DIR}"],
        "user": GRADER,
        "cwd": COURSE_DIR,           # formgrader reads the course's nbgrader_config.py from here
        "environment": {**course_env, "JUPYTERHUB_DEFAULT_URL": "/formgrader"},
        "oauth_no_confirm": True,
    },
]
