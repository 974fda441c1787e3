"""The bodies' pages (issue 13 part "seats")."""

from governance.boards.models import Board


def test_the_index_lists_the_bodies_the_user_sees(seated, client_for):
    page = client_for(seated.owners[0]).get("/boards/")
    assert page.status_code == 200
    assert "Samverket Test" in page.content.decode()
    assert client_for(seated.outsider).get("/boards/").content.decode().count("Samverket Test") == 0


def test_the_board_page_shows_seats_the_cm_and_settings(seated, client_for):
    page = client_for(seated.principal).get(f"/boards/{seated.creative_board.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Medlem 1" in text
    assert "inte medlem i hubben" in text  # the representatives are no individual members
    assert "community manager" in text
    assert 'name="quorum_percent"' in text  # principal staff edit the settings


def test_a_representative_reads_but_does_not_manage(seated, client_for):
    client = client_for(seated.owners[0])
    page = client.get(f"/boards/{seated.owner_group.pk}/")
    assert page.status_code == 200
    assert 'name="quorum_percent"' not in page.content.decode()
    forged = client.post(f"/boards/{seated.owner_group.pk}/settings/", {"quorum_percent": "10"})
    assert forged.status_code == 403
    assert client_for(seated.outsider).get(f"/boards/{seated.owner_group.pk}/").status_code == 403


def test_principal_staff_change_the_settings(seated, client_for):
    client = client_for(seated.principal)
    client.post(
        f"/boards/{seated.owner_group.pk}/settings/",
        {"quorum_percent": "60", "majority": "absolute"},
    )
    board = Board.objects.get(pk=seated.owner_group.pk)
    assert (board.quorum_percent, board.majority) == (60, "absolute")
