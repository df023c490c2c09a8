import AuroraBridge
import AuroraLink
import AuroraProtocol
import Foundation

/// The result of a query, ready to print as a table or as JSON.
struct QueryReport {
    /// Rows of the table: label, value, unit.
    var rows: [(label: String, value: String, unit: String)] = []
    /// The same content as one JSON object.
    var json = JSONObject()

    /// The rows as aligned text.
    var table: String {
        let width = rows.map(\.label.count).max() ?? 0
        return rows.map { row in
            let padding = String(repeating: " ", count: width - row.label.count)
            return "\(row.label)\(padding)  \(row.value)\(row.unit.isEmpty ? "" : " \(row.unit)")"
        }.joined(separator: "\n")
    }

    private mutating func add(_ label: String, _ key: String, _ value: FieldValue, unit: String) {
        rows.append((label, value.description, unit))
        json.add(key, value)
    }

    private mutating func add(_ label: String, _ key: String, _ text: String) {
        rows.append((label, text, ""))
        json.add(key, text)
    }

    private mutating func addState(_ label: String, _ key: String, code: UInt8, text: String) {
        rows.append((label, "\(text) (\(code))", ""))
        var object = JSONObject()
        object.add("code", code)
        object.add("text", text)
        json.add(key, object)
    }

    /// Reads `item` from `inverter`.
    static func read(_ item: QueryCommand.Item, from inverter: Inverter) async throws -> QueryReport {
        var report = QueryReport()
        switch item {
        case .readings:
            let snapshot = try await inverter.readAll()
            for (name, value) in snapshot.namedValues {
                report.add(name, name, value, unit: unit(of: name))
            }
            for failure in snapshot.failures {
                FileHandle.standardError.write(Data("aurora-bridge: left out: \(failure.error)\n".utf8))
            }
        case .energy:
            for period in EnergyPeriod.allCases {
                report.add(period.fieldName, period.fieldName, .integer(Int64(try await inverter.energy(period))), unit: "Wh")
            }
        case .state:
            let status = try await inverter.status()
            report.addState("global", "global", code: status.global.code, text: status.global.description)
            report.addState("inverter", "inverter", code: status.inverter.code, text: status.inverter.description)
            report.addState("dcdc1", "dcdc1", code: status.dcdc1.code, text: status.dcdc1.description)
            report.addState("dcdc2", "dcdc2", code: status.dcdc2.code, text: status.dcdc2.description)
            report.addState("alarm", "alarm", code: status.alarm.code, text: status.alarm.description)
        case .info:
            let identity = try await inverter.identity()
            report.add("part number", "partNumber", identity.partNumber)
            report.add("serial number", "serialNumber", identity.serialNumber)
            report.add("version", "version", identity.version.code)
            report.add("model", "model", identity.version.model)
            report.add("grid standard", "gridStandard", identity.version.gridStandard)
            report.add("transformer", "transformer", identity.version.transformer)
            report.add("kind", "kind", identity.version.kind)
            report.add("firmware", "firmware", identity.firmware.description)
            report.add("manufactured", "manufactureDate", identity.manufactureDate.description)
        case .time:
            let host = Int64(Date().timeIntervalSince1970)
            let time = try await inverter.time()
            report.add("inverter time", "inverterTime", ClockText.local(time, in: inverter.clock.timeZone))
            report.add("inverterDateTime", "inverterDateTime", .integer(time), unit: "s")
            report.add("clock error", "clockError", .integer(time - host), unit: "s (positive: inverter is fast)")
        case .alarms:
            let history = try await inverter.lastAlarms()
            var list: [JSONObject] = []
            for (index, alarm) in history.alarms.enumerated() {
                report.rows.append(("alarm \(index + 1)", "\(alarm) (\(alarm.code))", ""))
                var object = JSONObject()
                object.add("code", alarm.code)
                object.add("text", alarm.description)
                list.append(object)
            }
            report.json.add("alarms", list)
        }
        return report
    }

    private static func unit(of field: String) -> String {
        if field == "inverterDateTime" { return "s" }
        if field.hasSuffix("Energy") { return "Wh" }
        return MeasureType.polled.first { $0.fieldName == field }?.unit ?? ""
    }
}

/// Formats Unix times for people.
enum ClockText {
    /// `unix` as `YYYY-MM-DD HH:MM:SS` in `zone`.
    static func local(_ unix: Int64, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(unix)))
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) \(zone.identifier)"
    }
}
