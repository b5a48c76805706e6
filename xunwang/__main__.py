"""``python -m xunwang``: the same as the ``xunwang`` command."""

from xunwang.cli import main

main()
