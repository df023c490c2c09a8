import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

/// `/metrics` as Prometheus itself reads it: Debian's `prometheus` scraping a test bridge, and
/// `promtool check metrics` on a scrape (`make deps` installs both).
@Suite struct PrometheusScrapeTests {
    @Test func prometheusScrapesTheSimulatorsPower() async throws {
        let prometheus = try RequiredTool.path("prometheus", package: "prometheus")
        try await withStatusBridge { fixture in
            fixture.bus.clock.advance(by: 1234)  // off the nominal power: a value of its own
            let served = try #require(fixture.bus.snapshot()?.measures[.gridPower])
            try await fixture.subscriber.waitForMessage(topic: "aurora/roof/loop/gridPower", timeout: .seconds(10)) {
                $0.text == served.description
            }
            let directory = try TemporaryDirectory("prometheus")
            let web = ReservedPort()
            try """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: aurora
                    static_configs:
                      - targets: ["127.0.0.1:\(fixture.port)"]

                """.write(toFile: directory.file("prometheus.yml"), atomically: true, encoding: .utf8)
            let server = try ChildProcess(
                executable: prometheus,
                arguments: [
                    "--config.file=\(directory.file("prometheus.yml"))", "--storage.tsdb.path=\(directory.file("data"))",
                    "--web.listen-address=127.0.0.1:\(web.port)",
                ],
                outputPath: directory.file("prometheus.log"))
            defer { server.send(SIGKILL) }
            let value = try await Deadline.wait(for: "Prometheus to have scraped aurora_grid_power_watts", timeout: .seconds(60), interval: .milliseconds(250)) {
                () async -> String? in
                guard !server.hasExited,
                    let answer = try? await RawResponse.request("GET", "/api/v1/query?query=aurora_grid_power_watts", port: web.port),
                    answer.status == 200
                else { return nil }
                return Self.sampleValue(answer.body)
            }
            #expect(Float(value) == served, "Prometheus has \(value), the simulator served \(served)")
            server.send(SIGTERM)
            try await server.waitForExit(timeout: .seconds(20))
        }
    }

    @Test func promtoolFindsNothingToSayAboutAScrape() async throws {
        let promtool = try RequiredTool.path("promtool", package: "prometheus")
        try await withStatusBridge(plant: true) { fixture in
            try await fixture.subscriber.waitForMessage(topic: "aurora/plant/loop", timeout: .seconds(10))
            let directory = try TemporaryDirectory("promtool")
            let scrape = try await RawResponse.request("GET", "/metrics", port: fixture.port)
            try scrape.body.write(toFile: directory.file("metrics.txt"), atomically: true, encoding: .utf8)
            #expect(scrape.body.contains("aurora_plant_grid_power_watts{plant=\"plant\"}"))
            let output = try await ExternalTool.run("/bin/sh", ["-c", "'\(promtool)' check metrics < '\(directory.file("metrics.txt"))'"])
            #expect(output.isEmpty, "promtool: \(output)")
        }
    }

    /// The value of the one sample of a query answer: `"value":[1782046800.123,"3599.5469"]`.
    static func sampleValue(_ json: String) -> String? {
        guard let start = json.range(of: "\"value\":["), let comma = json[start.upperBound...].firstIndex(of: ","),
            let end = json[comma...].firstIndex(of: "]")
        else { return nil }
        return json[json.index(after: comma)..<end].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}
