#!/usr/bin/env bash
# `make hub`: the course hub on 127.0.0.1 with demo users, in the foreground; Ctrl-C stops it
# and everything it started (JupyterHub stops its proxy, the formgrader service and every
# user's server on the way out; the script then checks that nothing of the demo is left).
#
# Demo accounts: nn-instructor (formgrader), nn-student1, nn-student2, with fresh random
# passwords printed below (the accounts are locked again on exit). The grader account
# nn-grader owns the course in ~nn-grader/nn-review. State: /srv/nn-course-demo.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export NN_HUB_PREFIX=${NN_HUB_PREFIX:-/opt/nn-course}
export NN_COURSE_ID=${NN_COURSE_ID:-nn-review}
export NN_GRADER=${NN_GRADER:-nn-grader}
export NN_EXCHANGE=${NN_EXCHANGE:-/srv/nn-course-demo/exchange}
export NN_HUB_PORT=${NN_HUB_PORT:-8000}
STATE=/srv/nn-course-demo/hub
USERS=(nn-instructor nn-student1 nn-student2)

"$HERE/course.sh"
"$HERE/add-user.sh" instructor nn-instructor
"$HERE/add-user.sh" student nn-student1
"$HERE/add-user.sh" student nn-student2
echo
echo "The course hub: http://127.0.0.1:$NN_HUB_PORT   (Ctrl-C stops it)"
for user in "${USERS[@]}"; do
    password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
    echo "$user:$password" | chpasswd
    usermod --unlock "$user" >/dev/null 2>&1 || true
    printf '  %-14s password %s\n' "$user" "$password"
done
echo

lock() { for user in "${USERS[@]}"; do usermod --lock "$user" >/dev/null 2>&1 || true; done; }
trap lock EXIT
install -d -m 700 "$STATE"
cd "$STATE"
# The hub in the foreground, in this process group: Ctrl-C reaches it, it cleans up and exits.
set +e
"$NN_HUB_PREFIX/env/bin/jupyterhub" -f "$HERE/jupyterhub_config.py"
status=$?
left=$(ps -o pid=,user=,args= -u "$(IFS=,; echo "${USERS[*]},$NN_GRADER")" 2>/dev/null || true)
[ -z "$left" ] || { echo "make hub: still running after the hub stopped:"; echo "$left"; }
exit $status
