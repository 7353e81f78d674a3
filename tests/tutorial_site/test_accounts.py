"""Django's login page, in the site's own layout."""

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.mark.django_db
def test_the_login_page_renders_in_the_site_layout(client: Client) -> None:
    response = client.get("/accounts/login/?next=/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/site/site.css">' in html
    assert 'name="username"' in html
    assert 'name="next" value="/admin/"' in html


@pytest.mark.django_db
def test_logging_in_and_out(client: Client) -> None:
    User.objects.create_user("dana", password="a-long-demo-password")
    wrong = client.post("/accounts/login/", {"username": "dana", "password": "nope"})
    assert "didn't match" in wrong.content.decode()
    response = client.post("/accounts/login/", {"username": "dana", "password": "a-long-demo-password"})
    assert response.status_code == 302
    assert "dana" in client.get("/accounts/login/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
