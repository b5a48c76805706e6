"""Xunwang (巡网): patrol government websites and new-media accounts, run the rectification loop."""

__version__ = "0.1.0"
