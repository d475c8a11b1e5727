#ifndef CCLAWGUARD_SANDBOX_H
#define CCLAWGUARD_SANDBOX_H
// The post-fork / pre-exec half of the ClawGuard sandbox. Everything here runs in the cloned child, where
// no Swift runtime code may run (another thread of the parent may hold a lock); it only makes system calls
// on memory prepared by the parent before the clone.
//
// Process layout:   clawguard (Swift)  ->  sandbox init (pid 1 in the new namespaces, C)  ->  the command
// The init builds the new root, brings up loopback, optionally runs the proxy bridge (127.0.0.1:PORT ->
// unix socket), drops everything, forks the command, reaps children and reports the command's wait status.

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// Mount operations, executed in order under the new root (targets are paths inside the sandbox).
enum cg_mount_kind {
    CG_MOUNT_BIND = 1,      // bind source (host path) at target; CG_MF_RDONLY makes it read-only
    CG_MOUNT_TMPFS = 2,     // tmpfs at target; data = mount options ("size=...,mode=...")
    CG_MOUNT_PROC = 3,      // a fresh /proc for the new pid namespace
    CG_MOUNT_DEV = 4,       // a minimal /dev: tmpfs + null zero full random urandom tty, pts, shm, fd links
    CG_MOUNT_OVERLAY = 5,   // overlayfs at target; data = "lowerdir=...,upperdir=...,workdir=..."
    CG_MOUNT_MASK = 6,      // hide target: empty read-only tmpfs on a directory, /dev/null on a file
    CG_MOUNT_SYMLINK = 7,   // symlink at target pointing to source
    CG_MOUNT_DIR = 8,       // create the directory target (and parents)
};

enum cg_mount_flags {
    CG_MF_RDONLY = 1,
    CG_MF_NOEXEC = 2,
    CG_MF_OPTIONAL = 4,     // a missing source is not an error
};

typedef struct {
    int kind;
    int flags;
    const char *source;
    const char *target;
    const char *data;
} cg_mount_op;

typedef struct {
    int resource;           // RLIMIT_*
    uint64_t soft;
    uint64_t hard;
} cg_rlimit;

/// Seccomp rule actions.
enum cg_seccomp_action {
    CG_SECCOMP_KILL = 0,    // kill the process (SIGSYS): reported as "refused system call"
    CG_SECCOMP_EPERM = 1,   // fail the call with EPERM
    CG_SECCOMP_ENOSYS = 2,  // fail the call with ENOSYS (clone3: lets libc fall back to clone)
};

typedef struct {
    const char *name;
    int action;
} cg_syscall_rule;

typedef struct {
    const char *const *argv;    // NULL-terminated
    const char *const *envp;    // NULL-terminated
    const char *cwd;            // inside the sandbox
    const char *hostname;
    const cg_mount_op *mounts;
    int mount_count;
    const cg_rlimit *rlimits;
    int rlimit_count;
    const void *filter;         // struct sock_filter[] from cg_seccomp_build
    int filter_len;
    int new_session;            // setsid(): detach from the controlling terminal (TIOCSTI)
    int bridge_port;            // >0: listen on 127.0.0.1:bridge_port inside and relay to bridge_socket
    const char *bridge_socket;  // inside path of the proxy's unix socket
    uid_t outer_uid;
    gid_t outer_gid;
    uid_t inner_uid;
    gid_t inner_gid;
} cg_spawn_config;

typedef struct {
    pid_t pid;          // the sandbox init, in the caller's pid namespace
    int pidfd;          // -1 when pidfd_open is unavailable
    int sync_w;         // parent -> child: "maps written, go"
    int err_r;          // child -> parent: setup error text; EOF once the command is executing
    int status_r;       // init -> parent: the command's wait status (4 bytes)
} cg_spawn_handle;

/// Where the host's root is visible while the new root is assembled (bind sources and overlay
/// directories are resolved below it). The Swift side prefixes overlay options with it.
#define CG_OLDROOT "/oldroot"

/// Number of the named system call on this architecture, or -1 when it does not exist here.
int cg_syscall_number(const char *name);

/// Builds the seccomp-bpf program: architecture check, the rules, namespace flags on clone, TIOCSTI.
/// Returns the number of instructions written to `out` (capacity `cap` instructions of 8 bytes), or -1.
int cg_seccomp_build(const cg_syscall_rule *rules, int count, void *out, int cap);

/// Clones the sandbox init into new user, mount, pid, network, ipc and uts namespaces and writes its
/// uid/gid maps. The child waits until cg_spawn_release. Returns 0, or -1 with a message in errbuf.
int cg_spawn_start(const cg_spawn_config *config, cg_spawn_handle *handle, char *errbuf, size_t errlen);

/// Lets the child proceed and waits until the command is executing (0) or setup failed (-1, errbuf).
int cg_spawn_release(cg_spawn_handle *handle, char *errbuf, size_t errlen);

/// Waits for the sandbox to finish, at most timeout_ms (-1: no limit). On timeout kills the whole
/// sandbox (the init, hence its pid namespace). Returns 0 and sets *command_status (the command's raw
/// wait status, or -1 if unknown), *init_status and *timed_out.
int cg_spawn_wait(cg_spawn_handle *handle, int timeout_ms, int *command_status, int *init_status, int *timed_out);

/// Kills the sandbox (SIGKILL to its init) and reaps it. Safe to call more than once.
void cg_spawn_kill(cg_spawn_handle *handle);

/// For the command-line tool: SIGINT, SIGTERM, SIGHUP and SIGQUIT kill the running sandbox instead of
/// the caller, so that the caller still cleans up (cgroup, proxy) and reports. Not for libraries.
void cg_enable_signal_forwarding(void);

/// The signal forwarded to the sandbox during the last cg_spawn_wait, or 0.
int cg_forwarded_signal(void);

/// lgetxattr(2) (not exported by Swift's Glibc module).
ssize_t cg_lgetxattr(const char *path, const char *name, void *value, size_t size);

#endif
