import Foundation
import HTTPClient
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the Hub says about one file at one revision (the answer to `HEAD …/resolve/{revision}/{file}`).
struct HubFileMetadata: Sendable, Equatable {
    /// The commit the revision pointed to (`X-Repo-Commit`).
    let commit: String
    /// The normalised etag: the SHA-256 of the content for LFS files (`X-Linked-Etag`), else the git blob id.
    let etag: String
    /// The size of the content in bytes (`X-Linked-Size` for LFS files, else `Content-Length`); nil when the
    /// answer does not say (a proxy that compresses answers drops `Content-Length`, or makes it the size of
    /// the compressed body, which is why a `Content-Length` beside a `Content-Encoding` is not used).
    let size: Int64?
    /// Where to GET the bytes: the CDN location of an LFS redirect, else the (possibly renamed) resolve URL.
    let downloadURL: URL

    /// True when the etag is a SHA-256 the downloaded bytes can be checked against.
    var isVerifiable: Bool { HubPathRules.isSHA256(etag) }
}

/// The outcome of a metadata request that reached the Hub.
enum MetadataOutcome: Sendable, Equatable {
    /// The file exists.
    case found(HubFileMetadata)
    /// The repository and revision exist but the file does not (404 `EntryNotFound`); the commit when known
    /// and the Hub's `X-Error-Message` (an escaped excerpt) when sent.
    case missing(commit: String?, hubMessage: String?)
}

/// A failure worth retrying or falling back to the cache for: network error, timeout, HTTP 408/429/5xx.
struct TransientFailure: Error, Sendable {
    let url: String
    let detail: String
    /// The Hub's host name does not resolve (no network, or a wrong `HF_ENDPOINT`).
    var hostNotFound = false
    /// The failure is a certificate's (`URLError.isCertificateFailure`: a proxy that inspects TLS, a wrong or unreadable
    /// `SSL_CERT_FILE`): said as ``HubError/untrustedServer(repoID:url:detail:cachePath:tokenizerOnly:)``.
    var certificate = false
    /// The wait the answer asked for (`RateLimit` on a 429, `Retry-After`), if any.
    var announcedWait: AnnouncedWait?
}

extension TransientFailure {
    /// The failure of a request to `url` that ended in `error`, in words (``words(_:timeout:setting:)``).
    init(_ error: URLError, url: String, timeout: TimeInterval, setting: String) {
        self.init(
            url: url, detail: Self.words(error, timeout: timeout, setting: setting),
            hostNotFound: error.code == .cannotFindHost || error.code == .dnsLookupFailed,
            certificate: error.isCertificateFailure)
    }

    /// A failure waiting will not fix, so the caller falls back or fails at once instead of backing off: an unknown
    /// host or a certificate's.
    var waitingWillNotHelp: Bool { hostNotFound || certificate }

    /// A network failure in words: a timeout says how long nothing came and which setting sets it (FoundationNetworking
    /// words it "The operation could not be completed. (NSURLErrorDomain error -1001.)": a hostile review), another
    /// error keeps its own description, or its code where that is FoundationNetworking's empty sentence.
    /// - Parameters:
    ///   - timeout: the request's timeout, in seconds.
    ///   - setting: the environment variable that sets it (`HF_HUB_ETAG_TIMEOUT`, `HF_HUB_DOWNLOAD_TIMEOUT`).
    static func words(_ error: URLError, timeout: TimeInterval, setting: String) -> String {
        if error.code == .timedOut {
            return "no answer for \(HubClient.format(timeout)) s (the timeout; \(setting) sets it)"
        }
        let text = error.localizedDescription
        return text.hasPrefix("The operation could not be completed") ? "network error \(error.code.rawValue)" : text
    }

    /// The error of a request that found nothing usable in the cache after `failure`: a certificate's said as such
    /// (``HubError/untrustedServer(repoID:url:detail:cachePath:tokenizerOnly:)``), any other as ``HubError/unreachable(repoID:url:detail:cachePath:)``.
    func hubError(repoID: String, cachePath: String) -> HubError {
        certificate
            ? .untrustedServer(repoID: repoID, url: url, detail: detail, cachePath: cachePath)
            : .unreachable(repoID: repoID, url: url, detail: detail, cachePath: cachePath)
    }

}

