import Report

// The documented values of `results.json`, one literal key per line so that grepping a key finds
// its documented value. Labels and sources appear on the pages as written here.

extension DocumentedResults {
    /// The data and its split.
    static let dataEntries: [Entry] = [
        .init(key: "dataset.valid_images", label: "Images read", value: 17092, source: "In [170]: Dataset shape (17092, 2)",
              definition: "rows of the study's data frame: every image file of the eight class folders (`eda_df.shape`)"),
        .init(key: "dataset.classes", label: "Classes", value: 8, source: "In [170]: value_counts",
              definition: "distinct labels (class folders) in `eda_df['label'].value_counts()`"),
        .init(key: "split.train", label: "Training images", value: 11964, source: "In [190]",
              definition: "images in the training part: 70% of all images, stratified by class (`train_test_split(df, test_size=0.3, stratify=label)`, In [186]); printed again by In [190]"),
        .init(key: "split.val", label: "Validation images", value: 2564, source: "In [190]",
              definition: "images in the validation part: half of the remaining 30%, stratified by class (In [186]); printed again by In [190]"),
        .init(key: "split.test", label: "Test images", value: 2564, source: "In [190]",
              definition: "images in the test part: the other half of the remaining 30%, stratified by class (In [186]); printed again by In [190]"),
    ]

    /// Features and the exploration of them.
    static let explorationEntries: [Entry] = [
        .init(key: "hog.length", label: "HOG vector length", value: 44100, source: "In [172]: Shape (17092, 44100)",
              definition: "length of one HOG vector: grey 360x360 image, 10x10-pixel cells, 2x2-cell blocks, 9 orientations, L2-Hys (`skimage.feature.hog` with the parameters of In [172])"),
        .init(key: "vit.feature_length", label: "ViT feature length", value: 768, source: "In [176]",
              definition: "length of one deep-feature vector: the mean of the last hidden state over the tokens of `google/vit-base-patch16-224-in21k` (In [175])"),
        .init(key: "vit.pretrained", label: "ViT features from pretrained weights", value: true, source: "In [175]: google/vit-base-patch16-224-in21k",
              definition: "the deep features come from pretrained ViT-B/16 weights"),
        .init(key: "pca.hog.n95", label: "HOG: PCA components for 95% variance (depends on the number of images)", value: 7095, source: "In [184]",
              definition: "smallest number of principal components whose explained variance ratios sum to at least 0.95, PCA of the standardised HOG features of all images"),
        .init(key: "pca.hog.n99", label: "HOG: PCA components for 99% variance (depends on the number of images)", value: 11318, source: "text after In [184]",
              cell: "In [184]",
              definition: "the same for 99% of the variance; stated in the text after the cell (\"11,318 principal components are required\"), read off its cumulative variance curve"),
        .init(key: "pca.hog.samples", label: "HOG: images the PCA was fitted on (component counts depend on it)", value: 17092, source: "In [184]: Features scaled. Shape: (17092, 44100)",
              definition: "rows of the scaled HOG matrix the PCA was fitted on (all images)"),
        .init(key: "pca.vit.n95", label: "ViT: PCA components for 95% variance", value: 117, source: "In [183]",
              definition: "smallest number of principal components whose explained variance ratios sum to at least 0.95, PCA of the standardised ViT features of all images"),
        .init(key: "pca.vit.n99", label: "ViT: PCA components for 99% variance", value: 343, source: "text after In [183]",
              cell: "In [183]",
              definition: "the same for 99% of the variance; stated in the text after the cell, read off its cumulative variance curve"),
        .init(key: "tsne.hog.kl", label: "HOG: t-SNE final KL divergence", value: nil, source: "not printed",
              definition: "final KL divergence of the t-SNE embedding of the HOG features"),
        .init(key: "tsne.vit.kl", label: "ViT: t-SNE final KL divergence", value: nil, source: "not printed",
              definition: "final KL divergence of the t-SNE embedding of the ViT features"),
        .init(key: "kmeans.hog.ari", label: "HOG: k-means adjusted Rand index", value: nil, source: "not printed",
              definition: "adjusted Rand index of k-means clusters of the HOG features against the classes"),
        .init(key: "kmeans.hog.nmi", label: "HOG: k-means normalised mutual information", value: nil, source: "not printed (the study names clustering without a result)",
              definition: "normalised mutual information of k-means clusters of the HOG features against the classes"),
        .init(key: "kmeans.hog.inertia", label: "HOG: k-means inertia", value: nil, source: "not printed",
              definition: "sum of squared distances of the HOG features to their nearest k-means centre"),
        .init(key: "kmeans.vit.ari", label: "ViT: k-means adjusted Rand index", value: nil, source: "not printed",
              definition: "adjusted Rand index of k-means clusters of the ViT features against the classes"),
    ]

