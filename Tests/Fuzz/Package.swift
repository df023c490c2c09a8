// swift-tools-version: 6.2
// The libFuzzer targets of aurora-bridge (see docs/fuzzing.md). A package of its own, so that
// the root package's `swift build` and `swift test` never see an executable without `main`.
// Built by `make fuzz` with `-sanitize=fuzzer,address`; each target is a `@main` that hands one
// test function to libFuzzer through FuzzDriver.
import PackageDescription

let fuzzTarget: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .unsafeFlags(["-parse-as-library"]),
]

let package = Package(
    name: "aurora-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "aurora-bridge", path: "../..")],
    targets: [
        .target(name: "FuzzDriver", path: "Targets/FuzzDriver", swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        .executableTarget(
            name: "fuzz-config",
            dependencies: ["FuzzDriver", .product(name: "AuroraBridge", package: "aurora-bridge")],
            path: "Targets/fuzz-config", swiftSettings: fuzzTarget),
        .executableTarget(
            name: "fuzz-summary-blob",
            dependencies: ["FuzzDriver", .product(name: "AuroraBridge", package: "aurora-bridge")],
            path: "Targets/fuzz-summary-blob", swiftSettings: fuzzTarget),
        .executableTarget(
            name: "fuzz-response",
            dependencies: [
                "FuzzDriver", .product(name: "AuroraProtocol", package: "aurora-bridge"),
                .product(name: "AuroraLink", package: "aurora-bridge"),
            ],
            path: "Targets/fuzz-response", swiftSettings: fuzzTarget),
    ]
)
