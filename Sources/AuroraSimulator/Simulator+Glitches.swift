import AuroraProtocol

extension Simulator {
    /// `response` with the wrong values of ``FaultSettings/glitchRate`` and
    /// ``FaultSettings/nanMeasure`` applied (valid CRC, transmission state 0); a refusal or any
    /// other reply is left as it is. Draws from the generator only when a glitch rate is set, so
    /// other faults stay where their seed puts them.
    static func glitched(
        _ response: Response?, to request: Request?, faults: FaultSettings, using generator: inout SeededGenerator
    ) -> Response? {
        guard let response, let request, response.transmissionState.isOK else { return response }
        let globalState = response.payload[1]
        switch request.command {
        case .cumulatedEnergy where faults.glitchRate > 0:
            guard generator.unit() < faults.glitchRate else { return response }
            return Response(globalState: globalState, data: [0, 0, 0, 0])
        case .measure where request.parameters[0] == faults.nanMeasure:
            let nan = Float.nan.bitPattern
            return Response(globalState: globalState, data: (0..<4).map { UInt8(truncatingIfNeeded: nan >> (24 - 8 * $0)) })
        default:
            return response
        }
    }
}
