"""On/off flag pairs (`--given/--withdrawn`): given both ways at once, they are refused, not settled by the last."""

from lingkaran.errors import InvalidInput
from lingkaran.messages import _


class OneWayFlags:
    """A command mixin: click keeps whichever side of an on/off pair came last; we refuse the contradiction."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        typed = list(args)  # click's parser consumes the list it is given
        remaining = super().parse_args(ctx, args)
        refuse_both_ways(self.params, typed)
        return remaining


def refuse_both_ways(params: list, args: list[str]) -> None:
    """Raise InvalidInput when an on/off flag was given both ways (words after `--` are not options)."""
    options = set(args[: args.index("--")] if "--" in args else args)
    for param in params:
        on, off = getattr(param, "opts", ()), getattr(param, "secondary_opts", ())
        if off and options & set(on) and options & set(off):
            raise InvalidInput(_("{on} and {off} contradict each other; give one of them").format(on=on[0], off=off[0]))
