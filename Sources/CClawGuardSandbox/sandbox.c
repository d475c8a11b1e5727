// ClawGuard sandbox: the code between clone() and execve(). See include/CClawGuardSandbox.h.
//
// Rules for everything reachable from sandbox_init(): system calls and simple string handling on stack
// buffers only. No malloc, no stdio, no locale: the parent is multi-threaded and another thread may hold
// a lock at the moment of the clone.
#define _GNU_SOURCE
#include "CClawGuardSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <stdio.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef SECBIT_NOROOT
#define SECBIT_NOROOT (1 << 0)
#define SECBIT_NOROOT_LOCKED (1 << 1)
#define SECBIT_NO_SETUID_FIXUP (1 << 2)
#define SECBIT_NO_SETUID_FIXUP_LOCKED (1 << 3)
#define SECBIT_KEEP_CAPS_LOCKED (1 << 5)
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#define NEWROOT "/newroot"
#define PATH_CAP 4096
#define STACK_SIZE (256 * 1024)

// MARK: - System call table (names -> numbers on this architecture)

typedef struct { const char *name; int nr; } cg_syscall_entry;

#define SC(n) { #n, SYS_##n },
static const cg_syscall_entry syscall_table[] = {
    SC(ptrace) SC(process_vm_readv) SC(process_vm_writev) SC(kexec_load)
#ifdef SYS_kexec_file_load
    SC(kexec_file_load)
#endif
    SC(init_module) SC(finit_module) SC(delete_module) SC(reboot) SC(swapon) SC(swapoff)
    SC(mount) SC(umount2) SC(pivot_root) SC(chroot) SC(setns) SC(unshare) SC(bpf) SC(perf_event_open)
    SC(keyctl) SC(add_key) SC(request_key) SC(acct) SC(settimeofday) SC(clock_settime) SC(clock_adjtime)
    SC(adjtimex) SC(sethostname) SC(setdomainname) SC(open_by_handle_at) SC(name_to_handle_at)
    SC(userfaultfd) SC(quotactl) SC(lookup_dcookie) SC(fanotify_init) SC(personality) SC(vhangup)
    SC(syslog) SC(io_uring_setup) SC(io_uring_enter) SC(io_uring_register) SC(clone3)
#ifdef SYS_move_mount
    SC(move_mount) SC(open_tree) SC(fsopen) SC(fsmount) SC(fsconfig) SC(fspick)
#endif
#ifdef SYS_mount_setattr
    SC(mount_setattr)
#endif
#ifdef SYS_umount
    SC(umount)
#endif
#ifdef SYS_iopl
    SC(iopl) SC(ioperm)
#endif
#ifdef SYS_create_module
    SC(create_module)
#endif
#ifdef SYS_uselib
    SC(uselib)
#endif
#ifdef SYS_ustat
    SC(ustat)
#endif
#ifdef SYS_sysfs
    SC(sysfs)
#endif
#ifdef SYS_nfsservctl
    SC(nfsservctl)
#endif
#ifdef SYS_kcmp
    SC(kcmp)
#endif
};
#undef SC

int cg_syscall_number(const char *name) {
    for (size_t i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]); i++)
        if (strcmp(syscall_table[i].name, name) == 0) return syscall_table[i].nr;
    return -1;
}

// MARK: - Seccomp program

#if defined(__x86_64__)
#define CG_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CG_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "ClawGuard sandbox: unsupported architecture"
#endif

static unsigned int action_value(int action) {
    switch (action) {
    case CG_SECCOMP_EPERM: return SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
    case CG_SECCOMP_ENOSYS: return SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA);
    default: return SECCOMP_RET_KILL_PROCESS;
    }
}

int cg_seccomp_build(const cg_syscall_rule *rules, int count, void *out, int cap) {
    struct sock_filter *f = out;
    int n = 0;
#define EMIT(x) do { if (n >= cap) return -1; f[n++] = (struct sock_filter)x; } while (0)
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CG_AUDIT_ARCH, 1, 0));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
#if defined(__x86_64__)
    // The x32 ABI is another way in to every call: refuse it.
    EMIT(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
#endif
    for (int i = 0; i < count; i++) {
        int nr = cg_syscall_number(rules[i].name);
        if (nr < 0) continue;
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1));
        EMIT(BPF_STMT(BPF_RET | BPF_K, action_value(rules[i].action)));
    }
    // clone with any namespace flag: a namespace escape attempt.
    const unsigned int ns_flags = CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                                  CLONE_NEWUTS | CLONE_NEWCGROUP;
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, ns_flags, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    // ioctl(TIOCSTI): pushing keystrokes into the controlling terminal.
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 3));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
#undef EMIT
    return n;
}

