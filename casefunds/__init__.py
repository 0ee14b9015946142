"""执行案款: the one-person-one-case-one-account ledger."""
