import Foundation

/// A serial executor that runs its jobs on one dedicated thread.
///
/// The bus does blocking I/O (`poll`, `read`, `write` with deadlines of seconds). Running it on
/// the shared cooperative pool would stall every other task on a small machine, so each
/// ``Link`` actor runs on its own thread through this executor.
final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopped` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    /// Starts the thread, named `name` for debuggers and `top`.
    init(name: String) {
        // The thread keeps the executor alive until `shutdown()` lets its loop end.
        let thread = Thread { self.loop() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish once the queued jobs have run.
    func shutdown() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
        }
    }
}