// MARK: - Child-side helpers (async-signal-safe only)

typedef struct {
    const cg_spawn_config *config;
    int sync_r, err_w, status_w;
} child_args;

typedef struct { int err; char message[248]; } child_error;

static size_t s_len(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

static int s_join(char *out, const char *a, const char *b) {
    size_t la = s_len(a), lb = s_len(b);
    if (la + lb + 1 > PATH_CAP) return -1;
    memcpy(out, a, la);
    memcpy(out + la, b, lb + 1);
    return 0;
}

static void s_copy(char *dst, size_t cap, const char *a, const char *b) {
    size_t n = 0;
    for (const char *p = a; *p && n + 1 < cap; p++) dst[n++] = *p;
    for (const char *p = b; p && *p && n + 1 < cap; p++) dst[n++] = *p;
    dst[n] = 0;
}

static void report(int fd, const char *what, const char *path) {
    child_error e;
    e.err = errno;
    s_copy(e.message, sizeof e.message, what, path);
    ssize_t ignored = write(fd, &e, sizeof e);
    (void)ignored;
}

#define FAIL(what, path) do { report(a->err_w, what, path); _exit(125); } while (0)

static int mkdir_p(const char *path, mode_t mode) {
    char buf[PATH_CAP];
    size_t n = s_len(path);
    if (n + 1 > sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, mode) != 0 && errno != EEXIST) return -1;
            buf[i] = c;
        }
    }
    return 0;
}

static int ensure_file(const char *path) {
    char parent[PATH_CAP];
    size_t n = s_len(path);
    memcpy(parent, path, n + 1);
    while (n > 0 && parent[n] != '/') n--;
    parent[n] = 0;
    if (n > 0 && mkdir_p(parent, 0755) != 0) return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0444);
    if (fd < 0) {
        struct stat st;
        if (errno == EEXIST || stat(path, &st) == 0) return 0;
        return -1;
    }
    close(fd);
    return 0;
}

// Flags a bind remount must keep in a user namespace (dropping a locked flag fails with EPERM).
static unsigned long locked_flags(const char *path) {
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(path, &sv) != 0) return 0;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

static int bind_mount(const char *src, const char *dst, int rdonly, int noexec, int devices) {
    struct stat st;
    if (stat(src, &st) != 0) return -1;
    if (S_ISDIR(st.st_mode)) {
        if (mkdir_p(dst, 0755) != 0) return -1;
    } else if (ensure_file(dst) != 0) return -1;
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) != 0) return -1;
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | locked_flags(dst);
    if (!devices) flags |= MS_NODEV;
    if (rdonly) flags |= MS_RDONLY;
    if (noexec) flags |= MS_NOEXEC;
    return mount(NULL, dst, NULL, flags, NULL);
}

