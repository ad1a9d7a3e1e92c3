import Foundation

/// The key a client is rate-limited and throttled under. An IPv4 address stands for itself;
/// an IPv6 address stands for its /64 network, because one host or subscriber is routinely
/// given a whole /64 (RFC 6177, RFC 7934) and could otherwise change address at every request.
/// An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is keyed as the IPv4 address it maps.
public enum AddressKey {
    /// `192.0.2.1` → `192.0.2.1`; `2001:db8:0:1:2:3:4:5` → `2001:db8:0:1::/64`; anything that
    /// is not an IP address (a Unix socket's, "") stands for itself.
    public static func of(_ address: String) -> String {
        let withoutZone = address.split(separator: "%", maxSplits: 1).first.map(String.init) ?? address
        var bytes = in6_addr()
        guard withoutZone.contains(":"), inet_pton(AF_INET6, withoutZone, &bytes) == 1 else { return address }
        let octets = withUnsafeBytes(of: &bytes) { Array($0) }
        if octets[0..<10].allSatisfy({ $0 == 0 }) && octets[10] == 0xff && octets[11] == 0xff {
            return octets[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
