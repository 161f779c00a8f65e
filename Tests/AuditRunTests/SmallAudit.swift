import AuditRun
import Foundation
import Generation
import Hub
import TestSupport

/// A small offline audit of `set` by `model` (2 samples, 3 new tokens, seed 5) into `scratch/out`, with the folder
/// released afterwards (as `biasaudit run` releases it once its files are written), so the next run may resume there.
/// Shared by the fingerprint tests.
func runSmallAudit(set: URL, model: String, scratch: URL, out: String, samples: Int, shard: RunShard? = nil) async throws
    -> AuditOutcome
{
    var configuration = AuditRunConfiguration(
        promptSetFiles: [set], models: [model], samples: samples, maxNewTokens: 3,
        sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 5),
        outputDirectory: scratch.appendingPathComponent(out), commandLine: ["biasaudit", "run"])
    configuration.shard = shard
    let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
    let outcome = try await AuditRunner(
        configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled()
    ).run()
    outcome.folderLock?.release()
    return outcome
}
