import ClawGuardCore
import Foundation

/// An OpenClaw configuration as OpenClaw itself would see it: the main file, its `$include`d files merged
/// in, and `${VAR}` references substituted from the environment.
public struct OpenClawConfig: Sendable {
    /// `$include` limits, the same as OpenClaw's loader (`src/config/includes.ts`).
    public static let maxIncludeDepth = 10
    public static let maxFileBytes = 2 * 1024 * 1024

    public var configPath: String
    public var stateDir: String
    public var main: SourceDocument
    public var includes: [SourceDocument]
    /// The merged, substituted configuration.
    public var value: JSONValue
    /// Dotted key paths whose value came from `${VAR}` / `${pass:…}` references (not written in the file).
    public var externalPaths: Set<String>

    /// The file and line where a key path is written: the main file first, then the included files.
    public func location(_ keyPath: [String]) -> (file: String, line: Int?) {
        for document in [main] + includes {
            if let line = document.exactLine(of: keyPath) { return (document.path, line) }
        }
        return (main.path, main.line(of: keyPath))
    }

    public func location(_ dotted: String) -> (file: String, line: Int?) {
        location(dotted.split(separator: ".").map(String.init))
    }

    /// Whether the value at `dotted` is supplied from outside the file (env var, secret store, SecretRef).
    public func isExternal(_ dotted: String) -> Bool {
        if externalPaths.contains(dotted) { return true }
        if case .object(let object)? = value.at(dotted), object["source"] != nil { return true }
        return false
    }
}

