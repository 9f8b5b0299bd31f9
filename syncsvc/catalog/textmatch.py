"""Whole-word keyword and phrase lookups in a text, by word n-grams instead of regexes.

The catalogs hold hundreds of keywords; compiling a regex alternation per group cost a quarter
of a second at every start. Splitting the text into words once and looking phrases up in a
table of its n-grams gives the same answers (whole words only, earliest match first) at a
fraction of that cost.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")

# British and American spellings of one word are read as the American one, in texts and in
# catalog keywords alike, so that "help centre" finds the keyword "help center" and "anonymised"
# finds "anonymiz*". Whole words only, from closed lists: a rule on endings would read "promise"
# or "enterprise" as "-ize" words, and "cancelled"/"travelled" are left out because catalog
# prefixes such as "cancell*" would stop finding them.
_NOUNS = (
    ("centre", "center"), ("theatre", "theater"), ("fibre", "fiber"), ("colour", "color"),
    ("honour", "honor"), ("labour", "labor"), ("neighbour", "neighbor"), ("harbour", "harbor"),
    ("flavour", "flavor"), ("behaviour", "behavior"), ("favour", "favor"),
    ("favourite", "favorite"), ("licence", "license"), ("defence", "defense"),
    ("offence", "offense"), ("catalogue", "catalog"), ("dialogue", "dialog"),
    ("analogue", "analog"), ("enrolment", "enrollment"), ("fulfilment", "fulfillment"),
    ("instalment", "installment"), ("jewellery", "jewelry"), ("aluminium", "aluminum"),
)  # fmt: skip
_ISE = (
    "organis", "authoris", "recognis", "prioritis", "optimis", "personalis", "customis",
    "summaris", "categoris", "standardis", "synchronis", "minimis", "maximis", "normalis",
    "visualis", "anonymis", "pseudonymis", "digitis", "finalis", "initialis", "utilis",
    "centralis", "localis", "itemis", "monetis", "tokenis", "sanitis", "serialis", "characteris",
    "memoris", "apologis", "specialis", "capitalis", "criticis", "legalis", "mobilis",
    "stabilis", "subsidis", "harmonis", "modernis", "penalis", "randomis", "virtualis",
    "decentralis", "incentivis", "familiaris", "immunis", "sterilis", "regularis", "rationalis",
)  # fmt: skip
# the forms a suffix cannot make from both spellings ("centre" + "d" is "centred", "center" + "d"
# is no word)
_FORMS = (
    ("centred", "centered"), ("coloured", "colored"), ("colouring", "coloring"),
    ("favoured", "favored"), ("honoured", "honored"), ("catalogued", "cataloged"),
    ("licenced", "licensed"),
)  # fmt: skip
_SPELLING: dict[str, str] = {
    **{uk + end: us + end for uk, us in _NOUNS for end in ("", "s")},
    **dict(_FORMS),
    **{
        stem + end: stem[:-1] + "z" + end
        for stem in _ISE
        for end in ("e", "es", "ed", "ing", "ation", "ations", "er", "ers")
    },
}
# a catalog prefix ending in one of these ("anonymis*", "favourit*") is also looked up as the
# American one ("anonymiz*", "favorit*"); the British one is kept for words not in the lists
_PREFIX_SPELLING = {**dict(_NOUNS), **{stem: stem[:-1] + "z" for stem in _ISE}}


def _spelled(words: list[str]) -> list[str]:
    get = _SPELLING.get
    return [get(w, w) for w in words]


def _prefix_respelled(prefix: str) -> str | None:
    """The American spelling of a keyword's last word when it starts with a British stem."""
    for uk, us in _PREFIX_SPELLING.items():
        if prefix.startswith(uk):
            return us + prefix[len(uk) :]
    return None


def words_of(text: str) -> list[str]:
    """The lowercase words of `text` (runs of letters and digits), British spellings read as
    American ones (`_SPELLING`)."""
    return _spelled(_WORD.findall(text.lower()))


