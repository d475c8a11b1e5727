#include "CClawGuardSandbox.h"
int cg_sandbox_placeholder(void) { return 0; }
