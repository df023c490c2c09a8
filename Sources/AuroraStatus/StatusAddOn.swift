import AuroraBridge
import Logging

/// The status page, `/api/status` and `/metrics` as an add-on of the bridge: with
/// `[http] enabled`, each run of the bridge gets an ``InverterRecorder`` watching the poller and
/// a ``StatusServer``; without, nothing at all (no socket, no thread, no observer).
public struct StatusAddOn: BridgeAddOn {
    /// The warnings and errors the page lists.
    public let problems: RecentProblems
    private let logger: Logger

    /// An add-on showing `problems` (fed by the process's log handler).
    public init(problems: RecentProblems, logger: Logger = Logger(label: "aurora.http")) {
        self.problems = problems
        self.logger = logger
    }

    public func attach(to bridge: RunningBridge) -> BridgeAttachment {
        let http = bridge.configuration.http
        guard http.enabled else { return .none }
        let recorder = InverterRecorder()
        let authentication = http.password.map { BasicAuthentication(username: http.username ?? "", password: $0) }
        let responder = StatusResponder(
            collector: StatusCollector(bridge: bridge, recorder: recorder, problems: problems), authentication: authentication)
        return BridgeAttachment(
            observer: recorder, services: [StatusServer(listen: http.listen, responder: responder, logger: logger)])
    }
}
