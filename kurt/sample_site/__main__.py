"""Entry point of ``python -m kurt.sample_site`` (see kurt.sample_site.cli)."""

import sys

from kurt.sample_site.cli import main

if __name__ == "__main__":
    sys.exit(main())
