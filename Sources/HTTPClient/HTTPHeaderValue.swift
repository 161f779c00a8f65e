/// What a credential sent in an HTTP header (`Authorization: Bearer …`) may hold.
public enum HTTPHeaderValue {
    /// The first Unicode scalar of `credential` outside printable ASCII (U+0021…U+007E), or nil when there is none. A
    /// token or key holding one cannot be sent as it is: a control character broke every request ("not valid HTTP") and
    /// U+0085 went out as raw bytes (hostile reviews), and no key or token has a space or a non-ASCII character.
    public static func firstUnsendable(_ credential: String) -> Unicode.Scalar? {
        credential.unicodeScalars.first { !(0x21...0x7E).contains($0.value) }
    }
}
