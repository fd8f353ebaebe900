"""nbgrader's settings for every user of the course environment (PREFIX/env/etc/jupyter).

The Assignments tab, Validate and the grader's formgrader all read this file. The hub
passes NN_COURSE_ID and NN_EXCHANGE to every server it starts (deploy/hub/jupyterhub_config.py),
so the hub's configuration is the one place where they are set.
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets)

c.CourseDirectory.course_id = os.environ.get("NN_COURSE_ID", "nn-review")
c.Exchange.root = os.environ.get("NN_EXCHANGE", "/srv/nbgrader/exchange")
# A cell that runs longer than this is stopped in a student's Validate, as in autograde.
c.ExecutePreprocessor.timeout = 60
