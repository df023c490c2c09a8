import CTimex

/// Whether the host's clock is synchronised (to NTP or another reference), and who says so.
public struct HostClockState: Sendable, Equatable {
    /// Whether the clock is synchronised.
    public var synchronised: Bool
    /// Where the answer comes from, for logs and results (e.g. `adjtimex`).
    public var source: String

    /// A state from `source`.
    public init(synchronised: Bool, source: String) {
        self.synchronised = synchronised
        self.source = source
    }

    /// Asks the kernel with `adjtimex(2)` (read only): synchronised when the clock state is not
    /// `TIME_ERROR`, `STA_UNSYNC` is clear and the maximum error is under a second. The kernel
    /// knows what chrony, ntpd and systemd-timesyncd last told it, without D-Bus.
    public static func kernel() -> HostClockState {
        var status = timex()
        status.modes = 0
        let state = adjtimex(&status)
        let synchronised = state >= 0 && state != TIME_ERROR && (status.status & STA_UNSYNC) == 0
            && status.maxerror < 1_000_000
        return HostClockState(synchronised: synchronised, source: "adjtimex")
    }
}
