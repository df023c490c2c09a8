import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

extension ArchiveEndToEnd.CommandTests {
    /// The local day of the stored records.
    static var localDay: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: Double(base)))
    }

    @Test func plotWritesAWellFormedSVGWhoseEnergyTotalMatchesTheArchive() async throws {
        let setup = try await Setup(brokerPort: 1)
        let day = Self.localDay
        let output = setup.directory.file("roof.svg")

        let result = try await setup.run(["plot", "--day", day, "--inverter", "roof", "--output", output])
        #expect(result.status == 0, "\(result.output)")

        let expected = setup.records.filter { $0.inverter == "roof" }.reduce(0) { $0 + $1["energy"]!.sum.double }
        let svg = try SVGSummary(path: output)
        #expect(svg.root == "svg")
        #expect(svg.rootAttributes["data-total-wh"] == String(Int(expected)))
        #expect(svg.title == "roof — \(day) — \(String(format: "%.3f", expected / 1000)) kWh")
        #expect(svg.polylineCount >= 2, "the power average and the cumulative energy")
        #expect(svg.markerTitles == ["online", "asleep"])
    }

    @Test func plotAsksForAnInverterWhenTheDayHasSeveral() async throws {
        let setup = try await Setup(brokerPort: 1)
        let day = Self.localDay
        let result = try await setup.run(["plot", "--day", day, "--output", setup.directory.file("x.svg")])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("garage, roof") && result.output.contains("--inverter"), "\(result.output)")
        let bad = try await setup.run(["plot", "--day", "2026-02-30", "--output", setup.directory.file("x.svg")])
        #expect(bad.status == 64 && bad.output.contains("YYYY-MM-DD"), "\(bad.output)")
    }
}

/// What the plot test reads back from an SVG file: parsed as XML, so a malformed file fails.
private struct SVGSummary {
    var root = ""
    var rootAttributes: [String: String] = [:]
    var title = ""
    var polylineCount = 0
    var markerTitles: [String] = []

    init() {}

    init(path: String) throws {
        let parser = XMLParser(contentsOf: URL(fileURLWithPath: path))!
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        self = delegate.summary
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var summary = SVGSummary()
        private var path: [(name: String, id: String?)] = []
        private var text = ""

        override init() {}

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if path.isEmpty {
                summary.root = name
                summary.rootAttributes = attributes
            }
            if name == "polyline" { summary.polylineCount += 1 }
            path.append((name, attributes["id"]))
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let element = path.removeLast()
            if element.id == "title" { summary.title = text }
            if name == "title", path.contains(where: { $0.id == "markers" }) { summary.markerTitles.append(text) }
        }
    }
}
