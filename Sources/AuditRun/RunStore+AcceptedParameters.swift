import AuditResults
import Foundation
import GRDB
import PromptSets

/// The request parameters a served model's server took (``ModelManifest/acceptedParameters``: `top_k`, `seed`,
/// `logprobs`) are found by a probe each time `run` connects, so a server that starts refusing one between an
/// interrupted run and its resumption (or between the shards of one audit) would give completions sampled with and
/// without it, under a manifest that names one set (hostile review). A store's records keep the parameters they were
/// requested with: `run` refuses to resume, and `merge` to combine, records requested with other parameters.
extension RunStore {
    /// The accepted parameters of each served model in the run description this store records, by model label; models
    /// without them (in-process models, descriptions of earlier builds) are left out, as is a description that does not
    /// read (`run` records its own over it).
    func recordedAcceptedParameters() throws -> [String: [String]] {
        guard let manifest = try recordedManifest() else { return [:] }
        var accepted: [String: [String]] = [:]
        for model in manifest.models {
            if let parameters = model.acceptedParameters { accepted[model.id] = parameters }
        }
        return accepted
    }

    /// The manifest of the run description this store records; nil for none, or one that does not read (`run` records
    /// its own over it).
    func recordedManifest() throws -> AuditManifest? {
        try description().manifestJSON.flatMap { try? JSONDecoder().decode(AuditManifest.self, from: $0) }
    }

    /// How many completions and next-token records of `model` (a label, in this view's setting) are stored.
    func storedRecordCounts(of model: String) throws -> (completions: Int, nextTokens: Int) {
        (try completedSamples(model: model).values.reduce(0) { $0 + $1.count }, try completedNextTokens(model: model).count)
    }

    /// Refuses to resume a store whose records of a served model were requested with other parameters than its
    /// server takes now.
    /// - Parameter accepted: each served model's accepted parameters found by this run's probe, by label.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (65) naming the model, what the stored records were requested
    ///   with, what the server takes now, and what to do.
    func checkAcceptedParameters(_ accepted: [String: [String]]) throws {
        let recorded = try recordedAcceptedParameters()
        for (label, now) in accepted.sorted(by: { $0.key < $1.key }) {
            guard let before = recorded[label], Set(before) != Set(now) else { continue }
            let (completions, nextTokens) = try storedRecordCounts(of: label)
            guard completions + nextTokens > 0 else { continue }
            let stored = [
                completions > 0 ? "\(completions) completion\(completions == 1 ? "" : "s")" : nil,
                nextTokens > 0 ? "\(nextTokens) next-token record\(nextTokens == 1 ? "" : "s")" : nil,
            ].compactMap { $0 }.joined(separator: " and ")
            let refused = Self.parameterDifference(before, now)
            throw AuditError.badInput(
                path: url.path,
                reason: "the \(stored) of served model '\(TextEscaping.excerpt(label, limit: 60))' stored here were "
                    + "requested with \(Self.parameterList(before)), but its server now takes \(Self.parameterList(now))"
                    + " (\(refused)): resuming would mix records requested with and without them under one "
                    + "accepted_parameters. Run the same command again once the server takes "
                    + "\(Self.parameterList(before)) as before, or give a new --out folder to request every completion "
                    + "with what it takes now. If the run had finished, nothing needs the server: `biasaudit analyze "
                    + "\(url.deletingLastPathComponent().path)` re-analyses what is stored")
        }
    }

    /// Refuses to resume a store whose records of a served model were answered by another model than its server answers
    /// as now (`server_reported.answering_model`, the `model` of the probe's answer): a hostile review resumed a run
    /// against a server that had been given another model, and completions.jsonl held 12 texts of one and 48 of the
    /// other under one label, the manifest naming only the second.
    /// - Parameter answering: each served model's answering model found by this run's probe, by label (nil when the
    ///   server did not say).
    /// - Throws: ``AuditError/badInput(path:reason:)`` (65) naming the model, both names and what to do.
    func checkAnsweringModels(_ answering: [String: String?]) throws {
        guard let manifest = try recordedManifest() else { return }
        for (label, now) in answering.sorted(by: { $0.key < $1.key }) {
            guard let now, let before = manifest.models.first(where: { $0.id == label })?.serverReported?[Self.answeringModelKey],
                before != now
            else { continue }
            let (completions, nextTokens) = try storedRecordCounts(of: label)
            guard completions + nextTokens > 0 else { continue }
            throw AuditError.badInput(
                path: url.path,
                reason: "the \(completions + nextTokens) record\(completions + nextTokens == 1 ? "" : "s") of served model "
                    + "'\(TextEscaping.excerpt(label, limit: 60))' stored here were answered by the model '\(before)' (as its "
                    + "server reported it), but the server now answers as '\(now)': resuming would mix two models' "
                    + "completions under one label. Run the same command again once the server serves '\(before)' as "
                    + "before, or give a new --out folder to audit '\(now)'. If the run had finished, nothing needs the "
                    + "server: `biasaudit analyze \(url.deletingLastPathComponent().path)` re-analyses what is stored")
        }
    }

    /// The key of ``AuditResults/ModelManifest/serverReported`` that holds the model a server answered as.
    static let answeringModelKey = "answering_model"

    /// `top_k, seed`, or `no optional parameter`.
    static func parameterList(_ parameters: [String]) -> String {
        parameters.isEmpty ? "no optional parameter" : parameters.sorted().map { TextEscaping.excerpt($0, limit: 20) }
            .joined(separator: ", ")
    }

    /// "it now refuses top_k; it now takes seed" between what the records were requested with and what is taken now.
    static func parameterDifference(_ before: [String], _ now: [String]) -> String {
        let lost = Set(before).subtracting(now).sorted()
        let gained = Set(now).subtracting(before).sorted()
        return [
            lost.isEmpty ? nil : "it now refuses \(parameterList(lost))",
            gained.isEmpty ? nil : "it now takes \(parameterList(gained)), which it did not",
        ].compactMap { $0 }.joined(separator: "; ")
    }
}
