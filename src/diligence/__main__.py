"""`python -m diligence`."""

from diligence.cli import main

raise SystemExit(main())
