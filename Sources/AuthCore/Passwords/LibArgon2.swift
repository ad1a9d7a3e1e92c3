import AuthCrypto
import CArgon2

/// Raw Argon2 through the reference implementation, for what libsodium can't compute:
/// argon2d, more than one lane, other salt lengths, version 1.0.
enum LibArgon2 {
    static func hash(
        variant: Argon2Hash.Variant, version: UInt32, password: SecretBytes, salt: [UInt8],
        parameters: Argon2Parameters, outputLength: Int
    ) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputLength)
        let type: argon2_type =
            switch variant {
            case .argon2d: Argon2_d
            case .argon2i: Argon2_i
            case .argon2id: Argon2_id
            }
        let status = password.withUnsafeBytes { password in
            argon2_hash(
                parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                password.baseAddress, password.count, salt, salt.count, &out, outputLength, nil, 0, type,
                version)
        }
        guard status == ARGON2_OK.rawValue else { throw CryptoError.kdfFailed }
        return out
    }
}
