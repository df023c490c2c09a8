import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

/// The status server end to end: the bridge in this process on the simulator and a real
/// mosquitto, asked over real TCP connections, politely and not.
@Suite struct StatusServerTests {
    @Test func servesThePageTheStatusAndTheMetricsWithTheValuesInPlace() async throws {
        try await withStatusBridge { fixture in
            let page = try await RawResponse.request("GET", "/", port: fixture.port)
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.body.utf8.count <= 100_000, "the page is at most 100 KB")
            for external in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
                #expect(!page.body.contains(external), "no external asset: \(external)")
            }
            // As served, without running the script: the inverter's card and the bridge.
            #expect(page.body.contains("<h3>roof</h3>"))
            #expect(page.body.contains("<span data-key=\"inverters.0.availability\">online</span>"))
            #expect(page.body.contains("<span data-key=\"inverters.0.globalState\">Run</span>"))
            #expect(page.body.contains("<span data-key=\"inverters.0.model\">PVI-3.6-OUTD</span>"))
            #expect(page.body.contains("<span data-key=\"bridge.connected\" data-kind=\"connected\">connected</span>"))
            #expect(page.body.contains("<span data-key=\"bridge.version\">\(BridgeVersion.current)</span>"))
            #expect(page.body.contains("<svg"), "today's plot, inline")
            let power = try #require(fixture.bus.snapshot()?.measures[.gridPower]?.description)
            #expect(page.body.contains("<span data-key=\"inverters.0.power\" data-unit=\" W\">\(power) W</span>"))

            let status = try await RawResponse.request("GET", "/api/status", port: fixture.port)
            #expect(status.status == 200 && status.headers["content-type"] == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.body.utf8)) as? [String: Any])
            let inverter = try #require((json["inverters"] as? [[String: Any]])?.first)
            #expect(inverter["name"] as? String == "roof")
            #expect(inverter["availability"] as? String == "online")
            #expect(status.body.contains("\"power\":\(power),"), "the exact text, as on MQTT")

