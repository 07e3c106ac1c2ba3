import Dataset
import DiskIO
import Neural
import Report

// What the command line (`bloodstudy`) uses from the modules below Study, named here so that it
// imports Study and the argument parser only: Study decides which parts of the lower modules the
// program's commands reach. (The same types under their own modules' names; nothing is copied.)

/// The data audit (`bloodstudy audit`); `DatasetAudit.run(root:progress:)` in Study adds the
/// documented study's counts.
public typealias DatasetAudit = Dataset.DatasetAudit
/// The data audit's findings, printed as text or written as JSON.
public typealias AuditReport = Dataset.AuditReport
/// Download and safe unpacking of the PBC archive (`bloodstudy fetch-data`).
public typealias DatasetFetch = Dataset.DatasetFetch
/// The pretrained checkpoints the study starts from (`bloodstudy fetch-weights --model`).
public typealias PretrainedModel = Neural.PretrainedModel
/// Their download into the weights folder.
public typealias PretrainedWeights = Neural.PretrainedWeights
/// File errors in plain words for the terminal.
public typealias FileOperationError = DiskIO.FileOperationError
/// Writes and renames that survive a crash (and name the file in plain words when they fail).
public typealias FileOps = DiskIO.FileOps
/// Why a checkpoint could not be downloaded.
public typealias PretrainedWeightsError = Neural.PretrainedWeightsError
