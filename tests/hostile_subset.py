"""One hostile submission of every attack class, for the ordinary-user run (tools/test-as-user).

With ``NNGRADER_HOSTILE_SUBSET=1``, ``tests/e2e/test_hostile.py`` grades only these cases (and
its honest students): the sandbox is then built with a user namespace instead of root,
and each class of attack it must stop is tried once.
"""

import os

#: attack class -> the case of tests/e2e/test_hostile.py that tries it
SUBSET = {
    "patching the grader's libraries": "patches_numpy_testing",
    "objects equal to anything": "returns_an_array_subclass_equal_to_anything",
    "hard-coded visible answers": "hard_codes_the_visible_answers",
    "changing the test's inputs": "zeroes_the_tests_inputs",
    "reading the course": "reads_solutions_gradebook_and_other_students",
    "writing the course": "writes_the_gradebook_and_the_course",
    "network": "connects_to_the_network",
    "becoming root": "tries_to_become_root",
    "processes": "fork_bomb",
    "memory": "memory_bomb",
    "time": "endless_loop",
    "ignoring signals": "ignores_every_interrupt",
    "outliving the notebook": "leaves_a_process_spinning",
    "killing other processes": "kills_every_process_it_can",
    "ending Python": "exits_python_before_predict_is_tested",
    "output floods": "prints_gigabytes",
    "edited notebook structure": "duplicates_a_test_cell",
    "instructor cells taken away": "turns_the_setup_cell_into_markdown_and_fakes_everything",
    "forged replies on the channel": "writes_forged_replies_on_every_file_descriptor",
    "files in the submission folder": "a_named_pipe_named_like_the_notebook",
    "any exception class": "raises_baseexception_from_a_student_cell",
    "reasons in the student's words": "student_cell_fakes_sandbox_stopped_and_a_cut_mark",
    "stored XSS": "script_in_a_written_answer",
}


def select(cases):
    """`cases` itself, or only the subset when NNGRADER_HOSTILE_SUBSET=1."""
    if os.environ.get("NNGRADER_HOSTILE_SUBSET") != "1":
        return cases
    missing = set(SUBSET.values()) - set(cases)
    if missing:
        raise KeyError(f"hostile_subset names cases test_hostile.py no longer has: {sorted(missing)}")
    return {name: case for name, case in cases.items() if name in SUBSET.values()}