/// Removes the weak-validator prefix `W/` and the quotes around an ETag header value.
func normalizeETag(_ raw: String) -> String {
    var value = raw.trimmingCharacters(in: .whitespaces)
    if value.hasPrefix("W/") { value.removeFirst(2) }
    return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
}

/// `{endpoint}/{repo}/resolve/{revision}/{file}`, the revision fully percent-encoded (a `/` in a branch name
/// becomes `%2F`) and the file name encoded except for its `/` separators, as `huggingface_hub`'s `hf_hub_url`.
func resolveURL(endpoint: URL, repo: HubRepoID, revision: String, file: String) -> URL {
    let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    func encode(_ part: String) -> String { part.addingPercentEncoding(withAllowedCharacters: unreserved) ?? part }
    var base = endpoint.absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    let encodedFile = file.split(separator: "/").map { encode(String($0)) }.joined(separator: "/")
    return URL(string: "\(base)/\(repo)/resolve/\(encode(revision))/\(encodedFile)")!
}

/// Asks the Hub for a file's metadata with HEAD, as `huggingface_hub`'s `get_hf_file_metadata` does:
/// relative redirects (renamed repositories, the `/api/resolve-cache/…` hop) are followed; the redirect to
/// the CDN is not, because the Hub's own answer carries `X-Repo-Commit`, `X-Linked-Etag` and
/// `X-Linked-Size`. A relative redirect that carries `X-Linked-Etag` is an LFS redirect too (a Hub serving
/// LFS files from its own host).
///
/// huggingface_hub stops at every absolute redirect and then fails ("Distant resource does not seem to be
/// on huggingface.co") when that answer lacks `X-Repo-Commit`, as a mirror's `301/302/307/308` to the same
/// path on another host does. Here an absolute redirect without `X-Repo-Commit` is followed instead (at most
/// 10 hops, http(s) only); the token still goes to the endpoint's host only, as httpx drops `Authorization`
/// on a redirect to another host.
struct MetadataFetcher: Sendable {
    let transport: HTTPTransport
    let endpoint: URL
    let token: String?

    /// Headers for a request to `url`: the token goes to the endpoint's host only.
    func headers(for url: URL) -> [String: String] {
        guard let token, url.host?.lowercased() == endpoint.host?.lowercased() else { return [:] }
        return ["Authorization": "Bearer \(token)"]
    }

    /// One metadata request (with its relative redirects).
    /// - Throws: `TransientFailure` for network errors and 408/429/5xx; `HubError` for definite answers.
    func fetch(repo: HubRepoID, revision: String, file: String) async throws -> MetadataOutcome {
        var url = resolveURL(endpoint: endpoint, repo: repo, revision: revision, file: file)
        for _ in 0..<10 {
            let response: HTTPResponse
            do {
                response = try await transport.head(url, headers: headers(for: url))
            } catch let error as URLError where error.code != .cancelled {
                throw TransientFailure(error, url: url.absoluteString, timeout: transport.timeout, setting: "HF_HUB_ETAG_TIMEOUT")
            }
            switch response.status {
            case 200..<300:
                return .found(try parse(response, downloadURL: url, isRedirect: false))
            case 300..<400:
                guard let location = response.header("Location"),
                    let target = URL(string: location, relativeTo: url)?.absoluteURL,
                    let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https"
                else {
                    throw HubError.malformedResponse(
                        url: url.absoluteString, detail: "a redirect without a usable http(s) Location")
                }
                let isRelative = URL(string: location)?.host == nil
                let isLFSRedirect = response.header("X-Linked-Etag") != nil
                let isHubAnswer = response.header("X-Repo-Commit") != nil
                // Relative: a renamed repository or the resolve-cache hop. Absolute without X-Repo-Commit: a
                // mirror sending the same path elsewhere. Otherwise it is the Hub's redirect to the bytes.
                if (isRelative && !isLFSRedirect) || (!isRelative && !isHubAnswer) {
                    url = target
                    continue
                }
                return .found(try parse(response, downloadURL: target, isRedirect: true))
            case 401, 403, 404:
                return try refusal(response, repo: repo, revision: revision, url: url)
            case let status where RetryPolicy.isTransient(status: status):
                throw TransientFailure(
                    url: url.absoluteString, detail: "HTTP \(status)",
                    announcedWait: RetryHeaders.announcedWait(response))
            default:
                throw HubError.unexpectedStatus(repoID: repo.description, status: response.status, url: url.absoluteString)
            }
        }
        throw HubError.malformedResponse(url: url.absoluteString, detail: "more than 10 redirects")
    }

