// The crash points are header-only (see crash_point.h: lower layers call them without linking
// drctl_apply); this unit only keeps the header compiled on its own.
#include "apply/crash_point.h"
