"""Whole-batch scoring for ``SentimentAnalyzer.analyze_many``: the rules of
``SentimentAnalyzer._score`` over flat numpy arrays of every text's tokens.

Why: the per-text path spends most of its time in Python loops (~26 tokens and ~13 pass-1
anchors a text, then a look-back per sentiment word). Here all texts are split at once; each
whitespace chunk (original case) maps to a table entry analysed once per analyzer: its tokens'
ids, caps flags, emoticons, and whether the text needs whole-text cleaning. Pass 1 (cue mask,
multi-word units, anchors), pass 2 (look-back over three counted tokens with boosters, caps and
negation), "pero"/"aunque" weights, the shared-cue rules, the mixed-praise weighting and the
normalisation then run as array operations over every token of the batch. Only the cue regexes
stay per text (``cues.normalise``, then ``cues.cue_columns``: one loop per cue class over the
texts whose tokens trigger it); a regex scan costs the same on one joined string, so they are
not joined.

A text that needs a rare rule goes through the per-text path, which stays the reference: a
negator that opens a superlative comparison ("nada más lindo que"), a multi-word unit starting
at "bien", or caps in a chunk whose token count lower() changes.

Sums run in the reference's order (one position of every text per step), so the scores are
identical, not just close (tests/classify/test_sentiment_batch.py).
"""

from __future__ import annotations

import itertools
import re
from itertools import accumulate, compress, filterfalse, repeat
from operator import ne
from typing import TYPE_CHECKING, Any

import numpy as np

from pulso.classify import cues
from pulso.classify.rounding import round_many

if TYPE_CHECKING:
    from types import ModuleType

_SEP = "\x00"  # joins the texts: not whitespace for str.split, so it is a chunk of its own
_JOIN = f" {_SEP} "
# Bits of a token's `misc` attribute.
_Y, _BIEN, _COMP_NEXT, _QMARK, _EXCL, _IEXCL = 1, 2, 4, 8, 16, 32
_MISC_BY_FOLDED = {"y": _Y, "bien": _BIEN}
_MISC_BY_RAW = {"?": _QMARK, "!": _EXCL, "¡": _IEXCL}
_CACHE_LIMIT = 400_000  # chunks or tokens in the tables before they are dropped
_CAPS_CHUNK = 1  # a chunk flag: two capitals in a row (SentimentAnalyzer._score's caps test)
_CAPS_MISALIGNED = 2  # lower() changed the chunk's token count: caps flags not aligned
_EMO_CHUNK = 4  # the chunk holds an emoticon
_DIRTY_CHUNK = 8  # the chunk holds a needle of SentimentAnalyzer._clean: clean the text
_EYES_CHUNK = 16  # the chunk holds a sarcasm symbol
_SLICE = 4096  # texts split into chunks at a time (see BatchScorer.scores)
_MARK = "\x01"  # a one-symbol token of its own: splits a joined findall back into chunks


def _tokenise(chunks: list[str], token_re: re.Pattern[str]) -> tuple[list[str], list[int]]:
    """_TOKEN_RE tokens of whitespace chunks, flat, and each chunk's token count (a chunk of
    letters only is one token), with one regex call over the other chunks joined by a marker
    token."""
    other = [k for k, a in enumerate(map(str.isalpha, chunks)) if not a]
    lens = [1] * len(chunks)
    if not other:
        return list(chunks), lens
    findall = token_re.findall
    joined = f" {_MARK} ".join([chunks[k] for k in other])
    # The tokens of the other chunks in one list, each chunk's followed by a marker; `ends`
    # holds where each chunk's tokens end (no list per chunk: fewer gc collections).
    if joined.count(_MARK) == len(other) - 1:
        found = findall(joined)
        index = found.index
        ends = []
        start = 0
        for _ in other[:-1]:
            start = index(_MARK, start) + 1
            ends.append(start - 1)
        ends.append(len(found))
    else:  # a chunk holds the marker itself: one by one
        found, ends = [], []
        for k in other:
            found.extend(findall(chunks[k]))
            ends.append(len(found))
            found.append(_MARK)
    flat: list[str] = []
    prev = start = 0
    for k, end in zip(other, ends, strict=True):
        flat.extend(chunks[prev:k])
        flat.extend(found[start:end])
        lens[k] = end - start
        prev = k + 1
        start = end + 1
    flat.extend(chunks[prev:])
    return flat, lens


def _holding_each(strs: list[str], *groups: tuple[str, ...]) -> list[list[int]]:
    """Per needle group, the indices of the strings that hold any of its needles: found in
    one joined string (str.find), shared by the groups."""
    if not strs:
        return [[] for _ in groups]
    big = _JOIN.join(strs)
    found = [_positions(big, needles) for needles in groups]
    if not any(found):
        return [[] for _ in groups]
    widths = np.fromiter(map(len, strs), np.int64, len(strs)) + len(_JOIN)
    starts = np.cumsum(widths) - widths
    return [_distinct(np.searchsorted(starts, np.sort(hits), side="right") - 1).tolist()
            if hits else [] for hits in found]


