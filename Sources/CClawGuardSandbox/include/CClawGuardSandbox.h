#ifndef CCLAWGUARD_SANDBOX_H
#define CCLAWGUARD_SANDBOX_H
int cg_sandbox_placeholder(void);
#endif
