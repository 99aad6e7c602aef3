"""Resources: listing (paged) and creating (staff only), by status and body."""

from http import HTTPStatus

import pytest

from example_api.bookings.models import Resource
from tests.domain_support import RESOURCES

pytestmark = pytest.mark.django_db


def test_list_resources_is_a_page_sorted_by_name(api, alice_token):
    for name in ["Desk 2", "Atrium", "Desk 1"]:
        Resource.objects.create(name=name)
    response = api.get(RESOURCES + "?limit=2&offset=1", token=alice_token)
    assert response.status_code == HTTPStatus.OK
    desk1, desk2 = Resource.objects.get(name="Desk 1"), Resource.objects.get(name="Desk 2")
    assert response.json() == {
        "items": [
            {"id": desk1.pk, "name": "Desk 1", "description": ""},
            {"id": desk2.pk, "name": "Desk 2", "description": ""},
        ],
        "count": 3,
    }


def test_offset_past_the_end_gives_an_empty_page_with_the_true_count(api, alice_token):
    Resource.objects.create(name="Only")
    response = api.get(RESOURCES + "?offset=50", token=alice_token)
    assert response.json() == {"items": [], "count": 1}


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=x", "limit=1e3"])
def test_bad_paging_parameters_are_422(api, alice_token, query):
    response = api.get(f"{RESOURCES}?{query}", token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_default_page_size_is_20(api, alice_token):
    Resource.objects.bulk_create(Resource(name=f"R{i:02}") for i in range(25))
    body = api.get(RESOURCES, token=alice_token).json()
    assert (len(body["items"]), body["count"]) == (20, 25)


def test_staff_creates_a_resource(api, make_user, token_for):
    staff = token_for(make_user("boss", staff=True))
    response = api.post(RESOURCES, {"name": "  Room Grace ", "description": "12"}, token=staff)
    assert response.status_code == HTTPStatus.CREATED
    created = Resource.objects.get()
    assert response.json() == {"id": created.pk, "name": "Room Grace", "description": "12"}


def test_non_staff_cannot_create_a_resource(api, alice_token):
    response = api.post(RESOURCES, {"name": "Mine"}, token=alice_token)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {
        "detail": "only staff may create resources",
        "code": "staff_only",
    }
    assert not Resource.objects.exists()


def test_resource_name_taken_is_409(api, make_user, token_for, resource):
    staff = token_for(make_user("boss", staff=True))
    response = api.post(RESOURCES, {"name": resource.name}, token=staff)
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {
        "detail": "a resource with this name exists",
        "code": "resource_name_taken",
    }


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}])
def test_invalid_resource_is_422(api, make_user, token_for, body):
    staff = token_for(make_user("boss", staff=True))
    response = api.post(RESOURCES, body, token=staff)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"][0]["loc"][:2] == ["body", "payload"]