    /// The seven models' test metrics. The networks' printed numbers come from two evaluation
    /// functions with different definitions (`test_model` averages per-batch values over the 81
    /// test batches of 32; `ResNetTrainer.test` computes over the whole test part), and two of the
    /// networks' accuracy metrics are class-balanced: the definitions say which is which.
    static let modelEntries: [Entry] = [
        // Logistic regression on ViT features
        .init(key: "models.logistic_regression.test_accuracy", label: "Logistic regression (ViT features): test accuracy", value: 0.9665,
              source: "In [211] and the ROC discussion", definition: "share of the test images classified correctly (\"Final Accuracy (LR): Test\"), 4 decimals"),
        .init(key: "models.logistic_regression.macro_f1", label: "Logistic regression (ViT features): macro F1", value: 0.96,
              source: "In [211] and the ROC discussion", definition: "F1 of each class averaged with equal weight (`classification_report`'s macro avg), 2 decimals"),
        .init(key: "models.logistic_regression.weighted_f1", label: "Logistic regression (ViT features): weighted F1", value: 0.97,
              source: "In [211] and the ROC discussion", definition: "F1 of each class averaged weighted by its test images (`classification_report`'s weighted avg), 2 decimals"),
        .init(key: "models.logistic_regression.micro_auc", label: "Logistic regression (ViT features): micro-average AUC", value: 0.999,
              source: "In [211] and the ROC discussion", cell: "In [213]",
              definition: "area under the micro-average one-vs-rest ROC curve of the test probabilities, from the ROC discussion after In [213], 3 decimals"),
        .init(key: "models.logistic_regression.train_seconds", label: "Logistic regression (ViT features): training time (s)", value: nil,
              source: "In [211] and the ROC discussion", definition: "not printed"),
        .init(key: "models.logistic_regression.pretrained", label: "Logistic regression (ViT features): pretrained weights", value: true,
              source: "In [211] and the ROC discussion", definition: "the features come from pretrained ViT-B/16 weights (In [208])"),

        // Decision tree on ViT features
        .init(key: "models.decision_tree.test_accuracy", label: "Decision tree (ViT features): test accuracy", value: 0.6408,
              source: "In [218]–[219]", cell: "In [219]", definition: "share of the test images classified correctly (\"Final Accuracy (Decision Tree): Test\"), 4 decimals"),
        .init(key: "models.decision_tree.macro_f1", label: "Decision tree (ViT features): macro F1", value: 0.60,
              source: "In [218]–[219]", cell: "In [219]", definition: "F1 of each class averaged with equal weight (`classification_report`'s macro avg), 2 decimals"),
        .init(key: "models.decision_tree.weighted_f1", label: "Decision tree (ViT features): weighted F1", value: 0.64,
              source: "In [218]–[219]", cell: "In [219]", definition: "F1 of each class averaged weighted by its test images (`classification_report`'s weighted avg), 2 decimals"),
        .init(key: "models.decision_tree.micro_auc", label: "Decision tree (ViT features): micro-average AUC", value: nil,
              source: "In [218]–[219]", cell: "In [221]", definition: "shown in the ROC figure of In [221], not printed as a number"),
        .init(key: "models.decision_tree.train_seconds", label: "Decision tree (ViT features): training time (s)", value: 6.04,
              source: "In [218]–[219]", definition: "wall seconds of `DecisionTreeClassifier.fit` on the training features (\"Total time\"), 2 decimals"),
        .init(key: "models.decision_tree.pretrained", label: "Decision tree (ViT features): pretrained weights", value: true,
              source: "In [218]–[219]", definition: "the features come from pretrained ViT-B/16 weights (In [215]–[216])"),

        // SimpleNN
        .init(key: "models.simple_nn.test_accuracy", label: "Simple NN: test accuracy", value: 0.13,
              source: "[Test] line; accuracy is torchmetrics' macro average",
              cell: "test_model(test_loader, model_1, …) output (no execution count)",
              definition: "torchmetrics `Accuracy(average=\"macro\")` (class-balanced) of each test batch of 32, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.simple_nn.macro_f1", label: "Simple NN: macro F1", value: nil,
              source: "[Test] line; accuracy is torchmetrics' macro average", definition: "not printed"),
        .init(key: "models.simple_nn.weighted_f1", label: "Simple NN: weighted F1", value: 0.07,
              source: "[Test] line; accuracy is torchmetrics' macro average",
              cell: "test_model(test_loader, model_1, …) output (no execution count)",
              definition: "the printed F1-Score: torchmetrics `MulticlassF1Score(average=\"weighted\")` of each test batch, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.simple_nn.micro_auc", label: "Simple NN: micro-average AUC", value: nil,
              source: "[Test] line; accuracy is torchmetrics' macro average", definition: "not printed"),
        .init(key: "models.simple_nn.train_seconds", label: "Simple NN: training time (s)", value: nil,
              source: "[Test] line; accuracy is torchmetrics' macro average", definition: "not printed"),
        .init(key: "models.simple_nn.pretrained", label: "Simple NN: pretrained weights", value: false,
              source: "[Test] line; accuracy is torchmetrics' macro average", definition: "trained from random initialisation"),

        // LightCNN
        .init(key: "models.light_cnn.test_accuracy", label: "Light CNN: test accuracy", value: 0.35, source: "[Test] line",
              cell: "test_model(test_loader, light_cnn, …) output (no execution count)",
              definition: "torchmetrics `Accuracy(task=\"multiclass\")` (micro: share correct) of each test batch of 32, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.light_cnn.macro_f1", label: "Light CNN: macro F1", value: nil, source: "[Test] line", definition: "not printed"),
        .init(key: "models.light_cnn.weighted_f1", label: "Light CNN: weighted F1", value: 0.25, source: "[Test] line",
              cell: "test_model(test_loader, light_cnn, …) output (no execution count)",
              definition: "the printed F1-Score: torchmetrics `MulticlassF1Score(average=\"weighted\")` of each test batch, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.light_cnn.micro_auc", label: "Light CNN: micro-average AUC", value: nil, source: "[Test] line", definition: "not printed"),
        .init(key: "models.light_cnn.train_seconds", label: "Light CNN: training time (s)", value: nil, source: "[Test] line", definition: "not printed"),
        .init(key: "models.light_cnn.pretrained", label: "Light CNN: pretrained weights", value: false, source: "[Test] line",
              definition: "trained from random initialisation"),

        // CNN
        .init(key: "models.cnn.test_accuracy", label: "CNN: test accuracy", value: 0.98, source: "[Test] line",
              cell: "test_model(test_loader, model_cnn, …) output (no execution count)",
              definition: "torchmetrics `Accuracy(task=\"multiclass\")` (micro: share correct) of each test batch of 32, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.cnn.macro_f1", label: "CNN: macro F1", value: nil, source: "[Test] line", definition: "not printed"),
        .init(key: "models.cnn.weighted_f1", label: "CNN: weighted F1", value: 0.98, source: "[Test] line",
              cell: "test_model(test_loader, model_cnn, …) output (no execution count)",
              definition: "the printed F1-Score: torchmetrics `MulticlassF1Score(average=\"weighted\")` of each test batch, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.cnn.micro_auc", label: "CNN: micro-average AUC", value: nil, source: "[Test] line", definition: "not printed"),
        .init(key: "models.cnn.train_seconds", label: "CNN: training time (s)", value: nil, source: "[Test] line", definition: "not printed"),
        .init(key: "models.cnn.pretrained", label: "CNN: pretrained weights", value: false, source: "[Test] line",
              definition: "trained from random initialisation"),

        // ResNet18
        .init(key: "models.resnet18.test_accuracy", label: "ResNet18: test accuracy", value: 0.9661, source: "[Test] line (accuracy printed as 96.61)",
              cell: "ResNetTrainer.test() output (no execution count)",
              definition: "torchmetrics `Accuracy(task=\"multiclass\")` (micro: share correct) over the whole test part (`ResNetTrainer.test`, computed after the last batch), printed as a percentage with 2 decimals"),
        .init(key: "models.resnet18.macro_f1", label: "ResNet18: macro F1", value: nil, source: "[Test] line (accuracy printed as 96.61)", definition: "not printed"),
        .init(key: "models.resnet18.weighted_f1", label: "ResNet18: weighted F1", value: 0.97, source: "[Test] line (accuracy printed as 96.61)",
              cell: "ResNetTrainer.test() output (no execution count)",
              definition: "the printed F1-Score: torchmetrics `F1Score(task=\"multiclass\")`, whose default micro average over the whole test part equals the accuracy (not a weighted F1), 2 decimals"),
        .init(key: "models.resnet18.micro_auc", label: "ResNet18: micro-average AUC", value: nil, source: "[Test] line (accuracy printed as 96.61)", definition: "not printed"),
        .init(key: "models.resnet18.train_seconds", label: "ResNet18: training time (s)", value: nil, source: "[Test] line (accuracy printed as 96.61)", definition: "not printed"),
        .init(key: "models.resnet18.pretrained", label: "ResNet18: pretrained weights", value: true, source: "[Test] line (accuracy printed as 96.61)",
              definition: "fine-tuned from torchvision's ImageNet weights (resnet18-f37072fd.pth)"),

        // ViT-B/16
        .init(key: "models.vit.test_accuracy", label: "ViT-B/16: test accuracy", value: 0.98, source: "[Test] line; accuracy is torchmetrics' macro average",
              cell: "test_model(test_loader, vit_model, …) output (no execution count)",
              definition: "torchmetrics `Accuracy(average=\"macro\")` (class-balanced) of each test batch of 32, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.vit.macro_f1", label: "ViT-B/16: macro F1", value: nil, source: "[Test] line; accuracy is torchmetrics' macro average", definition: "not printed"),
        .init(key: "models.vit.weighted_f1", label: "ViT-B/16: weighted F1", value: 0.98, source: "[Test] line; accuracy is torchmetrics' macro average",
              cell: "test_model(test_loader, vit_model, …) output (no execution count)",
              definition: "the printed F1-Score: torchmetrics `MulticlassF1Score(average=\"weighted\")` of each test batch, averaged over the batches (`test_model`), 2 decimals"),
        .init(key: "models.vit.micro_auc", label: "ViT-B/16: micro-average AUC", value: nil, source: "[Test] line; accuracy is torchmetrics' macro average", definition: "not printed"),
        .init(key: "models.vit.train_seconds", label: "ViT-B/16: training time (s)", value: nil, source: "[Test] line; accuracy is torchmetrics' macro average", definition: "not printed"),
        .init(key: "models.vit.pretrained", label: "ViT-B/16: pretrained weights", value: true, source: "[Test] line; accuracy is torchmetrics' macro average",
              definition: "fine-tuned from torchvision's ImageNet weights (ViT_B_16_Weights.IMAGENET1K_V1)"),
    ]
}
