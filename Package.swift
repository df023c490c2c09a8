// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "aurora-bridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aurora-bridge", targets: ["aurora-bridge"]),
        .executable(name: "aurora-sim", targets: ["aurora-sim"]),
        .library(name: "AuroraProtocol", targets: ["AuroraProtocol"]),
        .library(name: "AuroraLink", targets: ["AuroraLink"]),
        .library(name: "Mosquitto", targets: ["Mosquitto"]),
        // For the fuzz targets in Tests/Fuzz (a package of their own).
        .library(name: "AuroraBridge", targets: ["AuroraBridge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The status page, JSON and metrics (AuroraStatus): SwiftNIO's HTTP/1.1 server pipeline.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "AuroraProtocol", swiftSettings: strict),
        .target(
            name: "AuroraLink",
            dependencies: [
                "AuroraProtocol",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(name: "AuroraSimulator", dependencies: ["AuroraProtocol"], swiftSettings: strict),
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .systemLibrary(name: "CTimex"),
        .target(
            name: "Mosquitto",
            dependencies: ["CMosquitto"],
            swiftSettings: strict
        ),
        .target(
            name: "AuroraBridge",
            dependencies: [
                "AuroraProtocol", "AuroraLink", "Mosquitto", "CTimex",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AuroraStatus",
            dependencies: [
                "AuroraBridge", "AuroraLink", "AuroraProtocol", "Mosquitto",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aurora-bridge",
            dependencies: [
                "AuroraBridge", "AuroraStatus", "AuroraLink", "AuroraProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aurora-sim",
            dependencies: [
                "AuroraSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aurora-bench",
            dependencies: [
                "AuroraProtocol", "AuroraLink", "AuroraSimulator", "AuroraBridge", "Mosquitto", "AuroraTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AuroraTestSupport",
            dependencies: ["AuroraSimulator", "AuroraLink", "Mosquitto"],
            swiftSettings: strict
        ),
        .testTarget(name: "AuroraProtocolTests", dependencies: ["AuroraProtocol"], swiftSettings: strict),
        .testTarget(
            name: "AuroraLinkTests",
            dependencies: ["AuroraLink", "AuroraProtocol", "AuroraSimulator", "AuroraTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AuroraSimulatorTests",
            dependencies: ["AuroraSimulator", "AuroraProtocol", "AuroraTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MosquittoTests",
            dependencies: ["Mosquitto", "AuroraTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AuroraBridgeTests",
            dependencies: [
                "AuroraBridge", "AuroraStatus", "AuroraLink", "AuroraProtocol", "AuroraSimulator", "AuroraTestSupport", "Mosquitto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["AuroraTestSupport", "AuroraSimulator", "AuroraLink", "AuroraProtocol", "AuroraBridge"],
            swiftSettings: strict
        ),
    ]
)
