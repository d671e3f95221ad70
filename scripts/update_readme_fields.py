"""Regenerate the README's field table from the models: `python scripts/update_readme_fields.py`."""

from pathlib import Path

from calculator.model.readme_table import table

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- fields:start -->", "<!-- fields:end -->"

text = README.read_text()
head, rest = text.split(START, 1)
tail = rest.split(END, 1)[1]
README.write_text(f"{head}{START}\n\n{table()}\n{END}{tail}")
print(f"updated {README}")
