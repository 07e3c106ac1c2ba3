import Testing
import Neural
import Tensor
import _TestSupport

/// Wide images are convolved one band of output rows at a time; the result, the input gradient and
/// the weight gradient equal a direct (six nested loops, Double) convolution, including the bands'
/// edges and a shorter last band.
@Suite struct ConvBandingTests {
    @Test(arguments: [(1, 1, 1500), (2, 1, 3000)])
    func bandedConvolutionEqualsDirectConvolution(stride: Int, padding: Int, width: Int) {
        var g = SeededGenerator(seed: 21)
        let (n, c, o, h, k) = (2, 2, 3, 7, 3)
        let conv = Conv2d(c, o, kernelSize: k, stride: stride, padding: padding, using: &g)
        let x = GradientCheck.random([n, c, h, width], seed: 22)
        let y = conv.forward(x, training: true)
        let (ho, wo) = (y.shape[2], y.shape[3])
        #expect(4096 / wo < ho, "the test must use more than one band")
        let r = GradientCheck.random(y.shape, seed: 23)
        let dx = conv.backward(r)
        var yRef = [Double](repeating: 0, count: y.count), dxRef = [Double](repeating: 0, count: x.count)
        var dwRef = [Double](repeating: 0, count: conv.weight.value.count)
        let w = conv.weight.value.data, b = conv.bias!.value.data
        for s in 0..<n { for oc in 0..<o { for oh in 0..<ho { for ow in 0..<wo {
            let yi = ((s * o + oc) * ho + oh) * wo + ow
            var sum = Double(b[oc])
            for ic in 0..<c { for i in 0..<k { for j in 0..<k {
                let ih = oh * stride - padding + i, iw = ow * stride - padding + j
                guard ih >= 0, ih < h, iw >= 0, iw < width else { continue }
                let xi = ((s * c + ic) * h + ih) * width + iw, wi = ((oc * c + ic) * k + i) * k + j
                sum += Double(w[wi]) * Double(x.data[xi])
                dxRef[xi] += Double(w[wi]) * Double(r.data[yi])
                dwRef[wi] += Double(x.data[xi]) * Double(r.data[yi])
            } } }
            yRef[yi] = sum
        } } } }
        let dyScale = max(1, dwRef.map(abs).max()!)
        #expect(maxAbsDifference(y.data, yRef) < 1e-4)
        #expect(maxAbsDifference(dx.data, dxRef) < 1e-4)
        #expect(maxAbsDifference(conv.weight.grad.data, dwRef) / dyScale < 1e-4)
    }
}
