"""The command centre's funds tiles and charts."""