static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
static const char *const dev_links[][2] = {
    {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"}, {"pts/ptmx", "ptmx"},
};

static void setup_dev(child_args *a, const char *dev) {
    char p[PATH_CAP], src[PATH_CAP];
    if (mkdir_p(dev, 0755) != 0) FAIL("mkdir ", dev);
    if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=65536") != 0) FAIL("mount tmpfs on ", dev);
    for (size_t i = 0; i < sizeof dev_nodes / sizeof dev_nodes[0]; i++) {
        s_copy(src, sizeof src, CG_OLDROOT "/dev/", dev_nodes[i]);
        s_copy(p, sizeof p, dev, "/");
        s_copy(p, sizeof p, p, dev_nodes[i]);
        if (access(src, F_OK) != 0) continue;
        if (bind_mount(src, p, 0, 1, 1) != 0 && i < 5) FAIL("bind device ", src);
    }
    for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++) {
        s_copy(p, sizeof p, dev, "/");
        s_copy(p, sizeof p, p, dev_links[i][1]);
        if (symlink(dev_links[i][0], p) != 0) FAIL("symlink ", p);
    }
    s_copy(p, sizeof p, dev, "/pts");
    if (mkdir_p(p, 0755) == 0)
        mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    s_copy(p, sizeof p, dev, "/shm");
    if (mkdir_p(p, 01777) != 0 ||
        mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=67108864") != 0)
        FAIL("mount tmpfs on ", p);
}

// Read-only parts of /proc that are writable by a uid-0 owner without capabilities (Docker does the same).
static const char *const proc_readonly[] = {"/sys", "/sysrq-trigger", "/irq", "/bus", "/fs"};
static const char *const proc_masked[] = {"/kcore", "/keys", "/timer_list", "/kallsyms", "/sched_debug"};

static void setup_proc(child_args *a, const char *proc) {
    char p[PATH_CAP];
    if (mkdir_p(proc, 0555) != 0) FAIL("mkdir ", proc);
    if (mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) FAIL("mount proc on ", proc);
    for (size_t i = 0; i < sizeof proc_readonly / sizeof proc_readonly[0]; i++) {
        s_copy(p, sizeof p, proc, proc_readonly[i]);
        if (access(p, F_OK) != 0) continue;
        if (bind_mount(p, p, 1, 1, 0) != 0) FAIL("read-only bind of ", p);
    }
    for (size_t i = 0; i < sizeof proc_masked / sizeof proc_masked[0]; i++) {
        s_copy(p, sizeof p, proc, proc_masked[i]);
        if (access(p, F_OK) != 0) continue;
        if (bind_mount(CG_OLDROOT "/dev/null", p, 1, 1, 1) != 0) FAIL("mask ", p);
    }
}

static void run_mount(child_args *a, const cg_mount_op *op) {
    char target[PATH_CAP], source[PATH_CAP];
    if (s_join(target, NEWROOT, op->target) != 0) { errno = ENAMETOOLONG; FAIL("target ", op->target); }
    int rdonly = (op->flags & CG_MF_RDONLY) != 0, noexec = (op->flags & CG_MF_NOEXEC) != 0;
    switch (op->kind) {
    case CG_MOUNT_BIND:
        if (s_join(source, CG_OLDROOT, op->source) != 0) { errno = ENAMETOOLONG; FAIL("source ", op->source); }
        if (bind_mount(source, target, rdonly, noexec, 0) != 0) {
            if ((op->flags & CG_MF_OPTIONAL) && (errno == ENOENT || errno == ENOTDIR)) return;
            FAIL("bind mount ", op->source);
        }
        return;
    case CG_MOUNT_TMPFS: {
        unsigned long flags = MS_NOSUID | MS_NODEV | (noexec ? MS_NOEXEC : 0) | (rdonly ? MS_RDONLY : 0);
        if (mkdir_p(target, 0755) != 0) FAIL("mkdir ", op->target);
        if (mount("tmpfs", target, "tmpfs", flags, op->data) != 0) FAIL("mount tmpfs on ", op->target);
        return;
    }
    case CG_MOUNT_PROC: setup_proc(a, target); return;
    case CG_MOUNT_DEV: setup_dev(a, target); return;
    case CG_MOUNT_OVERLAY: {
        unsigned long flags = MS_NOSUID | MS_NODEV | (noexec ? MS_NOEXEC : 0);
        if (mkdir_p(target, 0755) != 0) FAIL("mkdir ", op->target);
        if (mount("overlay", target, "overlay", flags, op->data) != 0) FAIL("mount overlay on ", op->target);
        return;
    }
    case CG_MOUNT_SYMLINK: {
        char parent[PATH_CAP];
        size_t n = s_len(target);
        memcpy(parent, target, n + 1);
        while (n > 0 && parent[n] != '/') n--;
        parent[n] = 0;
        if (mkdir_p(parent, 0755) != 0) FAIL("mkdir ", parent);
        if (symlink(op->source, target) != 0 && errno != EEXIST) FAIL("symlink ", op->target);
        return;
    }
    case CG_MOUNT_DIR:
        if (mkdir_p(target, 0755) != 0) FAIL("mkdir ", op->target);
        return;
    case CG_MOUNT_MASK: return;  // applied after the pivot, see apply_mask
    default: errno = EINVAL; FAIL("unknown mount kind for ", op->target);
    }
}

// Masks run after the pivot so that paths (and symlinks) resolve as the command will see them.
static void apply_mask(child_args *a, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return;  // nothing there: nothing to hide
    if (S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0000,size=4096") != 0)
            FAIL("mask ", path);
    } else if (bind_mount("/dev/null", path, 1, 1, 1) != 0) {
        FAIL("mask ", path);
    }
}

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        p += w; len -= (size_t)w;
    }
    return 0;
}