            let metrics = try await RawResponse.request("GET", "/metrics", port: fixture.port)
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.body.contains("aurora_grid_power_watts{inverter=\"roof\"} \(power)"))
            #expect(metrics.body.contains("aurora_inverter_up{inverter=\"roof\"} 1.0"))
            #expect(metrics.body.contains("aurora_bridge_info{version=\"\(BridgeVersion.current)\"} 1.0"))
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        try await withStatusBridge { fixture in
            let get = try await RawResponse.request("GET", "/api/status", port: fixture.port)
            let head = try await RawResponse.request("HEAD", "/api/status", port: fixture.port)
            #expect(head.status == 200 && head.body.isEmpty)
            #expect(head.headers["content-type"] == get.headers["content-type"])
        }
    }

    @Test func aRequestLineOrHeadersOver8KiBGet431() async throws {
        try await withStatusBridge { fixture in
            let longHeader = try await RawResponse.request("GET", "/", port: fixture.port, headers: ["X-Filler": String(repeating: "a", count: 9000)])
            #expect(longHeader.status == 431)
            let manyHeaders = Dictionary(uniqueKeysWithValues: (0..<40).map { ("X-Filler-\($0)", String(repeating: "b", count: 250)) })
            #expect(try await RawResponse.request("GET", "/", port: fixture.port, headers: manyHeaders).status == 431)
            let longTarget = try await RawResponse.request("GET", "/?" + String(repeating: "c", count: 9000), port: fixture.port)
            #expect([414, 431].contains(longTarget.status))
            // Just under the limit is served.
            #expect(try await RawResponse.request("GET", "/api/status", port: fixture.port, headers: ["X-Filler": String(repeating: "d", count: 7000)]).status == 200)
            try await expectStillPolling(fixture)
        }
    }

    @Test func methodsOtherThanGetAndHeadGet405() async throws {
        try await withStatusBridge { fixture in
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "BREW"] {
                for path in ["/", "/api/status", "/metrics", "/nowhere"] {
                    let response = try await RawResponse.request(method, path, port: fixture.port, headers: ["Content-Length": "0"])
                    #expect(response.status == 405, "\(method) \(path)")
                    #expect(response.headers["allow"] == "GET, HEAD", "\(method) \(path)")
                }
            }
        }
    }

    @Test func unknownPathsAndTraversalGet404() async throws {
        try await withStatusBridge { fixture in
            let paths = [
                "/nowhere", "/index.html", "/metrics/", "//metrics", "/api", "/api/status/x", "/../metrics", "/api/../metrics",
                "/%2e%2e/metrics", "/%2E%2E/%2e%2e/etc/passwd", "/..%2fmetrics", "/plot.svg/../../etc/passwd",
            ]
            for path in paths {
                let response = try await RawResponse.request("GET", path, port: fixture.port)
                #expect(response.status == 404, "\(path)")
            }
            let badDay = try await RawResponse.request("GET", "/plot.svg?day=2026-02-30", port: fixture.port)
            #expect(badDay.status == 400)
            let badInverter = try await RawResponse.request("GET", "/plot.svg?inverter=..%2F..%2Fetc", port: fixture.port)
            #expect(badInverter.status == 404)
        }
    }

    @Test func withAPasswordEveryPathNeedsIt() async throws {
        let directory = try TemporaryDirectory("status-password")
        try "s3cret\n".write(toFile: directory.file("password"), atomically: true, encoding: .utf8)
        let http = "username = \"aurora\"\npassword_file = \"\(directory.file("password"))\"\n"
        try await withStatusBridge(http: http) { fixture in
            func basic(_ credentials: String) -> [String: String] {
                ["Authorization": "Basic " + Data(credentials.utf8).base64EncodedString()]
            }
            let refused = [[:], basic("aurora:wrong"), basic("other:s3cret"), basic("aurora:s3cret2"), basic("aurora:"), basic("aurora"),
                           ["Authorization": "Basic !!!"], ["Authorization": "Bearer s3cret"]]
            for path in ["/", "/api/status", "/metrics", "/plot.svg", "/nowhere"] {
                for headers in refused {
                    let response = try await RawResponse.request("GET", path, port: fixture.port, headers: headers)
                    #expect(response.status == 401, "\(path) \(headers)")
                    #expect(response.headers["www-authenticate"] == "Basic realm=\"aurora-bridge\", charset=\"UTF-8\"")
                    #expect(!response.body.contains("roof"), "nothing of the bridge before authentication")
                }
            }
            #expect(try await RawResponse.request("POST", "/", port: fixture.port, headers: ["Content-Length": "0"]).status == 401)
            for path in ["/", "/api/status", "/metrics", "/plot.svg"] {
                #expect(try await RawResponse.request("GET", path, port: fixture.port, headers: basic("aurora:s3cret")).status == 200, "\(path)")
            }
            #expect(try await RawResponse.request("GET", "/metrics", port: fixture.port, headers: ["authorization": "basic YXVyb3JhOnMzY3JldA=="]).status == 200)
        }
    }

    @Test func atMost16ConnectionsAreOpenAtOnce() async throws {
        try await withStatusBridge { fixture in
            var held = try (0..<16).map { _ in try RawConnection(port: fixture.port) }
            // The 17th is turned away at once, with 503 or just closed, whatever it asks.
            let seventeenth = try RawConnection(port: fixture.port)
            seventeenth.send("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n")
            let turnedAway = String(decoding: try await seventeenth.readUntilClosed(timeout: .seconds(5)), as: UTF8.self)
            #expect(turnedAway.isEmpty || turnedAway.hasPrefix("HTTP/1.1 503"), "\(turnedAway)")
            // The 16 were admitted: one of them is answered.
            held[0].send("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n")
            held[1].send("GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try await held[1].response().status == 200)
            // Once one is closed, another is served.
            held.removeLast()
            try await Deadline.until("a connection to be served again", timeout: .seconds(5)) {
                (try? await RawResponse.request("GET", "/api/status", port: fixture.port))?.status == 200
            }
            withExtendedLifetime(held) {}
        }
    }

    @Test func nothingOnHTTPChangesTheBridge() async throws {
        try await withStatusBridge { fixture in
            let before = try await RawResponse.request("GET", "/api/status", port: fixture.port).body
            for (method, path) in [("POST", "/api/status"), ("PUT", "/api/status"), ("DELETE", "/"), ("POST", "/command/republish")] {
                _ = try await RawResponse.request(method, path, port: fixture.port, headers: ["Content-Length": "2"])
            }
            let after = try await RawResponse.request("GET", "/api/status", port: fixture.port).body
            #expect(before.contains("\"discovery\":\"device\",\"topicPrefix\":\"aurora\""))
            #expect(after.contains("\"discovery\":\"device\",\"topicPrefix\":\"aurora\""))
            #expect(fixture.subscriber.messages.allSatisfy { !$0.topic.contains("/command/") })
        }
    }

    @Test func thePlantTheLoggedProblemsAndTheLastEventsAreShown() async throws {
        try await withStatusBridge(plant: true) { fixture in
            try await fixture.subscriber.waitForMessage(topic: "aurora/plant/loop", timeout: .seconds(10))
            let page = try await RawResponse.request("GET", "/", port: fixture.port).body
            #expect(page.contains("<h3>garage</h3>") && page.contains("id=\"plant\""))
            #expect(page.contains("data-inverter=\"plant\""), "the plant's day is plotted")
            try await fixture.broker.stop()
            try await Deadline.until("the disconnection's warning on the page", timeout: .seconds(15)) {
                let status = try await RawResponse.request("GET", "/api/status", port: fixture.port).body
                return status.contains("\"connected\":false") && status.contains("disconnected from the broker; reconnecting")
            }
            let problem = try #require(fixture.problems.newestFirst.first)
            #expect(problem.level == .warning)
            // The event log: the broker's loss newest, the start oldest, on the page and in the JSON.
            try await Deadline.until("the broker's loss among the last events", timeout: .seconds(15)) {
                let status = try await RawResponse.request("GET", "/api/status", port: fixture.port).body
                let json = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
                let types = (json?["events"] as? [[String: Any]])?.compactMap { $0["type"] as? String } ?? []
                return types.first == "broker_lost" && types.last == "started"
            }
            let withEvents = try await RawResponse.request("GET", "/", port: fixture.port).body
            #expect(withEvents.contains("<ol id=\"events\" class=\"log\""))
            #expect(withEvents.contains("<b>bridge</b> broker_lost reason "), "the details in words")
            #expect(withEvents.contains("<b>bridge</b> started version \(BridgeVersion.current)</li>"))
            let metrics = try await RawResponse.request("GET", "/metrics", port: fixture.port).body
            #expect(metrics.contains("aurora_mqtt_connected 0.0"))
            #expect(metrics.contains("aurora_plant_up{plant=\"plant\"} 1.0"))
        }
    }

    @Test func anInverterNotAnsweringHasItsMeasurementsAbsentNotZero() async throws {
        try await withStatusBridge { fixture in
            fixture.bus.clock.advance(by: 10 * 3600)  // 23:00 at the inverter: it stops answering
            let availability = try await fixture.subscriber.waitForMessage(topic: "aurora/roof/availability", timeout: .seconds(20)) {
                $0.text != "online"
            }.text
            let metrics = try await RawResponse.request("GET", "/metrics", port: fixture.port).body
            #expect(metrics.contains("aurora_inverter_up{inverter=\"roof\"} 0.0"))
            #expect(metrics.contains("aurora_inverter_last_reading_timestamp_seconds{inverter=\"roof\"}"))
            for absent in ["aurora_grid_power_watts", "aurora_grid_voltage_volts", "aurora_energy_joules", "aurora_produced_energy_joules_total"] {
                #expect(!metrics.contains(absent + "{"), "\(absent) is absent while asleep")
            }
            let status = try await RawResponse.request("GET", "/api/status", port: fixture.port).body
            #expect(status.contains("\"availability\":\"\(availability)\"") && !status.contains("\"power\":"))
        }
    }
}

/// Fails unless the bridge publishes another loop packet within a few poll intervals.
func expectStillPolling(_ fixture: StatusFixture, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let count = fixture.subscriber.messages(on: "aurora/roof/loop").count
    try await Deadline.until("another loop packet", timeout: .seconds(10)) {
        fixture.subscriber.messages(on: "aurora/roof/loop").count > count
    }
}
