"""The command centre's debtors tiles and charts."""
