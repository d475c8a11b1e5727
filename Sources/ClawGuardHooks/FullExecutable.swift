#if canImport(Glibc)
import Glibc
#endif

/// The companion executable with every command (`clawguard-full`, built from `Sources/clawguard`), installed in
/// the same directory as the slim `clawguard` front.
package enum FullExecutable {
    /// The companion's file name.
    package static let name = "clawguard-full"

    /// The directory of the running executable (through `/proc/self/exe`, so symbolic links to the front work).
    package static func ownDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// Replaces this process with `clawguard-full`, passing the command line unchanged. Never returns: if the
    /// companion is missing, says so and exits 127 — or 2 for `hook`, an agent's blocking error (fail closed).
    package static func exec(arguments: [String]) -> Never {
        let status: Int32 = arguments.dropFirst().first == "hook" ? 2 : 127
        guard let directory = ownDirectory() else { fail("cannot find the clawguard executable's directory", status) }
        let path = directory + "/" + name
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        fail("this command needs \(path), which cannot be started (\(String(cString: strerror(errno)))); "
             + "install it next to clawguard (swift build --product \(name))", status)
    }

    private static func fail(_ message: String, _ status: Int32) -> Never {
        let line = "clawguard: \(message)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        exit(status)
    }
}
