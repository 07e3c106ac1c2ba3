/// The confusion matrix of a classifier: `matrix[t][p]` counts the samples of true class `t`
/// predicted as `p` (rows = true class, columns = predicted class), classes `0..<classes`.
///
/// Mirrors `sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(classes))`.
public func confusionMatrix(labels: [Int], predictions: [Int], classes: Int) -> [[Int]] {
    precondition(labels.count == predictions.count, "labels (\(labels.count)) and predictions (\(predictions.count)) differ in length")
    var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    for (t, p) in zip(labels, predictions) {
        precondition((0..<classes).contains(t) && (0..<classes).contains(p), "class \(t) or \(p) outside 0..<\(classes)")
        counts[t][p] += 1
    }
    return counts
}
