"""The command centre's standby tiles and charts."""