static void bring_up_loopback(child_args *a) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) FAIL("socket for ", "lo");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) FAIL("read flags of ", "lo");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) FAIL("bring up ", "lo");
    close(s);
}

static void drop_privileges(child_args *a) {
    if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                     SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED) != 0)
        FAIL("prctl ", "PR_SET_SECUREBITS");
    for (int c = 0; c < 64; c++)
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) FAIL("drop capability bounding set", "");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        FAIL("clear ambient capabilities", "");
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &hdr, data) != 0) FAIL("capset", "");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) FAIL("prctl ", "PR_SET_NO_NEW_PRIVS");
    if (a->config->filter_len > 0) {
        struct sock_fprog prog = {(unsigned short)a->config->filter_len, (struct sock_filter *)a->config->filter};
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) FAIL("install seccomp filter", "");
    }
}

static const char *env_lookup(const char *const *envp, const char *key) {
    size_t n = s_len(key);
    for (; *envp; envp++)
        if (strncmp(*envp, key, n) == 0 && (*envp)[n] == '=') return *envp + n + 1;
    return NULL;
}

static void exec_command(const cg_spawn_config *c) {
    const char *file = c->argv[0];
    if (strchr(file, '/')) { execve(file, (char *const *)c->argv, (char *const *)c->envp); return; }
    const char *path = env_lookup(c->envp, "PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    int saw_eacces = 0;
    char buf[PATH_CAP];
    size_t flen = s_len(file);
    while (*path) {
        const char *end = strchr(path, ':');
        size_t dlen = end ? (size_t)(end - path) : s_len(path);
        if (dlen + flen + 2 <= sizeof buf) {
            memcpy(buf, path, dlen);
            size_t n = dlen;
            if (n == 0) buf[n++] = '.';
            buf[n++] = '/';
            memcpy(buf + n, file, flen + 1);
            execve(buf, (char *const *)c->argv, (char *const *)c->envp);
            if (errno == EACCES) saw_eacces = 1;
        }
        if (!end) break;
        path = end + 1;
    }
    errno = saw_eacces ? EACCES : ENOENT;
}

static void close_other_fds(const int *keep, int count) {
    // keep is sorted ascending
    unsigned int from = 3;
    for (int i = 0; i < count; i++) {
        if ((unsigned int)keep[i] > from) syscall(SYS_close_range, from, (unsigned int)keep[i] - 1, 0);
        if ((unsigned int)keep[i] >= from) from = (unsigned int)keep[i] + 1;
    }
    syscall(SYS_close_range, from, ~0U, 0);
}

// MARK: - Proxy bridge (runs inside the network namespace)

static volatile sig_atomic_t child_pipe_w = -1;

static void on_sigchld(int sig) {
    (void)sig;
    int saved = errno;
    char c = 1;
    if (child_pipe_w >= 0) { ssize_t ignored = write(child_pipe_w, &c, 1); (void)ignored; }
    errno = saved;
}

static void relay(int a_fd, int b_fd) {
    char buf[65536];
    int open_a = 1, open_b = 1;
    while (open_a || open_b) {
        struct pollfd p[2] = {{a_fd, open_a ? POLLIN : 0, 0}, {b_fd, open_b ? POLLIN : 0, 0}};
        if (poll(p, 2, -1) < 0) { if (errno == EINTR) continue; return; }
        for (int i = 0; i < 2; i++) {
            if (!(i == 0 ? open_a : open_b) || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            int from = i == 0 ? a_fd : b_fd, to = i == 0 ? b_fd : a_fd;
            ssize_t r = read(from, buf, sizeof buf);
            if (r <= 0 || write_all(to, buf, (size_t)r) != 0) {
                shutdown(to, SHUT_WR);
                if (i == 0) open_a = 0; else open_b = 0;
            }
        }
    }
}

static int bridge_listen(child_args *a) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) FAIL("bridge socket", "");
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)a->config->bridge_port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0) FAIL("bind proxy bridge on 127.0.0.1", "");
    if (listen(s, 128) != 0) FAIL("listen proxy bridge", "");
    return s;
}

