"""A progress display for long operator commands: a bar on a terminal, a line every 10% otherwise."""


class Progress:
    def __init__(self, stream, label: str, *, width: int = 30):
        self.stream, self.label, self.width = stream, label, width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self._last_decile = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        fraction = done / total
        if self.tty:
            filled = int(self.width * fraction)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stream.write("")
            self.stream.flush()
            return
        decile = int(fraction * 10)
        if decile != self._last_decile or done == total:
            self._last_decile = decile
            self.stream.write(f"{self.label}: {done}/{total} rows ({fraction:.0%})")
