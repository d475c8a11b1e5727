// libFuzzer target for the shell parser and the command analyzer.
// Built by scripts/fuzz.sh with `swiftc -sanitize=fuzzer,address` from the core's Shell/Analysis sources.
// Properties checked on every input: no crash, no hang (libFuzzer's -timeout), and the fail-closed contract:
// parsing either throws a ClawGuardError or yields commands whose byte ranges lie inside the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func shellFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let source = String(decoding: bytes, as: UTF8.self)
    let limits = ShellParserLimits(maxBytes: 64 * 1024, maxDepth: 64, maxCommands: 2_000, maxBraceExpansion: 256)
    do {
        let script = try ShellParser(limits: limits).parse(source)
        let length = source.utf8.count
        for command in script.commands {
            precondition(command.range.lowerBound >= 0 && command.range.upperBound <= length + 1, "command range outside input")
            _ = command.argv
        }
    } catch {
        precondition(!error.message.isEmpty, "errors must say why")
    }
    do {
        let analysis = try CommandAnalyzer(parser: ShellParser(limits: limits), maxNesting: 6, maxInvocations: 500)
            .analyze(source, cwd: "/work/project", home: "/home/dev")
        for invocation in analysis.invocations { _ = invocation.ruleText }
    } catch {
        precondition(!error.message.isEmpty, "errors must say why")
    }
    return 0
}
