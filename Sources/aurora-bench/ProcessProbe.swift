#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads another process's memory and CPU use from `/proc/<pid>` (Linux).
struct ProcessProbe: Sendable {
    /// One reading.
    struct Sample: Sendable {
        /// ``HostClock/seconds()`` when read.
        let time: Double
        /// Resident set size (`VmRSS`), KiB.
        let residentKiB: Int
        /// Peak resident set size so far (`VmHWM`), KiB.
        let peakResidentKiB: Int
        /// Resident anonymous memory (`RssAnon`: heap, stacks, written copies of library data), KiB.
        let anonymousKiB: Int
        /// Resident file-backed memory (`RssFile`: the executable's and libraries' pages), KiB.
        let fileKiB: Int
        /// Threads.
        let threads: Int
        /// User + system CPU seconds so far (`utime` + `stime` of `/proc/<pid>/stat`).
        let cpuSeconds: Double
    }

    /// Resident memory of one kind of mapping (a library, the heap, anonymous memory, …).
    struct MappingUse: Sendable {
        /// The mapped file's name, or `[heap]`, `[stack]`, `[anonymous]`, ….
        let name: String
        /// Resident KiB.
        let residentKiB: Int
    }

    /// The process.
    let pid: pid_t

    /// Reads `/proc/<pid>/status` and `/proc/<pid>/stat` now.
    /// - Throws: ``BenchmarkError`` if the process is gone or the files are unreadable.
    func sample() throws -> Sample {
        let time = HostClock.seconds()
        let status = try contents(of: "status")
        /// The first number after `key:` ("VmRSS:\t  1234 kB" → 1234).
        func number(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) } ?? 0
        }
        // /proc/<pid>/stat: "pid (comm) state ppid …"; utime and stime are fields 14 and 15,
        // the 12th and 13th after the parenthesised command name (which may contain spaces).
        let stat = try contents(of: "stat")
        guard let close = stat.lastIndex(of: ")") else { throw BenchmarkError("unexpected /proc/\(pid)/stat: \(stat)") }
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchmarkError("unexpected /proc/\(pid)/stat: \(stat)")
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return Sample(
            time: time, residentKiB: number("VmRSS"), peakResidentKiB: number("VmHWM"),
            anonymousKiB: number("RssAnon"), fileKiB: number("RssFile"),
            threads: number("Threads"), cpuSeconds: (user + system) / ticks)
    }

    /// The proportional set size (`Pss` of `/proc/<pid>/smaps_rollup`), KiB: resident memory with
    /// each shared page divided among the processes that map it.
    func proportionalKiB() throws -> Int {
        let line = try contents(of: "smaps_rollup").split(separator: "\n").first { $0.hasPrefix("Pss:") }
        return line.flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } } ?? 0
    }

    /// Seconds the process's threads have spent runnable but waiting for a CPU, all threads
    /// together (second field of `/proc/<pid>/task/*/schedstat`; threads that have exited are
    /// not counted).
    func runQueueDelay() -> Double {
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let nanoseconds = threads.reduce(0) { total, thread in
            let fields = (try? contents(of: "task/\(thread)/schedstat"))?.split(separator: " ") ?? []
            return total + (fields.count > 1 ? Int(fields[1]) ?? 0 : 0)
        }
        return Double(nanoseconds) / 1e9
    }

    /// Resident memory by mapping, largest first, from `/proc/<pid>/smaps`: file mappings by file
    /// name (all segments of a library together), anonymous mappings as `[anonymous]`.
    func residentByMapping() throws -> [MappingUse] {
        var totals: [String: Int] = [:]
        var current = "[anonymous]"
        for line in try contents(of: "smaps").split(separator: "\n") {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = columns.first, first.contains("-"), first.first?.isHexDigit == true {
                // A mapping header: "start-end perms offset dev inode [path]".
                current = columns.count >= 6 ? String(columns[5...].joined(separator: " ").split(separator: "/").last ?? "") : "[anonymous]"
            } else if columns.first == "Rss:", columns.count >= 2, let kibibytes = Int(columns[1]) {
                totals[current, default: 0] += kibibytes
            }
        }
        return totals.map { MappingUse(name: $0.key, residentKiB: $0.value) }.sorted { $0.residentKiB > $1.residentKiB }
    }

    /// Reads a `/proc` file to its end with `read(2)`: such files report a size of 0, and are
    /// produced in pieces as they are read.
    private func contents(of file: String) throws -> String {
        let path = "/proc/\(pid)/\(file)"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BenchmarkError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                return String(decoding: bytes, as: UTF8.self)
            } else if errno != EINTR {
                throw BenchmarkError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
