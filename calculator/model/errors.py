"""The one error type a user ever sees from the model, and its problems as structured data."""

from __future__ import annotations


class Problem(str):
    """One problem: ``path`` (a scenario path such as ``options.llm.batch_share``, or "" for
    the file as a whole), ``message`` (value, rule and what to do) and ``line`` (in the
    file, when there is one).

    It is also the sentence a person reads, so code that only prints problems needs nothing
    else; code that places them (the app puts each next to its field) reads ``path``.

    >>> p = Problem("options.llm.batch_share", "1.7 is above the maximum 1", 38)
    >>> str(p), p.path, p.line
    ('options.llm.batch_share: 1.7 is above the maximum 1 (line 38)', 'options.llm.batch_share', 38)
    >>> Problem("", "the file is empty").path
    ''
    """

    path: str
    message: str
    line: int | None

    def __new__(cls, path: str, message: str, line: int | None = None) -> Problem:
        text = f"{path}: {message}" if path else message
        if line is not None:
            text += f" (line {line})"
        self = super().__new__(cls, text)
        self.path, self.message, self.line = path, message, line
        return self

    def __reduce__(self):  # pickling (Streamlit's caches) keeps the structure
        return (Problem, (self.path, self.message, self.line))


class ScenarioError(ValueError):
    """A scenario that cannot be used, with messages a product manager can act on.

    ``problems`` holds one :class:`Problem` per problem, each naming the field path, the
    value and the rule, and the line in the file where there is one:
    ``options.llm.batch_share: 1.7 is above the maximum 1 (line 38)``. A plain string is
    taken as a problem of the file as a whole.
    """

    def __init__(self, problems: str | Problem | list[str] | list[Problem]):
        if isinstance(problems, str):
            problems = [problems]
        items = [p if isinstance(p, Problem) else Problem("", str(p)) for p in problems]
        self.problems: list[Problem] = items or [Problem("", "the scenario is not valid")]
        super().__init__("; ".join(self.problems))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        return f"{len(self.problems)} problems: " + "; ".join(self.problems)

    def __reduce__(self):
        return (ScenarioError, (self.problems,))
