/// The `alg` names under which an Ed25519 signature may appear.
public enum JWSAlgorithm: String, Sendable, CaseIterable {
    /// RFC 8037's polymorphic name, understood by every JOSE library.
    case edDSA = "EdDSA"
    /// RFC 9864's fully-specified name for the same algorithm.
    case ed25519 = "Ed25519"
}
