#!/usr/bin/env bash
# The grader account, its course folder and nbgrader's exchange (run as root; idempotent).
#
#   deploy/hub/course.sh           settings from the environment, as in jupyterhub_config.py:
#       NN_HUB_PREFIX (/opt/nn-course), NN_COURSE_ID (nn-review), NN_GRADER (nn-grader),
#       NN_EXCHANGE (/srv/nbgrader/exchange)
#
# The grader account has no password (nobody logs in as it): the hub runs formgrader as it,
# and `nngrader grade` runs as it (runuser -u nn-grader -- ...). Its course folder holds the
# instructor's sources (solutions/), the course's nbgrader_config.py, and then the gradebook,
# submissions and feedback: mode 700, nobody else reads it. A course folder that exists is
# left as it is (it holds grades); the sources are copied only the first time.
set -euo pipefail

PREFIX=${NN_HUB_PREFIX:-/opt/nn-course}
COURSE=${NN_COURSE_ID:-nn-review}
GRADER=${NN_GRADER:-nn-grader}
EXCHANGE=${NN_EXCHANGE:-/srv/nbgrader/exchange}
REPO=$(cd "$(dirname "$0")/../.." && pwd)

[ "$(id -u)" = 0 ] || { echo "course.sh: run as root (it creates the grader account)" >&2; exit 1; }

id -u "$GRADER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --comment "grader of $COURSE" "$GRADER"
HOME_DIR=$(getent passwd "$GRADER" | cut -d: -f6)
COURSE_DIR=${NN_COURSE_DIR:-$HOME_DIR/$COURSE}
chmod 700 "$HOME_DIR"

as_grader() { (cd "$HOME_DIR" && runuser -u "$GRADER" -- env -i HOME="$HOME_DIR" PATH="$PREFIX/env/bin:/usr/bin:/bin" "$@"); }

if [ ! -e "$COURSE_DIR/nbgrader_config.py" ]; then
    echo "course.sh: new course folder $COURSE_DIR"
    install -d -o "$GRADER" -g "$GRADER" -m 700 "$COURSE_DIR"
    cp -r "$REPO/solutions" "$COURSE_DIR/solutions"
    cp "$REPO/nbgrader_config.py" "$COURSE_DIR/nbgrader_config.py"
    cat >> "$COURSE_DIR/nbgrader_config.py" <<'CONF'

# deploy/hub/course.sh: the hub says which course and exchange (NN_COURSE_ID, NN_EXCHANGE),
# for the grader's formgrader as for the students' Assignments tab.
import os  # noqa: E402
c.CourseDirectory.course_id = os.environ.get("NN_COURSE_ID", c.CourseDirectory.course_id)
c.Exchange.root = os.environ.get("NN_EXCHANGE", "/srv/nbgrader/exchange")
CONF
    chown -R "$GRADER:$GRADER" "$COURSE_DIR"
fi
# nbgrader finds the course from anywhere the grader runs it (formgrader, a terminal).
install -d -o "$GRADER" -g "$GRADER" -m 700 "$HOME_DIR/.jupyter"
cat > "$HOME_DIR/.jupyter/nbgrader_config.py" <<CONF
c = get_config()
c.CourseDirectory.root = "$COURSE_DIR"
CONF
chown "$GRADER:$GRADER" "$HOME_DIR/.jupyter/nbgrader_config.py"
# formgrader and "create assignment" are off for everyone in the environment; on for the grader.
# (The user's ~/.jupyter outranks the environment's etc/jupyter.)
cat > "$HOME_DIR/.jupyter/jupyter_server_config.json" <<CONF
{"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": true}}}
CONF
chown "$GRADER:$GRADER" "$HOME_DIR/.jupyter/jupyter_server_config.json"
for ext in formgrader create-assignment; do
    as_grader jupyter labextension enable --level=user "@jupyter/nbgrader:$ext" >/dev/null
done

# nbgrader's exchange: everyone writes (students submit into it), the sticky bit keeps
# each one's files their own; nbgrader sets the modes of the course's folders inside.
install -d -m 1777 "$EXCHANGE"
echo "course.sh: grader $GRADER, course $COURSE_DIR, exchange $EXCHANGE"
