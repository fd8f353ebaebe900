"""``python -m nngrader SUBCOMMAND ...``: see ``nngrader.cli``."""
import sys

from nngrader.cli import main

sys.exit(main())
