"""Qt item models over the library's plain rows: one model per shape, one module each."""
