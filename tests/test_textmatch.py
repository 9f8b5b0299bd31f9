"""textmatch: a WordIndex searched through a compiled Lexicon gives the answers of the plain
lookups, keyword by keyword (the lexicon only changes the time)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncsvc.catalog import load_catalog
from syncsvc.catalog.textmatch import Lexicon, Texts, WordIndex, mask_phrases

# words that make ties, plurals, run-together forms and prefixes likely
WORDS = [
    "real",
    "time",
    "realtime",
    "notif",
    "notification",
    "notifications",
    "push",
    "es",
    "s",
    "data",
    "migrate",
    "migration",
    "migrations",
    "email",
    "emails",
    "template",
    "pay",
    "payes",
    # numbers, and the number wildcard of guard phrases (session 15)
    "12",
    "7",
    "#",
]
SEPARATORS = [" ", "-", ", ", " the ", "\n", "  "]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(w + sep for w, sep in parts)
)
keywords = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).flatmap(
    lambda ws: st.sampled_from(
        [" ".join(ws), "-".join(ws), " ".join(ws) + "*", ws[0][:3] + "*", " ".join(ws).upper()]
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(keywords, min_size=1, max_size=6), st.lists(keywords, max_size=6), st.data())
def test_a_lexicon_finds_what_each_keyword_finds(
    text: str, known: list[str], unknown: list[str], data: st.DataObject
) -> None:
    lex = Lexicon(known, phrases=known)
    asked = data.draw(st.permutations(known + unknown))
    assert WordIndex(text, lex).keyword(asked) == WordIndex(text).keyword(asked)
    for kw in asked:  # one at a time too: the earliest hit of each keyword, same span
        assert WordIndex(text, lex).keyword([kw]) == WordIndex(text).keyword([kw])
    # guard phrases: blanked the same way, the text itself when none is in it
    assert Texts(lex).unguarded(text, asked) == mask_phrases(text, asked)
    assert WordIndex(text, lex).has_phrase(asked) == (mask_phrases(text, asked) != text)


def test_detection_with_the_catalog_lexicon_agrees_with_the_plain_lookups() -> None:
    changes = load_catalog().changes
    lex = changes.lexicon
    keywords = sorted(lex.keywords)
    text = (
        "Replacing email-only alerts with in-app, push and digest notifications for 150K users; "
        "migrate the billing data to the new payment provider, real-time sync, SSO login"
    )
    plain, fast = WordIndex(text), WordIndex(text, lex)
    for i in range(0, len(keywords), 7):  # lists of seven, every keyword of the catalog
        group = keywords[i : i + 7]
        assert fast.keyword(group) == plain.keyword(group)
    assert len(lex.keywords) > 1000 and lex.phrases


def test_a_number_wildcard_in_a_guard_matches_any_number_and_only_a_number() -> None:
    guard = ["up to # hours before"]
    for text, masked in [
        ("Cancel up to 36 hours before the class.", True),
        ("Cancel up to 2 hours before.", True),
        ("Cancel up to two hours before.", False),
        ("Cancel up to 36 days before.", False),
        ("Cancel up to hours before.", False),
    ]:
        out = mask_phrases(text, guard)
        assert (out != text) is masked, text
        assert WordIndex(text).has_phrase(guard) is masked
        assert WordIndex(text, Lexicon([], guard)).has_phrase(guard) is masked
        assert Texts(Lexicon([], guard)).unguarded(text, guard) == out
    assert mask_phrases("Cancel up to 36 hours before.", guard) == "Cancel                      ."


def test_a_guard_that_changes_length_when_lowered_still_masks() -> None:
    # "İ" lowers to two characters: the index's offsets are not the text's, mask_phrases decides
    text = "İİ email template sent"
    assert Texts(Lexicon([], ["email template"])).unguarded(text, ["email template"]) == mask_phrases(
        text, ["email template"]
    )


_CHANGES = load_catalog().changes
_SIGNAL_WORDS = sorted(
    {w for b in [*_CHANGES.profiles, *_CHANGES.facets] for s in b.signals for w in [*s.words, *s.also]}
)
_GUARDS = sorted({g for b in [*_CHANGES.profiles, *_CHANGES.facets] for g in b.guards})
catalog_texts = st.lists(
    st.tuples(
        st.sampled_from(_SIGNAL_WORDS + _GUARDS + WORDS).map(
            lambda w: w.rstrip("*") + ("ing" if "*" in w else "")
        ),
        st.sampled_from(SEPARATORS),
    ),
    max_size=12,
).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog_texts, catalog_texts)
def test_reading_only_the_signal_groups_a_text_fires_scores_as_reading_them_all(
    name: str, description: str
) -> None:
    # `signal_index` skips the groups with no keyword in the texts: every profile's and facet's
    # score, words found and "where" part are those of reading every group
    from syncsvc.catalog.changes import _Fired, _score_where

    fired = _Fired(_CHANGES.signal_index)
    seen = Texts(_CHANGES.lexicon)
    for owner, block in enumerate([*_CHANGES.profiles, *_CHANGES.facets]):
        all_read = _score_where(block.signals, block.guards, name, description, seen)
        assert _score_where(block.signals, block.guards, name, description, seen, fired.of(owner)) == all_read


def _every_facet(name: str, description: str, profiles: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    # the facets a plan with these profiles gets, reading every facet's every signal group
    # with the plain lookups (no lexicon, no index)
    from syncsvc.catalog.changes import _score_where

    out = []
    for f in _CHANGES.facets:
        if not f.open_to(profiles):
            continue
        score, hits, _ = _score_where(f.signals, f.guards, name, description)
        if score >= f.threshold:
            out.append((f.id, hits))
    return out


def _facets_read(name: str, description: str, profiles: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    return [(h.facet.id, h.signals) for h in _CHANGES.detect_facets(name, description, profiles)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog_texts, catalog_texts, st.lists(st.sampled_from(_CHANGES.ids), min_size=1, max_size=3))
def test_facets_read_from_the_texts_words_and_guards_are_those_of_reading_every_facet(
    name: str, description: str, profiles: list[str]
) -> None:
    # `detect_facets` reads only the facets with a signal word or a guard in the text
    # (`guard_facets`): the same facets and words as reading them all
    assert _facets_read(name, description, profiles) == _every_facet(name, description, profiles)


def test_a_facet_whose_guard_joins_the_words_of_its_signal_is_still_read() -> None:
    # blanking "weather widget" makes "heat warning", which the text does not have as such
    text = "Heat weather widget warning on the beach page"
    assert "heat warning" not in text.lower()
    for name, description in ((text, ""), ("Beach page", text)):
        expected = _every_facet(name, description, ["product-feature"])
        assert "safety-information" in [fid for fid, _ in expected]
        assert _facets_read(name, description, ["product-feature"]) == expected
    # a text that lowers to another length is masked by `mask_phrases` whatever the index finds
    assert _facets_read("İİ " + text, text, ["product-feature"]) == _every_facet(
        "İİ " + text, text, ["product-feature"]
    )


def test_british_and_american_spellings_find_each_other() -> None:
    ix = WordIndex("Callers reach the contact centre; their notes are pseudonymised and kept in colour.")
    assert ix.keyword(["contact center"]) == "contact centre"
    assert ix.keyword(["pseudonymiz*"]) == "pseudonymised"
    assert ix.keyword(["pseudonymis*"]) == "pseudonymised"
    assert ix.keyword(["color"]) == "colour"
    assert mask_phrases("Open the help centre", ["help center"]) == "Open the            "
    us = WordIndex("The favorite licenses are organized by theater.")
    assert us.keyword(["favourit*"]) == "favorite"
    assert us.keyword(["licence"]) == "licenses"
    assert us.keyword(["organis*"]) == "organized"
    assert WordIndex("A logo centred on the page").keyword(["centered"]) == "centred"
    # a British prefix still finds the words the lists do not respell
    assert WordIndex("A realistic promise").keyword(["realis*"]) == "realistic"
    assert WordIndex("A realistic promise").keyword(["promiz*"]) is None


def test_the_sentences_about_todays_way_are_left_out_of_the_new_way() -> None:
    from syncsvc.catalog.textmatch import beyond_today

    text = (
        "Drivers see today's round\nDrivers open today's round in the app. Today they phone the "
        "depot for it; the app will text them when it changes. Currently the office emails a PDF. "
        "Our planners today print the sheets. The app lists what is currently in stock."
    )
    assert beyond_today(text) == (
        "Drivers see today's round\nDrivers open today's round in the app. "
        "the app will text them when it changes. The app lists what is currently in stock."
    )
