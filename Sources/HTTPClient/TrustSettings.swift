import Foundation
internal import InputFiles
internal import NIOSSL

#if canImport(FoundationNetworking)
import FoundationNetworking  // URLError
#endif

/// The certificate authorities an https request trusts: the system's store, or the PEM bundle the environment names,
/// as the tools around the Hub read it (httpx and OpenSSL: `SSL_CERT_FILE`; requests, which huggingface_hub used:
/// `REQUESTS_CA_BUNDLE`, then `CURL_CA_BUNDLE`; the first one set wins), and besides either one the folders of
/// certificates `SSL_CERT_DIR` names (one, or several separated by ':', as OpenSSL reads it: in addition to the bundle
/// or the system's own). A named
/// bundle *replaces* the system's store, as it does for those tools: behind a proxy that inspects TLS it holds the
/// proxy's authority and the public ones to be trusted besides.
///
/// A bundle is a regular file (never a FIFO or a device, see `BoundedFile`) of at most ``maximumBundleSize`` bytes
/// holding PEM certificates, every one of them readable (as OpenSSL and Python require), or a folder of such files
/// (as requests reads a folder named by `REQUESTS_CA_BUNDLE`; the files of an `openssl rehash` or `c_rehash` folder
/// such as `/etc/ssl/certs`). In a folder every regular file with a `-----BEGIN CERTIFICATE-----` block is read, in
/// name order, with a certificate counted once however many files hold it; other entries (subfolders, links to
/// nothing, files without a certificate or with one that cannot be read, unreadable files) are passed over, as OpenSSL
/// passes over what it cannot use there. The environment is read once, when the first https request is made. A bundle
/// or folder that cannot be used
/// fails every https request with ``problem`` (`URLError.cannotOpenFile`) instead of falling back to the system's
/// store, so that a wrong path is said, not silently ignored.
struct TrustSettings: Sendable {
    /// The environment variables naming a bundle, read in order: the first one set names it.
    static let variables = ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]
    /// The variable naming a folder of certificates trusted in addition.
    static let folderVariable = "SSL_CERT_DIR"
    /// The largest bundle read, and the largest file of a folder (Debian's `ca-certificates.crt` is about 220 KB).
    static let maximumBundleSize = 16 << 20
    /// The most entries a folder may hold (Debian's `/etc/ssl/certs` holds about 300 certificates and as many links).
    static let maximumFolderEntries = 10_000
    /// The most bytes of certificate files a folder may hold in all.
    static let maximumFolderSize = 64 << 20

    /// A variable of the environment and the path it names.
    typealias Source = (variable: String, path: String)

    /// The variable that named the bundle (a file or a folder) and its path; nil for the system's store.
    let bundle: Source?
    /// `SSL_CERT_DIR` and its folder, when set: trusted besides the bundle or the system's store.
    let folder: Source?
    /// The bundle's certificates, when it names one that could be read.
    let certificates: [NIOSSLCertificate]
    /// The folder's certificates, when `SSL_CERT_DIR` names one that could be read.
    let added: [NIOSSLCertificate]
    /// Why the named bundle or folder cannot be used, in words that name the variable and say what to do; nil when
    /// they can (the bundle's is said when both cannot).
    let problem: String?

    /// The settings of this process's environment, read on first use: the first https request (``HTTPTransport`` asks
    /// for them only then, so a run that makes none never reads the bundle).
    static let environment = TrustSettings(environment: ProcessInfo.processInfo.environment)

    /// The system's store, for requests that do not use TLS.
    static let system = TrustSettings(environment: [:])

    /// Reads the variables of `environment`, the bundle the first one set names and the folder `SSL_CERT_DIR` names.
    init(environment: [String: String]) {
        func named(_ variable: String) -> Source? {
            environment[variable].flatMap { $0.isEmpty ? nil : (variable: variable, path: $0) }
        }
        bundle = Self.variables.lazy.compactMap(named).first
        folder = named(Self.folderVariable)
        let none: (certificates: [NIOSSLCertificate], refusal: String?) = ([], nil)
        let bundleRead = bundle.map(Self.readBundle) ?? none
        let folderRead = folder.map(Self.readFolders) ?? none
        certificates = bundleRead.certificates
        added = folderRead.certificates
        problem = bundleRead.refusal ?? folderRead.refusal
    }

    /// Whether `path` is a folder (symbolic links followed).
    private static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The certificates of the file or folder a bundle variable (`source`) names, or why they cannot be used.
    private static func readBundle(_ source: Source) -> (certificates: [NIOSSLCertificate], refusal: String?) {
        let shown = "\(source.variable) (\(source.path.debugDescription))"
        // Each refusal ends with the way back to the default, as its own sentence.
        let orUnset = ". Or unset \(source.variable) to trust the system's certificate authorities"
        let every = "every certificate in it readable, as OpenSSL and Python require"
        let aBundle = "name a PEM bundle of the certificate authorities to trust (\(every)) or a folder of them"
        if isFolder(source.path) {
            switch folderCertificates(source.path) {
            case .refused(let why):
                return ([], "\(shown) names a folder \(why)" + orUnset)
            case .read(let loaded) where loaded.isEmpty:
                return ([], "\(shown) names a folder without a readable PEM certificate (no regular file in it holds a "
                    + "\"-----BEGIN CERTIFICATE-----\" block that can be read); name a folder of PEM certificates" + orUnset)
            case .read(let loaded):
                return (loaded, nil)
            }
        }
        do {
            let bytes = try BoundedFile.read(source.path, limit: maximumBundleSize)
            guard let loaded = try certificates(in: bytes) else {
                let trusted = bytes.range(of: Data("-----BEGIN TRUSTED CERTIFICATE-----".utf8)) != nil
                return ([], "\(shown) names a file without a PEM certificate (\"-----BEGIN CERTIFICATE-----\""
                    + (trusted ? "; OpenSSL's \"TRUSTED CERTIFICATE\" blocks are not read" : "") + "); " + aBundle + orUnset)
            }
            return (loaded, nil)
        } catch let error as BoundedFileError {
            // A path that is not UTF-8 reaches biasaudit with U+FFFD in it, and so names no file: say so, not "no such
            // file" (a review: such a file existed).
            if error == .notFound, source.path.unicodeScalars.contains("\u{FFFD}") {
                return ([], "\(shown) names no file; its path holds \u{FFFD}, the mark of a path that is not valid UTF-8, "
                    + "which biasaudit cannot open: give the bundle a UTF-8 path" + orUnset)
            }
            return ([], error.reason(what: "the certificate bundle \(shown)", remedy: "name a PEM file or a folder of them")
                + (error.reason(what: "", remedy: nil).hasSuffix("?") ? " " + orUnset.dropFirst(2) : orUnset))
        } catch {
            return ([], "\(shown) names a file with a certificate that cannot be read (not PEM, or a damaged certificate); "
                + aBundle + orUnset)
        }
    }

    /// `SSL_CERT_DIR` (`source`): one folder, or several separated by ':' (as OpenSSL reads it on Unix), each read as
    /// ``folderCertificates(_:)`` reads one. An entry that is not a folder, or holds no readable certificate, is passed
    /// over, as OpenSSL passes over what it cannot use there; a variable none of whose folders gives a certificate is
    /// refused, naming what each entry lacked.
    private static func readFolders(_ source: Source) -> (certificates: [NIOSSLCertificate], refusal: String?) {
        let shown = "\(source.variable) (\(source.path.debugDescription))"
        let orUnset = ". Or unset \(source.variable) to trust the bundle or the system's store alone"
        var loaded: [NIOSSLCertificate] = []
        var seen = Set<NIOSSLCertificate>()
        var lacking: [String] = []
        for entry in source.path.split(separator: ":").map(String.init) {
            guard isFolder(entry) else {
                lacking.append("\(entry.debugDescription) is not a folder")
                continue
            }
            switch folderCertificates(entry) {
            case .refused(let why):
                return ([], "\(shown) names the folder \(entry.debugDescription), \(why)" + orUnset)
            case .read(let certificates):
                if certificates.isEmpty { lacking.append("\(entry.debugDescription) holds no readable PEM certificate") }
                for certificate in certificates where seen.insert(certificate).inserted { loaded.append(certificate) }
            }
        }
        guard !loaded.isEmpty else {
            // Said for each entry; a list of none (":") says so (helper 228: it printed "()").
            let said = lacking.isEmpty ? "it lists no folder"
                : lacking.prefix(3).joined(separator: "; ") + (lacking.count > 3 ? "; …" : "")
            return ([], "\(shown) names no folder with a readable PEM certificate (\(said)); name a folder of PEM "
                + "certificates, or several separated by ':'" + orUnset)
        }
        return (loaded, nil)
    }

    /// What a folder of certificates gives: its certificates, or why it is refused whole.
    private enum FolderRead {
        /// The certificates read, each once (none when no file held a readable one).
        case read([NIOSSLCertificate])
        /// Why the folder is not read at all, as words that follow "names a folder": too many entries, too many bytes,
        /// or it cannot be listed.
        case refused(String)
    }

    /// The certificates of the folder at `path`: those of each regular file holding a readable PEM certificate, in name
    /// order, each certificate once. A file whose certificate cannot be read is passed over (OpenSSL, which looks a
    /// folder's files up by hash name, never reads a stray one: helper 227, a README quoting a BEGIN line made a whole
    /// folder unusable), as are subfolders, FIFOs, dangling links, unreadable files and files over ``maximumBundleSize``.
    /// A folder of more than ``maximumFolderEntries`` entries or ``maximumFolderSize`` bytes of files is refused.
    private static func folderCertificates(_ path: String) -> FolderRead {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            return .refused("that cannot be listed (permission denied?); name a folder biasaudit may read")
        }
        guard names.count <= maximumFolderEntries else {
            return .refused("of \(names.count) entries, more than the \(maximumFolderEntries) read for certificates; "
                + "name a folder of certificate files only")
        }
        var loaded: [NIOSSLCertificate] = []
        var seen = Set<NIOSSLCertificate>()
        var size = 0
        for name in names {
            let file = (path as NSString).appendingPathComponent(name)
            // Looked at before it is opened: `BoundedFile` would refuse a device too, but only after opening it, and a
            // folder named by the environment may be /dev (opening some devices acts on them).
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= maximumBundleSize,
                let bytes = try? BoundedFile.read(file, limit: maximumBundleSize)
            else { continue }
            size += bytes.count
            guard size <= maximumFolderSize else {
                return .refused("whose files hold more than \(maximumFolderSize >> 20) MiB; name a folder of certificate "
                    + "files only")
            }
            for certificate in ((try? certificates(in: bytes)) ?? nil) ?? [] where seen.insert(certificate).inserted {
                loaded.append(certificate)
            }
        }
        return .read(loaded)
    }

    /// The certificates of PEM `bytes`, nil when they hold no `-----BEGIN CERTIFICATE-----` block.
    /// - Throws: NIOSSL's error when a block cannot be read.
    private static func certificates(in bytes: Data) throws -> [NIOSSLCertificate]? {
        var bytes = bytes
        // A byte-order mark before the first line (a bundle saved by a Windows editor) is not part of the PEM.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.range(of: Data("-----BEGIN CERTIFICATE-----".utf8)) != nil else { return nil }
        return try NIOSSLCertificate.fromPEMBytes(Array(bytes))
    }

    /// The TLS configuration of a client trusting these authorities; nil for AsyncHTTPClient's default (the system's
    /// store).
    var tlsConfiguration: TLSConfiguration? {
        guard bundle != nil || folder != nil, problem == nil else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = bundle == nil ? .default : .certificates(certificates)
        if !added.isEmpty { configuration.additionalTrustRoots = [.certificates(added)] }
        return configuration
    }

    /// A key telling the clients of two settings apart.
    var key: String? {
        let parts = [bundle, folder].compactMap { $0.map { "\($0.variable)=\($0.path)" } }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }

    /// `error` (an untrusted server certificate) saying which authorities were asked when the environment named a
    /// bundle or a folder: the system's store alone is not the one to fix then.
    func naming(_ error: URLError) -> URLError {
        guard error.code == .serverCertificateUntrusted, bundle != nil || folder != nil else { return error }
        let folders = folder?.path.contains(":") == true ? "folders" : "folder"
        let asked = [bundle.map { ("bundle", $0) }, folder.map { (folders, $0) }].compactMap { $0 }
            .map { kind, source in "the \(kind) \(source.variable) names (\(source.path.debugDescription))" }
            .joined(separator: " and of ")
        let remedy = bundle.map {
            "name a bundle that holds the authority, or unset \($0.variable) to trust the system's certificate authorities"
        } ?? "add the authority to \(folders == "folder" ? "that folder" : "one of those folders"), or name a PEM bundle "
            + "that holds it with SSL_CERT_FILE"
        var info = error.userInfo
        info[NSLocalizedDescriptionKey] =
            "The server's TLS certificate could not be verified by the certificate authorities of "
            + (bundle == nil ? "the system and of " : "") + asked + ": none of them vouches for it (as behind a proxy "
            + "that inspects TLS, whose authority is not among them), or it is self-signed, expired or wrongly named; "
            + remedy + "."
        return URLError(error.code, userInfo: info)
    }

    /// The failure of an https request when the bundle or folder cannot be used.
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
