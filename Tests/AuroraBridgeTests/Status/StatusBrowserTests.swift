import AuroraBridge
import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

/// The status page in a real browser (Debian's headless Chromium): what a person sees after
/// the page's script has refreshed it, against what the same round published on MQTT.
@Suite struct StatusBrowserTests {
    @Test func afterTheRefreshThePageShowsTheRoundsPublishedPowerAndEnergy() async throws {
        _ = try Chromium.executable()
        try await withStatusBridge(pollInterval: 2, plant: true, archive: Self.morning()) { fixture in
            // Readings change from round to round: the simulated day moves on.
            let day = Task {
                while !Task.isCancelled {
                    fixture.bus.clock.advance(by: 20)
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
            defer { day.cancel() }
            let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(fixture.port)/", budget: .seconds(5))
            let refreshes = try #require(Self.attribute("data-refreshed", in: dom), "the page's script refreshed it")
            #expect((Int(refreshes) ?? 0) >= 1)
            let power = try #require(Self.text(of: "inverters.0.power", in: dom))
            let energy = try #require(Self.text(of: "inverters.0.dayEnergy", in: dom))
            let read = try #require(Self.text(of: "inverters.0.lastReading", in: dom))
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            let dateTime = try #require(formatter.date(from: read)).timeIntervalSince1970
            let round = fixture.loopPackets().filter { ($0["dateTime"] as? Int) == Int(dateTime) }
            let packet = try #require(round.first, "the loop packet of \(read) on MQTT")
            let message = try #require(fixture.subscriber.messages(on: "aurora/roof/loop").first { $0.text.contains("\"dateTime\":\(Int(dateTime)),") })
            #expect(round.count == 1)
            #expect(power == Self.member("gridPower", in: message.text).map { "\($0) W" }, "power on the page \(power), packet \(packet)")
            #expect(energy == Self.member("dayEnergy", in: message.text).map { "\($0) Wh" }, "today on the page \(energy)")

            // The same browser's picture of it (docs/images/status-page.png; set
            // AURORA_STATUS_SCREENSHOT to a path to keep it).
            let directory = try TemporaryDirectory("status-screenshot")
            let picture = directory.file("status-page.png")
            try await Chromium.screenshot("http://127.0.0.1:\(fixture.port)/", to: picture, width: 1100, height: 1250, budget: .seconds(3))
            let png = try Data(contentsOf: URL(fileURLWithPath: picture))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000)
            if let keep = ProcessInfo.processInfo.environment["AURORA_STATUS_SCREENSHOT"] {
                try png.write(to: URL(fileURLWithPath: keep))
            }
        }
    }

    /// The text of the element whose `data-key` is `key`.
    static func text(of key: String, in dom: String) -> String? {
        guard let start = dom.range(of: "data-key=\"\(key)\""),
            let open = dom[start.upperBound...].firstIndex(of: ">"),
            let close = dom[open...].range(of: "</span>")
        else { return nil }
        return String(dom[dom.index(after: open)..<close.lowerBound])
    }

    /// The value of the first attribute `name` in `dom`.
    static func attribute(_ name: String, in dom: String) -> String? {
        guard let start = dom.range(of: "\(name)=\""), let end = dom[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(dom[start.upperBound..<end])
    }

    /// The text of the JSON member `name` (a number) in the one-line object `json`.
    static func member(_ name: String, in json: String) -> String? {
        guard let start = json.range(of: "\"\(name)\":") else { return nil }
        return String(json[start.upperBound...].prefix { $0 != "," && $0 != "}" })
    }

    /// This morning's plant records, 5 minutes each from 06:00 local time to now: a picture
    /// of a day for the plot.
    static func morning() -> [ArchiveRecord] {
        let day = LocalDay(containing: Date().timeIntervalSince1970)
        let now = Int64(Date().timeIntervalSince1970)
        return stride(from: day.start + 6 * 3600 + 300, through: min(now, day.start + 20 * 3600), by: 300).map { end in
            let hours = Double(end - day.start) / 3600 - 6
            let power = Float(max(0, sin(hours / 14 * .pi)) * 5000)
            let energy = Int64(Double(power) / 12)
            return ArchiveRecord(
                inverter: "plant", dateTime: end, interval: 300, count: 1,
                fields: [
                    FieldSummary(
                        name: "gridPower", extractor: .avg, count: 1, sum: .float(power), min: .float(power * 0.9),
                        max: .float(power * 1.05), avg: .float(power), last: .float(power)),
                    FieldSummary(
                        name: "energy", extractor: .sum, count: 1, sum: .integer(energy), min: .integer(energy),
                        max: .integer(energy), avg: .double(Double(energy)), last: .integer(energy)),
                ])
        }
    }
}
