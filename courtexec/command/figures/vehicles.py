"""The command centre's vehicles tiles and charts."""
