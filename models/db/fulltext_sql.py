"""The engine-specific SQL of full-text search: one query syntax, two engines.

Queries are written in FTS5 syntax everywhere (words, "phrases", prefix*, OR, AND, NOT,
NEAR(...), parentheses). On SQLite they go to FTS5 as they are; on PostgreSQL
`to_tsquery_text` translates them into a ``tsquery`` (``&``, ``|``, ``!``, ``<->`` for
phrases, ``:*`` for prefixes) that ``to_tsquery('english', ...)`` stems, and the ``*_fts``
tables are plain tables with a generated ``tsvector`` column under a GIN index. Both
kinds of table have a ``rowid`` column (the indexed row's id) and a ``text`` column, so
inserting and deleting index rows is the same SQL on both.

`match` gives the WHERE clause, `rank` an expression ordering best first (ascending on
both engines) and `snippet` a highlighted excerpt, for a table or its alias.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

TS_CONFIG = "english"


class FulltextSyntaxError(ValueError):
    """The query cannot be read; str() says where."""


def dialect(session: Session) -> str:
    """ "sqlite" or "postgresql" for the session's database."""
    return session.get_bind().dialect.name


def is_postgres(session: Session) -> bool:
    return dialect(session) == "postgresql"


def match(session: Session, table: str, alias: str | None = None, param: str = "q") -> str:
    """``WHERE`` clause: rows of ``table`` (named ``alias`` in the query) matching ``:param``."""
    if is_postgres(session):
        return f"{alias or table}.tsv @@ to_tsquery('{TS_CONFIG}', :{param})"
    return f"{table} MATCH :{param}"


def rank(session: Session, table: str, alias: str | None = None, param: str = "q") -> str:
    """An expression ordering matches best first when ascending (FTS5's BM25 rank is negative)."""
    if is_postgres(session):
        return f"-ts_rank({alias or table}.tsv, to_tsquery('{TS_CONFIG}', :{param}))"
    return f"{alias or table}.rank"


def snippet(session: Session, table: str, open_mark: str, close_mark: str, param: str = "q") -> str:
    """A short excerpt of the matching text with the matched words between the two marks."""
    if is_postgres(session):
        options = f"StartSel={open_mark}, StopSel={close_mark}, MaxWords=24, MinWords=12, ShortWord=2"
        return f"ts_headline('{TS_CONFIG}', {table}.text, to_tsquery('{TS_CONFIG}', :{param}), '{options}')"
    return f"snippet({table}, 0, '{open_mark}', '{close_mark}', '…', 24)"


def query_text(session: Session, fts_query: str) -> str:
    """The value to bind for a normalised FTS5 query: itself on SQLite, a tsquery on PostgreSQL."""
    return to_tsquery_text(fts_query) if is_postgres(session) else fts_query


# --- FTS5 syntax -> tsquery ---------------------------------------------------------------

_TOKEN = re.compile(
    r'\s*(?:(?P<phrase>"(?:[^"]|"")*")(?P<pstar>\*)?|(?P<open>\()|(?P<close>\))|(?P<comma>,)'
    r"|(?P<word>[^\s()\",*]+)(?P<wstar>\*)?|(?P<other>\S))"
)
_TERM = re.compile(r"\w+")
_OPERATORS = {"OR", "AND", "NOT", "NEAR"}
MATCHES_NOTHING = "'a'"  # a stop word: to_tsquery makes it an empty query, which matches no row


@dataclass(frozen=True)
class _Token:
    kind: str  # "phrase", "word", "(", ")", ",", "OR", "AND", "NOT", "NEAR"
    text: str = ""
    prefix: bool = False


def _tokens(query: str) -> list[_Token]:
    tokens = []
    position = 0
    query = query.rstrip()
    while position < len(query):
        found = _TOKEN.match(query, position)
        if found is None or found.group("other"):
            bad = found.group("other") if found else query[position:]
            if bad.startswith('"'):
                raise FulltextSyntaxError("unterminated string")
            raise FulltextSyntaxError(f'syntax error near "{bad.strip()}"')
        position = found.end()
        if found.group("phrase"):
            tokens.append(_Token("phrase", found.group("phrase")[1:-1].replace('""', '"'), bool(found.group("pstar"))))
        elif found.group("open"):
            tokens.append(_Token("("))
        elif found.group("close"):
            tokens.append(_Token(")"))
        elif found.group("comma"):
            tokens.append(_Token(","))
        else:
            word = found.group("word")
            if word in _OPERATORS and not found.group("wstar"):
                tokens.append(_Token(word))
            else:
                tokens.append(_Token("word", word, bool(found.group("wstar"))))
    return tokens


def _lexemes(text: str, prefix: bool) -> str | None:
    """A phrase of the text's terms, ``'a' <-> 'b'``; the last one a prefix if asked."""
    terms = [term.lower() for term in _TERM.findall(text)]
    if not terms:
        return None
    parts = [f"'{term}'" for term in terms]
    if prefix:
        parts[-1] += ":*"
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind:
            raise FulltextSyntaxError(f'syntax error near "{token.text or token.kind if token else "the end"}"')
        self.index += 1
        return token

    def parse(self) -> str:
        result = self.or_expr()
        if self.peek() is not None:
            token = self.peek()
            raise FulltextSyntaxError(f'syntax error near "{token.text or token.kind}"')
        return result

    def or_expr(self) -> str:
        parts = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.index += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"

    def and_expr(self) -> str:
        parts = [self.not_expr()]
        while (token := self.peek()) is not None and token.kind in ("AND", "phrase", "word", "(", "NEAR"):
            if token.kind == "AND":
                self.index += 1
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"

    def not_expr(self) -> str:
        result = self.primary()
        while (token := self.peek()) is not None and token.kind == "NOT":
            self.index += 1
            result = f"({result} & !{self.primary()})"
        return result

    def primary(self) -> str:
        token = self.peek()
        if token is None:
            raise FulltextSyntaxError('syntax error near "the end"')
        self.index += 1
        if token.kind == "(":
            inner = self.or_expr()
            self.take(")")
            return inner
        if token.kind in ("phrase", "word"):
            # Symbols alone ("†‡") hold no word: FTS5's tokenizer finds none either, and matches nothing.
            return _lexemes(token.text, token.prefix) or MATCHES_NOTHING
        if token.kind == "NEAR":  # NEAR(a b, N): every phrase present (PostgreSQL has no distance window)
            self.take("(")
            phrases = []
            while (inner := self.peek()) is not None and inner.kind in ("phrase", "word"):
                self.index += 1
                if inner.kind == "word" and inner.text.isdigit() and phrases and self.tokens[self.index - 2].kind == ",":
                    continue
                lexemes = _lexemes(inner.text, inner.prefix)
                if lexemes:
                    phrases.append(lexemes)
                if (comma := self.peek()) is not None and comma.kind == ",":
                    self.index += 1
            self.take(")")
            if not phrases:
                raise FulltextSyntaxError('syntax error near "NEAR"')
            return "(" + " & ".join(phrases) + ")"
        raise FulltextSyntaxError(f'syntax error near "{token.text or token.kind}"')


def to_tsquery_text(fts_query: str) -> str:
    """The tsquery (for ``to_tsquery``) meaning what ``fts_query`` means to FTS5.

    Raises `FulltextSyntaxError` where FTS5 would refuse the query.
    """
    tokens = _tokens(fts_query)
    if not tokens:
        raise FulltextSyntaxError("empty query")
    return _Parser(tokens).parse()
