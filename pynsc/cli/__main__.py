"""``python -m pynsc.cli``: the same as the ``pynsc`` console script."""

from pynsc.cli import main

main()
