/// Text exports of archive records, for `archive list` and `archive export`.
public enum ArchiveExport {
    /// The records as CSV (RFC 4180, `\n` line ends), one row per record.
    ///
    /// The header is `inverter,dateTime,interval,count` followed by every field that appears in
    /// any record, in first-seen order. A cell holds the field's primary value as its shortest
    /// round-trip text, or nothing if the record lacks the field. Text containing a comma, a
    /// quote or a line break is quoted.
    /// - Parameters:
    ///   - records: The records, in the order to write them.
    ///   - rename: Maps a canonical field name to its column name.
    public static func csv(_ records: [ArchiveRecord], rename: (String) -> String = { $0 }) -> String {
        var names: [String] = []
        var seen: Set<String> = []
        for record in records {
            for field in record.fields where seen.insert(field.name).inserted {
                names.append(field.name)
            }
        }
        let header = ["inverter", "dateTime", "interval", "count"] + names.map(rename)
        var lines = [header.map(csvCell).joined(separator: ",")]
        for record in records {
            let fixed = [csvCell(record.inverter), "\(record.dateTime)", "\(record.interval)", "\(record.count)"]
            let values = names.map { record[$0].map { csvCell($0.value.description) } ?? "" }
            lines.append((fixed + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The records as JSON lines: one object per line, each the record's
    /// ``ArchiveRecord/payload(rename:)`` with `"inverter"` as its first key.
    /// - Parameters:
    ///   - records: The records, in the order to write them.
    ///   - rename: Maps a canonical field name to its published name.
    public static func jsonLines(_ records: [ArchiveRecord], rename: (String) -> String = { $0 }) -> String {
        records.map { object($0, rename: rename) + "\n" }.joined()
    }

    /// The records as one JSON array of the objects ``jsonLines(_:rename:)`` writes, one per
    /// line: `[\n{…},\n{…}\n]\n` (`[]\n` for no records).
    /// - Parameters:
    ///   - records: The records, in the order to write them.
    ///   - rename: Maps a canonical field name to its published name.
    public static func jsonArray(_ records: [ArchiveRecord], rename: (String) -> String = { $0 }) -> String {
        guard !records.isEmpty else { return "[]\n" }
        return "[\n" + records.map { object($0, rename: rename) }.joined(separator: ",\n") + "\n]\n"
    }

    private static func object(_ record: ArchiveRecord, rename: (String) -> String) -> String {
        var writer = JSONObject()
        writer.add("inverter", record.inverter)
        record.writeHeader(into: &writer)
        record.writeFields(into: &writer, rename: rename)
        return writer.description
    }

    private static func csvCell(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
