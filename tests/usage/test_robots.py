"""The COUNTER robots list through our adapter: what it flags, and that its files are there."""

from __future__ import annotations

from importlib.resources import files

import counter_robots
import pytest

from repo_app.services import robot_agents

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36 Zalo android/12100",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15 coc_coc_browser/117",
]
ROBOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "facebookexternalhit/1.1",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Wget/1.21",
    "",
    None,
]


def test_the_packages_data_files_are_where_the_adapter_reads_them():
    data = files(counter_robots) / "data"
    for name in robot_agents.LISTS:
        assert (data / name).is_file(), f"counter-robots moved data/{name}: fix robot_agents.py"
        assert "bot" in (data / "robot.txt").read_text().splitlines()


@pytest.mark.parametrize("agent", BROWSERS)
def test_people_s_browsers_are_counted(agent):
    assert not robot_agents.is_robot(agent)


@pytest.mark.parametrize("agent", ROBOTS)
def test_robots_and_machines_are_not(agent):
    assert robot_agents.is_robot(agent)


def test_whatever_the_package_flags_is_flagged():
    """Each pattern's own example (the pattern's text where it is a plain word) and the
    samples above: the package's answer, as written, is never more than ours."""
    data = files(counter_robots) / "data"
    samples = [line.replace("\\", "") for name in robot_agents.LISTS
               for line in (data / name).read_text().splitlines() if line.strip()]
    for agent in samples + BROWSERS + [a for a in ROBOTS if a]:
        if counter_robots.is_robot_or_machine(agent):
            assert robot_agents.is_robot(agent), agent


def test_the_list_is_matched_without_regard_to_case():
    agent = "Mozilla/5.0 (compatible; YandexBot/3.0)"
    assert not counter_robots.is_robot_or_machine(agent)  # the package matches as written
    assert robot_agents.is_robot(agent)
