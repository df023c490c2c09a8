/// Whether an inverter answers, as published on its availability topic.
public enum Availability: String, Sendable, Hashable, CaseIterable {
    /// It answers.
    case online
    /// It stopped answering while not producing (dusk, night) or has not answered since start.
    case asleep
    /// It stopped answering while it was producing (cable, adapter or power problem).
    case unreachable
}