static void bridge_connection(const char *socket_path, int client) {
    int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    size_t n = s_len(socket_path);
    if (u < 0 || n >= sizeof addr.sun_path) _exit(1);
    memcpy(addr.sun_path, socket_path, n + 1);
    if (connect(u, (struct sockaddr *)&addr, sizeof addr) != 0) _exit(1);
    relay(client, u);
    _exit(0);
}

// MARK: - The sandbox init

// fork() without glibc: glibc's fork takes the malloc and stdio locks (for its atfork handling), and the
// init is a copy of a multi-threaded process in which another thread may have held one of them at the
// moment of the clone: it would wait forever. The raw system call takes no lock.
static pid_t raw_fork(void) {
    return (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL);
}

static void reset_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < 65; s++) sigaction(s, &sa, NULL);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
}

static int sandbox_init(void *arg) {
    child_args *a = arg;
    const cg_spawn_config *c = a->config;
    char go;
    // The cloning thread may block signals (Dispatch worker threads do): start clean.
    reset_signals();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (read(a->sync_r, &go, 1) != 1) _exit(124);  // the parent gave up (maps are written by now)
    // The init is a copy of the caller, environment and heap included: make /proc/1/{environ,mem,...}
    // unreadable to the command (no ptrace access to a non-dumpable process without CAP_SYS_PTRACE).
    // Not before the maps are written: an unprivileged parent could no longer write them.
    prctl(PR_SET_DUMPABLE, 0);
    close(a->sync_r);
    int keep[2] = {a->err_w < a->status_w ? a->err_w : a->status_w, a->err_w < a->status_w ? a->status_w : a->err_w};
    close_other_fds(keep, 2);

    // 1. A private mount tree, and a scratch root on which the new root is assembled.
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) FAIL("make mounts private", "");
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=65536") != 0) FAIL("scratch tmpfs", "");
    if (chdir("/tmp") != 0) FAIL("chdir ", "/tmp");
    if (mkdir("newroot", 0755) != 0 || mkdir("oldroot", 0755) != 0) FAIL("mkdir scratch dirs", "");
    if (syscall(SYS_pivot_root, "/tmp", "/tmp/oldroot") != 0) FAIL("pivot_root to the scratch root", "");
    if (chdir("/") != 0) FAIL("chdir ", "/");
    if (mount("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1048576") != 0) FAIL("root tmpfs", "");

    // 2. The mount plan (host paths under /oldroot, targets under /newroot).
    for (int i = 0; i < c->mount_count; i++) run_mount(a, &c->mounts[i]);

    // 3. Enter the new root and forget the old one.
    if (umount2(CG_OLDROOT, MNT_DETACH) != 0) FAIL("detach the host root", "");
    if (chdir(NEWROOT) != 0) FAIL("chdir ", NEWROOT);
    if (syscall(SYS_pivot_root, ".", ".") != 0) FAIL("pivot_root into the new root", "");
    if (umount2(".", MNT_DETACH) != 0) FAIL("detach the scratch root", "");
    if (chdir("/") != 0) FAIL("chdir ", "/");
    for (int i = 0; i < c->mount_count; i++)
        if (c->mounts[i].kind == CG_MOUNT_MASK) apply_mask(a, c->mounts[i].target);
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
        FAIL("make the root read-only", "");

    // 4. Identity and network inside.
    if (c->hostname && sethostname(c->hostname, s_len(c->hostname)) != 0) FAIL("sethostname", "");
    bring_up_loopback(a);
    int listen_fd = c->bridge_port > 0 ? bridge_listen(a) : -1;
    int cpipe[2] = {-1, -1};
    if (listen_fd >= 0) {
        if (pipe2(cpipe, O_CLOEXEC | O_NONBLOCK) != 0) FAIL("pipe", "");
        child_pipe_w = cpipe[1];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigchld;
        sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
        sigaction(SIGCHLD, &sa, NULL);
    }

    // 5. Limits, then give up every privilege: they hold for the init and everything it starts.
    for (int i = 0; i < c->rlimit_count; i++) {
        struct rlimit rl = {(rlim_t)c->rlimits[i].soft, (rlim_t)c->rlimits[i].hard};
        if (setrlimit(c->rlimits[i].resource, &rl) != 0) FAIL("setrlimit", "");
    }
    drop_privileges(a);

    // 6. The command.
    pid_t cmd = raw_fork();
    if (cmd < 0) FAIL("fork the command", "");
    if (cmd == 0) {
        reset_signals();
        if (c->new_session) setsid();
        if (chdir(c->cwd) != 0) FAIL("chdir to the working directory ", c->cwd);
        syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
        exec_command(c);
        FAIL("execute ", c->argv[0]);
    }
    close(a->err_w);

    // 7. Reap, relay, report the command's status.
    for (;;) {
        if (listen_fd >= 0) {
            struct pollfd p[2] = {{listen_fd, POLLIN, 0}, {cpipe[0], POLLIN, 0}};
            if (poll(p, 2, -1) < 0 && errno != EINTR) _exit(126);
            if (p[1].revents & POLLIN) { char d[64]; while (read(cpipe[0], d, sizeof d) > 0) {} }
            if (p[0].revents & POLLIN) {
                int client = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
                if (client >= 0) {
                    pid_t r = raw_fork();
                    if (r == 0) {
                        reset_signals();
                        close(listen_fd);
                        close(a->status_w);
                        bridge_connection(c->bridge_socket, client);
                    }
                    close(client);
                }
            }
        }
        int st;
        pid_t p;
        while ((p = waitpid(-1, &st, listen_fd >= 0 ? WNOHANG : 0)) != 0) {
            if (p < 0) { if (errno == EINTR) continue; _exit(126); }
            if (p == cmd) {
                write_all(a->status_w, &st, sizeof st);
                _exit(0);
            }
        }
    }
}

