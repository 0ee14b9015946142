"""被执行人: property investigation, the dishonest-debtor list, restrictions."""
