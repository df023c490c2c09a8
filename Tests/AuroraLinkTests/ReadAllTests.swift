import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Full poll over a pseudo-terminal")
struct ReadAllTests {
    static let rome = TimeZone(identifier: "Europe/Rome")!

    static let fieldNames = LoopFieldNames.fullPoll

    @Test func everyReadingIsExactlyWhatTheInverterServes() async throws {
        try await SimulatedBus.withPseudoTerminal(timeZone: Self.rome) { bus in
            // Exact request counts: a fixed timeout, which a reply delayed by a loaded machine never reaches.
            let link = LinkFixtures.link(to: bus, learnsReplyTimeout: false)
            let clock = InverterClock(timeZone: Self.rome)
            let inverter = Inverter(link: link, address: 2, clock: clock)
            let poll = try await inverter.readAll()
            let expected = try #require(bus.snapshot(address: 2))
            LinkFixtures.expect(poll, equals: expected, clock: clock)
            #expect(poll.measures.count == 25)
            #expect(poll.energy.count == 6)
            // The clock is read in the inverter's zone: 15:00 in Rome is 13:00 UTC.
            #expect(poll.inverterTime == Int64(SimulatedBus.defaultStart))
            let statistics = await link.statistics
            #expect(statistics.requests == 32 && statistics.replies == 32)
            #expect(statistics.timeouts + statistics.crcErrors + statistics.shortReplies + statistics.refusals == 0)
        }
    }

    @Test func namedValuesUseTheLoopFieldNamesInPollOrder() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let poll = try await Inverter(link: LinkFixtures.link(to: bus), address: 2, clock: InverterClock(timeZone: .gmt)).readAll()
            let expected = try #require(bus.snapshot(address: 2))
            let named = poll.namedValues
            #expect(named.map(\.name) == Self.fieldNames)
            let values = Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.value) })
            #expect(values["gridPower"] == .float(try #require(expected.measures[.gridPower])))
            #expect(values["isoResistance"] == .float(try #require(expected.measures[.isolationResistance])))
            #expect(values["totalEnergy"] == .integer(Int64(try #require(expected.energy[.total]))))
            #expect(values["inverterDateTime"] == .integer(Int64(SimulatedBus.defaultStart)))
        }
    }

    @Test func followsTheSimulatedClock() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let clock = InverterClock(timeZone: .gmt)
            let inverter = Inverter(link: LinkFixtures.link(to: bus), address: 2, clock: clock)
            let noon = try await inverter.readAll()
            bus.clock.advance(by: 3 * 3600 + 17)
            let afternoon = try await inverter.readAll()
            LinkFixtures.expect(afternoon, equals: try #require(bus.snapshot(address: 2)), clock: clock)
            #expect(afternoon.inverterTime == noon.inverterTime.map { $0 + 3 * 3600 + 17 })
            #expect(try #require(afternoon.energy[.day]) > (try #require(noon.energy[.day])))
            #expect(try #require(afternoon.measures[.gridPower]) < (try #require(noon.measures[.gridPower])))
        }
    }

    @Test func twoInvertersOnOneBusAndASilentThirdAddress() async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [2, 3]) { bus in
            let link = LinkFixtures.link(to: bus, readTimeout: .milliseconds(200), tries: 2)
            let clock = InverterClock(timeZone: .gmt)
            let second = try await Inverter(link: link, address: 2, clock: clock).readAll()
            let third = try await Inverter(link: link, address: 3, clock: clock).readAll()
            LinkFixtures.expect(second, equals: try #require(bus.snapshot(address: 2)), clock: clock)
            LinkFixtures.expect(third, equals: try #require(bus.snapshot(address: 3)), clock: clock)
            // The two inverters differ (their grid voltages are phase-shifted per address).
            #expect(second.measures[.gridVoltage] != third.measures[.gridVoltage])
            let serials = (
                try await Inverter(link: link, address: 2).identity().serialNumber,
                try await Inverter(link: link, address: 3).identity().serialNumber
            )
            #expect(serials == ("240002", "240003"))

            let error = await linkError { () async throws(LinkError) in try await Inverter(link: link, address: 4).status() }
            #expect(error == .noReply(.state(address: 4), tries: 2, timeout: .milliseconds(200)))
            // The silent address does not disturb the others.
            let again = try await Inverter(link: link, address: 2).status()
            #expect(again == bus.snapshot(address: 2)?.status)
        }
    }

    @Test func singleCommandsDecodeWhatIsServed() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let inverter = Inverter(link: LinkFixtures.link(to: bus), address: 2, clock: InverterClock(timeZone: .gmt))
            let expected = try #require(bus.snapshot(address: 2))
            #expect(try await inverter.status() == expected.status)
            #expect(try await inverter.measure(.gridPower) == expected.measures[.gridPower])
            #expect(try await inverter.energy(.total) == expected.energy[.total])
            #expect(try await inverter.time() == Int64(SimulatedBus.defaultStart))
            #expect(try await inverter.lastAlarms().alarms.map(\.code) == [3, 1, 3, 1])
            let identity = try await inverter.identity()
            #expect(identity.partNumber == "-3G79-")
            #expect(identity.serialNumber == "240002")
            #expect(identity.version.code == "OENN")
            #expect(identity.firmware.description == "C.0.1.6")
            #expect(identity.manufactureDate.week == 46 && identity.manufactureDate.year == 2012)
        }
    }
}
