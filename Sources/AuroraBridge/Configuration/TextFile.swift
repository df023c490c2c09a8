import Foundation

/// Reads text files named in `bridge.conf`: the configuration itself and secret files.
enum TextFile {
    /// Why a file could not be read, as a phrase: `no such file`, `permission denied`.
    struct ReadError: Error {
        var reason: String
    }

    /// The whole file as UTF-8 text.
    static func readText(_ path: String) throws(ReadError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError {
            switch error.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: throw ReadError(reason: "no such file")
            case .fileReadNoPermission: throw ReadError(reason: "permission denied")
            default: throw ReadError(reason: error.localizedDescription)
            }
        } catch {
            throw ReadError(reason: "\(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(reason: "not UTF-8 text")
        }
        return text
    }

    /// A secret kept in a file: its content without the trailing line break(s).
    static func readSecret(_ path: String) throws(ReadError) -> String {
        var scalars = try readText(path).unicodeScalars[...]
        while let last = scalars.last, last == "\n" || last == "\r" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
