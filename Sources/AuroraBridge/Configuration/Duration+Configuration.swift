extension Duration {
    /// The duration in whole microseconds: the resolution `bridge.conf` keeps.
    var microseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }

    /// A duration from a number of seconds, rounded to the microsecond.
    static func seconds(fromConfig value: Double) -> Duration {
        .microseconds(Int64((value * 1_000_000).rounded()))
    }
}
