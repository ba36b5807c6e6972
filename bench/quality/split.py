"""The benchmark's split, fixed before anything is tuned: tune on ``dev``, judge on ``test``.

Generated monoliths are named by seed; real corpora by their name in
../shared/corpora/fetch.sh (unpacked under $SEAMS_CORPORA).
"""

from __future__ import annotations

SPLITS = ("dev", "test")
GENERATED: dict[str, tuple[int, ...]] = {
    "dev": tuple(range(30)),
    "test": tuple(range(1000, 1030)),
}
CORPORA: dict[str, tuple[str, ...]] = {
    "dev": ("django-oscar", "netbox", "mayan-edms", "flaskbb"),
    "test": ("shuup", "nautobot", "tendenci"),
}
CLUSTERING_SEEDS = (0, 1, 2)
