"""PhraseIndex: which of many short texts hold a phrase, against a plain search of each text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from syncsvc.catalog.textmatch import PhraseIndex, words_of

WORDS = ["security", "review", "api", "rollout", "canary", "qa", "load", "test", "s", "2"]
text = st.lists(st.sampled_from([*WORDS, "-", " ", ".", "Security", "Review"]), max_size=12).map(" ".join)
phrase = st.lists(st.sampled_from([*WORDS, "Security", "API"]), min_size=0, max_size=4).map(" ".join)


def _plain(texts: dict[str, str], phrases: list[str]) -> set[str]:
    # a phrase's words, one after another, as whole words of the text (a regex per text)
    out = set()
    for p in phrases:
        toks = words_of(p)
        if not toks:
            continue
        pattern = re.compile(r"(?<![a-z0-9])" + r"[^a-z0-9]+".join(toks) + r"(?![a-z0-9])")
        out |= {doc for doc, t in texts.items() if pattern.search(t.lower())}
    return out


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([f"t{i}" for i in range(12)]), text), st.lists(phrase, max_size=4))
def test_having_is_a_whole_word_search_of_each_text(texts: dict[str, str], phrases: list[str]) -> None:
    assert PhraseIndex(texts).having(phrases) == _plain(texts, phrases)


def test_having_finds_phrases_in_task_texts() -> None:
    index = PhraseIndex(
        {
            "security-review": "security-review Security review",
            "api": "api Backend API",
            "rev": "rev Review of security",
        }
    )
    assert index.having(["security review"]) == {"security-review"}
    assert index.having(["review"]) == {"security-review", "rev"}
    assert index.having(["backend api", "of security"]) == {"api", "rev"}
    assert index.having(["backend security", "", "  "]) == set()
