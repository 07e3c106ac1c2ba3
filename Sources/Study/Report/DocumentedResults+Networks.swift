/// What the documented study printed and did for its five networks, each value with the notebook
/// cell it comes from and how the study computed it. Shown beside this run's numbers, never used
/// in a computation.
extension DocumentedResults {
    /// Side of the study's network inputs in pixels: `new_size = (224, 224)` in its transforms cell,
    /// `input_dimension = 224 * 224 * 3` in SimpleNN's.
    public static let networkImageSize = 224
    /// Epochs the study asked of every network (`epochs = 40` in each network's configuration cell).
    public static let networkEpochs = 40
    /// Images per batch of the study's loaders (`batch_size = 32`, `test_loader = DataLoader(test_dataset,
    /// batch_size=batch_size, shuffle=False)`): the test numbers of `test_model` are means over these batches.
    public static let networkBatchSize = 32

    /// One network's printed test line and how its numbers were computed.
    public struct NetworkTestLine: Sendable {
        /// The line as printed.
        public var printed: String
        public var loss: Double
        /// As fractions (ResNet18's accuracy was printed as a percentage, 96.61).
        public var accuracy: Double
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// How the study computed them (read from `test_model` / `ResNetTrainer.test` and the metric objects).
        public var definition: StudyMetricDefinition
        /// The study's code that fixes the definition, quoted.
        public var definitionCode: String
        /// What the study's training printed or did (quoted on the page).
        public var training: String
        public var source: String
    }

    /// The study's test line of each network (`models.<network>` key), from the cell after its training.
    public static let networkTestLines: [String: NetworkTestLine] = [
        "simple_nn": NetworkTestLine(
            printed: "[Test] Loss: 2.0432 | Accuracy: 0.13 | Precision: 0.04 | Recall: 0.19 | F1-Score: 0.07",
            loss: 2.0432, accuracy: 0.13, precision: 0.04, recall: 0.19, f1: 0.07, definition: .batchMeanMacroAccuracy,
            definitionCode: "accuracy_metric = Accuracy(task=\"multiclass\", num_classes=num_labels, average=\"macro\")",
            training: "Early stopping triggered after 11 epochs (val_loss did not improve for 10 epochs); best weights restored.",
            source: "documented study, SimpleNN's training cell (train_model, then test_model(test_loader, model_1, ...))"),
        "light_cnn": NetworkTestLine(
            printed: "[Test] Loss: 1.8757 | Accuracy: 0.35 | Precision: 0.24 | Recall: 0.35 | F1-Score: 0.25",
            loss: 1.8757, accuracy: 0.35, precision: 0.24, recall: 0.35, f1: 0.25, definition: .batchMeanMicroAccuracy,
            definitionCode: "accuracy_metric = Accuracy(task=\"multiclass\", num_classes=num_labels)",
            training: "SGD lr 1e-4, up to 40 epochs with early stopping (patience 5 on val_loss) configured; the training cell's log was not shown, so how many epochs ran is not known.",
            source: "documented study, LightCNN's test_model output"),
        "cnn": NetworkTestLine(
            printed: "[Test] Loss: 0.0680 | Accuracy: 0.98 | Precision: 0.98 | Recall: 0.98 | F1-Score: 0.98",
            loss: 0.0680, accuracy: 0.98, precision: 0.98, recall: 0.98, f1: 0.98, definition: .batchMeanMicroAccuracy,
            definitionCode: "accuracy_metric = Accuracy(task=\"multiclass\", num_classes=num_labels)",
            training: "All 40 epochs ran (Finished training loop. after epoch 40).",
            source: "documented study, CNNModel's training and test_model output"),
        "resnet18": NetworkTestLine(
            printed: "[Test] Loss: 0.2016 | Accuracy: 96.61 | Precision: 0.97 | Recall: 0.97 | F1-Score: 0.97",
            loss: 0.2016, accuracy: 0.9661, precision: 0.97, recall: 0.97, f1: 0.97, definition: .wholeSetMicro,
            definitionCode: "self.accuracy = Accuracy(task=\"multiclass\", num_classes=num_classes); self.precision = Precision(task=\"multiclass\", ...); self.recall = Recall(...); self.f1 = F1Score(...)",
            training: "40 epochs from ImageNet weights (resnet18-f37072fd.pth), no early stopping.",
            source: "documented study, ResNetTrainer.test() output"),
        "vit": NetworkTestLine(
            printed: "[Test] Loss: 0.0796 | Accuracy: 0.98 | Precision: 0.98 | Recall: 0.98 | F1-Score: 0.98",
            loss: 0.0796, accuracy: 0.98, precision: 0.98, recall: 0.98, f1: 0.98, definition: .batchMeanMacroAccuracy,
            definitionCode: "accuracy_metric = Accuracy(task=\"multiclass\", num_classes=num_labels, average=\"macro\")",
            training: "40 epochs from ImageNet weights (torchvision ViT_B_16_Weights.IMAGENET1K_V1), no early stopping.",
            source: "documented study, ViT's test_model output"),
    ]