/// Loads `openclaw.json` with `$include` and `${VAR}` handling.
package struct OpenClawLoader {
    package var host: any HostFacts
    package var environment: [String: String]

    package func load(configPath: String, stateDir: String) throws -> OpenClawConfig {
        let main = try readDocument(configPath)
        var includes: [SourceDocument] = []
        let rootDir = (configPath as NSString).deletingLastPathComponent
        let merged = try resolveIncludes(
            main.value, basePath: configPath, rootDir: rootDir, visited: [configPath], depth: 0, into: &includes)
        var external = Set<String>()
        let substituted = substitute(merged, path: [], external: &external)
        return OpenClawConfig(
            configPath: configPath, stateDir: stateDir, main: main, includes: includes, value: substituted,
            externalPaths: external)
    }

    private func readDocument(_ path: String) throws -> SourceDocument {
        let data = try host.read(path, limit: OpenClawConfig.maxFileBytes)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ClawGuardError(.parseError, "\(path) is not UTF-8 text")
        }
        do {
            return SourceDocument(path: path, text: text, value: try ConfigParser.json5(data))
        } catch {
            throw ClawGuardError(.parseError, "\(path) is not valid JSON5", underlying: error)
        }
    }

    private func resolveIncludes(
        _ value: JSONValue, basePath: String, rootDir: String, visited: [String], depth: Int,
        into documents: inout [SourceDocument]
    ) throws -> JSONValue {
        switch value {
        case .array(let items):
            return .array(
                try items.map {
                    try resolveIncludes(
                        $0, basePath: basePath, rootDir: rootDir, visited: visited, depth: depth, into: &documents)
                })
        case .object(var object):
            let include = object.removeValue(forKey: "$include")
            var rest: [String: JSONValue] = [:]
            for (key, child) in object {
                rest[key] = try resolveIncludes(
                    child, basePath: basePath, rootDir: rootDir, visited: visited, depth: depth, into: &documents)
            }
            guard let include else { return .object(rest) }
            let paths: [String]
            switch include {
            case .string(let single): paths = [single]
            case .array(let items):
                paths = try items.map {
                    guard case .string(let text) = $0 else {
                        throw ClawGuardError(.parseError, "$include in \(basePath) lists a non-string item")
                    }
                    return text
                }
            default: throw ClawGuardError(.parseError, "$include in \(basePath) must be a string or a list of strings")
            }
            var included: JSONValue = .object([:])
            for relative in paths {
                let loaded = try loadInclude(
                    relative, basePath: basePath, rootDir: rootDir, visited: visited, depth: depth, into: &documents)
                included = Self.deepMerge(included, loaded)
            }
            if rest.isEmpty { return included }
            guard case .object = included else {
                throw ClawGuardError(.parseError, "$include in \(basePath) has sibling keys but includes a non-object")
            }
            return Self.deepMerge(included, .object(rest))
        default:
            return value
        }
    }

    private func loadInclude(
        _ relative: String, basePath: String, rootDir: String, visited: [String], depth: Int,
        into documents: inout [SourceDocument]
    ) throws -> JSONValue {
        let joined =
            relative.hasPrefix("/")
            ? relative : ((basePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(relative)
        let resolved = (joined as NSString).standardizingPath
        let root = (rootDir as NSString).standardizingPath
        guard resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw ClawGuardError(.invalidInput, "$include \(relative) escapes the config directory \(root)")
        }
        if let real = host.realPath(resolved), let realRoot = host.realPath(root),
            !(real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/"))
        {
            throw ClawGuardError(.invalidInput, "$include \(relative) resolves outside the config directory (symlink)")
        }
        if visited.contains(resolved) {
            throw ClawGuardError(
                .invalidInput, "circular $include: \((visited + [resolved]).joined(separator: " -> "))")
        }
        guard depth < OpenClawConfig.maxIncludeDepth else {
            throw ClawGuardError(.limitExceeded, "$include depth over \(OpenClawConfig.maxIncludeDepth) at \(relative)")
        }
        let document = try readDocument(resolved)
        documents.append(document)
        return try resolveIncludes(
            document.value, basePath: resolved, rootDir: rootDir, visited: visited + [resolved], depth: depth + 1,
            into: &documents)
    }

    /// OpenClaw's merge: arrays concatenate, objects merge recursively, otherwise the later value wins.
    package static func deepMerge(_ target: JSONValue, _ source: JSONValue) -> JSONValue {
        switch (target, source) {
        case (.array(let a), .array(let b)): return .array(a + b)
        case (.object(var a), .object(let b)):
            for (key, value) in b where key != "__proto__" && key != "constructor" && key != "prototype" {
                a[key] = a[key].map { deepMerge($0, value) } ?? value
            }
            return .object(a)
        default: return source
        }
    }

    /// `${VAR}` substitution as OpenClaw does it (uppercase names only; `$${` escapes). A reference whose
    /// variable is unset stays as written; `${pass:…}`/`${gopass:…}` are never resolved (no secret lookups).
    private func substitute(_ value: JSONValue, path: [String], external: inout Set<String>) -> JSONValue {
        switch value {
        case .string(let text):
            guard text.contains("${") else { return value }
            let (result, referenced) = Self.substituteString(text, environment)
            if referenced { external.insert(path.joined(separator: ".")) }
            return .string(result)
        case .array(let items):
            return .array(items.enumerated().map { substitute($1, path: path + ["\($0)"], external: &external) })
        case .object(let object):
            var out: [String: JSONValue] = [:]
            for (key, child) in object { out[key] = substitute(child, path: path + [key], external: &external) }
            return .object(out)
        default: return value
        }
    }

    package static func substituteString(_ text: String, _ env: [String: String]) -> (String, Bool) {
        var output = ""
        var referenced = false
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("$${"), let close = rest.firstIndex(of: "}") {
                output += rest[rest.index(after: rest.startIndex)...close]
                index = text.index(after: close)
                continue
            }
            if rest.hasPrefix("${"), let close = rest.firstIndex(of: "}") {
                let name = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
                if isEnvName(name) {
                    referenced = true
                    if let value = env[name], !value.isEmpty { output += value } else { output += "${\(name)}" }
                    index = text.index(after: close)
                    continue
                }
                if name.hasPrefix("pass:") || name.hasPrefix("gopass:") {
                    referenced = true
                    output += "${\(name)}"
                    index = text.index(after: close)
                    continue
                }
            }
            output.append(text[index])
            index = text.index(after: index)
        }
        return (output, referenced)
    }

    private static func isEnvName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
