/// The version of biasaudit, recorded in every results manifest.
public enum BiasAuditVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
