"""Tips (举报线索): the public form, the hotline log, the board; forms, filters and views."""
