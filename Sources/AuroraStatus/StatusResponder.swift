import AuroraBridge
import Foundation
import NIOCore
import NIOHTTP1

/// Answers the status server's requests: `GET` or `HEAD` of `/` (the page), `/api/status`
/// (JSON), `/metrics` (Prometheus) and `/plot.svg?day=YYYY-MM-DD` (a day's plot). Nothing
/// changes state.
///
/// The values are read on the concurrency pool (a few actor hops and database reads); the
/// rendering (HTML, JSON, metrics, SVG: CPU only) runs on the server's own event-loop thread, so
/// that no request takes a pool thread from the poller and the publisher for long.
///
/// In order: with a password configured, a request without the right credentials gets 401
/// (whatever its method and path); any other method than GET and HEAD gets 405; any other path
/// gets 404. Paths are matched exactly as sent (still percent-encoded), so `/../metrics` or
/// `/%2e%2e/` match nothing.
struct StatusResponder: Sendable {
    /// The methods the server answers, for `Allow`.
    static let allowedMethods = "GET, HEAD"

    /// Where the values come from.
    let collector: StatusCollector
    /// The credentials every request needs; nil when none are configured.
    let authentication: BasicAuthentication?

    /// The answer to `request` (its body, for `HEAD`, is left out by the caller), rendered on
    /// `eventLoop`.
    func respond(to request: HTTPRequestHead, renderingOn eventLoop: any EventLoop) async -> StatusResponse {
        if let authentication, !authentication.accepts(request.headers.first(name: "Authorization")) {
            return .text(
                .unauthorized, "This bridge's status needs a user name and password.\n",
                [("WWW-Authenticate", BasicAuthentication.challenge)])
        }
        guard request.method == .GET || request.method == .HEAD else {
            return .text(.methodNotAllowed, "Only GET and HEAD: nothing here changes the bridge.\n", [("Allow", Self.allowedMethods)])
        }
        let target = URLComponents(string: request.uri)
        switch target?.percentEncodedPath {
        case "/":
            let snapshot = await collector.snapshot()
            let records = await plotRecords(day: snapshot.day, inverter: snapshot.plotted)
            let policy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
                + "img-src 'self'; frame-ancestors 'none'"
            let html = await rendered(on: eventLoop) { StatusPage(snapshot: snapshot, plot: records?.svg()).html }
            return StatusResponse(.ok, type: "text/html; charset=utf-8", body: ByteBuffer(string: html), [("Content-Security-Policy", policy)])
        case "/api/status":
            let snapshot = await collector.snapshot()
            let json = await rendered(on: eventLoop) { snapshot.json.description + "\n" }
            return StatusResponse(.ok, type: "application/json", body: ByteBuffer(string: json))
        case "/metrics":
            let snapshot = await collector.snapshot()
            let text = await rendered(on: eventLoop) { StatusMetrics(snapshot: snapshot).text }
            return StatusResponse(.ok, type: "text/plain; version=0.0.4; charset=utf-8", body: ByteBuffer(bytes: text))
        case "/plot.svg":
            return await plot(target?.queryItems ?? [], renderingOn: eventLoop)
        default:
            return .text(.notFound, "Nothing here: the paths are /, /api/status, /metrics and /plot.svg?day=YYYY-MM-DD.\n")
        }
    }

    /// `/plot.svg?day=YYYY-MM-DD[&inverter=NAME]`: the day (today by default) of the inverter
    /// (the plant, else the first inverter, by default) from the archive.
    private func plot(_ query: [URLQueryItem], renderingOn eventLoop: any EventLoop) async -> StatusResponse {
        let configuration = collector.bridge.configuration
        let names = configuration.inverters.map(\.name) + [configuration.plantName].compactMap { $0 }
        func parameter(_ name: String) -> String? { query.first { $0.name == name }?.value }
        let day: LocalDay
        if let text = parameter("day") {
            guard let given = LocalDay(text) else { return .text(.badRequest, "day: use YYYY-MM-DD, e.g. 2026-06-21.\n") }
            day = given
        } else {
            day = LocalDay(containing: collector.bridge.clock.now())
        }
        guard let inverter = parameter("inverter") ?? configuration.plantName ?? configuration.inverters.first?.name,
            names.contains(inverter)
        else {
            return .text(.notFound, "inverter: one of \(names.joined(separator: ", ")).\n")
        }
        guard let plot = await plotRecords(day: day, inverter: inverter) else {
            return .text(.serviceUnavailable, "The archive database cannot be read now; the bridge's log says why.\n")
        }
        let svg = await rendered(on: eventLoop) { plot.svg() }
        return StatusResponse(.ok, type: "image/svg+xml", body: ByteBuffer(string: svg))
    }

    /// `inverter`'s plot of `day`, not drawn yet; nil when the archive cannot be read (or there
    /// is no inverter).
    private func plotRecords(day: LocalDay, inverter: String?) async -> DayPlot? {
        guard let inverter,
            let records = try? await DayPlot.records(of: day, inverter: inverter, in: collector.bridge.store)
        else { return nil }
        return DayPlot(inverter: inverter, day: day, records: records)
    }

    /// What `work` returns, computed on `eventLoop` (inline if the loop is already shut down).
    private func rendered<Result: Sendable>(on eventLoop: any EventLoop, _ work: @escaping @Sendable () -> Result) async -> Result {
        (try? await eventLoop.submit(work).get()) ?? work()
    }
}
