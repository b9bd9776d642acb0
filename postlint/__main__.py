"""``python -m postlint``: the same as the ``postlint`` command."""

import sys

from postlint.cli import main

sys.exit(main())
