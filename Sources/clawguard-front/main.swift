import ClawGuardGatewayClient
import ClawGuardHooks
import ClawGuardRunCLI

#if canImport(Glibc)
import Glibc
#endif

// `clawguard` — the slim front. The two commands that start once per tool call or per sandboxed command are
// answered here, in a binary without ArgumentParser, TOMLKit, the configuration auditor or the servers:
//   clawguard hook claude|codex …     (HookFastPath; with --server unix:/path, RemoteHook over the socket —
//                                      an http(s):// server is handed over: URLSession lives in clawguard-full)
//   clawguard run [OPTIONS] -- CMD …  (RunArguments)
//   clawguard --version
// Every other command line — other subcommands, help, anything these parsers do not fully understand — is
// handed unchanged to `clawguard-full` in the same directory (exec, same process id), which has every command.
// New subcommands therefore go into `Sources/clawguard/Commands` as before; this file does not change.
// See docs/decisions/0004-slim-front-executable.md.

let arguments = Array(CommandLine.arguments.dropFirst())
if let (dialect, settings) = HookFastPath.parse(arguments) {
    HookFastPath.answer(dialect, settings, http: nil)  // returns only for an http(s) server: handed over below
}
if arguments.first == "run", let invocation = RunArguments.parse(Array(arguments.dropFirst())) {
    exit(invocation.main())
}
if arguments == ["--version"] {
    print(ClawGuardVersion.current)
    exit(0)
}
FullExecutable.exec(arguments: CommandLine.arguments)
