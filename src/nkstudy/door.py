"""The door of ``nkstudy serve``: who gets in to a drill from a browser.

The class code (wrong codes rate-limited per client address and in total), the
roster, and names: without a roster a name already used in the drill is
refused, and so is a profile with study progress.  In a live drill a student
whose browser dropped may take their seat back (and go on in the same sitting):
at once from the same browser, from anywhere else once the seat has been away
for a few seconds (:func:`nkstudy.core.classroom.live.may_retake`).  A name a
running visitor holds is never given to a second one.

No Textual, no Rich.  :meth:`Door.enter` does the database and file work: call
it from a worker thread.
"""

from __future__ import annotations

import hmac
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.gate import RateRule, Roster, name_key
from nkstudy.drillroom import clean_name
from nkstudy.store.drills import open_existing, profile_uses
from nkstudy.store.live import seats

ENV_GATE = "NKSTUDY_GATE"  # the gate state file of the serve this visitor belongs to
ENV_ADDRESS = "NKSTUDY_CLIENT_ADDRESS"  # the visitor's client address, as the server saw it
ENV_CLIENT = "NKSTUDY_CLIENT_ID"  # the visitor's browser, by a random id the server gave it in a cookie


@dataclass
class Door:
    """Who gets in to drill ``code``: the class code (rate-limited), the roster, names not taken.

    ``state`` is the gate file shared by every visitor of one serve (None: this
    process alone).  ``client`` names the visitor's browser ("" when unknown);
    ``live``: the drill is a live one, whose seats may be taken back after a drop.
    """

    code: str
    data_dir: Path
    class_code: str
    state: Path | None = None
    roster: Roster | None = None
    address: str = "?"
    rule: RateRule = field(default_factory=RateRule)
    pid: int = field(default_factory=os.getpid)
    db: str | None = None  # the progress database (None: the data folder's file)
    client: str = ""
    live: bool = False

    def code_matches(self, typed: str) -> bool:
        """True when ``typed`` is the class code (case and spaces aside); compared in constant time."""
        expected = self.class_code.upper().encode()
        given = "".join(typed.split()).upper().encode()
        return bool(expected) and hmac.compare_digest(given, expected)

    def enter(self, name: str, typed_code: str, now: float) -> tuple[str | None, str]:
        """(the profile name to sit as, "") when let in; else (None, what to tell the visitor)."""
        from nkstudy.store.gate import GateState

        state = GateState(self.state) if self.state is not None else None
        try:
            if state is not None:
                wait = self.rule.wait(*state.wrong_times(self.address, now - self.rule.window), now)
                if wait > 0:
                    return None, f"Too many wrong class codes; wait {math.ceil(wait)} seconds and try again."
            if not self.code_matches(typed_code):
                if state is not None:
                    state.add_wrong(self.address, now)
                return None, "That is not the class code; ask your teacher for it."
            name = clean_name(name)
            if self.roster is not None:
                listed = self.roster.find(name)
                if listed is None:
                    return None, f"{name} is not on the class list; type your name as your teacher has it."
                name = listed
            else:
                same_client = bool(self.client) and state is not None and state.client_of(name_key(name)) == self.client
                refused, name = self._refused(name, now, same_client)
                if refused:
                    return None, refused
            if state is not None:
                holder = state.take(name_key(name), name, self.pid, now, self.client)
                if holder is not None:
                    return None, (f"{holder} has already joined; if that is not you, tell your teacher."
                                  if self.roster is not None else f"{holder} is taken; add an initial.")
            return name, ""
        finally:
            if state is not None:
                state.close()

    def _refused(self, name: str, now: float, same_client: bool) -> tuple[str, str]:
        """(why ``name`` cannot join without a roster: in use in this drill, or someone's; the name to sit as).

        "" when it can; a live seat taken back is sat under the seat's own spelling.
        """
        store = open_existing(self.data_dir, self.db)
        if store is None:
            return "", name
        try:
            key = name_key(name)
            if self.live:
                for seat in seats(store, self.code):
                    if name_key(seat.profile) != key:
                        continue
                    if rules.may_retake(seat.seen, now, same_client):
                        return "", seat.profile  # their seat back, with their answers
                    wait = math.ceil(rules.AWAY_SECONDS - (now - seat.seen))
                    return (f"{seat.profile} is taken; add an initial. (If you are {seat.profile} and dropped out, "
                            f"try again in {wait} seconds.)"), name
            for other, studied, drilled in profile_uses(store, self.code):
                if name_key(other) != key:
                    continue
                if drilled:
                    return f"{other} is taken in this drill; add an initial.", name
                if studied:
                    return f"{other} is a profile with study progress here; add an initial.", name
            return "", name
        finally:
            store.close()


__all__ = ["ENV_ADDRESS", "ENV_CLIENT", "ENV_GATE", "Door"]
