// swift-tools-version:6.0
import PackageDescription

// Targets follow ARCHITECTURE.md: one concern each, dependencies run one way, compute and rendering
// targets do no I/O of their own.
// SwiftNIO's HTTP/1 server and client pieces: the HTTP client over AsyncHTTPClient, and the tests' local servers.
let nioHTTP: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
]

// The targets that compute are optimised in debug builds too. The tests run the debug binary about two thousand times,
// and unoptimised, reading GPT-2's tokenizer files took 0.8 s of every `lint` or `run` (80% of `lint`'s time, perf),
// checking a report's templates 0.7 s of a tiny `run`, and the statistics simulations 4 minutes: `make test` took 39
// minutes on the 2-core CI machine. The command, Hub, HTTP, gate and file targets stay as a debug build makes them.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "biasaudit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "biasaudit", targets: ["biasaudit"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .target(name: "SafeTensors", dependencies: ["InputFiles"]),
        .target(name: "Tokenizers", swiftSettings: optimisedInDebug),
        .target(name: "Hashing", swiftSettings: optimisedInDebug),
        .target(name: "InputFiles"),
        .target(name: "OptionWording"),
        .target(name: "GPT2", dependencies: ["SafeTensors", "CDNNL", "Hashing", "InputFiles"], swiftSettings: optimisedInDebug),
        .target(name: "Generation", dependencies: ["GPT2", "Hashing", "OptionWording"], swiftSettings: optimisedInDebug),
        .target(
            name: "HTTPClient",
            dependencies: [
                "InputFiles", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ] + nioHTTP),
        .target(name: "Hub", dependencies: ["HTTPClient", "InputFiles", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Lexicons", dependencies: [.product(name: "HeapModule", package: "swift-collections")],
            resources: [.copy("Resources")], swiftSettings: optimisedInDebug),
        .target(name: "Statistics", swiftSettings: optimisedInDebug),
        .target(name: "StatisticsSimulation", dependencies: ["Statistics", "Hashing"], swiftSettings: optimisedInDebug),
        .executableTarget(name: "statistics-validation", dependencies: ["Statistics", "StatisticsSimulation"]),
        .target(
            name: "PromptSets",
            dependencies: ["Hashing", "InputFiles", "Tokenizers", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")], swiftSettings: optimisedInDebug
        ),
        .target(name: "AuditResults", dependencies: ["InputFiles", "Statistics"], swiftSettings: optimisedInDebug),
        .target(
            name: "AuditAnalysis",
            dependencies: [
                "AuditResults", "InputFiles", "PromptSets", "Lexicons", "Statistics",
                .product(name: "Crypto", package: "swift-crypto"),
            ], swiftSettings: optimisedInDebug),
        .target(
            name: "AuditRun",
            dependencies: [
                "AuditAnalysis", "AuditResults", "PromptSets", "GPT2", "Generation", "HTTPClient", "Hub", "Lexicons",
                "SafeTensors", "Tokenizers", "Hashing", "InputFiles",
                .product(name: "GRDB", package: "GRDB.swift"),
                // sqlite3_system_errno: tells a full disk behind SQLITE_IOERR (RunStore+Errors.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "Gate",
            dependencies: ["AuditAnalysis", "AuditResults", "InputFiles", "PromptSets", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "ReportTemplates", path: "Templates", exclude: ["README.md"],
            resources: [
                .copy("report.html.mustache"), .copy("report.md.mustache"), .copy("diff.html.mustache"),
                .copy("diff.md.mustache"), .copy("partials"), .copy("es"),
            ]
        ),
        .target(
            name: "Reporting",
            dependencies: [
                "AuditAnalysis", "AuditResults", "Gate", "InputFiles", "PromptSets", "ReportTemplates", "Statistics",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "CommandSupport",
            dependencies: [
                "AuditAnalysis", "AuditResults", "AuditRun", "Reporting", "PromptSets", "GPT2", "Generation", "Hub",
                "SafeTensors", "Tokenizers", "InputFiles",
            ]
        ),
        .executableTarget(
            name: "biasaudit",
            dependencies: [
                "AuditAnalysis", "AuditResults", "AuditRun", "CommandSupport", "Gate", "GPT2", "Generation", "Hub", "InputFiles",
                "OptionWording", "PromptSets", "Reporting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .target(
            name: "OpenAITestSupport",
            dependencies: nioHTTP,
            path: "Tests/OpenAITestSupport"),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "Hashing", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "InputFilesTests", dependencies: ["InputFiles", "TestSupport"]),
        .testTarget(name: "GPT2Tests", dependencies: ["GPT2", "SafeTensors", "Tokenizers", "TestSupport"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "GPT2", "SafeTensors", "TestSupport"]),
        .testTarget(
            name: "HubTests",
            dependencies: [
                "Hub", "HTTPClient", "OpenAITestSupport", "TestSupport",
                // The https variant of the test Hub (its TLS server side).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ] + nioHTTP
        ),
        .testTarget(name: "LexiconsTests", dependencies: ["Lexicons", "TestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "StatisticsSimulation", "TestSupport"]),
        .testTarget(name: "PromptSetsTests", dependencies: ["PromptSets", "TestSupport"]),
        .testTarget(
            name: "AuditAnalysisTests",
            dependencies: ["AuditAnalysis", "AuditResults", "PromptSets", "Statistics", "StatisticsSimulation", "TestSupport"]
        ),
        .testTarget(
            name: "GateTests", dependencies: ["Gate", "AuditAnalysis", "AuditResults", "Hashing", "PromptSets", "Reporting", "Statistics", "TestSupport"]
        ),
        .testTarget(
            name: "AuditRunTests",
            dependencies: [
                "AuditRun", "AuditAnalysis", "AuditResults", "CommandSupport", "Generation", "GPT2", "HTTPClient", "Hub",
                "PromptSets", "Reporting", "SafeTensors", "TestSupport",
                "OpenAITestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                // A served model behind a certificate no one trusts (RemoteCertificateTests).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ] + nioHTTP
        ),
        .testTarget(
            name: "ReportingTests",
            dependencies: [
                "Reporting", "AuditAnalysis", "AuditResults", "CommandSupport", "Gate", "Hashing", "PromptSets", "TestSupport",
            ]
        ),
        .testTarget(name: "BiasAuditCLITests", dependencies: ["AuditAnalysis", "AuditResults", "Hashing", "OpenAITestSupport", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
