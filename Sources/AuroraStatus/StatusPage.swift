import AuroraBridge
import AuroraProtocol

/// `GET /`: the status page. One HTML document with its style and script inline (nothing
/// external, so it works on a LAN without internet) and every value in place as served, so it
/// reads with scripts off; the script refreshes the values from `/api/status` every
/// ``StatusSnapshot/refreshInterval`` without reloading.
///
/// Every value element names its field in `/api/status` (`data-key`, a dotted path) and how it is
/// written (`data-kind`, `data-unit`; see ``StatusText``).
struct StatusPage {
    /// The values.
    let snapshot: StatusSnapshot
    /// Today's plot as an SVG document (``DayPlot/svg()``), or nil when it cannot be read.
    let plot: String?

    /// The document.
    var html: String {
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>aurora-bridge</title><style>\(Self.style)</style></head>
            <body data-refresh="\(FieldValue.double(snapshot.refreshInterval))">
            <header><h1>aurora-bridge</h1><p>Updated \(value("time", StatusText.stamp(snapshot.time), kind: "time"))</p></header>
            <main>

            """
        if let plant = snapshot.plant { html += plantSection(plant) }
        html += "<section><h2>Inverters</h2><div class=\"cards\">\n"
        for (index, inverter) in snapshot.inverters.enumerated() { html += card(inverter, key: "inverters.\(index)") }
        html += "</div></section>\n"
        html += plotSection + "<div class=\"cards\">\n" + bridgeSection + busSection + archiveSection + "</div>\n"
        html += eventsSection + problemsSection
        html += "</main>\n<script>\(Self.script)</script>\n</body></html>\n"
        return html
    }

    // MARK: - Sections

    private func plantSection(_ plant: StatusSnapshot.Inverter) -> String {
        section(
            "Plant", id: "plant", state: "plant.availability", availability: plant.availability,
            [
                ("Power now", value("plant.power", StatusText.value(plant.power, unit: " W"), unit: " W")),
                ("Today", value("plant.dayEnergy", StatusText.value(plant.dayEnergy(on: snapshot.day), unit: " Wh"), unit: " Wh")),
                ("Inverters answering", value("plant.inverters", StatusText.value(plant.current?["inverters"]))),
            ])
    }

    private func card(_ inverter: StatusSnapshot.Inverter, key: String) -> String {
        let read = inverter.lastPacket.map { StatusText.stamp(Double($0.dateTime)) }
        let age = inverter.lastPacket.map { StatusText.duration(snapshot.time - Double($0.dateTime)) + " ago" }
        let rows = [
            ("Availability", value("\(key).availability", inverter.availability?.rawValue ?? StatusText.unknown)),
            ("Power now", value("\(key).power", StatusText.value(inverter.power, unit: " W"), unit: " W")),
            ("Today", value("\(key).dayEnergy", StatusText.value(inverter.dayEnergy(on: snapshot.day), unit: " Wh"), unit: " Wh")),
            ("Total", value("\(key).totalEnergy", StatusText.value(inverter.totalEnergy, unit: " Wh"), unit: " Wh")),
            ("State", value("\(key).globalState", inverter.status?.global.description ?? StatusText.unknown)),
            ("Alarm", value("\(key).alarm", inverter.status?.alarm.text ?? StatusText.unknown)),
            ("Last reading", value("\(key).lastReading", read ?? StatusText.unknown, kind: "time")
                + " (" + value("\(key).age", age ?? StatusText.unknown, kind: "duration", unit: " ago") + ")"),
        ]
        return """
            <article class="card" data-state="\(key).availability" data-availability="\(inverter.availability?.rawValue ?? "unknown")">
            <h3>\(SVGText.escaped(inverter.name))</h3>
            <p class="sub">\(value("\(key).model", inverter.model ?? StatusText.unknown)) · serial \
            \(value("\(key).serialNumber", inverter.serialNumber ?? StatusText.unknown)) · address \(inverter.address ?? 0)</p>
            \(list(rows))</article>

            """
    }

    private var plotSection: String {
        let records = snapshot.recordsToday.map(String.init) ?? ""
        let figure = plot.map(Self.inline) ?? "<p>The archive cannot be read.</p>"
        return """
            <section><h2>Today</h2><figure id="plot" data-inverter="\(SVGText.escaped(snapshot.plotted ?? ""))" \
            data-day="\(snapshot.day.text)" data-records="\(records)">\(figure)</figure></section>

            """
    }

    private var bridgeSection: String {
        section(
            "Bridge", id: "bridge",
            [
                ("Version", value("bridge.version", BridgeVersion.current)),
                ("Uptime", value("bridge.uptime", StatusText.duration(snapshot.uptime), kind: "duration")),
                ("Broker", value("bridge.broker", snapshot.broker)),
                ("Connection", value("bridge.connected", snapshot.connected ? "connected" : "disconnected", kind: "connected")),
                ("Since", value("bridge.since", snapshot.connectionSince.map { StatusText.stamp($0) } ?? StatusText.unknown, kind: "time")),
                ("Discovery", value("bridge.discovery", snapshot.discovery)),
                ("Topic prefix", value("bridge.topicPrefix", snapshot.topicPrefix)),
            ])
    }

    private var busSection: String {
        var rows = [
            ("Polls", value("bus.pollsOk", String(snapshot.counters.pollsOK))),
            ("Failed polls", value("bus.pollsFailed", String(snapshot.counters.pollsFailed))),
            ("Timeouts", value("bus.timeouts", String(snapshot.link.timeouts))),
            ("CRC errors", value("bus.crcErrors", String(snapshot.link.crcErrors))),
            ("Realignments", value("bus.realignments", String(snapshot.link.realignments))),
            ("Bus utilization", value("bus.busUtilization", StatusText.percent(snapshot.busUtilization), kind: "percent")),
        ]
        for (index, inverter) in snapshot.inverters.enumerated() {
            let timeout = inverter.replyTimeout.map { FieldValue.double(($0 * 1000).rounded() / 1000) }
            rows.append((
                "Reply timeout, \(SVGText.escaped(inverter.name))",
                value("inverters.\(index).replyTimeout", StatusText.value(timeout, unit: " s"), unit: " s")))
        }
        return section("Bus", id: "bus", rows)
    }

    private var archiveSection: String {
        section(
            "Archive", id: "archive",
            [
                ("Records today", value("archive.recordsToday", snapshot.recordsToday.map(String.init) ?? StatusText.unknown)),
                ("Undelivered", value("archive.undelivered", snapshot.undelivered.map(String.init) ?? StatusText.unknown)),
                ("Degraded", value("archive.degraded", snapshot.delivery.degraded ? "yes" : "no", kind: "yesno")),
                ("Queued in memory", value("archive.queued", String(snapshot.delivery.queued))),
            ])
    }

    private var eventsSection: String {
        let empty = snapshot.events == nil ? "The archive database cannot be read." : "None stored yet."
        let items = (snapshot.events ?? []).map { event in
            "<li><time>\(StatusText.stamp(Double(event.dateTime)))</time> <b>\(SVGText.escaped(event.source))</b> "
                + "\(SVGText.escaped(event.type)) \(SVGText.escaped(event.detailsText))</li>"
        }
        return """
            <section><h2>Last events</h2><ol id="events" class="log" data-empty="\(empty)">
            \(items.isEmpty ? "<li>\(empty)</li>" : items.joined(separator: "\n"))
            </ol></section>

            """
    }

    private var problemsSection: String {
        let empty = "None since the bridge started."
        let items = snapshot.problems.map { problem in
            "<li><time>\(StatusText.stamp(problem.time))</time> <b>\(problem.level.rawValue)</b> \(SVGText.escaped(problem.message))</li>"
        }
        return """
            <section><h2>Warnings and errors</h2><ol id="problems" class="log" data-empty="\(empty)">
            \(items.isEmpty ? "<li>\(empty)</li>" : items.joined(separator: "\n"))
            </ol></section>

            """
    }

    // MARK: - Pieces

    /// A section with a heading and a list of labelled values; with `state`, it is coloured by
    /// the availability at that key.
    private func section(
        _ title: String, id: String, state: String? = nil, availability: Availability? = nil, _ rows: [(String, String)]
    ) -> String {
        let stateAttributes = state.map { " data-state=\"\($0)\" data-availability=\"\(availability?.rawValue ?? "unknown")\"" } ?? ""
        return "<section id=\"\(id)\" class=\"card\"\(stateAttributes)><h2>\(title)</h2>\n\(list(rows))</section>\n"
    }

    private func list(_ rows: [(String, String)]) -> String {
        "<dl>" + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>\n"
    }

    /// A value element: `text` as served, refreshed from `key` as `kind` says, followed by `unit`.
    private func value(_ key: String, _ text: String, kind: String? = nil, unit: String? = nil) -> String {
        let kindAttribute = kind.map { " data-kind=\"\($0)\"" } ?? ""
        let unitAttribute = unit.map { " data-unit=\"\($0)\"" } ?? ""
        return "<span data-key=\"\(key)\"\(kindAttribute)\(unitAttribute)>\(SVGText.escaped(text))</span>"
    }

    /// An SVG document to place inside HTML: without its XML declaration.
    static func inline(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: ">") else { return svg }
        return String(svg[svg.index(after: end)...].drop(while: \.isWhitespace))
    }
}
