import AuroraLink

extension Poller {
    /// Runs one request between visits and answers it. An inverter that is not online gets
    /// `ok: false` without a word on the bus.
    func handle(_ request: PollerRequest, states: inout [PollState], episodes: inout LeftOutEpisodes) async {
        guard let index = states.firstIndex(where: { $0.inverter.name == request.inverter }) else {
            request.answer(ok: false, "no inverter is named \(request.inverter)")
            return
        }
        guard states[index].availability == .online else {
            let availability = states[index].availability?.rawValue ?? "not polled yet"
            request.answer(ok: false, "the inverter is \(availability)")
            return
        }
        switch request.kind {
        case .read:
            if await visit(&states[index], episodes: &episodes) {
                request.answer(ok: true, "polled; the readings are published")
            } else {
                request.answer(ok: false, "the inverter did not answer the poll")
            }
        case .setTime:
            await setTime(request, client: states[index].inverter.client)
        case .syncClock(let tolerance, let host):
            await syncClock(request, client: states[index].inverter.client, tolerance: tolerance, host: host)
        }
    }

    /// The inverter clock minus the host clock, in whole seconds.
    private func clockError(_ client: any InverterClient) async throws(LinkError) -> Int {
        let inverter = try await client.time()
        return Int((Double(inverter) - clock.now()).rounded())
    }

    private func setTime(_ request: PollerRequest, client: any InverterClient) async {
        var before: Int?
        do throws(LinkError) {
            before = try await clockError(client)
            try await client.setTime(Int64(clock.now().rounded()))
            let after = try await clockError(client)
            logger.notice("inverter clock set to the host's time", metadata: [
                "inverter": "\(request.inverter)", "errorBefore": "\(before ?? 0)", "errorAfter": "\(after)",
            ])
            request.answer(ok: true, "the inverter clock is set to the host's time", before: before, after: after)
            await sink.handle(.clockCorrected(inverter: request.inverter, by: .command, seconds: before ?? 0))
        } catch {
            request.answer(ok: false, "could not set the inverter clock: \(error)", before: before)
        }
    }

    private func syncClock(_ request: PollerRequest, client: any InverterClient, tolerance: Double, host: HostClockState) async {
        let name = request.inverter
        let before: Int
        do throws(LinkError) {
            before = try await clockError(client)
        } catch {
            request.answer(ok: false, "could not read the inverter clock: \(error)")
            return
        }
        guard Double(abs(before)) > tolerance else {
            logger.info("inverter clock within the tolerance; left alone", metadata: [
                "inverter": "\(name)", "error": "\(before)", "tolerance": "\(tolerance)",
            ])
            request.answer(ok: true, "the clock error is within the tolerance of \(tolerance) s; not set", before: before)
            return
        }
        guard host.synchronised else {
            logger.warning("inverter clock is off, but the host clock is not synchronised; left alone", metadata: [
                "inverter": "\(name)", "error": "\(before)", "source": "\(host.source)",
            ])
            request.answer(ok: false, "the host clock is not synchronised (\(host.source)); not set", before: before)
            return
        }
        do throws(LinkError) {
            try await client.setTime(Int64(clock.now().rounded()))
            let after = try await clockError(client)
            logger.notice("inverter clock corrected", metadata: [
                "inverter": "\(name)", "errorBefore": "\(before)", "errorAfter": "\(after)",
                "host": "host clock synchronised (\(host.source))",
            ])
            request.answer(
                ok: true, "the inverter clock was off by \(before) s and is set to the host's time "
                    + "(host clock synchronised, \(host.source))", before: before, after: after)
            await sink.handle(.clockCorrected(inverter: name, by: .dailySync, seconds: before))
        } catch {
            request.answer(ok: false, "could not set the inverter clock: \(error)", before: before)
        }
    }
}