// MARK: - Parent side

static volatile sig_atomic_t forwarding_enabled = 0;
static volatile sig_atomic_t forward_pid = 0;
static volatile sig_atomic_t forwarded_signal = 0;

static void forward_signal(int sig) {
    forwarded_signal = sig;
    if (forward_pid > 0) kill((pid_t)forward_pid, SIGKILL);
}

void cg_enable_signal_forwarding(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    sigset_t unblock;
    sigemptyset(&unblock);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&unblock, sigs[i]);
    }
    // A launcher may hand us these signals blocked (Foundation's Process does): the run must still be stoppable.
    // (The previous ArgumentParser entry point happened to run the sandbox with them unblocked.)
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    forwarding_enabled = 1;
}

int cg_forwarded_signal(void) { return forwarded_signal; }

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t n = strlen(text);
    int r = write(fd, text, n) == (ssize_t)n ? 0 : -1;
    int saved = errno;
    close(fd);
    errno = saved;
    return r;
}

static void set_error(char *errbuf, size_t errlen, const char *what, int err) {
    snprintf(errbuf, errlen, "%s: %s", what, strerror(err));
}

int cg_spawn_start(const cg_spawn_config *config, cg_spawn_handle *h, char *errbuf, size_t errlen) {
    int sync_p[2], err_p[2], status_p[2];
    h->pid = -1; h->pidfd = -1; h->sync_w = h->err_r = h->status_r = -1;
    if (pipe2(sync_p, O_CLOEXEC) != 0) { set_error(errbuf, errlen, "pipe", errno); return -1; }
    if (pipe2(err_p, O_CLOEXEC) != 0) { set_error(errbuf, errlen, "pipe", errno); close(sync_p[0]); close(sync_p[1]); return -1; }
    if (pipe2(status_p, O_CLOEXEC) != 0) {
        set_error(errbuf, errlen, "pipe", errno);
        close(sync_p[0]); close(sync_p[1]); close(err_p[0]); close(err_p[1]);
        return -1;
    }
    void *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        set_error(errbuf, errlen, "allocate the clone stack", errno);
        close(sync_p[0]); close(sync_p[1]); close(err_p[0]); close(err_p[1]); close(status_p[0]); close(status_p[1]);
        return -1;
    }
    child_args args = {config, sync_p[0], err_p[1], status_p[1]};
    int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
    pid_t pid = clone(sandbox_init, (char *)stack + STACK_SIZE, flags, &args);
    int clone_errno = errno;
    munmap(stack, STACK_SIZE);
    close(sync_p[0]); close(err_p[1]); close(status_p[1]);
    if (pid < 0) {
        close(sync_p[1]); close(err_p[0]); close(status_p[0]);
        snprintf(errbuf, errlen,
                 "the kernel refused to create the sandbox namespaces (user, mount, pid, network, ipc, uts): %s. "
                 "Unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone, "
                 "user.max_user_namespaces, or an AppArmor/SELinux restriction); run as root or enable them",
                 strerror(clone_errno));
        return -1;
    }
    h->pid = pid; h->sync_w = sync_p[1]; h->err_r = err_p[0]; h->status_r = status_p[0];
    if (forwarding_enabled) forward_pid = pid;
    h->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

    char path[64], map[64];
    snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
    if (write_file(path, "deny") != 0 && errno != ENOENT) {
        set_error(errbuf, errlen, "write setgroups of the sandbox", errno);
        cg_spawn_kill(h);
        return -1;
    }
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
    snprintf(map, sizeof map, "%u %u 1\n", config->inner_uid, config->outer_uid);
    if (write_file(path, map) != 0) { set_error(errbuf, errlen, "write the sandbox uid map", errno); cg_spawn_kill(h); return -1; }
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
    snprintf(map, sizeof map, "%u %u 1\n", config->inner_gid, config->outer_gid);
    if (write_file(path, map) != 0) { set_error(errbuf, errlen, "write the sandbox gid map", errno); cg_spawn_kill(h); return -1; }
    return 0;
}