    /// A 401, 403 or 404 read by its `X-Error-Code`, as huggingface_hub's `hf_raise_for_status` reads it.
    /// A 404 without a code is a missing file, as before the Hub sent codes.
    private func refusal(_ response: HTTPResponse, repo: HubRepoID, revision: String, url: URL) throws
        -> MetadataOutcome
    {
        let message = HubServerHeaders.errorMessage(response, hiding: token)
        let address = url.absoluteString
        switch HubServerHeaders.errorCode(response) {
        case "RepoNotFound":
            throw HubError.repositoryNotFound(
                repoID: repo.description, url: address, tokenSent: token != nil, hubMessage: message)
        case "GatedRepo":
            throw HubError.gatedRepository(
                repoID: repo.description, url: address, pageURL: modelPage(repo), tokenSent: token != nil,
                hubMessage: message)
        case "RevisionNotFound":
            throw HubError.revisionNotFound(repoID: repo.description, revision: revision, url: address, hubMessage: message)
        case "EntryNotFound":
            return .missing(commit: commitHeader(response), hubMessage: message)
        default:
            if response.status == 404 { return .missing(commit: commitHeader(response), hubMessage: message) }
            throw HubError.unauthorized(
                repoID: repo.description, status: response.status, tokenSent: token != nil, url: address,
                hubMessage: message)
        }
    }

    /// `{endpoint}/{repo}`, the model page (where access to a gated model is requested).
    func modelPage(_ repo: HubRepoID) -> String {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/\(repo)"
    }

    private func commitHeader(_ response: HTTPResponse) -> String? {
        response.header("X-Repo-Commit").flatMap { HubPathRules.isCommitHash($0) ? $0 : nil }
    }

    private func parse(_ response: HTTPResponse, downloadURL: URL, isRedirect: Bool) throws -> HubFileMetadata {
        let source = response.url.absoluteString
        guard let commit = response.header("X-Repo-Commit"), HubPathRules.isCommitHash(commit) else {
            throw HubError.malformedResponse(url: source, detail: "no 40-hex X-Repo-Commit header; not a Hub answer")
        }
        guard let rawETag = response.header("X-Linked-Etag") ?? response.header("ETag") else {
            throw HubError.malformedResponse(url: source, detail: "no ETag or X-Linked-Etag header")
        }
        let etag = normalizeETag(rawETag)
        guard HubPathRules.isSafeComponent(etag) else {
            throw HubError.malformedResponse(url: source, detail: "etag '\(rawETag)' is not a safe file name")
        }
        let encoding = response.header("Content-Encoding")?.trimmingCharacters(in: .whitespaces).lowercased()
        let isCompressed = !(encoding?.isEmpty ?? true) && encoding != "identity"
        let rawSize = response.header("X-Linked-Size") ?? (isRedirect || isCompressed ? nil : response.header("Content-Length"))
        var size: Int64?
        if let rawSize {
            guard let value = Int64(rawSize.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw HubError.malformedResponse(
                    url: source, detail: "size header '\(HubServerHeaders.excerpt(rawSize, limit: 40))' is not a byte count")
            }
            size = value
        }
        return HubFileMetadata(commit: commit, etag: etag, size: size, downloadURL: downloadURL)
    }
}
