"""`python -m local.stack` (`make run`): the local stack, until interrupted (local.stack.run)."""

import sys

from local.stack.run import main

sys.exit(main())
