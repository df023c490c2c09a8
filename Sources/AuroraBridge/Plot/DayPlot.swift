import Foundation

/// One inverter's day drawn from its archive records as an SVG document: the power of each
/// interval (the average as a line, the min–max range as a band), the cumulative energy, and
/// markers where the inverter started and stopped reporting; axes in local time, W and kWh.
///
/// The archive keeps no state history, so the markers come from the records themselves: the
/// first interval with data (`online`), each gap of at least ``markedGap`` intervals without
/// data (`no data`, then `online` again; a single missed interval is no state change), and the
/// end of the last interval (`asleep`).
public struct DayPlot: Sendable {
    /// The inverter's name, for the title.
    public let inverter: String
    /// The local day, e.g. `2026-06-21`, for the title.
    public let day: String
    /// Local midnight at the start of the day (Unix seconds).
    public let start: Int64
    /// Local midnight at the end of the day (Unix seconds): 23, 24 or 25 hours after ``start``.
    public let end: Int64
    /// The time zone of the axis labels.
    public let timeZone: TimeZone
    /// The day's records of that inverter, oldest first.
    public let records: [ArchiveRecord]

    /// A plot of `records` (one inverter's, within the day from `start` to `end`).
    public init(inverter: String, day: String, start: Int64, end: Int64, timeZone: TimeZone, records: [ArchiveRecord]) {
        self.inverter = inverter
        self.day = day
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.records = records.sorted { $0.dateTime < $1.dateTime }
    }

    /// The day's energy in Wh: the sum of the records' `energy`.
    public var totalEnergy: Double {
        records.reduce(0) { $0 + ($1["energy"]?.sum.double ?? 0) }
    }

    /// The shortest run of intervals without data that gets markers.
    public static let markedGap: Int64 = 3

    /// Where the inverter started and stopped reporting, as (time, label).
    public var markers: [(time: Int64, label: String)] {
        var markers: [(time: Int64, label: String)] = []
        var previous: ArchiveRecord?
        for record in records {
            let recordStart = record.dateTime - record.interval
            if let previous {
                if recordStart - previous.dateTime >= Self.markedGap * previous.interval {
                    markers.append((previous.dateTime, "no data"))
                    markers.append((recordStart, "online"))
                }
            } else {
                markers.append((recordStart, "online"))
            }
            previous = record
        }
        if let previous { markers.append((previous.dateTime, "asleep")) }
        return markers
    }

    // MARK: - Drawing

    private static let width = 960.0
    private static let height = 560.0
    private static let left = 70.0
    private static let right = 890.0
    private static let top = 60.0
    private static let bottom = 480.0

