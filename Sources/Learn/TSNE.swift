import Foundation
import Tensor

/// t-distributed Stochastic Neighbor Embedding into 2-D with Barnes–Hut gradients, as
/// scikit-learn's `TSNE(method="barnes_hut")`.
///
/// Port of sklearn/manifold/_t_sne.py (`TSNE._fit`, `_tsne`, `_gradient_descent`,
/// `_kl_divergence_bh`) and sklearn/manifold/_barnes_hut_tsne.pyx:
/// 1. exact `k = min(n − 1, ⌊3·perplexity + 1⌋)` nearest neighbours (squared euclidean, brute force
///    with BLAS), conditional probabilities by bisection to the perplexity, `P = (P + Pᵀ) / 2N`;
/// 2. start from PCA (scaled so the first coordinate has standard deviation 1e-4) or a seeded
///    Gaussian with standard deviation 1e-4;
/// 3. gradient descent with per-coordinate gains (+0.2 / ×0.8, at least 0.01): 250 iterations with
///    `P` exaggerated and momentum 0.5, then momentum 0.8 up to `maxIterations`; every 50 iterations
///    the KL divergence is checked and the run stops after `iterationsWithoutProgress` iterations
///    without improvement or when the gradient norm is at most `minGradientNorm`.
///
/// Computation is in Double (sklearn uses float32 for the embedding and the Barnes–Hut pass), so
/// runs agree with scikit-learn statistically (KL, neighbourhoods), not point for point.
///
/// - Parameters:
///   - perplexity: effective neighbour count (default 30).
///   - learningRate: `.auto` = `max(N / earlyExaggeration / 4, 50)` (default) or a fixed value (e.g. 200).
///   - maxIterations: total iterations including the exaggeration phase (`max_iter`, default 1000).
///   - earlyExaggeration: factor on `P` during the first 250 iterations (default 12).
///   - angle: Barnes–Hut θ (default 0.5).
///   - initialization: `.pca` (default) or `.random`.
///   - iterationsWithoutProgress: `n_iter_without_progress` (default 300).
///   - minGradientNorm: `min_grad_norm` (default 1e-7).
///
///     var rng = SeededGenerator(seed: 42)
///     let result = TSNE(learningRate: 200).fit(pcaFeatures, using: &rng, progress: nil)
///     print(result.klDivergence, result.barnesHutKLDivergence, result.embedding.rows)
public struct TSNE: Sendable {
    /// Step size of gradient descent.
    public enum LearningRate: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        /// `max(N / earlyExaggeration / 4, 50)` (Belkina et al. 2019), scikit-learn's default.
        case auto
        case value(Double)
        public init(floatLiteral value: Double) { self = .value(value) }
        public init(integerLiteral value: Int) { self = .value(Double(value)) }
    }

    /// Starting embedding.
    public enum Initialization: String, Sendable, CaseIterable {
        /// First two principal components, scaled so the first has standard deviation 1e-4.
        case pca
        /// Gaussian noise with standard deviation 1e-4 from the caller's generator.
        case random
    }

    public var perplexity: Double
    public var learningRate: LearningRate
    public var maxIterations: Int
    public var earlyExaggeration: Double
    public var angle: Double
    public var initialization: Initialization
    public var iterationsWithoutProgress: Int
    public var minGradientNorm: Double

    /// Iterations with exaggerated `P` and momentum 0.5 (sklearn's `_EXPLORATION_MAX_ITER`).
    public static let explorationIterations = 250
    /// Iterations between KL checks (sklearn's `_N_ITER_CHECK`).
    public static let checkInterval = 50

    public init(perplexity: Double = 30, learningRate: LearningRate = .auto, maxIterations: Int = 1000,
                earlyExaggeration: Double = 12, angle: Double = 0.5, initialization: Initialization = .pca,
                iterationsWithoutProgress: Int = 300, minGradientNorm: Double = 1e-7) {
        precondition(perplexity > 0, "perplexity must be positive, got \(perplexity)")
        precondition(earlyExaggeration >= 1, "earlyExaggeration must be at least 1, got \(earlyExaggeration)")
        precondition(maxIterations >= Self.explorationIterations,
                     "maxIterations must be at least \(Self.explorationIterations), got \(maxIterations)")
        precondition(angle >= 0 && angle <= 1, "angle must be in [0, 1], got \(angle)")
        if case let .value(v) = learningRate { precondition(v > 0, "learningRate must be positive, got \(v)") }
        self.perplexity = perplexity
        self.learningRate = learningRate
        self.maxIterations = maxIterations
        self.earlyExaggeration = earlyExaggeration
        self.angle = angle
        self.initialization = initialization
        self.iterationsWithoutProgress = iterationsWithoutProgress
        self.minGradientNorm = minGradientNorm
    }

    /// Embeds the rows of `x` `(n_samples, n_features)` in 2-D; needs at least 2 rows.
    ///
    /// - Parameters:
    ///   - generator: used by `.random` initialisation only (PCA is deterministic).
    ///   - progress: called with (iterations done, `maxIterations`) every 50 iterations and at the end.
    public func fit(_ x: Matrix<Double>, using generator: inout some RandomNumberGenerator,
                    progress: ((Int, Int) -> Void)? = nil) -> TSNEResult {
        let n = x.rows
        precondition(n >= 2, "t-SNE needs at least 2 samples, got \(n)")
        let k = min(n - 1, Int(3 * perplexity + 1))
        let found = BruteForceNeighbors.search(query: x, training: x, k: k, kernel: .squaredEuclidean, excludeSelf: true)
        let affinities = SparseAffinities.joint(neighbors: found.indices, squaredDistances: found.distances,
                                                n: n, k: k, perplexity: perplexity)
        var positions: [Double]
        switch initialization {
        case .pca: positions = Self.pcaStart(x)
        case .random: positions = (0..<(2 * n)).map { _ in 1e-4 * generator.nextGaussian() }
        }
        let rate: Double
        switch learningRate {
        case .auto: rate = max(Double(n) / earlyExaggeration / 4, 50)
        case let .value(v): rate = v
        }
        var optimizer = TSNEGradientDescent(affinities: affinities, angle: angle, learningRate: rate,
                                            checkInterval: Self.checkInterval, minGradientNorm: minGradientNorm,
                                            totalIterations: maxIterations, progress: progress)
        // Part 1: exaggerated P, low momentum; progress can never stall within these 250 iterations.
        var stage = optimizer.run(&positions, from: 0, to: Self.explorationIterations, momentum: 0.5,
                                  exaggeration: earlyExaggeration, patience: Self.explorationIterations)
        // Part 2: the real objective, momentum 0.8 (gains and velocity restart, as in sklearn).
        if stage.lastIteration < Self.explorationIterations || maxIterations > Self.explorationIterations {
            stage = optimizer.run(&positions, from: stage.lastIteration + 1, to: maxIterations, momentum: 0.8,
                                  exaggeration: 1, patience: iterationsWithoutProgress)
        }
        progress?(stage.lastIteration + 1, maxIterations)
        return TSNEResult(embedding: Matrix(rows: n, columns: 2, storage: positions),
                          klDivergence: affinities.exactKLDivergence(positions: positions),
                          barnesHutKLDivergence: stage.error, iterations: stage.lastIteration + 1)
    }
}

/// A fitted t-SNE embedding.
public struct TSNEResult: Sendable {
    /// The embedding `(n_samples, 2)`.
    public let embedding: Matrix<Double>
    /// The exact KL divergence of the final embedding against the (unexaggerated) affinities,
    /// `Z` summed over all pairs; never negative.
    public let klDivergence: Double
    /// The Barnes–Hut estimate at the last evaluation, as sklearn's `kl_divergence_` (the float
    /// maximum when no evaluation ran). It can be negative when the input has duplicate rows:
    /// see `SparseAffinities.exactKLDivergence`.
    public let barnesHutKLDivergence: Double
    /// Iterations run, counting both phases (sklearn's `n_iter_` + 1: 1000 for a full run).
    public let iterations: Int
}
