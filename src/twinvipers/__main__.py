"""``python -m twinvipers`` runs the command line."""

from twinvipers.cli import main

main()
