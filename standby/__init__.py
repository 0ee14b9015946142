"""24小时备勤: the 1+1+1 roster and police callouts."""
