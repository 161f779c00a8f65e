import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 listener on 127.0.0.1 at an ephemeral port with one event loop and a new handler per
/// connection: the NIO bootstrap shared by the tests' loopback servers (`OpenAITestServer` here and the
/// Hub look-alike `HubTestServer` in HubTests).
public final class LoopbackHTTPListener: @unchecked Sendable {
    /// The bound port (0 before `start`).
    public private(set) var port = 0
    private var group: MultiThreadedEventLoopGroup?
    private var channel: Channel?

    public init() {}

    /// Binds 127.0.0.1:0 and serves each connection with a handler from `makeHandler`, behind NIO's
    /// HTTP/1.1 server pipeline; `first`, when given, adds the handlers that come before it on each connection (a TLS
    /// server handler).
    public func start(
        first: (@Sendable (Channel) throws -> Void)? = nil, _ makeHandler: @escaping @Sendable () -> any ChannelHandler
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try first?(channel)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(makeHandler())
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        self.group = group
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    /// Closes the listening socket and shuts the event loop down.
    public func stop() async throws {
        try await channel?.close().get()
        try await group?.shutdownGracefully()
        channel = nil
        group = nil
    }
}
