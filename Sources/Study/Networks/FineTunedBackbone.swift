import Foundation
import Imaging
import Neural
import Tensor

/// ResNet18's recipe on an EfficientNet-Lite, whole: the frozen pretrained trunk (every block
/// before the last stage, run in evaluation mode through its folded inference plan) and the
/// fine-tuned tail (last stage, head convolution, new 128-unit head). Forward only: the tail is
/// trained on the trunk's cached outputs, and this is what is saved, evaluated and explained.
///
/// State names: the trunk's under `backbone.` (its last stage and head are the tail's, so they are
/// left out), the tail's under `tail.`.
final class PartialFineTunedLite: StatefulLayer {
    let backbone: EfficientNetLite
    let tail: EfficientNetLiteTail
    private let trunkState: [Parameter]
    private lazy var pipeline = EfficientNetLiteFineTuned(plan: EfficientNetLite.InferencePlan(backbone), tail: tail)

    init(backbone: EfficientNetLite, tail: EfficientNetLiteTail) {
        self.backbone = backbone; self.tail = tail
        let last = backbone.lastStageStart
        let replaced = (last..<backbone.blocks.count).map { "_blocks.\($0)." } + ["_conv_head.", "_bn1.", "_fc."]
        trunkState = backbone.stateTensors.filter { t in !replaced.contains { t.name.hasPrefix($0) } }
        for t in trunkState {
            t.requiresGrad = false
            t.name = "backbone." + t.name
        }
        for t in tail.stateTensors { t.name = "tail." + t.name }
    }

    var parameters: [Parameter] {
        let trunkNames = Set(backbone.parameters.map { ObjectIdentifier($0) })
        return trunkState.filter { trunkNames.contains(ObjectIdentifier($0)) } + tail.parameters
    }
    var stateTensors: [Parameter] { trunkState + tail.stateTensors }

    /// Logits (N, K) of normalised images (N, 3, H, W); `training` must be false.
    func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(!training, "PartialFineTunedLite runs in evaluation mode only (the tail trains on cached trunk outputs)")
        return pipeline.logits(images: x)
    }

    func backward(_ dy: Tensor) -> Tensor {
        preconditionFailure("PartialFineTunedLite has no backward: train its tail on the trunk's outputs")
    }
}

/// `Normalize(ImageNet mean, std)` in front of a network, so that the saved model takes the study's
/// `ToTensor()` inputs in [0, 1] (as SHAP's maskers and the other networks do) while its backbone
/// sees what its ImageNet weights expect.
final class ImageNetNormalised: StatefulLayer {
    let inner: Layer
    init(_ inner: Layer) { self.inner = inner }

    var parameters: [Parameter] { inner.parameters }
    var stateTensors: [Parameter] { Neural.stateTensors(of: inner) }

    func forward(_ x: Tensor, training: Bool) -> Tensor {
        inner.forward(x.normalizedPerChannel(mean: ImageNetInputs.mean, std: ImageNetInputs.std), training: training)
    }

    func backward(_ dy: Tensor) -> Tensor {
        let dx = inner.backward(dy)
        // A network that computes no input gradient returns an empty tensor.
        guard dx.rank == 4 else { return dx }
        // d/dx of (x - m) / s is 1 / s per channel.
        let c = dx.shape[1], plane = dx.shape[2] * dx.shape[3]
        var out = dx
        out.data.withUnsafeMutableBufferPointer { d in
            for start in stride(from: 0, to: d.count, by: plane) {
                let s = ImageNetInputs.std[(start / plane) % c]
                for i in start..<(start + plane) { d[i] /= s }
            }
        }
        return out
    }
}
