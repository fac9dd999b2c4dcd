// Crash points: deliberate SIGKILLs at named places in apply, so tests can prove that a run
// killed anywhere converges when re-run. Inert unless DRCTL_TEST_KILL_AT is set, e.g.
// "after-intent:3" (die right after the third journal intent is committed). Points:
// after-intent (intent committed, AWS call not made), after-call (AWS call made, outcome not
// journaled), after-outcome (outcome journaled, state not written), after-record (state written).
#pragma once

namespace apply {

void crash_point(const char* point);

}  // namespace apply
