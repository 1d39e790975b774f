"""The progress database schema and its migrations.

The schema version is ``PRAGMA user_version`` in an SQLite file and the table
``schema_version`` in PostgreSQL.  The scripts are SQLite; the PostgreSQL
backend translates their types (:func:`nkstudy.store.pgsql.translate_ddl`).  Each entry in
:data:`MIGRATIONS` takes the database from version ``i`` to ``i + 1``; a
database newer than :data:`SCHEMA_VERSION` is refused, never touched.
"""

from __future__ import annotations

SCHEMA_VERSION = 7

APPLICATION_ID = 0x6E6B7374  # "nkst", so `file` and we can recognise our databases

_V1 = """
CREATE TABLE profiles (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    created   TEXT NOT NULL,
    settings  TEXT NOT NULL DEFAULT '{}'
);

-- One row per (profile, pack, question) the learner has seen.  Keyed by ids, so
-- editing a question's wording keeps its progress.  Times are UTC epoch seconds.
CREATE TABLE cards (
    profile_id   INTEGER NOT NULL REFERENCES profiles(id),
    pack_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    state        INTEGER NOT NULL,          -- fsrs.State: 1 learning, 2 review, 3 relearning
    step         INTEGER,
    stability    REAL,
    difficulty   REAL,
    due          REAL NOT NULL,
    last_review  REAL,
    reps         INTEGER NOT NULL DEFAULT 0,
    lapses       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (profile_id, pack_id, question_id)
) WITHOUT ROWID;
CREATE INDEX cards_due ON cards(profile_id, due);

-- Append-only: one row per answer.  Undo deletes the row it made.
CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY,
    profile_id   INTEGER NOT NULL REFERENCES profiles(id),
    pack_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    tags         TEXT NOT NULL DEFAULT '',  -- space-separated, as at answer time
    ts           REAL NOT NULL,             -- UTC epoch seconds
    at           TEXT NOT NULL,             -- the same time as ISO 8601 UTC, for people
    rating       INTEGER NOT NULL,          -- fsrs.Rating 1..4
    correct      INTEGER NOT NULL,
    answer       TEXT NOT NULL,
    response_ms  INTEGER,
    practice     INTEGER NOT NULL DEFAULT 0,
    prev_state   INTEGER,                   -- card state before the answer; NULL = new card
    prev_card    TEXT                       -- fsrs Card.to_dict() JSON before the answer, for undo
);
CREATE INDEX reviews_profile_ts ON reviews(profile_id, ts);
"""

# Classroom drills (nkstudy.core.classroom.drill): one row per answer, committed at once.  Drills never
# touch cards or reviews.  ``attempt`` tells apart two sittings of one drill by one profile.
_V2 = """
CREATE TABLE drill_results (
    id           INTEGER PRIMARY KEY,
    profile_id   INTEGER NOT NULL REFERENCES profiles(id),
    attempt      TEXT NOT NULL,             -- one sitting (random hex id, unique across machines)
    code         TEXT NOT NULL,             -- the drill code, canonical form
    position     INTEGER NOT NULL,          -- 1-based place of the question in the drill
    pack_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    answer       TEXT NOT NULL,             -- the response as text; '' when unanswered
    picked       TEXT,                      -- JSON list of options picked (choice, multi); NULL otherwise
    answered     INTEGER NOT NULL,          -- 0: time ran out
    correct      INTEGER NOT NULL,
    seconds      REAL,
    ts           REAL NOT NULL,             -- UTC epoch seconds
    at           TEXT NOT NULL,             -- the same time as ISO 8601 UTC, for people
    UNIQUE (attempt, pack_id, question_id)
);
CREATE INDEX drill_results_code ON drill_results(code, profile_id);
"""

# The raw response of each drill answer (nkstudy.core.classroom.responses), so a report marks answers itself
# and never trusts ``correct``; NULL for answers recorded before.
_V3 = """
ALTER TABLE drill_results ADD COLUMN response TEXT;
"""

# Anki's tools: an answer marked wrong that the learner overrode as right ("I was right"), and the
# marks a learner puts on a card (suspended, buried until a time, flagged) or that a card earns
# (leech).  The marks live apart from ``cards`` so that rescheduling a card never resets them.
_V4 = """
ALTER TABLE reviews ADD COLUMN override INTEGER NOT NULL DEFAULT 0;  -- 1: regraded right by the learner
CREATE TABLE card_marks (
    profile_id    INTEGER NOT NULL REFERENCES profiles(id),
    pack_id       TEXT NOT NULL,
    question_id   TEXT NOT NULL,
    suspended     INTEGER NOT NULL DEFAULT 0,
    buried_until  REAL,                     -- UTC epoch seconds: the start of the next study day
    flagged       INTEGER NOT NULL DEFAULT 0,
    leech         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (profile_id, pack_id, question_id)
) WITHOUT ROWID;
"""


# Answers named before they are sent (a uuid made by the learner's process), so an answer sent again
# after a lost connection is found, not recorded twice.  Older rows have none.
_ANSWER_IDS = """
ALTER TABLE reviews ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX reviews_uid ON reviews(uid);
"""


# Live, teacher-paced drills (nkstudy.core.classroom.live): the host writes where each live drill stands
# (one row per drill code); every student's process reads it a few times a second.  ``live_seats`` says
# who joined, with the sitting (attempt) they answer in, so a student who drops and rejoins goes on in it.
_LIVE = """
CREATE TABLE live_state (
    code        TEXT PRIMARY KEY,           -- the drill code, canonical form
    position    INTEGER NOT NULL,           -- 1-based question being asked or revealed; 0: none yet
    phase       TEXT NOT NULL,              -- waiting, asking, reveal, paused, ended
    asked_at    REAL,                       -- UTC epoch seconds the question was asked
    deadline    REAL,                       -- UTC epoch seconds its time runs out; NULL: untimed
    time_left   REAL,                       -- seconds left when paused
    updated     REAL NOT NULL
);
CREATE TABLE live_seats (
    code        TEXT NOT NULL,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id),
    attempt     TEXT NOT NULL,
    joined      REAL NOT NULL,
    PRIMARY KEY (code, profile_id)
);
"""

# Live drills, version 7: ``seen`` is when a seat's process last read the drill (a seat not seen for a few
# seconds is away: it no longer holds up the reveal, and its name may be taken back after a drop);
# ``live_skips`` holds each question the teacher skipped unrevealed (the report leaves it out of every score).
_LIVE_SEEN = """
ALTER TABLE live_seats ADD COLUMN seen REAL;
CREATE TABLE live_skips (
    code        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (code, position)
);
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _ANSWER_IDS, _LIVE, _LIVE_SEEN]

assert len(MIGRATIONS) == SCHEMA_VERSION
