import NIOCore

/// Decides whether a connected peer is on the loopback interface, where sending
/// credentials without TLS is allowed.
enum LoopbackAddress {
    /// True for 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8 peers.
    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress?.lowercased() else { return false }
        switch address {
        case .v4: return ip.hasPrefix("127.")
        case .v6: return ip == "::1" || ip.hasPrefix("::ffff:127.")
        default: return false
        }
    }
}
