import Glibc

extension Connection {
    /// Opens `address`: a serial device in raw 8N1 mode at `baudRate`, locked for exclusive use,
    /// or a TCP connection with Nagle's algorithm off.
    static func open(_ address: PortAddress, baudRate: Int, timeout: Duration) throws(LinkError) -> Connection {
        switch address {
        case .serial(let path): try openSerial(path: path, baudRate: baudRate)
        case .tcp(let host, let port): try openTCP(host: host, port: port, timeout: timeout)
        }
    }

    private static func openSerial(path: String, baudRate: Int) throws(LinkError) -> Connection {
        guard let speed = termiosSpeed(baudRate) else { throw .unsupportedBaudRate(baudRate) }
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            // EBUSY: another process set TIOCEXCL on the device (as this one does below).
            if errno == EBUSY { throw .portInUse(path) }
            throw .cannotOpen(path, reason: String(cString: strerror(errno)))
        }
        let connection = Connection(descriptor: fd, kind: .serial, name: path)
        // flock conflicts between any two open file descriptions, in this process or another;
        // TIOCEXCL additionally refuses further opens by unprivileged processes.
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { throw .portInUse(path) }
            throw .cannotOpen(path, reason: "cannot lock it: \(String(cString: strerror(errno)))")
        }
        _ = ioctl(fd, UInt(TIOCEXCL))
        var options = termios()
        guard tcgetattr(fd, &options) == 0 else {
            throw .cannotOpen(path, reason: "not a serial device (\(String(cString: strerror(errno))))")
        }
        cfmakeraw(&options)
        options.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        options.c_cflag |= tcflag_t(CS8) | tcflag_t(CLOCAL) | tcflag_t(CREAD)
        options.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        withUnsafeMutableBytes(of: &options.c_cc) { bytes in
            bytes[Int(VMIN)] = 0
            bytes[Int(VTIME)] = 0
        }
        cfsetispeed(&options, speed)
        cfsetospeed(&options, speed)
        guard tcsetattr(fd, TCSANOW, &options) == 0 else {
            throw .cannotOpen(path, reason: "cannot configure it: \(String(cString: strerror(errno)))")
        }
        tcflush(fd, TCIOFLUSH)
        return connection
    }

    private static func openTCP(host: String, port: UInt16, timeout: Duration) throws(LinkError) -> Connection {
        let name = PortAddress.tcp(host: host, port: port).description
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .cannotOpen(name, reason: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = Connection(descriptor: fd, kind: .tcp, name: name)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return connection }
            guard errno == EINPROGRESS else {
                lastError = String(cString: strerror(errno))
                continue
            }
            var pending = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let (seconds, attoseconds) = timeout.components
            let ready = poll(&pending, 1, Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if ready == 1 && socketError == 0 { return connection }
            lastError = ready == 0 ? "connection timed out" : String(cString: strerror(socketError))
        }
        throw .cannotOpen(name, reason: lastError)
    }

    private static func termiosSpeed(_ rate: Int) -> speed_t? {
        switch rate {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 9600: speed_t(B9600)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115200: speed_t(B115200)
        default: nil
        }
    }
}
