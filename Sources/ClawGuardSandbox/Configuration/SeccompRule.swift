import CClawGuardSandbox

/// A system call the sandbox refuses, the way it refuses it, and why.
public struct SeccompRule: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Kill the process (SIGSYS); the run reports "refused system call".
        case kill
        /// The call fails with EPERM; the program continues.
        case errorEPERM
        /// The call fails with ENOSYS (lets libc fall back, e.g. clone3 to clone).
        case errorENOSYS
    }
    public var name: String
    public var action: Action
    public var reason: String

    public init(_ name: String, _ action: Action, _ reason: String) {
        self.name = name
        self.action = action
        self.reason = reason
    }

    /// What a tool never needs. Beyond this table the filter also refuses: other architectures' ABIs
    /// (x32), `clone` with any namespace flag (kill), and `ioctl(TIOCSTI)` (EPERM).
    public static let defaults: [SeccompRule] = [
        SeccompRule("ptrace", .kill, "debugging or injecting into another process"),
        SeccompRule("process_vm_readv", .kill, "reading another process's memory"),
        SeccompRule("process_vm_writev", .kill, "writing another process's memory"),
        SeccompRule("kcmp", .kill, "comparing kernel objects of other processes"),
        SeccompRule("kexec_load", .kill, "loading a new kernel"),
        SeccompRule("kexec_file_load", .kill, "loading a new kernel"),
        SeccompRule("init_module", .kill, "loading a kernel module"),
        SeccompRule("finit_module", .kill, "loading a kernel module"),
        SeccompRule("delete_module", .kill, "unloading a kernel module"),
        SeccompRule("create_module", .kill, "loading a kernel module"),
        SeccompRule("reboot", .kill, "rebooting the machine"),
        SeccompRule("swapon", .kill, "changing swap"),
        SeccompRule("swapoff", .kill, "changing swap"),
        SeccompRule("mount", .kill, "changing the file system view"),
        SeccompRule("umount2", .kill, "changing the file system view"),
        SeccompRule("pivot_root", .kill, "changing the file system view"),
        SeccompRule("move_mount", .kill, "changing the file system view"),
        SeccompRule("open_tree", .kill, "changing the file system view"),
        SeccompRule("fsopen", .kill, "changing the file system view"),
        SeccompRule("fsmount", .kill, "changing the file system view"),
        SeccompRule("fsconfig", .kill, "changing the file system view"),
        SeccompRule("fspick", .kill, "changing the file system view"),
        SeccompRule("mount_setattr", .kill, "changing the file system view"),
        SeccompRule("chroot", .kill, "changing the root directory"),
        SeccompRule("setns", .kill, "joining another namespace"),
        SeccompRule("unshare", .kill, "creating namespaces"),
        SeccompRule("bpf", .kill, "loading kernel programs"),
        SeccompRule("perf_event_open", .kill, "kernel performance monitoring"),
        SeccompRule("open_by_handle_at", .kill, "opening files by handle, around mount boundaries"),
        SeccompRule("name_to_handle_at", .errorEPERM, "file handles"),
        SeccompRule("iopl", .kill, "raw I/O port access"),
        SeccompRule("ioperm", .kill, "raw I/O port access"),
        SeccompRule("acct", .kill, "process accounting"),
        SeccompRule("settimeofday", .kill, "changing the system clock"),
        SeccompRule("clock_settime", .kill, "changing the system clock"),
        SeccompRule("clock_adjtime", .kill, "changing the system clock"),
        SeccompRule("adjtimex", .errorEPERM, "changing the system clock"),
        SeccompRule("quotactl", .kill, "disk quotas"),
        SeccompRule("lookup_dcookie", .kill, "kernel profiling"),
        SeccompRule("fanotify_init", .kill, "watching the whole file system"),
        SeccompRule("uselib", .kill, "obsolete library loading"),
        SeccompRule("nfsservctl", .kill, "kernel NFS server"),
        SeccompRule("sysfs", .kill, "obsolete file system information"),
        SeccompRule("ustat", .kill, "obsolete file system information"),
        SeccompRule("vhangup", .kill, "hanging up the terminal"),
        SeccompRule("sethostname", .errorEPERM, "renaming the host"),
        SeccompRule("setdomainname", .errorEPERM, "renaming the domain"),
        SeccompRule("keyctl", .errorEPERM, "the kernel keyring"),
        SeccompRule("add_key", .errorEPERM, "the kernel keyring"),
        SeccompRule("request_key", .errorEPERM, "the kernel keyring"),
        SeccompRule("userfaultfd", .errorEPERM, "a common kernel-exploit primitive"),
        SeccompRule("syslog", .errorEPERM, "the kernel log"),
        SeccompRule("io_uring_setup", .errorEPERM, "io_uring (large kernel attack surface)"),
        SeccompRule("io_uring_enter", .errorEPERM, "io_uring (large kernel attack surface)"),
        SeccompRule("io_uring_register", .errorEPERM, "io_uring (large kernel attack surface)"),
        SeccompRule("clone3", .errorENOSYS, "its flags cannot be inspected; libc falls back to clone"),
    ]
}

/// Namespace for small helpers shared with tests.
public enum ClawGuardSandbox {
    /// The number of a system call on this architecture, or -1.
    public static func syscallNumber(_ name: String) -> Int32 { cg_syscall_number(name) }

    /// Rules of `rules` whose system call does not exist on this architecture (they are skipped).
    public static func unknownSyscalls(_ rules: [SeccompRule] = SeccompRule.defaults) -> [String] {
        rules.map(\.name).filter { cg_syscall_number($0) < 0 }
    }
}
