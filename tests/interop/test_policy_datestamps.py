"""Changing what anonymous visitors may see (REPO_EMBARGO_METADATA_PUBLIC) gives the works it
touches a new datestamp, so an incremental harvester learns of the deletion, and of the return."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from lxml import etree
from sqlalchemy import update

from repo_app.access import policy_from_config
from repo_app.db import standalone_session
from repo_app.models import Work

from .conftest import NS


def switch(app, public: bool) -> None:
    """What a restart with another REPO_EMBARGO_METADATA_PUBLIC does to the app."""
    app.config["EMBARGO_METADATA_PUBLIC"] = public
    app.extensions["repo_policy"] = policy_from_config(app.config)


def headers(client, since: str) -> dict[str, tuple[str, bool]]:
    doc = etree.fromstring(client.get(
        f"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from={since}").data)
    return {h.findtext("o:identifier", namespaces=NS): (h.findtext("o:datestamp", namespaces=NS),
                                                       h.get("status") == "deleted")
            for h in doc.iterfind(".//o:header", NS)}


def test_hiding_and_showing_embargoed_metadata_reaches_incremental_harvesters(app, client, seed):
    embargoed = seed(1, access_level="embargoed", embargo_until=date.today() + timedelta(days=90))
    seed(1)  # an open work, untouched by the setting
    with standalone_session(app) as db:
        db.execute(update(Work).values(datestamp=datetime(2020, 1, 1, tzinfo=UTC)))
        db.commit()
    assert headers(client, "2021-01-01") == {} or "noRecordsMatch" in client.get(
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from=2021-01-01").get_data(as_text=True)
    switch(app, public=False)
    seen = headers(client, "2021-01-01")
    assert list(seen) == [f"oai:repo.test:{embargoed[0]}"]
    assert seen[f"oai:repo.test:{embargoed[0]}"][1] is True, "a deleted record"
    assert client.get(f"/works/{embargoed[0]}").status_code == 404
    first_bump = seen[f"oai:repo.test:{embargoed[0]}"][0]
    with standalone_session(app) as db:
        db.execute(update(Work).values(datestamp=datetime(2022, 1, 1, tzinfo=UTC)))
        db.commit()
    switch(app, public=True)
    back = headers(client, "2023-01-01")
    assert list(back) == [f"oai:repo.test:{embargoed[0]}"] and back[
        f"oai:repo.test:{embargoed[0]}"][1] is False
    assert first_bump > "2021"


def test_an_unchanged_setting_bumps_nothing(app, client, seed):
    seed(2, access_level="embargoed", embargo_until=date.today() + timedelta(days=90))
    with standalone_session(app) as db:
        db.execute(update(Work).values(datestamp=datetime(2020, 1, 1, tzinfo=UTC)))
        db.commit()
    client.get("/oai?verb=Identify")
    switch(app, public=True)  # a restart with the same settings
    assert "noRecordsMatch" in client.get(
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from=2021-01-01").get_data(as_text=True)
