import AuroraBridge
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Answers the status server's requests: `GET` or `HEAD` of `/` (the page), `/api/status`
/// (JSON), `/metrics` (Prometheus) and `/plot.svg?day=YYYY-MM-DD` (a day's plot). Nothing
/// changes state.
///
/// In order: with a password configured, a request without the right credentials gets 401
/// (whatever its method and path); any other method than GET and HEAD gets 405; any other path
/// gets 404. Paths are matched exactly as sent, so `/../metrics` or `/%2e%2e/` match nothing.
struct StatusResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The methods the server answers, for `Allow`.
    static let allowedMethods = "GET, HEAD"

    /// Where the values come from.
    let collector: StatusCollector
    /// The credentials every request needs; nil when none are configured.
    let authentication: BasicAuthentication?

    func respond(to request: Request, context: Context) async throws -> Response {
        let response = await answer(request)
        return request.method == .head ? response.createHeadResponse() : response
    }

    private func answer(_ request: Request) async -> Response {
        if let authentication, !authentication.accepts(request.headers[.authorization]) {
            return Self.text(
                .unauthorized, "This bridge's status needs a user name and password.\n",
                [.wwwAuthenticate: BasicAuthentication.challenge])
        }
        guard request.method == .get || request.method == .head else {
            return Self.text(.methodNotAllowed, "Only GET and HEAD: nothing here changes the bridge.\n", [.allow: Self.allowedMethods])
        }
        switch request.uri.path {
        case "/":
            let snapshot = await collector.snapshot()
            let plot = await plotSVG(day: snapshot.day, inverter: snapshot.plotted)
            return Self.response(.ok, StatusPage(snapshot: snapshot, plot: plot).html, type: "text/html; charset=utf-8", [
                .contentSecurityPolicy:
                    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'"
            ])
        case "/api/status":
            return Self.response(.ok, await collector.snapshot().json.description + "\n", type: "application/json")
        case "/metrics":
            let text = StatusMetrics(snapshot: await collector.snapshot()).text
            return Response(
                status: .ok, headers: Self.headers(type: "text/plain; version=0.0.4; charset=utf-8"),
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        case "/plot.svg":
            return await plot(request.uri.queryParameters)
        default:
            return Self.text(.notFound, "Nothing here: the paths are /, /api/status, /metrics and /plot.svg?day=YYYY-MM-DD.\n")
        }
    }

    /// `/plot.svg?day=YYYY-MM-DD[&inverter=NAME]`: the day (today by default) of the inverter
    /// (the plant, else the first inverter, by default) from the archive.
    private func plot(_ query: FlatDictionary<Substring, Substring>) async -> Response {
        let configuration = collector.bridge.configuration
        let names = configuration.inverters.map(\.name) + [configuration.plantName].compactMap { $0 }
        let day: LocalDay
        if let text = query["day"] {
            guard let given = LocalDay(String(text)) else {
                return Self.text(.badRequest, "day: use YYYY-MM-DD, e.g. 2026-06-21.\n")
            }
            day = given
        } else {
            day = LocalDay(containing: collector.bridge.clock.now())
        }
        let inverter = query["inverter"].map(String.init) ?? configuration.plantName ?? configuration.inverters.first?.name
        guard let inverter, names.contains(inverter) else {
            return Self.text(.notFound, "inverter: one of \(names.joined(separator: ", ")).\n")
        }
        guard let svg = await plotSVG(day: day, inverter: inverter) else {
            return Self.text(.serviceUnavailable, "The archive database cannot be read now; the bridge's log says why.\n")
        }
        return Self.response(.ok, svg, type: "image/svg+xml")
    }

    /// `inverter`'s plot of `day`, or nil when the archive cannot be read (or there is no inverter).
    private func plotSVG(day: LocalDay, inverter: String?) async -> String? {
        guard let inverter,
            let records = try? await DayPlot.records(of: day, inverter: inverter, in: collector.bridge.store)
        else { return nil }
        return DayPlot(inverter: inverter, day: day, records: records).svg()
    }

    // MARK: - Responses

    private static func text(_ status: HTTPResponse.Status, _ text: String, _ extra: HTTPFields = [:]) -> Response {
        response(status, text, type: "text/plain; charset=utf-8", extra)
    }

    private static func response(_ status: HTTPResponse.Status, _ text: String, type: String, _ extra: HTTPFields = [:]) -> Response {
        var headers = headers(type: type)
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Every answer's headers: its type, never cached, never sniffed as another type.
    private static func headers(type: String) -> HTTPFields {
        [.contentType: type, .cacheControl: "no-store", .xContentTypeOptions: "nosniff"]
    }
}
