/// The decoded version reply (command 58): model, grid standard, transformer and kind.
public struct VersionInfo: Sendable, Hashable, CustomStringConvertible {
    /// The four raw characters, e.g. `OENN`.
    public let code: String

    /// Decodes a checked reply to command 58.
    public init(reply: Response) { code = reply.dataText }

    /// The version from its four characters.
    public init(code: String) { self.code = code }

    private func character(_ index: Int) -> Character? {
        let chars = Array(code)
        return index < chars.count ? chars[index] : nil
    }

    /// The model, e.g. `PVI-3.6-OUTD`, or `unknown (c)`.
    public var model: String { Self.describe(character(0), in: Self.models) }
    /// The grid standard, e.g. `VDE0126 (DE)`, or `unknown (c)`.
    public var gridStandard: String { Self.describe(character(1), in: Self.gridStandards) }
    /// Transformer or transformerless, or `unknown (c)`.
    public var transformer: String { Self.describe(character(2), in: Self.transformers) }
    /// Photovoltaic or wind, or `unknown (c)`.
    public var kind: String { Self.describe(character(3), in: Self.kinds) }

    public var description: String {
        "\(model), \(gridStandard), \(transformer), \(kind)"
    }

    private static func describe(_ character: Character?, in table: [Character: String]) -> String {
        guard let character else { return "unknown" }
        return table[character] ?? "unknown (\(character))"
    }

    private static let models: [Character: String] = [
        "i": "PVI-2000", "o": "PVI-2000-OUTD", "I": "PVI-3600", "O": "PVI-3.6-OUTD",
        "5": "PVI-5000-OUTD", "6": "PVI-6000-OUTD", "P": "3-phase interface (3G74)",
        "C": "PVI-CENTRAL-50 module", "4": "PVI-4.2-OUTD", "3": "PVI-3.6-OUTD", "2": "PVI-3.3-OUTD",
        "1": "PVI-3.0-OUTD", "D": "PVI-12.5-OUTD", "X": "PVI-10.0-OUTD", "H": "PVI-4.6-I-OUTD",
        "h": "PVI-3.8-I-OUTD", "T": "PVI-12.0-I-OUTD (480 VAC)", "t": "PVI-10.0-I-OUTD (480 VAC)",
        "U": "PVI-12.0-I-OUTD (208 VAC)", "u": "PVI-10.0-I-OUTD (208 VAC)",
        "V": "PVI-12.0-I-OUTD (380 VAC)", "v": "PVI-10.0-I-OUTD (380 VAC)",
        "Z": "PVI-12.0-I-OUTD (600 VAC)", "z": "PVI-10.0-I-OUTD (600 VAC)",
        "w": "PVI-10.0-I-OUTD (480 VAC, 12 A)", "M": "PVI-CENTRAL-250", "Y": "TRIO-27.6-TL-OUTD",
        "y": "TRIO-20-TL", "g": "UNO-2.0-I", "G": "UNO-2.5-I", "L": "PVI-CENTRAL-350 (liquid cooled)",
        "B": "PVI-CENTRAL-350 (liquid cooled)", "A": "PVI-CENTRAL-350 (liquid cooled)",
    ]

    private static let gridStandards: [Character: String] = [
        "A": "UL1741 (USA)", "E": "VDE0126 (DE)", "S": "DR1663/2000 (ES)", "I": "ENEL DK5950 (IT)",
        "U": "UK G83", "K": "AS4777 (AU)", "F": "VDE (FR)", "R": "EN50438 (IE)", "B": "Belgium",
        "O": "Korea", "G": "Greece", "T": "Taiwan", "C": "Czech Republic", "Q": "China",
        "a": "UL1741 208 V", "b": "UL1741 240 V", "c": "UL1741 277 V", "X": "debug", "x": "debug",
        "u": "UK G59", "k": "Israel", "W": "BDEW (DE)", "H": "Hungary", "o": "Corsica",
        "P": "Portugal", "e": "VDE AR-N-4105 (DE)",
    ]

    private static let transformers: [Character: String] = [
        "T": "transformer", "N": "transformerless", "t": "HF transformer", "X": "dummy",
    ]

    private static let kinds: [Character: String] = [
        "W": "wind", "N": "photovoltaic", "X": "dummy",
    ]
}
