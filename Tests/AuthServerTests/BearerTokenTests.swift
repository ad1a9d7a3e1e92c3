import Hummingbird
import HTTPTypes
import NIOCore
import Testing

@testable import ServerSupport

@Suite struct BearerTokenTests {
    /// RFC 6750 §2.1: the scheme in any case, the token without the spaces or tabs around it;
    /// "" for another scheme or no token, nil without the header.
    @Test(arguments: [
        ("Bearer abc.def-ghi_", "abc.def-ghi_"), ("bearer abc", "abc"), ("BEARER \t abc \t", "abc"),
        ("Bearer  a b ", "a b"), ("Basic abc", ""), ("Bearer", ""), ("Bearer \t ", ""), ("Bearerx abc", ""),
        ("  Bearer abc", "abc"), ("Bearer\tabc", ""), ("Bearer é😀 ", "é😀"),
    ])
    func theTokenIsTakenFromTheHeader(header: String, token: String) {
        #expect(request(authorization: header).bearerToken == token)
    }

    @Test func noHeaderIsNoToken() {
        #expect(request(authorization: nil).bearerToken == nil)
    }

    private func request(authorization: String?) -> Request {
        var head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/v1/me")
        if let authorization { head.headerFields[.authorization] = authorization }
        return Request(head: head, body: .init(buffer: ByteBuffer()))
    }
}
