internal import AsyncHTTPClient
import Foundation
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
#if canImport(FoundationNetworking)
import FoundationNetworking  // URLError
#endif

/// Network failures as `URLError`s, the codes URLSession used, so callers tell a timeout, a refused connection, an
/// unknown host and a cancel apart as before. The description is a short sentence (NIO's own descriptions, such as a
/// `NIOConnectionError` with every address it tried, never reach a message); the original error is kept under
/// `NSUnderlyingErrorKey`.
enum TransportFailure {
    /// Runs `operation` (a call into AsyncHTTPClient), throwing its failure as a `URLError`.
    static func mapping<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch {
            throw urlError(for: error)
        }
    }

    /// A `URLError` with `code` and its sentence.
    static func error(_ code: URLError.Code, underlying: Error? = nil) -> URLError {
        var info: [String: Any] = [NSLocalizedDescriptionKey: sentence(code)]
        if let underlying { info[NSUnderlyingErrorKey] = underlying }
        return URLError(code, userInfo: info)
    }

    /// The `URLError` closest to `error`.
    static func urlError(for error: Error) -> URLError {
        if let error = error as? URLError { return error }
        if let failure = error as? HTTPClientError,
            [.invalidProxyResponse, .proxyAuthenticationRequired, .httpProxyHandshakeTimeout, .socksHandshakeTimeout]
                .contains(failure)
        {
            let sentence = "The proxy (set by https_proxy, http_proxy or all_proxy) refused the connection or did not answer."
            return URLError(
                failure == .httpProxyHandshakeTimeout || failure == .socksHandshakeTimeout ? .timedOut : .cannotConnectToHost,
                userInfo: [NSLocalizedDescriptionKey: sentence, NSUnderlyingErrorKey: error])
        }
        return Self.error(code(for: error), underlying: error)
    }

    /// The `URLError` code closest to an error of AsyncHTTPClient or SwiftNIO.
    static func code(for error: Error) -> URLError.Code {
        switch error {
        case is CancellationError:
            return .cancelled
        case let error as HTTPClientError:
            switch error {
            case .cancelled, .requestStreamCancelled:
                return .cancelled
            case .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return .timedOut
            case .remoteConnectionClosed, .bodyLengthMismatch:
                return .networkConnectionLost
            case .invalidURL, .emptyHost, .emptyScheme:
                return .badURL
            case .invalidProxyResponse, .proxyAuthenticationRequired:
                return .cannotConnectToHost
            case .redirectLimitReached, .redirectCycleDetected:
                return .httpTooManyRedirects
            default:
                if "\(error)".contains("nsupported scheme") { return .unsupportedURL }
                return .badServerResponse
            }
        case let error as NIOConnectionError:
            // No address to try: the name did not resolve.
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil { return .cannotFindHost }
            let codes = error.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
            if !codes.isEmpty, codes.allSatisfy({ $0 == ENETUNREACH }) { return .notConnectedToInternet }
            return .cannotConnectToHost
        case is SocketAddressError:
            return .cannotFindHost
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .timedOut
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed: return .networkConnectionLost
            default: return .networkConnectionLost
            }
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH: return .cannotConnectToHost
            case ENETUNREACH: return .notConnectedToInternet
            case ETIMEDOUT: return .timedOut
            default: return .networkConnectionLost
            }
        case is HTTPParserError:
            return .badServerResponse
        default:
            // NIOSSL's errors (a failed handshake, an untrusted certificate), named by module: the HTTP client does not
            // depend on NIOSSL directly.
            let type = String(reflecting: Swift.type(of: error))
            if type.hasPrefix("NIOSSL.") || type.contains("SSL") || type.contains("TLS") {
                // BoringSSL's reason names a certificate the system's trust store does not vouch for (libcurl said
                // "SSL certificate problem: unable to get local issuer certificate"; a bare "TLS error" said less).
                // NIOSSL checks the host name itself, after BoringSSL accepted the chain: a certificate for another name.
                let text = "\(error)"
                return text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("failedToValidateHostname")
                    ? .serverCertificateUntrusted : .secureConnectionFailed
            }
            return .badServerResponse
        }
    }

    /// URLSession's sentence for `code` (its descriptions on Apple platforms).
    static func sentence(_ code: URLError.Code) -> String {
        switch code {
        case .timedOut: return "The request timed out."
        case .cannotConnectToHost: return "Could not connect to the server."
        case .cannotFindHost: return "A server with the specified hostname could not be found."
        case .notConnectedToInternet: return "The network is unreachable."
        case .networkConnectionLost: return "The network connection was lost."
        case .secureConnectionFailed: return "A TLS error occurred and a secure connection to the server cannot be made."
        case .serverCertificateUntrusted:
            return "The server's TLS certificate could not be verified (a certificate authority the system does not trust, "
                + "as behind a proxy that inspects TLS, or a self-signed, expired or wrongly named certificate); "
                + "SSL_CERT_FILE can name a PEM bundle of the authorities to trust."
        case .badServerResponse: return "The server's answer is not valid HTTP."
        case .cancelled: return "cancelled"
        case .badURL: return "The URL is not valid."
        case .unsupportedURL: return "The URL is not an http(s) URL."
        case .httpTooManyRedirects: return "Too many HTTP redirects (more than \(HTTPTransport.maximumRedirects))."
        default: return "network error \(code.rawValue)"
        }
    }
}
