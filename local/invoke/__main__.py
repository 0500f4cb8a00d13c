"""`python -m local.invoke FUNCTION EVENT`: see local.invoke.cli."""

import sys

from local.invoke.cli import main

sys.exit(main())
