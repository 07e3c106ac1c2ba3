/// A layer that can skip dL/d(input) in `backward`, still accumulating its own parameters'
/// gradients, and then return an empty tensor (shape `[0]`).
///
/// A network with frozen early layers sets it false on its first trainable stage, whose input
/// gradient nothing would use: as PyTorch's autograd, which computes no gradient toward tensors
/// that need none (in the study's ResNet18, `layer4.0.conv1` is frozen outright and the downsample
/// convolution needs only its weight gradient).
public protocol InputGradientOptional: AnyObject {
    var computesInputGradient: Bool { get set }
}

extension Conv2d: InputGradientOptional {}

extension Sequential: InputGradientOptional {
    /// The first child's setting: a container's input gradient is its first child's.
    public var computesInputGradient: Bool {
        get { (children.first?.layer as? InputGradientOptional)?.computesInputGradient ?? true }
        set { (children.first?.layer as? InputGradientOptional)?.computesInputGradient = newValue }
    }
}