    /// Images the study's SHAP call asked for and explained per network.
    public struct SHAPImages: Sendable, Equatable {
        public var requested: Int
        public var explained: Int
        public var source: String
    }

    /// The study's SHAP calls: `visualize_shap_values(..., background_size=25, test_size=5 / 5 / 10)`
    /// explains `images[25:25 + test_size]` of the first test batch of 32 (so CNNModel's 10 asked give
    /// 7), `shap_partition(..., num_samples=8 / 10)` the first images of the test set.
    public static let shapImagesPerNetwork: [String: SHAPImages] = [
        "simple_nn": SHAPImages(requested: 5, explained: 5, source: "visualize_shap_values(model=model_nn, test_loader=test_loader, background_size=25, test_size=5)"),
        "light_cnn": SHAPImages(requested: 5, explained: 5, source: "visualize_shap_values(model=light_cnn, test_loader=test_loader, background_size=25, test_size=5)"),
        "cnn": SHAPImages(requested: 10, explained: 7, source: "visualize_shap_values(model=model_cnn, test_loader=test_loader, background_size=25, test_size=10): test_images = images[25:35] of a batch of 32"),
        "resnet18": SHAPImages(requested: 8, explained: 8, source: "shap_partition(model=model_resnet.model, test_dataset=test_dataset, device=device, num_samples=8)"),
        "vit": SHAPImages(requested: 10, explained: 10, source: "shap_partition(model=vit_model, test_dataset=test_dataset, device=device, num_samples=10)"),
    ]

    /// The study's SHAP images for `kind`.
    static func shapImages(_ kind: NetworkKind) -> SHAPImages? { shapImagesPerNetwork[kind.resultsKey] }

    /// The study's defect in SimpleNN's cells, with the notebook's own lines as evidence: the
    /// optimizer updates and `test_model` tests `model_1` (a name no cell of the notebook defines), while
    /// `train_model` runs `model_nn`, so the SimpleNN it describes never trained.
    public static let simpleNNDefect: (evidence: [(quote: String, source: String)], summary: String) = (
        evidence: [
            ("model_nn = SimpleNN(input_dimension=input_dimension, hidden_layer_units=10, output_dimension=8).to(device)\n…\noptimizer = torch.optim.SGD(params=model_1.parameters(), lr=learning_rate)",
             "documented study, SimpleNN's configuration cell: the optimizer is built over model_1's parameters, not model_nn's"),
            ("train_model(epochs, train_loader, val_loader, model_nn, loss_function, optimizer, accuracy_metric, device, ...)\n\ntest_model(test_loader, model_1, loss_function, accuracy_metric, device, num_classes=num_labels)",
             "documented study, SimpleNN's training cell: model_nn is run, model_1 is tested"),
            ("Epoch 2: No improvement in val_loss for 1 epoch(s).\n…\nEpoch 11: No improvement in val_loss for 10 epoch(s).\n\nEarly stopping triggered after 11 epochs.",
             "documented study, SimpleNN's training log: the validation loss never improved after epoch 1"),
        ],
        summary: "The optimizer steps `model_1`'s parameters while `train_model` runs `model_nn`, so `model_nn`'s weights never change (its validation loss never improves after epoch 1 and early stopping ends the run at epoch 11); then `test_model` evaluates `model_1`, a name no cell of the notebook defines (a network left in the session by a cell since removed). The documented test line (accuracy 0.13) is therefore not the accuracy of a trained SimpleNN.")
}
