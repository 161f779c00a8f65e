import AuditResults
import AuditRun
import Foundation
import HTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import OpenAITestSupport
import TestSupport
import XCTest

/// An OpenAI-compatible server whose TLS certificate no trusted authority vouches for (the tests' own authority,
/// `Tests/Fixtures/tls`, which no system and no environment bundle holds): refused at once, without the retries of a
/// network failure, in words that say what to trust rather than "start the server".
final class RemoteCertificateTests: XCTestCase {
    /// Answers every request 200 with an empty model list (never reached: the handshake fails first).
    private final class EmptyList: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let body = context.channel.allocator.buffer(string: #"{"data":[]}"#)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "\(body.readableBytes)")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func testAnUntrustedServerCertificateFailsAtOnceSayingWhatToTrust() async throws {
        let chain = try NIOSSLCertificate.fromPEMFile(Fixtures.url("tls/server.pem").path)
        let key = try NIOSSLPrivateKey(file: Fixtures.url("tls/server-key.pem").path, format: .pem)
        let context = try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        let listener = LoopbackHTTPListener()
        try await listener.start(first: { channel in
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
        }) { EmptyList() }

        let delays = Recorder()
        let endpoint = try OpenAIEndpoint(
            spec: try EndpointSpec(parsing: "https://127.0.0.1:\(listener.port)/v1#m"), timeout: 5,
            retry: RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 1, sleep: { delays.append($0) }))
        if let error = await thrownError(AuditError.self, "the test authority's certificate must be refused", from: {
            _ = try await endpoint.models(required: true)
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            let text = error.description
            XCTAssertTrue(text.contains("cannot connect securely to the OpenAI-compatible server at https://127.0.0.1:"), text)
            XCTAssertTrue(text.contains("could not be verified"), text)
            XCTAssertFalse(text.contains("start the server"), text)
            XCTAssertFalse(text.contains(".,"), "one sentence end: \(text)")
        }
        try await listener.stop()
        XCTAssertTrue(delays.all.isEmpty, "no retry: waiting does not make a certificate trusted (\(delays.all))")
    }

    private final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [TimeInterval] = []
        func append(_ value: TimeInterval) { lock.withLock { values.append(value) } }
        var all: [TimeInterval] { lock.withLock { values } }
    }
}
