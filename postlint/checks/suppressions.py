"""Suppressions: comments that silence rules, judged after every other rule ran.

The findings come from the suppressions themselves (``postlint.suppress``): the engine asks each
post's suppressor, once the run's findings are filtered, which entries name no rule and which
silenced nothing. These classes give the two rules their codes, names and documentation, so they
are selected, ignored and silenced like any other rule.
"""

from __future__ import annotations

from postlint.rule import Example, Family, Rule
from postlint.suppress import UNKNOWN_RULE, UNUSED


class SuppressionUnknownRule(Rule):
    """
    ## What it does
    Flags a rule in a suppression comment (`postlint-disable`, `postlint-enable`,
    `postlint-disable-next-line`) or in the post's `[extra.postlint] ignore` that is no rule,
    code, code prefix or family, and suggests the nearest one.

    ## Why is this bad?
    A mistyped rule silences nothing: the finding the writer meant to silence is still
    reported, and the comment looks as if it worked.

    ## Example
    ```markdown
    +++
    title = "Release notes"
    +++
    <!-- postlint-disable-next-line spellin -->
    Thanks to evryone for the patch.
    ```

    Use instead:
    ```markdown
    +++
    title = "Release notes"
    +++
    <!-- postlint-disable-next-line spelling -->
    Thanks to evryone for the patch.
    ```
    """

    code = "SUP001"
    name = UNKNOWN_RULE
    summary = "A suppression names a rule that does not exist"
    severity = "warning"


class SuppressionUnused(Rule):
    """
    ## What it does
    Flags a suppression that silenced no finding in this run, like ruff's unused `noqa`. A
    comment that names several rules is judged rule by rule. A rule that did not run (not
    selected, or switched off by its options, as external link checks without `--external`)
    is never judged.

    ## Why is this bad?
    A suppression outlives the problem it was written for: once the text is fixed it silences
    nothing, until a new problem on that line goes unreported.

    ## Example
    ```markdown
    +++
    title = "Release notes"
    +++
    <!-- postlint-disable-next-line spelling -->
    Thanks to everyone for the patch.
    ```

    Use instead:
    ```markdown
    +++
    title = "Release notes"
    +++
    Thanks to everyone for the patch.
    ```
    """

    code = "SUP002"
    name = UNUSED
    summary = "A suppression silences nothing"
    severity = "warning"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad, good = super().examples()
        config = 'extend-select = ["spelling"]\n'  # a suppression is judged by the rules it names
        return Example(bad.files, config), Example(good.files, config)


FAMILY = Family(
    name="suppressions",
    prefix="SUP",
    description="Suppressions: comments that silence rules, checked for typos and leftovers.",
    rules=(SuppressionUnknownRule, SuppressionUnused),
)
