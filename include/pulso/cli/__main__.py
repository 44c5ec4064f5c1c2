"""`python -m pulso.cli` runs the command line."""

import sys

from pulso.cli import main

sys.exit(main())
