import Foundation
internal import InputFiles
internal import NIOSSL

#if canImport(FoundationNetworking)
import FoundationNetworking  // URLError
#endif

/// The certificate authorities an https request trusts: the system's store, or the PEM bundle the environment names,
/// as the tools around the Hub read it (httpx and OpenSSL: `SSL_CERT_FILE`; requests, which huggingface_hub used:
/// `REQUESTS_CA_BUNDLE`, then `CURL_CA_BUNDLE`; the first one set wins). A named bundle *replaces* the system's store,
/// as it does for those tools: behind a proxy that inspects TLS it holds the proxy's authority and the public ones
/// to be trusted besides (`SSL_CERT_DIR`, a folder of hashed certificates, is not read).
///
/// The bundle is read once, when the first https request is made: a regular file (never a FIFO or a device, see
/// `BoundedFile`) of at most ``maximumBundleSize`` bytes holding PEM certificates, every one of them readable (as
/// OpenSSL and Python require). A bundle that cannot be used fails every https request with ``problem``
/// (`URLError.cannotOpenFile`) instead of falling back to the system's store, so that a wrong path is said, not
/// silently ignored.
struct TrustSettings: Sendable {
    /// The environment variables read, in order.
    static let variables = ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]
    /// The largest bundle read (Debian's `ca-certificates.crt` is about 220 KB).
    static let maximumBundleSize = 16 << 20

    /// The variable that named the bundle and its path; nil for the system's store.
    let bundle: (variable: String, path: String)?
    /// The bundle's certificates, when it names one that could be read.
    let certificates: [NIOSSLCertificate]
    /// Why the named bundle cannot be used, in words that name the variable and say what to do; nil when it can.
    let problem: String?

    /// The settings of this process's environment, read on first use: the first https request (``HTTPTransport`` asks
    /// for them only then, so a run that makes none never reads the bundle).
    static let environment = TrustSettings(environment: ProcessInfo.processInfo.environment)

    /// The system's store, for requests that do not use TLS.
    static let system = TrustSettings(environment: [:])

    /// Reads the variables of `environment` and the bundle the first one set names.
    init(environment: [String: String]) {
        let named = Self.variables.lazy.compactMap { variable in
            environment[variable].flatMap { $0.isEmpty ? nil : (variable: variable, path: $0) }
        }.first
        bundle = named
        guard let named else {
            certificates = []
            problem = nil
            return
        }
        let shown = "\(named.variable) (\(named.path.debugDescription))"
        // Each refusal ends with the way back to the default, as its own sentence.
        let orUnset = ". Or unset \(named.variable) to trust the system's certificate authorities"
        let aBundle = "name a PEM bundle of the certificate authorities to trust (every certificate in it readable, as "
            + "OpenSSL and Python require)"
        var loaded: [NIOSSLCertificate] = []
        var refusal: String?
        do {
            var bytes = try BoundedFile.read(named.path, limit: Self.maximumBundleSize)
            // A byte-order mark before the first line (a bundle saved by a Windows editor) is not part of the PEM.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            if bytes.range(of: Data("-----BEGIN CERTIFICATE-----".utf8)) == nil {
                let trusted = bytes.range(of: Data("-----BEGIN TRUSTED CERTIFICATE-----".utf8)) != nil
                refusal = "\(shown) names a file without a PEM certificate (\"-----BEGIN CERTIFICATE-----\""
                    + (trusted ? "; OpenSSL's \"TRUSTED CERTIFICATE\" blocks are not read" : "") + "); " + aBundle + orUnset
            } else {
                loaded = try NIOSSLCertificate.fromPEMBytes(Array(bytes))
            }
        } catch let error as BoundedFileError {
            // A path that is not UTF-8 reaches biasaudit with U+FFFD in it, and so names no file: say so, not "no such
            // file" (a review: such a file existed).
            if error == .notFound, named.path.unicodeScalars.contains("\u{FFFD}") {
                refusal = "\(shown) names no file; its path holds \u{FFFD}, the mark of a path that is not valid UTF-8, "
                    + "which biasaudit cannot open: give the bundle a UTF-8 path" + orUnset
            } else {
                refusal = error.reason(what: "the certificate bundle \(shown)", remedy: "name a PEM file")
                    + (error.reason(what: "", remedy: nil).hasSuffix("?") ? " " + orUnset.dropFirst(2) : orUnset)
            }
        } catch {
            refusal = "\(shown) names a file with a certificate that cannot be read (not PEM, or a damaged certificate); "
                + aBundle + orUnset
        }
        certificates = loaded
        problem = refusal
    }

    /// The TLS configuration of a client trusting these authorities; nil for AsyncHTTPClient's default (the system's
    /// store).
    var tlsConfiguration: TLSConfiguration? {
        guard bundle != nil, problem == nil else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(certificates)
        return configuration
    }

    /// A key telling the clients of two settings apart.
    var key: String? { bundle.map { "\($0.variable)=\($0.path)" } }

    /// `error` (an untrusted server certificate) saying which authorities were asked when a bundle named them: the
    /// system's store is not the one to fix then.
    func naming(_ error: URLError) -> URLError {
        guard error.code == .serverCertificateUntrusted, let bundle else { return error }
        var info = error.userInfo
        info[NSLocalizedDescriptionKey] =
            "The server's TLS certificate could not be verified by the certificate authorities of the bundle "
            + "\(bundle.variable) names (\(bundle.path.debugDescription)): none of them vouches for it (as behind a proxy "
            + "that inspects TLS, whose authority the bundle lacks), or it is self-signed, expired or wrongly named; name "
            + "a bundle that holds the authority, or unset \(bundle.variable) to trust the system's certificate authorities."
        return URLError(error.code, userInfo: info)
    }

    /// The failure of an https request when the bundle cannot be used.
    var failure: URLError? {
        problem.map { URLError(.cannotOpenFile, userInfo: [NSLocalizedDescriptionKey: $0]) }
    }
}

extension URLError {
    /// True for a failure that the same request meets again however long one waits: a server certificate the
    /// trusted authorities do not vouch for (or that names another host), or a certificate bundle that cannot be read
    /// (``TrustSettings``). Callers fail at once instead of retrying.
    public var isCertificateFailure: Bool {
        [.serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateHasUnknownRoot,
            .serverCertificateNotYetValid, .cannotOpenFile]
            .contains(code)
    }
}
