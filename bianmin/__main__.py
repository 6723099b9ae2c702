import sys

from bianmin.cli import main

sys.exit(main())
