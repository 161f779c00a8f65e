import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the Hub says about one file at one revision (the answer to `HEAD …/resolve/{revision}/{file}`).
struct HubFileMetadata: Sendable, Equatable {
    /// The commit the revision pointed to (`X-Repo-Commit`).
    let commit: String
    /// The normalised etag: the SHA-256 of the content for LFS files (`X-Linked-Etag`), else the git blob id.
    let etag: String
    /// The size of the content in bytes (`X-Linked-Size` for LFS files, else `Content-Length`).
    let size: Int64
    /// Where to GET the bytes: the CDN location of an LFS redirect, else the (possibly renamed) resolve URL.
    let downloadURL: URL

    /// True when the etag is a SHA-256 the downloaded bytes can be checked against.
    var isVerifiable: Bool { HubPathRules.isSHA256(etag) }
}

/// The outcome of a metadata request that reached the Hub.
enum MetadataOutcome: Sendable, Equatable {
    /// The file exists.
    case found(HubFileMetadata)
    /// The repository and revision exist but the file does not (404 `EntryNotFound`); the commit when known.
    case missing(commit: String?)
}

/// A failure worth retrying or falling back to the cache for: network error, timeout, HTTP 408/429/5xx.
struct TransientFailure: Error, Sendable {
    let url: String
    let detail: String
    /// The Hub's host name does not resolve: the machine has no network (or a wrong `HF_ENDPOINT`), which
    /// waiting will not fix, so the caller falls back or fails at once instead of backing off.
    var hostNotFound = false
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
/// relative redirects (renamed repositories) are followed; the redirect to the CDN is not, because the
/// Hub's own answer carries `X-Repo-Commit`, `X-Linked-Etag` and `X-Linked-Size`. A relative redirect that
/// carries `X-Linked-Etag` is an LFS redirect too (a Hub serving LFS files from its own host).
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
                throw TransientFailure(
                    url: url.absoluteString, detail: error.localizedDescription,
                    hostNotFound: error.code == .cannotFindHost || error.code == .dnsLookupFailed)
            }
            switch response.status {
            case 200..<300:
                return .found(try parse(response, downloadURL: url, isRedirect: false))
            case 300..<400:
                guard let location = response.header("Location"),
                    let target = URL(string: location, relativeTo: url)?.absoluteURL
                else { throw HubError.malformedResponse(url: url.absoluteString, detail: "a redirect without Location") }
                // huggingface_hub follows relative redirects (renamed repositories) and stops at absolute ones
                // (the CDN). A redirect that already carries X-Linked-Etag is the LFS one, wherever it points.
                let isRelative = URL(string: location)?.host == nil
                if !isRelative || response.header("X-Linked-Etag") != nil {
                    return .found(try parse(response, downloadURL: target, isRedirect: true))
                }
                url = target
            case 401, 403:
                throw HubError.unauthorized(
                    repoID: repo.description, status: response.status, tokenSent: token != nil,
                    url: url.absoluteString)
            case 404:
                switch response.header("X-Error-Code") {
                case "RepoNotFound":
                    throw HubError.repositoryNotFound(repoID: repo.description, url: url.absoluteString)
                case "RevisionNotFound":
                    throw HubError.revisionNotFound(repoID: repo.description, revision: revision, url: url.absoluteString)
                default:
                    let commit = response.header("X-Repo-Commit").flatMap { HubPathRules.isCommitHash($0) ? $0 : nil }
                    return .missing(commit: commit)
                }
            case let status where RetryPolicy.isTransient(status: status):
                throw TransientFailure(url: url.absoluteString, detail: "HTTP \(status)")
            default:
                throw HubError.unexpectedStatus(repoID: repo.description, status: response.status, url: url.absoluteString)
            }
        }
        throw HubError.malformedResponse(url: url.absoluteString, detail: "more than 10 redirects")
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
        let rawSize = response.header("X-Linked-Size") ?? (isRedirect ? nil : response.header("Content-Length"))
        guard let sizeText = rawSize, let size = Int64(sizeText.trimmingCharacters(in: .whitespaces)), size >= 0 else {
            throw HubError.malformedResponse(url: source, detail: "no X-Linked-Size or Content-Length header")
        }
        return HubFileMetadata(commit: commit, etag: etag, size: size, downloadURL: downloadURL)
    }
}
