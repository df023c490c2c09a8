import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

@Suite("The configuration init writes")
struct ConfigTemplateTests {
    static let template = ConfigTemplate(
        port: "/dev/serial/by-id/usb-rs485", brokerHost: "broker.lan", brokerPort: 1884,
        inverters: [
            .init(address: 2, model: "PVI-3.6-OUTD", serialNumber: "240002"),
            .init(address: 40, model: "unknown (x)", serialNumber: "240040"),
        ]
    )

    @Test(arguments: [
        ("PVI-3.6-OUTD", UInt8(2), "pvi-3-6-outd-2"),
        ("PVI-5000-TL", UInt8(40), "pvi-5000-tl-40"),
        ("unknown (x)", UInt8(7), "unknown-x-7"),
        ("…", UInt8(3), "inverter-3"),
    ])
    func namesComeFromTheModelAndTheAddress(model: String, address: UInt8, name: String) {
        #expect(ConfigTemplate.name(model: model, address: address) == name)
        #expect(BridgeConfiguration.Inverter.isValidName(name))
    }

    @Test func theFileLoadsWithThePortTheBrokerAndEveryInverter() throws {
        let directory = try TemporaryDirectory("template")
        let path = directory.file("bridge.conf")
        try Data(Self.template.text.utf8).write(to: URL(fileURLWithPath: path))
        let configuration = try BridgeConfiguration.load(path: path, environment: [:])
        #expect(configuration.bus.port.description == "/dev/serial/by-id/usb-rs485")
        #expect(configuration.mqtt.host == "broker.lan")
        #expect(configuration.mqtt.port == 1884)
        #expect(configuration.inverters.map(\.name) == ["pvi-3-6-outd-2", "unknown-x-40"])
        #expect(configuration.inverters.map(\.address) == [2, 40])
        #expect(configuration.mqtt.tls == nil, "the commented [mqtt.tls] must not turn TLS on")
    }

    @Test func everyOtherKeyIsShownWithItsDefaultOrItsDoc() {
        let text = Self.template.text
        for table in ConfigSchema.tables {
            for key in table.keys {
                #expect(text.contains(key.doc), "\(table.name).\(key.name)")
                if key.defaultValue.hasPrefix("\"") || key.defaultValue.first?.isNumber == true {
                    #expect(text.contains("#\(key.name) = \(key.defaultValue)") || text.contains("\n\(key.name) = "), "\(table.name).\(key.name)")
                }
            }
        }
        #expect(text.contains("# PVI-3.6-OUTD, serial number 240002"))
    }
}
