import ClawGuardHooks
import Foundation

extension HookFastPath {
    /// Answers a parsed `hook claude|codex …` command line and exits: through the gateway when `--server` is given
    /// (`RemoteHook`), otherwise locally (`HookRunner`). The one entry point of the slim front, of `clawguard-full`'s
    /// fast path and of its ArgumentParser commands, so no executable can take the local path for a gateway hook.
    /// - Parameters:
    ///   - dialect: whose protocol to answer in.
    ///   - settings: the hook's settings.
    ///   - http: the `http(s)` transport, or nil (the slim front).
    /// - Returns: only when this executable cannot answer: an `http(s)` server and no `http` transport (the front
    ///   then hands the command line to `clawguard-full`).
    package static func answer(_ dialect: HookDialect, _ settings: HookSettings, http: ((URL) -> any GatewayTransport)?) {
        if let server = settings.server {
            guard http != nil || RemoteHook.answersWithoutHTTP(server: server) else { return }
            RemoteHook(settings: settings, dialect: dialect, http: http).main()
        }
        HookRunner(options: settings, dialect: dialect).main()
    }
}
