"""``python -m ingesta``: la misma CLI que la orden ``ingesta``."""

import sys

from ingesta.cli import main

sys.exit(main())
