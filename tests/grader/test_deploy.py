"""The deployments agree with each other and with the course: deploy/hub/ (one machine, run
by test_hub.py) and deploy/k8s/ (Zero to JupyterHub, not run here: checked for syntax and
consistency)."""

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[2]
HUB, K8S = REPO / "deploy" / "hub", REPO / "deploy" / "k8s"


def _load_config(path, env=None):
    """The traitlets Config a config file builds (as JupyterHub or nbgrader would load it)."""
    config = Config()
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        exec(compile(path.read_text(), str(path), "exec"),
             {"get_config": lambda: config, "__file__": str(path), "load_subconfig": lambda *a: None})
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return config


@pytest.fixture(scope="module")
def hub_config():
    # NN_COURSE_DIR: no grader account is needed to read the configuration
    return _load_config(HUB / "jupyterhub_config.py", {"NN_COURSE_DIR": "/home/nn-grader/nn-review"})


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((K8S / "values.yaml").read_text())


@pytest.fixture(scope="module")
def formgrader():
    return {doc["kind"]: doc for doc in yaml.safe_load_all((K8S / "formgrader.yaml").read_text())}


def test_shell_scripts_parse():
    for script in sorted(HUB.glob("*.sh")):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script.name}: {result.stderr}"
        assert os.access(script, os.X_OK), f"{script.name} is not executable"


def test_one_machine_hub_follows_nbgraders_multi_grader_setup(hub_config):
    course = _load_config(REPO / "nbgrader_config.py").CourseDirectory.course_id
    (service,) = hub_config.JupyterHub.services
    assert service["name"] == course, "formgrader's service must be named after the course"
    assert service["user"] == "nn-grader" and service["cwd"].endswith(f"/{course}")
    assert set(hub_config.JupyterHub.load_groups) == {f"formgrade-{course}", f"nbgrader-{course}"}
    roles = {r["name"]: r for r in hub_config.JupyterHub.load_roles}
    assert f"access:services!service={course}" in roles[f"formgrade-{course}"]["scopes"]
    assert not any(s.startswith("access:services") for s in roles[f"nbgrader-{course}"]["scopes"]), (
        "students must not open formgrader")
    assert hub_config.JupyterHub.ip == "127.0.0.1" and hub_config.JupyterHub.hub_ip == "127.0.0.1"
    assert hub_config.Spawner.cmd[0].endswith("/env/bin/jupyterhub-singleuser")


def test_kubernetes_values_match_the_one_machine_hub(hub_config, values):
    course = _load_config(REPO / "nbgrader_config.py").CourseDirectory.course_id
    exchange = _load_config(HUB / "global_nbgrader_config.py").Exchange.root
    env = values["singleuser"]["extraEnv"]
    assert env["NN_COURSE_ID"] == course
    assert env["NN_EXCHANGE"] == exchange == hub_config.Spawner.environment["NN_EXCHANGE"]
    mounts = {m["name"]: m["mountPath"] for m in values["singleuser"]["storage"]["extraVolumeMounts"]}
    assert mounts["exchange"] == exchange
    assert values["singleuser"]["defaultUrl"] == hub_config.Spawner.default_url
    assert list(values["hub"]["services"]) == [course]
    hub_roles = {r["name"]: sorted(r["scopes"]) for r in hub_config.JupyterHub.load_roles}
    k8s_roles = {name: sorted(r["scopes"]) for name, r in values["hub"]["loadRoles"].items()}
    assert k8s_roles == hub_roles, "the roles differ between deploy/hub and deploy/k8s"
    for name, source in values["hub"]["extraConfig"].items():
        compile(source, name, "exec")                          # valid Python
    assert "formgrade-" + course in values["hub"]["extraConfig"]["nn-course.py"]


def test_kubernetes_formgrader_is_the_hub_service(values, formgrader):
    course = list(values["hub"]["services"])[0]
    service_url = values["hub"]["services"][course]["url"]
    deployment, k8s_service = formgrader["Deployment"], formgrader["Service"]
    assert service_url == f"http://{k8s_service['metadata']['name']}:{k8s_service['spec']['ports'][0]['port']}"
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["JUPYTERHUB_SERVICE_NAME"] == course and env["JUPYTERHUB_CLIENT_ID"] == f"service-{course}"
    assert env["JUPYTERHUB_SERVICE_PREFIX"] == f"/services/{course}/"
    assert env["NN_EXCHANGE"] == values["singleuser"]["extraEnv"]["NN_EXCHANGE"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts["exchange"] == env["NN_EXCHANGE"]
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
    singleuser_claims = {v["name"]: v["persistentVolumeClaim"]["claimName"]
                         for v in values["singleuser"]["storage"]["extraVolumes"]}
    assert claims["exchange"] == singleuser_claims["exchange"]
    assert pod["securityContext"]["runAsUser"] != 0, "formgrader must not run as root"
    # the stated position on the sandbox: user namespaces asked for in this pod only
    assert pod["hostUsers"] is False and container["securityContext"]["procMount"] == "Unmasked"


def test_course_image_is_the_one_machine_environment():
    dockerfile = (K8S / "Dockerfile").read_text()
    assert "deploy/hub/install.sh /opt/nn-course" in dockerfile
    assert "FROM debian:12" in dockerfile and "bubblewrap" in dockerfile
