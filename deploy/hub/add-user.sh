#!/usr/bin/env bash
# Add a person to the course (run as root; idempotent), then restart the hub:
#
#   deploy/hub/add-user.sh student alice        # or: instructor bob
#   passwd alice                                # the password they log in with (PAM)
#
# A student is a member of NN_STUDENTS_GROUP (nn-students): the Assignments tab.
# An instructor is a member of NN_INSTRUCTORS_GROUP (nn-instructors): formgrader too.
set -euo pipefail
ROLE=${1:?instructor or student}
NAME=${2:?user name}
case "$ROLE" in
    instructor) GROUP=${NN_INSTRUCTORS_GROUP:-nn-instructors} ;;
    student) GROUP=${NN_STUDENTS_GROUP:-nn-students} ;;
    *) echo "add-user.sh: the role is instructor or student, not $ROLE" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "add-user.sh: run as root" >&2; exit 1; }
getent group "$GROUP" >/dev/null || groupadd "$GROUP"
id -u "$NAME" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$NAME"
chmod 700 "$(getent passwd "$NAME" | cut -d: -f6)"      # students do not read each other's work
usermod -a -G "$GROUP" "$NAME"