def _positions(big: str, needles: tuple[str, ...]) -> list[int]:
    """Start offsets of every occurrence of the needles in `big` (str.find: no regex scan)."""
    found = []
    for needle in needles:
        i = big.find(needle)
        while i >= 0:
            found.append(i)
            i = big.find(needle, i + 1)
    return found


class BatchScorer:
    """Chunk and token tables (ids and per-token attribute arrays) plus the batch rules."""

    def __init__(self, an: Any, rules: ModuleType) -> None:
        """`an` is the SentimentAnalyzer whose rules and caches are used; `rules` its module
        (pulso.classify.sentiment), passed in so that this module does not import it back."""
        self.an = an
        self.s = rules
        # Multi-word units as arrays: every word of a unit has an index; a token pair is looked
        # up by code (first * n_words + second); each pair lists its units longest first.
        words = sorted({w for pair in an._phrases for w in pair}
                       | {w for lst in an._phrases.values() for parts, _ in lst for w in parts})
        self._word_idx = {w: i for i, w in enumerate(words)}
        self._n_words = len(words)
        pairs = sorted(an._phrases.items(),
                       key=lambda kv: self._pair_code(*kv[0]))
        rows = max(len(lst) for _, lst in pairs) if pairs else 1
        width = max((len(p) for _, lst in pairs for p, _ in lst), default=2)
        self._pair_codes = np.array([self._pair_code(*k) for k, _ in pairs], dtype=np.int64)
        self._unit_n = np.zeros(len(pairs), dtype=np.int64)
        self._unit_len = np.zeros((len(pairs), rows), dtype=np.int64)
        self._unit_kind = np.zeros((len(pairs), rows), dtype=np.int64)
        self._unit_val = np.zeros((len(pairs), rows), dtype=np.float64)
        self._unit_rest = np.full((len(pairs), rows, max(width - 2, 1)), -2, dtype=np.int64)
        for p, (_, lst) in enumerate(pairs):
            self._unit_n[p] = len(lst)
            for r, (parts, key) in enumerate(lst):
                self._unit_len[p, r] = len(parts)
                self._unit_kind[p, r], self._unit_val[p, r] = an._info[key]
                for c, w in enumerate(parts[2:]):
                    self._unit_rest[p, r, c] = self._word_idx[w]
        self._reset()

    def _pair_code(self, a: str, b: str) -> int:
        return self._word_idx[a] * self._n_words + self._word_idx[b]

    def _reset(self) -> None:
        self.chunk_ids: dict[str, int] = {_SEP: 0}
        self._ch_off = [0]
        self._ch_len = [0]
        self._ch_flag = [0]
        self._ch_caps: list[bool] = []
        self._ch_alpha: list[bool] = []
        self._ch_emo: dict[int, list[int]] = {}
        self._ch_toks: list[int] = []
        self.tok_ids: dict[str, int] = {}
        self._kind: list[int] = []
        self._val: list[float] = []
        self._flags: list[int] = []
        self._word: list[int] = []
        self._misc: list[int] = []
        self._folded: list[str] = []
        self._arrays: tuple[np.ndarray, ...] | None = None

    # ---- tables --------------------------------------------------------------------------

    def _token(self, tok: str) -> int:
        """Id of one raw lower-cased token (emoticons)."""
        tid = self.tok_ids.get(tok)
        if tid is None:
            self._add_tokens([tok])
            tid = self.tok_ids[tok]
        return tid

    def _add_tokens(self, toks: list[str]) -> None:
        """Analyse new raw lower-cased tokens as ``SentimentAnalyzer._analyse`` does, with the
        cheap tests run over the whole list (most new tokens are words of no sentiment)."""
        s = self.s
        if not toks:
            return
        an = self.an
        fold = s._FOLD
        folded = [t if t.isascii() else t.translate(fold) for t in toks]
        hits = list(map(an._info.get, folded))
        resolve = an._resolve
        rules = s._RULES_RE.search
        none = (s._NONE, 0.0)
        for k in [k for k, h in enumerate(hits) if h is None]:
            f = folded[k]
            hits[k] = resolve(f) if len(f) > 2 and rules(f) and f.isalpha() else none
        # SentimentAnalyzer._flags, spread out: phrase start | cue bits, then the rare "que"
        # and elongation bits.
        first = an._phrase_first
        flags = list(map(cues.token_mask, folded))
        for k in [k for k, f in enumerate(folded) if f in first]:
            flags[k] |= s._PHRASE_FIRST
        for k, f in enumerate(folded):
            if f == "que" or f == "q":
                flags[k] |= s._QUE
        joined = "\n".join(folded)
        if "\n" not in "".join(toks):
            runs = [m.start() for m in s._REPEAT3_RE.finditer(joined)]
            if runs:
                line = np.cumsum([len(f) + 1 for f in folded])
                for k in _distinct(np.searchsorted(line, runs, side="right")).tolist():
                    flags[k] |= s._ELONG
        else:  # a token with a line break (not from the tokenizer): one by one
            flags = list(map(an._flags, folded))
        base = len(self._kind)
        self.tok_ids.update(zip(toks, range(base, base + len(toks)), strict=True))
        self._kind.extend([h[0] for h in hits])
        self._val.extend([h[1] for h in hits])
        self._flags.extend(flags)
        # Index among the words of multi-word units, negative (-2 - index) for a word that
        # starts none, -1 for a word of no unit.
        word_idx = self._word_idx.get
        self._word.extend([
            w if w < 0 or fl & s._PHRASE_FIRST else -w - 2
            for w, fl in zip(map(word_idx, folded, repeat(-1)), flags, strict=True)])
        misc = [0] * len(toks)
        comp = s._COMPARATIVE_NEXT
        for k, (f, t) in enumerate(zip(folded, toks, strict=True)):
            if f in comp or f in _MISC_BY_FOLDED or t in _MISC_BY_RAW:
                misc[k] = (_MISC_BY_FOLDED.get(f, 0) | _MISC_BY_RAW.get(t, 0)
                           | (_COMP_NEXT if f in comp else 0))
        self._misc.extend(misc)
        self._folded.extend(folded)
        self._arrays = None

    def _add_chunks(self, chunks: list[str]) -> None:
        """Record new whitespace chunks of the original-case text: the tokens of the chunk
        lower-cased (as ``SentimentAnalyzer._chunk``), per token the ALL-CAPS and alphabetic
        flags of the original token (as ``SentimentAnalyzer._cap_flags``), and chunk flags.

        @mentions and #hashtags are removed chunk by chunk (their rules never reach past the
        chunk), so a chunk holding one records the tokens of its cleaned pieces; a text with
        a link or an emoji modifier is cleaned whole in ``scores`` (flag _DIRTY_CHUNK)."""
        s = self.s
        local, dirty = _holding_each(chunks, ("@", "#"), s.CLEAN_NEEDLES)
        counts: list[int] | None = None
        units = chunks
        if local:
            counts = [1] * len(chunks)
            units = []
            prev = 0
            for k in local:
                pieces = s._clean(chunks[k])[0].split()
                units.extend(chunks[prev:k])
                units.extend(pieces)
                counts[k] = len(pieces)
                prev = k + 1
            units.extend(chunks[prev:])
        flat, lens, caps, alpha, flags, emos = self._describe(units)
        if counts is not None:  # a chunk's tokens are those of its pieces, in order
            owner = np.repeat(np.arange(len(chunks)), counts)
            lens = np.bincount(owner, weights=lens, minlength=len(chunks)).astype(int).tolist()
            some = np.flatnonzero(np.array(counts) > 0)
            unit_at = np.cumsum(counts) - counts
            chunk_flags = np.zeros(len(chunks), dtype=np.int64)
            if some.size:
                chunk_flags[some] = np.bitwise_or.reduceat(
                    np.array(flags, dtype=np.int64), unit_at[some])
            flags = chunk_flags.tolist()
            chunk_emos: dict[int, list[int]] = {}
            for v in sorted(emos):
                chunk_emos.setdefault(int(owner[v]), []).extend(emos[v])
            emos = chunk_emos
        for k in dirty:
            flags[k] |= _DIRTY_CHUNK
        base = len(self._ch_off)
        self._ch_emo.update((base + k, v) for k, v in emos.items())
        self._ch_off.extend(accumulate(lens[:-1], initial=len(self._ch_toks)))
        self._ch_len.extend(lens)
        self._ch_flag.extend(flags)
        self._ch_toks.extend(map(self.tok_ids.__getitem__, flat))
        self._ch_caps.extend(caps)
        self._ch_alpha.extend(alpha)
        self.chunk_ids.update(zip(chunks, range(base, base + len(chunks)), strict=True))
        self._arrays = None

    def _describe(
        self, chunks: list[str],
    ) -> tuple[list[str], list[int], list[bool], list[bool], list[int], dict[int, list[int]]]:
        """Tokens (flat), token counts, caps and alphabetic flags per token, chunk flags and
        emoticon token ids of clean chunks; new tokens are analysed on the way."""
        s = self.s
        lowers = list(map(str.lower, chunks))
        flat, lens = _tokenise(lowers, s._TOKEN_RE)
        known = self.tok_ids
        self._add_tokens(list(filterfalse(known.__contains__, dict.fromkeys(flat))))
        caps = [False] * len(flat)
        alpha = list(map(str.isalpha, flat))
        flags = [0] * len(chunks)
        changed = list(compress(range(len(chunks)), map(ne, chunks, lowers)))  # lower() changed
        if changed:
            slot = list(accumulate(lens, initial=0))
            raw_flat, raw_lens = _tokenise([chunks[k] for k in changed], s._TOKEN_RE)
            raw_at = 0
            for k, n_raw in zip(changed, raw_lens, strict=True):
                raw = raw_flat[raw_at:raw_at + n_raw]
                raw_at += n_raw
                if s._CAPS_RE.search(chunks[k]):
                    flags[k] |= _CAPS_CHUNK
                if n_raw != lens[k]:  # lower() changed the token count
                    flags[k] |= _CAPS_MISALIGNED
                    continue
                at = slot[k]
                for m, t in enumerate(raw):
                    caps[at + m] = t.isupper() and len(t) > 1
                    alpha[at + m] = t.isalpha()
        # Emoticons: none spans whitespace, so the per-text findall finds them chunk by chunk.
        emos = {}
        # (lower() changes no sarcasm symbol and makes none: found in `lowers` as in `chunks`)
        emo_chunks, eye_chunks = _holding_each(lowers, s.EMOTICON_NEEDLES, s.EYE_ROLL)
        for k in emo_chunks:
            found = s._EMOTICON_RE.findall(lowers[k])
            if found:
                flags[k] |= _EMO_CHUNK
                emos[k] = [self._token(e) for e in found]
        for k in eye_chunks:
            flags[k] |= _EYES_CHUNK
        return flat, lens, caps, alpha, flags, emos

    def _chunk_ids(self, chunks: list[str]) -> np.ndarray:
        """Chunk-table id of every chunk, adding the new ones.

        With a well-filled table one look-up per chunk is cheapest. With a new table (most
        chunks new) each chunk first maps to the index of its first occurrence, so that only
        the distinct chunks are looked up and added: one hashing pass instead of three."""
        get = self.chunk_ids.get
        if len(self.chunk_ids) > len(chunks) // 20:  # ~1 distinct chunk in 12 is usual
            ids = np.fromiter(map(get, chunks, repeat(-1)), np.int64, len(chunks))
            missing = ids < 0
            if missing.any():
                miss = missing.tolist()
                self._add_chunks(list(dict.fromkeys(compress(chunks, miss))))
                ids[missing] = np.fromiter(
                    map(self.chunk_ids.__getitem__, compress(chunks, miss)), np.int64,
                    int(missing.sum()))
            return ids
        seen: dict[str, int] = {}
        first_at = np.fromiter(map(seen.setdefault, chunks, itertools.count()), np.int64,
                               len(chunks))
        distinct = list(seen)
        known = np.fromiter(map(get, distinct, repeat(-1)), np.int64, len(distinct))
        if (known < 0).any():
            self._add_chunks([c for c, k in zip(distinct, known.tolist(), strict=True) if k < 0])
            known = np.fromiter(map(get, distinct), np.int64, len(distinct))
        table = np.empty(len(chunks), dtype=np.int64)
        table[np.fromiter(seen.values(), np.int64, len(seen))] = known
        return table[first_at]

    def _tables(self) -> tuple[np.ndarray, ...]:
        if self._arrays is None:
            self._arrays = (
                np.array(self._ch_off, dtype=np.int64),
                np.array(self._ch_len, dtype=np.int64),
                np.array(self._ch_toks, dtype=np.int32),
                np.array(self._kind, dtype=np.int8),
                np.array(self._val, dtype=np.float64),
                np.array(self._flags, dtype=np.int32),
                np.array(self._word, dtype=np.int32),
                np.array(self._misc, dtype=np.int16),
                np.array(self._ch_flag, dtype=np.int8),
                np.array(self._ch_caps, dtype=bool),
                np.array(self._ch_alpha, dtype=bool),
            )
        return self._arrays

    # ---- scoring -------------------------------------------------------------------------

    def scores(self, raws: list[str]) -> list[float]:
        """Compound scores of non-empty texts, equal to ``an.compound`` for each."""
        s = self.s
        if len(self.chunk_ids) > _CACHE_LIMIT or len(self.tok_ids) > _CACHE_LIMIT:
            self._reset()
        an = self.an
        n_texts = len(raws)
        # Split and looked up a slice of texts at a time: the chunk strings of one slice are
        # freed before the next is split, so memory is reused instead of newly faulted in
        # (~10k fewer page faults, ~35 MB less peak memory, a few ms on the bench texts).
        # Slices are joined by the separator chunk (id 0), as the texts inside a slice are.
        pieces = []
        for lo in range(0, n_texts, _SLICE):
            part = raws[lo:lo + _SLICE]
            big = _JOIN.join(part)
            if big.count(_SEP) != len(part) - 1:  # a text holds the separator itself
                return [an._score(t, True) for t in raws]
            if pieces:
                pieces.append(np.zeros(1, dtype=np.int64))
            pieces.append(self._chunk_ids(big.split()))
        ids = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        text_of_chunk = np.cumsum(ids == 0)
        # (only the chunk flags for now: the whole tables are built once the links' texts
        # have added their chunks)
        ch_flag = (self._arrays[8] if self._arrays is not None
                   else np.array(self._ch_flag, dtype=np.int8))
        dirty = _distinct(text_of_chunk[(ch_flag[ids] & _DIRTY_CHUNK) != 0]).tolist()
        link = np.zeros(n_texts, dtype=bool)
        if dirty:
            # Links and emoji modifiers: those texts are cleaned whole and split again, and
            # their chunks take the place of the raw ones.
            clean = []
            for i in dirty:
                text, m = s._clean(raws[i])
                clean.append(text)
                link[i] = m != 0
            parts = [text.split() for text in clean]
            again = self._chunk_ids([c for p in parts for c in p])
            again_text = np.repeat(dirty, [len(p) for p in parts])
            keep = np.ones(n_texts, dtype=bool)
            keep[dirty] = False
            keep = keep[text_of_chunk]
            text_of_chunk = np.concatenate((text_of_chunk[keep], again_text))
            order = np.argsort(text_of_chunk, kind="stable")
            text_of_chunk = text_of_chunk[order]
            ids = np.concatenate((ids[keep], again))[order]

        (ch_off, ch_len, ch_toks, kind_of, val_of, flags_of, word_of, misc_of, ch_flag,
         ch_caps, ch_alpha) = self._tables()

        lens = ch_len[ids]
        ends = np.cumsum(lens)
        n_tok = int(ends[-1]) if len(ends) else 0
        cflag = ch_flag[ids]
        flagged = np.flatnonzero(cflag)
        # Emoticons (found per chunk: none spans whitespace) follow the text's tokens.
        emo_text: list[int] = []
        emo_tok: list[int] = []
        ch_emo = self._ch_emo
        for k in flagged[(cflag[flagged] & _EMO_CHUNK) != 0].tolist():
            found = ch_emo[int(ids[k])]
            emo_text.extend([int(text_of_chunk[k])] * len(found))
            emo_tok.extend(found)
        slot = np.arange(n_tok) + np.repeat(ch_off[ids] - (ends - lens), lens)
        tok = ch_toks[slot]
        tix = np.repeat(text_of_chunk, lens)
        # ALL-CAPS emphasis counts in a text with two capitals in a row, some but not all
        # words in caps, no emoticon (which the per-text path's token count check excludes).
        caps_text = np.zeros(n_texts, dtype=bool)
        caps_text[text_of_chunk[flagged[(cflag[flagged] & _CAPS_CHUNK) != 0]]] = True
        misaligned = np.zeros(n_texts, dtype=bool)
        misaligned[text_of_chunk[flagged[(cflag[flagged] & _CAPS_MISALIGNED) != 0]]] = True
        # lower() changed a chunk's token count: the per-text path decides on the caps.
        rare = misaligned & caps_text
        caps_text[emo_text] = False
        caps = np.zeros(n_tok, dtype=bool)
        if caps_text.any():
            in_caps = caps_text[tix]
            alpha = ch_alpha[slot] & in_caps
            upper = ch_caps[slot] & alpha
            n_alpha = np.bincount(tix[alpha], minlength=n_texts)
            n_upper = np.bincount(tix[upper], minlength=n_texts)
            diff = caps_text & (n_upper > 0) & (n_upper < n_alpha)
            caps = ch_caps[slot] & diff[tix]
        if emo_text:
            at = np.searchsorted(tix, emo_text, side="right")
            at += np.arange(len(at))  # their positions once inserted
            n_tok += len(at)
            old = np.ones(n_tok, dtype=bool)
            old[at] = False
            tok = _spliced(tok, old, at, emo_tok)
            tix = _spliced(tix, old, at, emo_text)
            caps = _spliced(caps, old, at, False)
        text_ids = np.arange(n_texts)
        tstart = np.searchsorted(tix, text_ids)
        tend = np.searchsorted(tix, text_ids, side="right")
        n = tend - tstart
        nonempty = n > 0
        kind = kind_of[tok]
        val = val_of[tok]
        flags = flags_of[tok]
        misc = misc_of[tok]
        first = np.zeros(n_tok, dtype=bool)
        first[tstart[nonempty]] = True
        last = np.zeros(n_tok, dtype=bool)
        last[tend[nonempty] - 1] = True
        # ---- pass 1: cue mask, two-word units, anchors --------------------------------
        mask = np.zeros(n_texts, dtype=np.int64)
        if n_tok:
            mask[nonempty] = np.bitwise_or.reduceat(flags, tstart[nonempty])
        mask[link] |= cues.SPAM_BIT
        que = np.flatnonzero(flags & s._QUE)
        if que.size:
            prev = np.maximum(que - 1, 0)
            opens = first[que] | (kind[prev] == s._STOP) | ((misc[prev] & _Y) != 0)
            mask[tix[que[opens]]] |= cues.WISH_BIT
        eyes = text_of_chunk[(cflag & _EYES_CHUNK) != 0]
        mask[eyes] |= cues.SARCASM_BIT | cues.SARCASM_OTHER_BIT

        starts, ulen, ukind, uval = self._units(tok, tix, word_of, tend, last)
        rare[tix[starts[(misc[starts] & _BIEN) != 0]]] = True
        keff = kind.copy()
        veff = val.copy()
        keff[starts] = ukind
        veff[starts] = uval
        rest = ulen - 1  # the other tokens of each unit
        inner = np.repeat(starts - np.cumsum(rest) + rest, rest) + np.arange(int(rest.sum())) + 1
        keff[inner] = s._NONE
        merged = np.zeros(n_tok, dtype=bool)
        merged[starts] = True
        # "bien" before a sentiment word is a booster ("bien feo").
        bien = np.flatnonzero(((misc & _BIEN) != 0) & (keff == s._SENT) & ~merged & ~last)
        bien = bien[kind[bien + 1] == s._SENT]
        keff[bien] = s._BOOST
        veff[bien] = s.B_INCR

        is_neg = keff == s._NEG
        is_court = keff == s._COURT
        is_sent = (keff == s._SENT) | is_court
        negs = np.flatnonzero(is_neg)
        comp = negs[~last[negs]]
        comp = comp[(misc[comp + 1] & _COMP_NEXT) != 0]
        # A negator opening a superlative comparison ("nada más lindo que") needs the per-text
        # rules; if it does not open one up to the text's end it opens none before either.
        folded_of = self._folded
        for j in comp[~rare[tix[comp]]].tolist():
            t = int(tix[j])
            a = int(tstart[t])
            hits = [(0, 0, f) for f in map(folded_of.__getitem__, tok[a:tend[t]].tolist())]
            if s._is_comparative(hits, j - a, int(n[t]) - 1):
                rare[t] = True
        any_sent = np.zeros(n_texts, dtype=bool)
        any_sent[tix[is_sent | (is_neg & ~merged)]] = True
        has_court = np.zeros(n_texts, dtype=bool)
        has_court[tix[is_court]] = True
        big_pos = np.iinfo(np.int64).max
        but_at = np.full(n_texts, big_pos, dtype=np.int64)
        buts = np.flatnonzero(keff == s._BUT)
        if buts.size:
            bt = tix[buts]
            head = np.concatenate(([True], bt[1:] != bt[:-1]))
            but_at[bt[head]] = buts[head]

        # ---- shared cues (per text: regexes) ------------------------------------------
        ask = has_court & ((mask & cues.REQUEST_BIT) != 0)
        mask &= ~cues.REQUEST_BIT
        # find_cues finds nothing where no class can fire: sarcasm also needs its second half
        # (a failure word or SARCASM_OTHER_TRIGGER), so sarcasm words alone call nothing.
        can_fire = ((mask & (cues.FAILURE_BIT | cues.WISH_BIT | cues.SPAM_BIT)) != 0) | (
            ((mask & cues.SARCASM_BIT) != 0)
            & ((mask & (cues.FAILURE_BIT | cues.SARCASM_OTHER_BIT)) != 0))
        todo = can_fire & ((mask & s._CUE_BITS) != 0) & ~rare & nonempty
        failure = np.zeros(n_texts, dtype=bool)
        wish = np.zeros(n_texts, dtype=bool)
        strong = np.zeros(n_texts, dtype=bool)
        sarcasm = np.zeros(n_texts, dtype=bool)
        spam = np.zeros(n_texts, dtype=bool)
        rows = np.flatnonzero(todo)
        # (courtesy is not read here: its bit is dropped so that cue_columns skips it)
        masks = (mask[rows] & ~cues.COURTESY_BIT).tolist()
        normalise = cues.normalise
        elong = s._ELONG
        row_list = rows.tolist()
        cue_texts = [normalise(raws[i], bool(m & elong))
                     for i, m in zip(row_list, masks, strict=True)]
        cue_text = dict(zip(row_list, cue_texts, strict=True))
        if row_list:
            found = cues.cue_columns(cue_texts, masks)
            found_spam = np.array(found[1], dtype=bool)
            spam[rows] = found_spam
            # a spam text keeps no other cue (SentimentAnalyzer._score)
            failure[rows] = np.array(found[0], dtype=bool) & ~found_spam
            sarcasm[rows] = np.array(found[2], dtype=bool) & ~found_spam
            wish[rows] = np.array(found[3], dtype=bool) & ~found_spam
            strong[rows] = np.array(found[6], dtype=bool) & ~found_spam
        live = nonempty & ~rare & ~spam & (any_sent | failure | wish | sarcasm)

        # ---- pass 2: look back from each sentiment word -------------------------------
        sent = np.flatnonzero(is_sent & live[tix])
        v = veff[sent]
        cs = caps[sent]
        v[cs] = np.where(v[cs] > 0, v[cs] + s.C_INCR, v[cs] - s.C_INCR)
        negated = np.zeros(len(sent), dtype=bool)
        used_neg = np.zeros(n_tok, dtype=bool)
        skipped = np.zeros(len(sent), dtype=np.int64)
        lo = tstart[tix[sent]]
        act = np.arange(len(sent))
        j = sent - 1
        decay = np.array(s._DECAY + (0.0,) * 64)
        while act.size:
            jj = j[act]
            ok = jj >= lo[act]
            act, jj = act[ok], jj[ok]
            if not act.size:
                break
            pk = keff[jj]
            skip = pk == s._SKIP
            d = sent[act] - jj - skipped[act]
            stop = ~skip & ((d > s._SCOPE_WINDOW) | (pk == s._STOP) | (pk == s._BUT)
                            | (pk == s._THOUGH))
            boost = ~skip & ~stop & (pk == s._BOOST)
            if boost.any():
                b = act[boost]
                jb = jj[boost]
                vb = v[b]
                up = vb > 0
                pv = veff[jb]
                sb = np.where(up, pv, -pv)
                cj = caps[jb]
                sb[cj] = np.where(up[cj], sb[cj] + s.C_INCR, sb[cj] - s.C_INCR)
                v[b] = vb + sb * decay[d[boost]]
            neg = ~skip & ~stop & (pk == s._NEG)
            negated[act[neg]] = True
            used_neg[jj[neg]] = True
            skipped[act[skip]] += 1
            j[act] -= 1
            act = act[~stop]
        v[negated] = v[negated] * s.N_SCALAR

        # A negator that negates no sentiment word still leans negative.
        alone = negs[live[tix[negs]] & ~used_neg[negs]]
        pos = np.concatenate((sent, alone))
        vals = np.concatenate((v, np.full(len(alone), an.negation_alone)))
        grp = np.concatenate((np.zeros(len(sent), np.int64), np.ones(len(alone), np.int64)))
        et = tix[pos]
        court = is_court[pos]

        # "pero" weighs the part before by 0.5 and after by 1.5; "aunque" halves its clause.
        has_but = but_at[et] != big_pos
        vals = np.where(has_but, np.where(pos < but_at[et], vals * 0.5, vals * 1.5), vals)
        thoughs = np.flatnonzero(keff == s._THOUGH)
        if thoughs.size:
            stops = np.flatnonzero(keff == s._STOP)
            k = np.searchsorted(thoughs, pos) - 1
            lt = np.where(k >= 0, thoughs[np.maximum(k, 0)], -1)
            k = np.searchsorted(stops, pos) - 1
            ls = np.where(k >= 0, stops[np.maximum(k, 0)], -1) if stops.size else -1
            inside = (lt >= tstart[et]) & (lt > ls)
            vals = np.where(inside, vals * 0.5, vals)

        # ---- shared-cue rules (SentimentAnalyzer._apply_cues) --------------------------
        order = np.lexsort((pos, grp, et))
        et, vals, court, grp = et[order], vals[order], court[order], grp[order]
        keep = np.ones(len(et), dtype=bool)
        court_texts = np.flatnonzero(has_court & live)
        if court_texts.size:
            rest = _seq_sum(et, np.where(court, 0.0, vals), n_texts)
            complaint = failure | wish | sarcasm | (rest <= s.COMPLAINT_MIN)
            drop = has_court & live & complaint
            asked = np.flatnonzero(has_court & live & ~complaint & ask)
            if asked.size:  # has_request on each, as the request column of cue_columns
                ask_texts = [cue_text[i] if i in cue_text else normalise(raws[i], bool(m & elong))
                             for i, m in zip(asked.tolist(), mask[asked].tolist(), strict=True)]
                request = cues.cue_columns(ask_texts, [cues.REQUEST_BIT] * len(ask_texts))[4]
                drop[asked[np.array(request, dtype=bool)]] = True
            keep &= ~(court & drop[et])
        sarc_e = sarcasm[et]
        vals = np.where(sarc_e & (vals > 0), -vals * s.SARCASM_FLIP, vals)
        vals = np.where(failure[et] & ~sarc_e & (vals > 0), vals * s.FAILURE_DAMP, vals)
        damp = np.where(strong[et], s.WISH_DAMP, s.WANT_DAMP)
        vals = np.where(wish[et] & (vals > 0), vals * damp, vals)
        extra_t = [np.flatnonzero(sarcasm), np.flatnonzero(failure), np.flatnonzero(wish)]
        extra_v = [
            np.full(len(extra_t[0]), s.SARCASM_VALENCE),
            np.full(len(extra_t[1]), s.FAILURE_VALENCE),
            np.where(strong[extra_t[2]], s.WISH_VALENCE, s.WANT_VALENCE),
        ]
        et = np.concatenate((et[keep], *extra_t))
        vals = np.concatenate((vals[keep], *extra_v))
        grp = np.concatenate((grp[keep], *(np.full(len(t), 2 + k) for k, t in enumerate(extra_t))))
        order = np.lexsort((grp, et))  # stable: keeps the position order inside a group
        et, vals = et[order], vals[order]

        # ---- total, mixed weighting, punctuation, normalisation -----------------------
        total = _seq_sum(et, vals, n_texts)
        plus = _seq_sum(et, np.where(vals > 0, vals, 0.0), n_texts)
        n_entries = np.bincount(et, minlength=n_texts)
        mixed = (n_entries > 1) & (plus >= s.MIXED_MIN) & (plus - total >= s.MIXED_MIN)
        total = np.where(mixed, plus + (total - plus) * s.MIXED_NEG_WEIGHT, total)
        zero = total == 0.0
        q = np.bincount(tix[(misc & _QMARK) != 0], minlength=n_texts)
        excl = np.bincount(tix[(misc & _EXCL) != 0], minlength=n_texts)
        iexcl = np.bincount(tix[(misc & _IEXCL) != 0], minlength=n_texts)
        total = np.where(q > 0, total * s.QUESTION_DAMP, total)
        amp = np.minimum(np.maximum(excl, iexcl), 4) * 0.292
        amp = np.where(q > 1, np.where(q <= 3, amp + q * 0.18, amp + 0.96), amp)
        total = np.where(total > 0, total + amp, total - amp)
        safe = np.where(zero, 1.0, total)
        norm = np.clip(safe / np.sqrt(safe * safe + s.ALPHA), -1.0, 1.0)
        out = round_many(norm, 4)
        for i in np.flatnonzero(zero | ~live).tolist():
            out[i] = 0.0
        for i in np.flatnonzero(rare).tolist():
            out[i] = an._score(raws[i], True)
        return out

    def _units(
        self, tok: np.ndarray, tix: np.ndarray, word_of: np.ndarray, tend: np.ndarray,
        last: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Multi-word units merged by pass 1: start positions, lengths, kinds and values.

        As in ``_merge_phrase``: the longest unit that matches wins, a two-word unit always
        matches, and a token inside a merged unit cannot start another one."""
        word = word_of[tok]
        starts = np.flatnonzero((word >= 0) & ~last)
        nxt = word_of[tok[starts + 1]]
        nxt = np.where(nxt < -1, -nxt - 2, nxt)
        ok = nxt >= 0
        starts = starts[ok]
        code = word[starts] * self._n_words + nxt[ok]
        empty = np.zeros(0, dtype=np.int64)
        if not starts.size or not self._pair_codes.size:
            return empty, empty, empty, np.zeros(0)
        pair = np.minimum(np.searchsorted(self._pair_codes, code), len(self._pair_codes) - 1)
        ok = self._pair_codes[pair] == code
        starts, pair = starts[ok], pair[ok]
        ulen = np.zeros(len(starts), dtype=np.int64)
        row = np.zeros(len(starts), dtype=np.int64)
        end = tend[tix[starts]]
        n_tok = len(tok)
        todo = np.arange(len(starts))
        for r in range(self._unit_len.shape[1]):
            todo = todo[self._unit_n[pair[todo]] > r]
            if not todo.size:
                break
            k = self._unit_len[pair[todo], r]
            hit = starts[todo] + k <= end[todo]
            for c in range(self._unit_rest.shape[2]):
                at = np.minimum(starts[todo] + 2 + c, n_tok - 1)
                want = self._unit_rest[pair[todo], r, c]
                w = word[at]
                hit &= (k <= 2 + c) | (np.where(w < -1, -w - 2, w) == want)
            hit |= k == 2
            ulen[todo[hit]] = k[hit]
            row[todo[hit]] = r
            todo = todo[~hit]
        ok = ulen > 0
        starts, pair, ulen, row = starts[ok], pair[ok], ulen[ok], row[ok]
        # A start inside an earlier merged unit is a token of that unit. Which starts merge
        # depends on the ones before ("no me gusta" then "me gusta"): settle it by repeating
        # "a start merges unless a merged start before it covers it" until nothing changes
        # (as many rounds as the longest chain of overlaps, one or two).
        ends = starts + ulen
        keep = np.ones(len(starts), dtype=bool)
        for _ in range(len(starts)):
            cover = np.maximum.accumulate(np.where(keep, ends, -1))
            again = np.concatenate(([True], starts[1:] >= cover[:-1]))
            if (again == keep).all():
                break
            keep = again
        starts, pair, ulen, row = starts[keep], pair[keep], ulen[keep], row[keep]
        return starts, ulen, self._unit_kind[pair, row], self._unit_val[pair, row]


def _spliced(a: np.ndarray, old: np.ndarray, at: np.ndarray, new: object) -> np.ndarray:
    """`a` with `new` inserted at positions `at` of the result (`old` marks the others)."""
    out = np.empty(len(old), dtype=a.dtype)
    out[old] = a
    out[at] = new
    return out


def _distinct(a: np.ndarray) -> np.ndarray:
    """Distinct values of a sorted array (np.unique costs ~30 ms on its first call)."""
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if a.size else a


def _seq_sum(et: np.ndarray, vals: np.ndarray, n_texts: int) -> np.ndarray:
    """Per-text sum of `vals` (grouped by sorted text id `et`) added left to right, as Python's
    sum() does, so totals are bit-identical to the per-text path."""
    count = np.bincount(et, minlength=n_texts)
    first = np.cumsum(count) - count
    total = np.zeros(n_texts)
    rows = np.flatnonzero(count)
    k = 0
    while rows.size:
        total[rows] += vals[first[rows] + k]
        k += 1
        rows = rows[count[rows] > k]
    return total
