"""Use cases: what each command does, between the command line that asks and the output shown.

Each takes parsed options and returns plain results; printing, writing and exiting stay in the
command line (``analyzer.cli``).
"""
