"""The rules: pure functions from stored snapshots to findings (no I/O, no clock).

Entry points: ``checks.runner.check_site`` / ``check_account`` / ``load_lexicon``,
``checks.registry.RULES`` / ``rule``, ``checks.scorecard.scorecard``. One module per rule
family (freshness, availability, interaction, links, identity, wording, privacy, accounts);
each rule's docstring is its user-facing explanation (``Rule.doc``).
"""
