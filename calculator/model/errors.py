"""The one error type a user ever sees from the model."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario that cannot be used, with messages a product manager can act on.

    ``problems`` holds one line per problem, each naming the field path, the value and
    the rule, and the line in the file where there is one:
    ``options.llm.batch_share: 1.7 is above the maximum 1 (line 38)``.
    """

    def __init__(self, problems: str | list[str]):
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[str] = list(problems) or ["the scenario is not valid"]
        super().__init__("; ".join(self.problems))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        return f"{len(self.problems)} problems: " + "; ".join(self.problems)
