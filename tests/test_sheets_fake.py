"""The fake Sheets API itself: it must refuse what Google would, or the other tests prove little."""

from __future__ import annotations

import pytest
import requests
from fakes.sheets import (
    BASE,
    SPREADSHEET_ID,
    TEST_TOKEN,
    ContractError,
    apply_mask,
    parse_mask,
    serve_fake_sheets,
)

URL = f"{BASE}{SPREADSHEET_ID}:batchUpdate"
AUTH = {"Authorization": f"Bearer {TEST_TOKEN}"}


def post(body: dict) -> requests.Response:
    return requests.post(URL, json=body, headers=AUTH, timeout=5)


def test_field_masks_parse_like_google_s():
    tree = parse_mask("sheets(properties(sheetId,title),data.rowData),spreadsheetId")
    assert tree == {
        "sheets": {"properties": {"sheetId": None, "title": None}, "data": {"rowData": None}},
        "spreadsheetId": None,
    }
    doc = {
        "sheets": [{"properties": {"sheetId": 1, "title": "a", "index": 0}, "x": 1}],
        "spreadsheetId": "s",
        "other": 2,
    }
    assert apply_mask(doc, tree) == {
        "sheets": [{"properties": {"sheetId": 1, "title": "a"}}],
        "spreadsheetId": "s",
    }
    with pytest.raises(ContractError):
        parse_mask("sheets(properties")


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"requests": [{"addSheets": {}}]}, "unknown member 'addSheets'"),
        (
            {
                "requests": [
                    {
                        "updateCells": {
                            "rows": [{"values": [{"userEnteredValue": {"stringValue": 3}}]}],
                            "fields": "*",
                        }
                    }
                ]
            },
            "expected a string",
        ),
        (
            {
                "requests": [
                    {
                        "updateCells": {
                            "rows": [{"values": [{"userEnteredValue": {"textValue": "x"}}]}],
                            "fields": "*",
                        }
                    }
                ]
            },
            "unknown member 'textValue'",
        ),
        ({"requests": [{"updateDimensionProperties": {"range": {"dimension": "COLS"}}}]}, "is not one of"),
        ({"requests": [{"addSheet": {"properties": {"sheetId": 2**40}}}]}, "int32"),
    ],
)
def test_bodies_outside_the_contract_are_refused(body, problem):
    with serve_fake_sheets(), pytest.raises(ContractError, match=problem):
        post(body)


def test_a_batch_is_applied_whole_or_not_at_all():
    with serve_fake_sheets() as fake:
        body = {
            "requests": [
                {"addSheet": {"properties": {"sheetId": 5, "title": "New"}}},
                {
                    "updateCells": {
                        "range": {"sheetId": 5, "startRowIndex": 0, "endRowIndex": 2000},
                        "fields": "userEnteredValue",
                    }
                },  # past the 1000-row grid
            ]
        }
        r = post(body)
        assert r.status_code == 400 and "exceeds grid limits" in r.json()["error"]["message"]
        assert fake.titles(SPREADSHEET_ID) == ["Sheet1"]


def test_formulas_stay_formulas_so_injection_tests_can_fail():
    with serve_fake_sheets() as fake:
        r = post(
            {
                "requests": [
                    {
                        "updateCells": {
                            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                            "rows": [
                                {
                                    "values": [
                                        {"userEnteredValue": {"formulaValue": "=1+2"}},
                                        {"userEnteredValue": {"stringValue": "=1+2"}},
                                    ]
                                }
                            ],
                            "fields": "userEnteredValue",
                        }
                    }
                ]
            }
        )
        assert r.status_code == 200
        assert fake.cell(SPREADSHEET_ID, "Sheet1", 0, 0) == ("formula", "=1+2")
        assert fake.values(SPREADSHEET_ID, "Sheet1") == [["FORMULA:=1+2", "=1+2"]]


def test_unknown_tokens_and_spreadsheets_are_refused():
    with serve_fake_sheets():
        r = requests.get(f"{BASE}{SPREADSHEET_ID}", headers={"Authorization": "Bearer nope"}, timeout=5)
        assert r.status_code == 401
        r = requests.get(f"{BASE}missing-id-123", headers=AUTH, timeout=5)
        assert r.status_code == 404


def test_unknown_query_parameters_are_refused():
    with serve_fake_sheets(), pytest.raises(ContractError, match="unknown query parameter"):
        requests.get(f"{BASE}{SPREADSHEET_ID}?field=sheets", headers=AUTH, timeout=5)
