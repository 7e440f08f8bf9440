"""Entry point of the desktop bundle: the ``xref-explorer`` command line, window included."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
