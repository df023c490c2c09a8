import ArgumentParser
import AuroraLink
import Foundation

/// `aurora-bridge set-time`: sets the inverter clock to the host's time.
struct SetTimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-time",
        abstract: "Set the inverter clock to the host's time, showing the error before and after.",
        discussion: "Some models are known to clear their stored history (all but the lifetime energy) when the clock is set."
    )

    @OptionGroup var link: LinkOptions

    func run() async throws {
        try await withInverter(link) { inverter in
            let before = try await inverter.time()
            print("inverter time  \(ClockText.local(before, in: inverter.clock.timeZone)), error \(before - hostNow()) s")
            try await inverter.setTime(hostNow())
            let after = try await inverter.time()
            print("set to host    \(ClockText.local(after, in: inverter.clock.timeZone)), error \(after - hostNow()) s")
        }
    }

    private func hostNow() -> Int64 { Int64(Date().timeIntervalSince1970.rounded()) }
}