int cg_spawn_release(cg_spawn_handle *h, char *errbuf, size_t errlen) {
    char go = 1;
    if (write(h->sync_w, &go, 1) != 1) { set_error(errbuf, errlen, "start the sandbox", errno); cg_spawn_kill(h); return -1; }
    close(h->sync_w);
    h->sync_w = -1;
    child_error e;
    size_t got = 0;
    while (got < sizeof e) {
        // Setup is a few milliseconds of system calls; a child silent this long is stuck: fail closed.
        struct pollfd p = {h->err_r, POLLIN, 0};
        int ready = poll(&p, 1, 30000);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            snprintf(errbuf, errlen, "sandbox setup did not finish within 30 s; the sandbox was killed");
            cg_spawn_kill(h);
            return -1;
        }
        ssize_t r = read(h->err_r, (char *)&e + got, sizeof e - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(h->err_r);
    h->err_r = -1;
    if (got == 0) return 0;
    if (got == sizeof e) {
        e.message[sizeof e.message - 1] = 0;
        snprintf(errbuf, errlen, "sandbox setup failed: %s: %s", e.message, strerror(e.err));
    } else {
        snprintf(errbuf, errlen, "sandbox setup failed (truncated report)");
    }
    cg_spawn_kill(h);
    return -1;
}

int cg_spawn_wait(cg_spawn_handle *h, int timeout_ms, int *command_status, int *init_status, int *timed_out) {
    *command_status = -1; *init_status = -1; *timed_out = 0;
    struct pollfd p = {h->status_r, POLLIN, 0};
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) { *timed_out = 1; kill(h->pid, SIGKILL); }
        break;
    }
    if (!*timed_out) {
        int st;
        ssize_t got = read(h->status_r, &st, sizeof st);
        if (got == (ssize_t)sizeof st) *command_status = st;
    }
    int st;
    while (waitpid(h->pid, &st, __WALL) < 0) {
        if (errno != EINTR) { st = -1; break; }
    }
    *init_status = st;
    forward_pid = 0;
    h->pid = -1;
    close(h->status_r);
    h->status_r = -1;
    if (h->pidfd >= 0) { close(h->pidfd); h->pidfd = -1; }
    return 0;
}

void cg_spawn_kill(cg_spawn_handle *h) {
    if (h->pid > 0) {
        kill(h->pid, SIGKILL);
        int st;
        while (waitpid(h->pid, &st, __WALL) < 0 && errno == EINTR) {}
        h->pid = -1;
    }
    if (h->sync_w >= 0) { close(h->sync_w); h->sync_w = -1; }
    if (h->err_r >= 0) { close(h->err_r); h->err_r = -1; }
    if (h->status_r >= 0) { close(h->status_r); h->status_r = -1; }
    if (h->pidfd >= 0) { close(h->pidfd); h->pidfd = -1; }
}

ssize_t cg_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    return lgetxattr(path, name, value, size);
}
