/// Container and cluster tools: commands run inside containers and pods, and flags that hand the host over.
enum Containers {
    static let runValueOptions: Set<String> = [
        "-v", "--volume", "-e", "--env", "--env-file", "--name", "--network", "--net", "-p", "--publish", "-w",
        "--workdir", "-u", "--user", "--mount", "--cap-add", "--cap-drop", "--security-opt", "--pid", "--ipc",
        "--device", "-h", "--hostname", "--entrypoint", "-l", "--label", "--memory", "-m", "--cpus", "--restart",
        "--add-host", "--dns", "--tmpfs", "--ulimit", "--userns", "--platform", "--pull", "--runtime", "--gpus",
        "--log-driver", "--log-opt", "--shm-size", "--stop-signal", "--health-cmd", "-a", "--attach", "--cidfile",
        "--group-add", "--uts", "--cgroupns", "--volumes-from", "--link", "--expose", "--mac-address", "--ip",
        "--detach-keys", "--init-path", "--isolation", "--oom-score-adj", "--sysctl",
    ]

    static let docker: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var i = 1
        // Global options.
        while i < a.words.count, a.words[i].text.hasPrefix("-") {
            let t = a.words[i].text
            if ["-H", "--host", "--context", "-c", "--config", "-l", "--log-level"].contains(t) { i += 1 }
            i += 1
        }
        guard i < a.words.count else { return }
        var sub = a.words[i].text
        i += 1
        if sub == "container" || sub == "image", i < a.words.count {
            sub = a.words[i].text
            i += 1
        }
        switch sub {
        case "exec":
            while i < a.words.count, a.words[i].text.hasPrefix("-") {
                if ["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file", "--detach-keys"].contains(a.words[i].text) { i += 1 }
                i += 1
            }
            i += 1  // container
            if i < a.words.count { a.inner.append(Array(a.words[i...])) }
            a.add(.exec, "\(a.program) exec runs a command inside a running container")
        case "run", "create":
            while i < a.words.count, a.words[i].text.hasPrefix("-") {
                let t = a.words[i].text
                var value: String?
                var name = t
                if let eq = t.firstIndex(of: "="), t.hasPrefix("--") {
                    name = String(t[..<eq])
                    value = String(t[t.index(after: eq)...])
                } else if runValueOptions.contains(t), i + 1 < a.words.count {
                    value = a.words[i + 1].text
                    i += 1
                }
                hostEscape(name: name, value: value, &a)
                i += 1
            }
            i += 1  // image
            if i < a.words.count {
                let rest = Array(a.words[i...])
                a.code.append(InnerCode(language: .shell, source: rest.allSatisfy(\.isStatic) ? rest.map(\.text).joined(separator: " ") : nil,
                                        via: "\(a.program) \(sub) (inside the container)"))
            }
        case "build", "pull", "push", "login", "search":
            a.add(.network, "\(a.program) \(sub) talks to a registry", floor: .allow)
        case "rm", "rmi", "kill", "stop", "prune", "system":
            if a.words.contains(where: { $0.text == "prune" || $0.text == "-f" || $0.text == "--force" || $0.text == "--all" || $0.text == "-a" }) {
                a.add(.destructive, "\(a.program) \(sub) removes containers, images or volumes", floor: .allow)
            }
        case "cp":
            for word in a.words[i...] where !word.text.contains(":") && !word.text.hasPrefix("-") {
                a.addPath(word: word, .read, origin: "\(a.program) cp")
            }
        default:
            break
        }
    }

    /// Flags that give a container the host: privileged mode, host namespaces, the host's root or socket.
    static func hostEscape(name: String, value: String?, _ a: inout ProgramAnalysis) {
        switch name {
        case "--privileged":
            a.add(.privilege, "\(a.program) --privileged gives the container full access to the host", floor: .deny)
        case "--pid", "--net", "--network", "--ipc", "--uts", "--userns", "--cgroupns":
            if value == "host" { a.add(.privilege, "\(a.program) \(name)=host shares the host's namespace") }
        case "--cap-add":
            a.add(.privilege, "\(a.program) --cap-add \(value ?? "") gives the container extra capabilities")
        case "--security-opt":
            if let value, value.contains("unconfined") || value.contains("apparmor=unconfined") || value.contains("no-new-privileges=false") {
                a.add(.privilege, "\(a.program) --security-opt \(value) removes confinement")
            }
        case "--device":
            a.add(.privilege, "\(a.program) --device gives the container a host device")
        case "-v", "--volume", "--mount":
            guard let value else { return }
            let source = name == "--mount"
                ? (value.split(separator: ",").first { $0.hasPrefix("source=") || $0.hasPrefix("src=") }.map { String($0.split(separator: "=").last ?? "") } ?? "")
                : String(value.split(separator: ":").first ?? "")
            if source == "/" || source.hasPrefix("/var/run/docker.sock") || source.hasPrefix("/run/docker.sock") || source == "/etc" || source == "/root" || source == "/proc" || source == "/sys" || source == "/dev" {
                a.add(.privilege, "\(a.program) mounts the host's \(source) into the container", floor: .deny)
            } else if !source.isEmpty && (source.hasPrefix("/") || source.hasPrefix("~") || source.hasPrefix(".")) {
                var builder = WordBuilder()
                for b in source.utf8 { builder.appendQuoted(b) }
                a.addPath(word: builder.finish(offset: 0), .write, origin: "\(a.program) volume")
            }
        default:
            break
        }
    }

    static let kubectl: @Sendable (inout ProgramAnalysis) -> Void = { a in
        let texts = a.words.map(\.text)
        guard let sub = texts.dropFirst().first(where: { !$0.hasPrefix("-") }) else { return }
        switch sub {
        case "exec", "attach", "debug", "run":
            if let dash = texts.firstIndex(of: "--"), dash + 1 < a.words.count {
                a.inner.append(Array(a.words[(dash + 1)...]))
            }
            a.add(.exec, "\(a.program) \(sub) runs a command inside the cluster")
        case "delete", "drain", "cordon", "replace", "patch", "scale", "rollout", "apply", "create", "edit", "set", "label", "annotate", "taint":
            a.add(.destructive, "\(a.program) \(sub) changes the cluster", floor: .allow)
        case "cp":
            a.add(.exec, "\(a.program) cp copies files to or from a pod", floor: .allow)
        case "port-forward", "proxy":
            a.add(.network, "\(a.program) \(sub) opens a network tunnel into the cluster")
        case "get", "describe":
            if texts.contains("secret") || texts.contains("secrets") || texts.contains(where: { $0.hasPrefix("secret/") }) {
                a.add(.secretRead, "\(a.program) \(sub) secrets reads cluster credentials")
            }
        default:
            break
        }
    }
}
