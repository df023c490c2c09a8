import AuroraLink
import AuroraProtocol
import Testing

@Suite("Link error messages")
struct LinkErrorTests {
    @Test func noReplyNamesTheAddressTheTriesAndWhatToCheck() {
        let text = LinkError.noReply(.state(address: 7), tries: 3, timeout: .milliseconds(500)).description
        #expect(text.contains("address 7"))
        #expect(text.contains("3 tries of 0.5 s"))
        #expect(text.contains("wiring"))
        #expect(text.contains("night"))
    }

    @Test func badReplyPointsAtTheWiringAndOtherTalkers() {
        let text = LinkError.badReply(.energy(.day, address: 2), tries: 3, lastProblem: "CRC mismatch in 00 06").description
        #expect(text.contains("address 2"))
        #expect(text.contains("CRC mismatch in 00 06"))
        #expect(text.contains("wiring") && text.contains("termination") && text.contains("other device"))
    }

    @Test func portInUseNamesThePortAndTheLikelyCulprit() {
        let text = LinkError.portInUse("/dev/ttyUSB0").description
        #expect(text.contains("/dev/ttyUSB0"))
        #expect(text.contains("in use"))
        #expect(text.contains("stop it"))
    }

    @Test func cannotOpenASerialDeviceSuggestsAStablePathAndPermissions() {
        let text = LinkError.cannotOpen("/dev/ttyUSB9", reason: "No such file or directory").description
        #expect(text.contains("/dev/ttyUSB9") && text.contains("No such file or directory"))
        #expect(text.contains("/dev/serial/by-id") && text.contains("dialout"))
    }

    @Test func cannotReachATCPAdapterSuggestsTheNetworkNotDevicePermissions() {
        let text = LinkError.cannotOpen("tcp://192.168.1.50:8899", reason: "Connection refused").description
        #expect(text.contains("tcp://192.168.1.50:8899") && text.contains("Connection refused"))
        #expect(text.contains("host") && text.contains("port"))
        #expect(!text.contains("dialout"))
    }

    @Test func unavailableSaysItComesBackByItself() {
        let text = LinkError.deviceUnavailable("/dev/ttyUSB0", reason: "the device hung up").description
        #expect(text.contains("/dev/ttyUSB0") && text.contains("the device hung up"))
        #expect(text.contains("reopened automatically"))
    }

    @Test func refusalsNameTheCommandAndTheState() {
        let error = LinkError.refused(TransmissionError(command: .measure, state: TransmissionState(code: 58)))
        #expect(error.description.contains("variable not available, retry (58)"))
        #expect(!error.isNotSupported)
        #expect(LinkError.refused(TransmissionError(command: .measure, state: TransmissionState(code: 51))).isNotSupported)
        #expect(!LinkError.portInUse("/dev/ttyUSB0").isNotSupported)
    }

    @Test func unsupportedBaudRateListsTheRatesThatWork() {
        let text = LinkError.unsupportedBaudRate(14400).description
        #expect(text.contains("14400") && text.contains("19200") && text.contains("9600"))
    }
}
