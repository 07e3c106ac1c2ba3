/// Namespace mirroring the Python package's names, so ports read as `shap.DeepExplainer` and
/// `shap.PartitionExplainer` as in the study.
public enum shap {}

/// Why an explainer cannot run on the model or data it was given.
public enum ExplainError: Error, CustomStringConvertible, Equatable {
    /// The deep explainer has no DeepLIFT rule for this layer type.
    case unsupportedLayer(String)
    /// Inputs of the wrong shape (the message says which).
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .unsupportedLayer(let name): "DeepExplainer has no rule for layer \(name)"
        case .shapeMismatch(let message): message
        }
    }
}
