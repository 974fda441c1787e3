"""At phone width: owner1 casts and changes the owner group's vote by correspondence; board1
(creative board) sees no vote button on that matter and a forged POST gets 403; in a real
browser with axe-core."""

import re

from playwright.sync_api import expect

from governance.boards.demo_decisions import OPEN_VOTE_TITLE
from governance.boards.models import Matter, Vote
from tests.browser.conftest import PHONE


def _open_vote() -> Matter:
    """The demo's vote by correspondence in Östersund's owner group (the ``visit`` fixture
    seeds the demo)."""
    return Matter.objects.get(title=OPEN_VOTE_TITLE)


def test_owner1_casts_and_changes_a_vote_on_a_phone(visit):
    matter = _open_vote()
    owner = visit("owner1")
    page = owner.page
    page.set_viewport_size(PHONE)
    page.goto(owner.base_url + "/")
    page.get_by_role("link", name=OPEN_VOTE_TITLE).click()
    expect(page).to_have_url(re.compile(rf"/boards/matters/{matter.pk}/vote/$"))
    owner.check("boards-vote")
    page.set_viewport_size(PHONE)
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Lägg rösten").click()
    expect(page.locator("#my-vote")).to_contain_text("Ja")
    page.get_by_label("Nej").check()
    page.get_by_label("Motivering (frivillig)").fill("För dyrt i år")
    page.get_by_role("button", name="Ändra rösten").click()
    expect(page.locator("#my-vote")).to_contain_text("Nej")
    vote = Vote.objects.get(matter=matter)
    assert (vote.choice, vote.reason) == ("no", "För dyrt i år")
    assert vote.changed_at is not None


def test_board1_sees_no_vote_button_and_a_forged_post_gets_403(visit):
    matter = _open_vote()
    member = visit("board1")
    page = member.page
    page.set_viewport_size(PHONE)
    url = f"/boards/matters/{matter.pk}/vote/"
    member.goto(url)
    expect(page.locator("h1")).to_contain_text(OPEN_VOTE_TITLE)
    expect(page.get_by_role("button", name="Lägg rösten")).to_have_count(0)
    token = next(c["value"] for c in member.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(
        member.base_url + url,
        form={"choice": "yes", "csrfmiddlewaretoken": token},
        headers={"Referer": member.base_url + url},
    )
    assert forged.status == 403
    assert not Vote.objects.filter(matter=matter).exists()
