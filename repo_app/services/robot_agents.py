"""Which user agents are robots or machines, by the COUNTER robots list (``counter-robots``).

COUNTER Release 5 requires robot and crawler activity to be left out of
usage counts and names the list kept by its Robots Working Group; the
``counter-robots`` package (Invenio's) ships that list with the list of
machines (scripts, HTTP libraries), and its ``is_robot_or_machine`` is the
public way to ask it. The list's maintainers say its patterns are meant to
be matched *case-insensitively* (``bot`` must catch ``YandexBot``), while
the package matches them as written. So this adapter, the one module that
knows the package's data files (``counter_robots/data/robot.txt`` and
``machine.txt``, pinned in setup.cfg), compiles the same patterns with
``re.IGNORECASE``; ``tests/usage/test_robots.py`` fails by name when the
files move. Anything the package itself flags is flagged here too.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files

import counter_robots

LISTS = ("robot.txt", "machine.txt")


@cache
def _patterns() -> re.Pattern[str]:
    data = files(counter_robots) / "data"
    lines = [line for name in LISTS for line in (data / name).read_text().splitlines()
             if line.strip()]
    return re.compile("|".join(f"(?:{line})" for line in lines), re.IGNORECASE)


@lru_cache(maxsize=4096)
def is_robot(user_agent: str | None) -> bool:
    """Whether a request with this User-Agent is a robot or a machine (an empty one is)."""
    agent = user_agent or ""
    return bool(_patterns().search(agent)) or counter_robots.is_robot_or_machine(agent)
