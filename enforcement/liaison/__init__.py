"""The enforcement liaison station (执行联络站): parties reach the judge of their case online."""
