import sys

from nkstudy.cli import main

sys.exit(main())