    /// The SVG document.
    public func svg() -> String {
        let time = PlotScale(lower: Double(start), upper: Double(end), start: Self.left, end: Self.right, ticks: hourTicks())
        let peak = records.compactMap { $0["gridPower"]?.max.double }.max() ?? 0
        let power = PlotScale(zeroTo: peak, start: Self.bottom, end: Self.top)
        let energy = PlotScale(zeroTo: totalEnergy / 1000, start: Self.bottom, end: Self.top)
        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="sans-serif" font-size="12" \
            data-inverter="\(SVGText.escaped(inverter))" data-day="\(SVGText.escaped(day))" data-total-wh="\(SVGText.number(totalEnergy, decimals: 3))">

            """
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(Int(Self.width / 2))\" y=\"30\" text-anchor=\"middle\" font-size=\"18\" id=\"title\">"
            + SVGText.escaped("\(inverter) — \(day) — \(String(format: "%.3f", totalEnergy / 1000)) kWh") + "</text>\n"
        svg += axes(time: time, power: power, energy: energy)
        svg += powerBand(time: time, power: power)
        svg += powerLine(time: time, power: power)
        svg += energyLine(time: time, energy: energy)
        svg += markerMarks(time: time)
        svg += legend()
        svg += "</svg>\n"
        return svg
    }

    /// Every second local hour of the day.
    private func hourTicks() -> [Double] {
        var ticks: [Double] = []
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var time = start
        while time <= end {
            let hour = calendar.component(.hour, from: Date(timeIntervalSince1970: Double(time)))
            if hour % 2 == 0 { ticks.append(Double(time)) }
            time += 3600
        }
        return ticks
    }

    private func axes(time: PlotScale, power: PlotScale, energy: PlotScale) -> String {
        // HH:mm from the calendar, not a DateFormatter: formatting loads ICU's locale data, a
        // few MB of resident memory in the daemon (which draws the status page's plot).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var svg = "<g id=\"axes\" stroke=\"#999\" stroke-width=\"1\">\n"
        svg += line(Self.left, Self.bottom, Self.right, Self.bottom) + line(Self.left, Self.top, Self.left, Self.bottom)
            + line(Self.right, Self.top, Self.right, Self.bottom)
        for tick in time.ticks {
            let x = time.position(tick)
            svg += line(x, Self.bottom, x, Self.bottom + 5)
        }
        for tick in power.ticks {
            let y = power.position(tick)
            svg += "<line x1=\"\(SVGText.number(Self.left))\" y1=\"\(SVGText.number(y))\" x2=\"\(SVGText.number(Self.right))\" "
                + "y2=\"\(SVGText.number(y))\" stroke=\"#eee\"/>\n"
        }
        svg += "</g>\n<g id=\"labels\" fill=\"#333\">\n"
        for tick in time.ticks {
            let parts = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: tick))
            let label = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
            svg += text(label, x: time.position(tick), y: Self.bottom + 20, anchor: "middle")
        }
        for tick in power.ticks {
            svg += text(SVGText.number(tick, decimals: 0), x: Self.left - 8, y: power.position(tick) + 4, anchor: "end")
        }
        for tick in energy.ticks {
            svg += text(SVGText.number(tick, decimals: 3), x: Self.right + 8, y: energy.position(tick) + 4, anchor: "start")
        }
        svg += text("W", x: Self.left - 8, y: Self.top - 12, anchor: "end")
        svg += text("kWh", x: Self.right + 8, y: Self.top - 12, anchor: "start")
        svg += text("local time (\(timeZone.identifier))", x: (Self.left + Self.right) / 2, y: Self.bottom + 40, anchor: "middle")
        return svg + "</g>\n"
    }

    /// The min–max band of `gridPower`, one polygon per run of consecutive intervals.
    private func powerBand(time: PlotScale, power: PlotScale) -> String {
        var svg = "<g id=\"power-range\" fill=\"#f4a261\" fill-opacity=\"0.35\" stroke=\"none\">\n"
        for run in runs() {
            let points = run.compactMap { record -> (x: Double, low: Double, high: Double)? in
                guard let field = record["gridPower"] else { return nil }
                return (time.position(midpoint(record)), power.position(field.min.double), power.position(field.max.double))
            }
            guard !points.isEmpty else { continue }
            let outline = points.map { "\(SVGText.number($0.x)),\(SVGText.number($0.high))" }
                + points.reversed().map { "\(SVGText.number($0.x)),\(SVGText.number($0.low))" }
            svg += "<polygon points=\"\(outline.joined(separator: " "))\"/>\n"
        }
        return svg + "</g>\n"
    }

    /// The average `gridPower`, one polyline per run of consecutive intervals.
    private func powerLine(time: PlotScale, power: PlotScale) -> String {
        var svg = "<g id=\"power\" fill=\"none\" stroke=\"#e76f51\" stroke-width=\"2\">\n"
        for run in runs() {
            let points = run.compactMap { record -> String? in
                guard let field = record["gridPower"] else { return nil }
                return "\(SVGText.number(time.position(midpoint(record)))),\(SVGText.number(power.position(field.avg.double)))"
            }
            guard !points.isEmpty else { continue }
            svg += "<polyline points=\"\(points.joined(separator: " "))\"/>\n"
        }
        return svg + "</g>\n"
    }

    /// The cumulative energy at the end of each interval, from zero at the first one's start.
    private func energyLine(time: PlotScale, energy: PlotScale) -> String {
        guard let first = records.first else { return "" }
        var total = 0.0
        var points = ["\(SVGText.number(time.position(Double(first.dateTime - first.interval)))),\(SVGText.number(energy.position(0)))"]
        for record in records {
            total += record["energy"]?.sum.double ?? 0
            points.append("\(SVGText.number(time.position(Double(record.dateTime)))),\(SVGText.number(energy.position(total / 1000)))")
        }
        return "<g id=\"energy\" fill=\"none\" stroke=\"#2a9d8f\" stroke-width=\"2\">\n"
            + "<polyline points=\"\(points.joined(separator: " "))\"/>\n</g>\n"
    }

    private func markerMarks(time: PlotScale) -> String {
        var svg = "<g id=\"markers\" font-size=\"11\">\n"
        var lastLabelX = -Double.infinity
        var row = 0
        for marker in markers {
            let x = time.position(Double(marker.time))
            // Labels closer than their width go one row down, so they never overlap.
            row = x - lastLabelX < 60 ? (row + 1) % 3 : 0
            lastLabelX = x
            let color = marker.label == "online" ? "#2a9d8f" : "#6c757d"
            svg += "<path d=\"M\(SVGText.number(x)) \(SVGText.number(Self.bottom)) l-5 9 h10 z\" fill=\"\(color)\">"
                + "<title>\(SVGText.escaped(marker.label))</title></path>\n"
            svg += "<line x1=\"\(SVGText.number(x))\" y1=\"\(SVGText.number(Self.top))\" x2=\"\(SVGText.number(x))\" "
                + "y2=\"\(SVGText.number(Self.bottom))\" stroke=\"\(color)\" stroke-dasharray=\"3 4\"/>\n"
            svg += text(marker.label, x: x + 3, y: Self.top + 12 + Double(row) * 13, anchor: "start", fill: color)
        }
        return svg + "</g>\n"
    }

    private func legend() -> String {
        let y = Self.height - 12
        return "<g id=\"legend\">\n"
            + "<rect x=\"\(Int(Self.left))\" y=\"\(Int(y - 9))\" width=\"18\" height=\"10\" fill=\"#f4a261\" fill-opacity=\"0.35\"/>\n"
            + text("power min–max", x: Self.left + 24, y: y, anchor: "start")
            + line(Self.left + 140, y - 4, Self.left + 158, y - 4, stroke: "#e76f51")
            + text("average power (W)", x: Self.left + 164, y: y, anchor: "start")
            + line(Self.left + 300, y - 4, Self.left + 318, y - 4, stroke: "#2a9d8f")
            + text("cumulative energy (kWh)", x: Self.left + 324, y: y, anchor: "start")
            + "</g>\n"
    }

    // MARK: - Pieces

    /// The records in runs of intervals that follow each other without a gap.
    private func runs() -> [[ArchiveRecord]] {
        var runs: [[ArchiveRecord]] = []
        for record in records {
            if let last = runs.last?.last, record.dateTime - record.interval - last.dateTime < last.interval {
                runs[runs.count - 1].append(record)
            } else {
                runs.append([record])
            }
        }
        return runs
    }

    private func midpoint(_ record: ArchiveRecord) -> Double {
        Double(record.dateTime) - Double(record.interval) / 2
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String? = nil) -> String {
        let color = stroke.map { " stroke=\"\($0)\" stroke-width=\"2\"" } ?? ""
        return "<line x1=\"\(SVGText.number(x1))\" y1=\"\(SVGText.number(y1))\" x2=\"\(SVGText.number(x2))\" y2=\"\(SVGText.number(y2))\"\(color)/>\n"
    }

    private func text(_ content: String, x: Double, y: Double, anchor: String, fill: String? = nil) -> String {
        let color = fill.map { " fill=\"\($0)\"" } ?? ""
        return "<text x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(y))\" text-anchor=\"\(anchor)\"\(color)>\(SVGText.escaped(content))</text>\n"
    }
}