# A sentence saying how things are done before the change ("Today staff email PDFs to a shared
# inbox", "Clients currently phone the office"): its words name the old way, not what the feature
# does. It opens with one of these words, or has "today"/"currently" after its subject ("Our
# drivers today ..."); "today's round" is the feature's, and "what is currently in stock" says
# what the feature shows, not the old way.
_OLD_WAY = re.compile(
    r"^(?:(?:but|and|so|until then),?\s+)?(?:today|currently|at the moment|at present|right now|"
    r"for now|so far|until now|nowadays|at the minute)\b"
    r"|^(?:[\w,-]+\s+){0,4}?(?<!\bis )(?<!\bare )(?<!\bwas )(?:today|currently)\b(?![\'\u2019])",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


@lru_cache(maxsize=512)
def new_way(description: str) -> str:
    """A description without its sentences about how things are done today (`_OLD_WAY`). Kept
    per text: detection asks it once for each profile's vetoes."""
    return " ".join(s for s in _SENTENCE_END.split(description) if not _OLD_WAY.search(s))


def beyond_today(text: str) -> str:
    """`text` (the feature's name, a newline, its description) without the description's
    sentences about how things are done today (`new_way`)."""
    name, _, description = text.partition("\n")
    return f"{name}\n{new_way(description)}"


# a "#" in a guard phrase stands for any number ("up to # hours before" is a booking's cut-off
# whatever the hours): it is read as this word, which no catalog phrase holds otherwise (so a
# substring test finds it) and no text's words hold (a text's number words are all digits), and it
# matches any word of digits
NUMBER = "#"
_NUM = "0n0"


@lru_cache(maxsize=8192)
def _phrase_key(phrase: str) -> tuple[int, str]:
    # (number of words, words joined by one space): catalog phrases are split once per process
    toks = words_of(phrase.replace(NUMBER, f" {_NUM} ") if NUMBER in phrase else phrase)
    return len(toks), " ".join(toks)


def _numbered(words: Sequence[str]) -> list[str]:
    """The words with each word of digits read as the number word `_NUM`."""
    return [_NUM if w.isdigit() else w for w in words]


class Lexicon:
    """A catalog's keywords and guard phrases compiled once: each form a text's n-gram can take,
    and the keywords (or phrases) it finds. A `WordIndex` with a lexicon finds every keyword of
    it in one pass over the text's n-grams instead of looking each keyword up on its own (the
    change profiles hold thousands); a keyword or phrase not in the lexicon is looked up as
    before, so the lexicon changes no answer, only the time."""

    def __init__(self, keywords: Iterable[str], phrases: Iterable[str] = ()) -> None:
        self.keywords = frozenset(keywords)
        self.phrases = frozenset(phrases)
        # n-gram -> the keywords it is a form of (a keyword's forms never meet at one position:
        # they differ in their first word, or in the last word's ending)
        exact: dict[str, list[str]] = {}
        # words -> prefix ("notif", "real tim") -> the keywords
        prefixes: dict[int, dict[str, list[str]]] = {}
        phrase_forms: dict[str, list[str]] = {}  # n-gram -> the phrases it is a form of
        # the same for phrases with a number wildcard, looked up in a text's n-grams with its
        # numbers read as the number word (only when the text has a number)
        number_forms: dict[str, list[str]] = {}
        self.longest = 0  # the most words of any form
        for kw in sorted(self.keywords):
            prefix, forms = _keyword_forms(kw)
            for n, key, plurals in forms:
                self.longest = max(self.longest, n)
                if prefix:
                    prefixes.setdefault(n, {}).setdefault(key, []).append(kw)
                    continue
                for form in plurals:
                    exact.setdefault(form, []).append(kw)
        # words -> (h, the prefixes and their keywords by their first h characters, h being the
        # shortest prefix's length): an n-gram is checked only against the prefixes it shares
        # its first h characters with
        self.heads: dict[int, tuple[int, dict[str, tuple[tuple[str, tuple[str, ...]], ...]]]] = {}
        for n, table in prefixes.items():
            h = min(len(k) for k in table)
            heads: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
            for key in sorted(table, key=len):
                heads.setdefault(key[:h], []).append((key, tuple(table[key])))
            self.heads[n] = (h, {head: tuple(entries) for head, entries in heads.items()})
        self.number_longest = 0  # the most words of a phrase with a number wildcard
        for p in sorted(self.phrases):
            n, key = _phrase_key(p)
            if n:
                self.longest = max(self.longest, n)
                table = phrase_forms
                if _NUM in key:
                    table = number_forms
                    self.number_longest = max(self.number_longest, n)
                for form in (key, key + "s", key + "es"):
                    table.setdefault(form, []).append(p)
        # kept as tuples: the compiled catalog cache holds two lexicons (~30,000 entries), and
        # tuples unpickle in a quarter less time than the lists they were built in
        self.exact = {form: tuple(kws) for form, kws in exact.items()}
        self.phrase_forms = {form: tuple(ps) for form, ps in phrase_forms.items()}
        self.number_forms = {form: tuple(ps) for form, ps in number_forms.items()}


class WordIndex:
    """A lowercased text, its words, and tables of its n-grams built on demand; with a
    `lexicon`, every keyword of it is found at the first search (see `Lexicon`)."""

    def __init__(self, text: str, lexicon: Lexicon | None = None) -> None:
        self.text = text.lower()
        self._spans = [(m.start(), m.end()) for m in _WORD.finditer(self.text)]
        self._words = _spelled([self.text[a:b] for a, b in self._spans])
        self._tables: dict[int, dict[str, int]] = {}
        self._number_tables: dict[int, set[str]] = {}
        self._sorted: dict[int, list[str]] = {}
        self._lexicon = lexicon
        self._hits: dict[str, tuple[int, int]] | None = None  # keyword -> (position, words)
        self._phrases: set[str] | None = None  # the lexicon's phrases the text has

    def _table(self, n: int) -> dict[str, int]:
        """n-gram (words joined by one space) -> index of its first occurrence."""
        table = self._tables.get(n)
        if table is None:
            table = {}
            w = self._words
            for i in range(len(w) - n + 1):
                table.setdefault(" ".join(w[i : i + n]), i)
            self._tables[n] = table
        return table

    def _number_table(self, n: int) -> set[str]:
        """The n-grams of the text with its numbers read as the number word (empty when the text
        has no number: no phrase with a number wildcard can be in it)."""
        table = self._number_tables.get(n)
        if table is None:
            table = set()
            if any(w.isdigit() for w in self._words):
                w = _numbered(self._words)
                table = {" ".join(w[i : i + n]) for i in range(len(w) - n + 1)}
            self._number_tables[n] = table
        return table

    def _keys(self, n: int) -> list[str]:
        keys = self._sorted.get(n)
        if keys is None:
            keys = self._sorted[n] = sorted(self._table(n))
        return keys

    def _span(self, i: int, n: int) -> str:
        return self.text[self._spans[i][0] : self._spans[i + n - 1][1]]

    def phrase(self, phrases: Iterable[str]) -> str | None:
        """The earliest of `phrases` found as whole words (`"b2b"`, `"customer success"`)."""
        best: tuple[int, int] | None = None
        for p in phrases:
            n, key = _phrase_key(p)
            if not n or n > len(self._words):
                continue
            i = self._table(n).get(key)
            if i is not None and (best is None or i < best[0]):
                best = (i, n)
        return None if best is None else self._span(*best)

    def keyword(self, keywords: Iterable[str]) -> str | None:
        """The earliest match of any catalog keyword: words may be written apart, hyphenated or
        run together ("real-time" finds "real time" and "realtime"); a plural "s"/"es" is
        allowed; a trailing `*` matches any ending of the last word ("notif*")."""
        best: tuple[int, int] | None = None
        if self._lexicon is not None:
            known = self._lexicon.keywords
            hits = self._lexicon_hits()
            for kw in keywords:
                hit = hits.get(kw) if kw in known else self._first_hit(kw)
                if hit is not None and (best is None or hit[0] < best[0]):
                    best = hit
            return None if best is None else self._span(*best)
        for kw in keywords:
            for hit in self._keyword_hits(kw):
                if best is None or hit[0] < best[0]:
                    best = hit
        return None if best is None else self._span(*best)

    def lexicon_keywords(self) -> Iterable[str]:
        """The lexicon's keywords the text has: `keyword` finds one of the lexicon's keywords
        exactly when it is among these."""
        return self._lexicon_hits().keys()

    def lexicon_phrases(self) -> Iterable[str]:
        """The lexicon's phrases the text has: `has_phrase` finds one of the lexicon's phrases
        exactly when it is among these."""
        return self._lexicon_phrases()

    def has_phrase(self, phrases: Iterable[str]) -> bool:
        """Whether any of `phrases` is in the text as `mask_phrases` finds them (whole words,
        a plural "s"/"es" on the last word allowed)."""
        found = self._lexicon_phrases()
        known = self._lexicon.phrases if self._lexicon is not None else frozenset()
        for p in phrases:
            if p in known:
                if p in found:
                    return True
                continue
            n, key = _phrase_key(p)
            if n and n <= len(self._words):
                table: dict[str, int] | set[str] = self._number_table(n) if _NUM in key else self._table(n)
                if key in table or key + "s" in table or key + "es" in table:
                    return True
        return False

    def _first_hit(self, keyword: str) -> tuple[int, int] | None:
        best: tuple[int, int] | None = None
        for hit in self._keyword_hits(keyword):
            if best is None or hit[0] < best[0]:
                best = hit
        return best

    def _lexicon_hits(self) -> dict[str, tuple[int, int]]:
        """Each lexicon keyword the text has -> its earliest hit, as `_first_hit` gives it: one
        pass over the text's n-grams (exact forms by lookup, `*` forms by their prefixes)."""
        if self._hits is not None:
            return self._hits
        lex = self._lexicon
        assert lex is not None
        best: dict[str, tuple[int, int]] = {}

        def found(entries: tuple[str, ...], i: int, n: int) -> None:
            for kw in entries:
                cur = best.get(kw)
                if cur is None or i < cur[0]:
                    best[kw] = (i, n)

        for n in range(1, min(lex.longest, len(self._words)) + 1):
            h, heads = lex.heads.get(n, (0, {}))
            for gram, i in self._table(n).items():
                entries = lex.exact.get(gram)
                if entries:
                    found(entries, i, n)
                for key, entries in heads.get(gram[:h], ()) if heads else ():
                    if gram.startswith(key):  # every prefix the gram starts with shares its head
                        found(entries, i, n)
        self._hits = best
        return best

    def _lexicon_phrases(self) -> set[str]:
        if self._phrases is None:
            self._phrases = set()
            lex = self._lexicon
            if lex is not None and lex.phrase_forms:
                for n in range(1, min(lex.longest, len(self._words)) + 1):
                    for gram in self._table(n):
                        self._phrases.update(lex.phrase_forms.get(gram, ()))
            if lex is not None and lex.number_forms:
                for n in range(1, min(lex.number_longest, len(self._words)) + 1):
                    for gram in self._number_table(n):
                        self._phrases.update(lex.number_forms.get(gram, ()))
        return self._phrases

    def _keyword_hits(self, keyword: str) -> list[tuple[int, int]]:
        prefix, forms = _keyword_forms(keyword)
        hits = []
        for n, key, plurals in forms:
            if prefix:
                keys = self._keys(n)
                j = bisect_left(keys, key)
                if j < len(keys) and keys[j].startswith(key):
                    table = self._table(n)
                    first = min(table[k] for k in keys[j : _prefix_end(keys, j, key)])
                    hits.append((first, n))
                continue
            table = self._table(n)
            for form in plurals:
                i = table.get(form)
                if i is not None:
                    hits.append((i, n))
        return hits


@lru_cache(maxsize=8192)
def _keyword_forms(keyword: str) -> tuple[bool, tuple[tuple[int, str, tuple[str, ...]], ...]]:
    """(ends with `*`, the forms it is looked up in: number of words, the words, and them with
    a plural ending): catalog keywords are split once per process, not on every lookup."""
    raw = keyword.strip().lower()
    toks = words_of(raw.rstrip("*"))
    if not toks:
        return False, ()
    prefix = raw.endswith("*")
    spellings = [toks]
    if prefix and (us := _prefix_respelled(toks[-1])) is not None and us != toks[-1]:
        spellings.append([*toks[:-1], us])  # "anonymis*" finds "anonymised", read "anonymized"
    keys = []
    for ts in spellings:
        keys.append((len(ts), " ".join(ts)))
        if len(ts) > 1:
            keys.append((1, "".join(ts)))  # run together: "realtime"
    return prefix, tuple((n, key, (key, key + "s", key + "es")) for n, key in keys)


def _prefix_end(keys: list[str], start: int, prefix: str) -> int:
    end = start
    while end < len(keys) and keys[end].startswith(prefix):
        end += 1
    return end


class Texts:
    """The word indexes of some texts, each built once, all searched with one lexicon."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon
        self._seen: dict[str, WordIndex] = {}

    def index(self, text: str) -> WordIndex:
        ix = self._seen.get(text)
        if ix is None:
            ix = self._seen[text] = WordIndex(text, self.lexicon)
        return ix

    def unguarded(self, text: str, guards: Sequence[str]) -> str:
        """`mask_phrases(text, guards)`: the text itself, without building it again, when no
        guard is in it (the usual case)."""
        if not guards:
            return text
        ix = self.index(text)
        if len(ix.text) == len(text) and not ix.has_phrase(guards):
            return text  # (same length: the index's words are the ones mask_phrases reads)
        return mask_phrases(text, guards)


class PhraseIndex:
    """Many short texts (the tasks of a timeline) by id: which of them contain a phrase.

    An inverted index of their words: a one-word phrase is one dictionary lookup; a longer one
    is checked only in the texts that hold all its words (no table of every 2- and 3-word run
    of 20,000 texts, most of which no phrase asks for).
    """

    def __init__(self, texts: dict[str, str]) -> None:
        self._words = {doc: words_of(text) for doc, text in texts.items()}
        self._docs: dict[str, set[str]] | None = None

    def _by_word(self) -> dict[str, set[str]]:
        # word -> the ids of the texts that hold it
        if self._docs is None:
            docs: dict[str, set[str]] = {}
            for doc, words in self._words.items():
                for w in words:
                    docs.setdefault(w, set()).add(doc)
            self._docs = docs
        return self._docs

    def _containing(self, toks: list[str]) -> set[str]:
        by_word = self._by_word()
        sets = [by_word.get(t) for t in toks]
        if not all(sets):
            return set()
        if len(toks) == 1:
            return set(sets[0] or ())
        cands = set.intersection(*sorted(sets, key=len))  # type: ignore[arg-type]
        return {doc for doc in cands if _has_run(self._words[doc], toks)}

    def having(self, phrases: Iterable[str]) -> set[str]:
        """The ids of the texts that contain any of `phrases` as whole words."""
        out: set[str] = set()
        by_word = self._by_word()
        for p in phrases:
            n, key = _phrase_key(p)
            if n == 1:  # most catalog phrases are one word: its texts, looked up
                out |= by_word.get(key, _NO_DOCS)
            elif n:
                out |= self._containing(key.split(" "))
        return out


_NO_DOCS: frozenset[str] = frozenset()


def _has_run(words: list[str], toks: list[str]) -> bool:
    """Whether `toks` occur in `words` one after another."""
    n = len(toks)
    return any(words[i : i + n] == toks for i in range(len(words) - n + 1))


def mask_phrases(text: str, phrases: Iterable[str]) -> str:
    """`text` with every whole-word occurrence of `phrases` blanked out (any case; words may be
    written apart or hyphenated; a plural "s"/"es" on the last word is allowed; a "#" matches
    any number)."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text.lower())]
    plain = _spelled([text[a:b].lower() for a, b in spans])
    numbered: list[str] | None = None
    masked = [False] * len(plain)
    for p in phrases:
        n, key = _phrase_key(p)
        if not n:
            continue
        toks = key.split(" ")
        words = plain
        if _NUM in key:
            numbered = words = numbered if numbered is not None else _numbered(plain)
        for i in range(len(words) - n + 1):
            if words[i : i + n - 1] == toks[:-1] and words[i + n - 1] in (
                toks[-1],
                toks[-1] + "s",
                toks[-1] + "es",
            ):
                for j in range(i, i + n):
                    masked[j] = True
    if not any(masked):
        return text
    out = list(text)
    for (a, b), m in zip(spans, masked, strict=True):
        if m:
            out[a:b] = " " * (b - a)
    return "".join(out)
