// swift-tools-version: 6.1
// ClawGuard — the security layer between AI agents and the machines they reach.
//
// Layout (see docs/ARCHITECTURE.md):
//   ClawGuardCore        pure: shell parser + analyzer, policy model, rule grammar, decision engine
//   ClawGuardScanners    pure: credential / prompt-injection / PII detection and redaction
//   ClawGuardConfigAudit configuration auditor (OpenClaw, Claude Code, Codex, ClawGuard)
//   ClawGuardStore       adapter: SQLite state (sessions, limits, budgets) and the audit trail
//   ClawGuardSandbox     adapter: Linux namespaces / seccomp / cgroups runner and egress proxy
//   clawguard            the command-line executable (thin; wiring only)
import PackageDescription

let package = Package(
    name: "ClawGuard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clawguard", targets: ["clawguard"]),
        .executable(name: "clawguard-full", targets: ["clawguard-full"]),
        .library(name: "ClawGuardCore", targets: ["ClawGuardCore"]),
        .library(name: "ClawGuardScanners", targets: ["ClawGuardScanners"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // MARK: Monitoring dependencies
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // MARK: gateway dependencies (swift-service-lifecycle, swift-log: see Monitoring)
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        // MARK: Worker dependencies
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        // MARK: Core (no transport, no storage, no process spawning)
        .target(
            name: "ClawGuardCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(name: "ClawGuardScanners"),

        // MARK: Adapters
        .target(
            name: "ClawGuardConfigAudit",
            dependencies: [
                "ClawGuardCore", "ClawGuardScanners", .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "ClawGuardStore",
            dependencies: [
                "ClawGuardCore", "ClawGuardScanners",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "CClawGuardSandbox"),
        .target(name: "ClawGuardSandbox", dependencies: ["ClawGuardCore", "CClawGuardSandbox"]),

        // MARK: Monitoring (metrics from the audit trail, alert engine, alert actions)
        .target(
            name: "ClawGuardMonitoring",
            dependencies: [
                "ClawGuardCore", "ClawGuardStore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ClawGuardMonitoringTests", dependencies: ["ClawGuardMonitoring"], resources: [.copy("Fixtures")]
        ),
        .executableTarget(
            name: "monitoring-bench", dependencies: ["ClawGuardMonitoring", "ClawGuardStore", "ClawGuardCore"],
            path: "Benchmarks/monitoring-bench"
        ),

        // MARK: Start-up speed: the slim `clawguard` front (hook, run, --version) and its libraries
        // (docs/decisions/0004-slim-front-executable.md). Everything else is `clawguard-full`, built from
        // Sources/clawguard: new subcommands go there, as before.
        .target(name: "ClawGuardHooks", dependencies: ["ClawGuardCore", "ClawGuardScanners", "ClawGuardStore"]),
        .target(name: "ClawGuardRunCLI", dependencies: ["ClawGuardCore", "ClawGuardSandbox", "ClawGuardStore"]),
        .executableTarget(
            name: "clawguard", dependencies: ["ClawGuardHooks", "ClawGuardRunCLI", "ClawGuardGatewayClient"],
            path: "Sources/clawguard-front"
        ),
        .testTarget(
            name: "ClawGuardFastPathTests",
            dependencies: [
                "ClawGuardHooks", "ClawGuardRunCLI", "clawguard-full", "ClawGuardGatewayClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: gateway-decided hooks in the slim front: the gateway client (unix-socket HTTP, token resolution,
        // the `hook --server` logic) without NIO/Hummingbird, used by both executables.
        .target(name: "ClawGuardGatewayClient", dependencies: ["ClawGuardCore", "ClawGuardHooks"]),

        // MARK: gateway
        .target(
            name: "ClawGuardServer",
            dependencies: [
                "ClawGuardCore", "ClawGuardStore", "ClawGuardScanners", "ClawGuardMonitoring", "ClawGuardWorker",
                "ClawGuardConsole",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("OpenAPI/openapi.json")]
        ),
        .testTarget(
            name: "ClawGuardServerTests",
            dependencies: [
                "ClawGuardServer", "ClawGuardStore", "ClawGuardCore", "ClawGuardGatewayClient",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),

        // MARK: Console (web UI at /ui: server-rendered HTML, see docs/CONSOLE.md)
        .target(
            name: "ClawGuardConsole",
            dependencies: [
                "ClawGuardCore", "ClawGuardStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ClawGuardConsoleTests",
            dependencies: [
                "ClawGuardConsole", "ClawGuardStore", "ClawGuardCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // MARK: Executables
        .executableTarget(
            name: "clawguard-full",
            dependencies: [
                "ClawGuardCore", "ClawGuardScanners", "ClawGuardConfigAudit", "ClawGuardStore", "ClawGuardSandbox",
                "ClawGuardHooks", "ClawGuardRunCLI", "ClawGuardGatewayClient",
                "ClawGuardMonitoring",
                "ClawGuardServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/clawguard"
        ),
        .executableTarget(
            name: "clawguard-bench",
            dependencies: ["ClawGuardCore", "ClawGuardScanners"],
            path: "Benchmarks/clawguard-bench"
        ),
        .executableTarget(name: "scanner-bench", dependencies: ["ClawGuardScanners"], path: "Benchmarks/scanner-bench"),

        // MARK: Tests
        .testTarget(name: "ClawGuardCoreTests", dependencies: ["ClawGuardCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ClawGuardScannersTests", dependencies: ["ClawGuardScanners"]),
        .testTarget(
            name: "ClawGuardConfigAuditTests", dependencies: ["ClawGuardConfigAudit"], resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ClawGuardStoreTests", dependencies: ["ClawGuardStore"], exclude: ["Fixtures"]),
        .testTarget(name: "ClawGuardSandboxTests", dependencies: ["ClawGuardSandbox"]),
        .testTarget(name: "ClawGuardCLITests", dependencies: ["ClawGuardCore"]),

        // MARK: Worker (runs agents as a service: Runs/ Guards/ Phases/ Templates/ Events/)
        .target(
            name: "ClawGuardWorker",
            dependencies: [
                "ClawGuardCore", "ClawGuardStore", "ClawGuardScanners",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ClawGuardWorkerTests",
            dependencies: [
                "ClawGuardWorker", "ClawGuardServer", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
