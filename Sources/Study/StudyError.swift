import Foundation

/// Errors of a study run, each naming the file, step or value involved and what to do.
public enum StudyError: Error, CustomStringConvertible {
    case missingProfile(path: String)
    case badConfig(file: String, detail: String)
    case unknownConfigKey(file: String, key: String)
    case missingReason(file: String, key: String, documented: String, thisRun: String)
    case needlessReason(file: String, key: String)
    case missingDataset(path: String)
    case unknownStep(String)
    case stepOrder(step: String, dependency: String)
    case duplicateStep(String)
    /// A step threw; `underlying` says why.
    case stepFailed(step: String, title: String, underlying: String)
    case artifactMissing(step: String, name: String)
    case artifactCorrupt(step: String, name: String, detail: String)
    /// Another run holds the cache's lock (`CacheLock`) and this one was told not to wait.
    case cacheBusy(cache: String, holder: String?)

    public var description: String {
        switch self {
        case .missingProfile(let path):
            "profile file '\(path)' not found: run from the repository root (it holds assets/profiles/) or pass --resources PATH."
        case .badConfig(let file, let detail):
            "\(file): \(detail)"
        case .unknownConfigKey(let file, let key):
            "\(file): unknown key '\(key)'. Check its spelling against assets/profiles/paper.json; every key is documented in docs/results-schema.md."
        case .missingReason(let file, let key, let documented, let thisRun):
            "\(file): '\(key)' is \(thisRun) here but \(documented) in the documented study (paper.json); add {\"key\": \"\(key)\", \"why\": \"...\"} to \"reasons\" to say why."
        case .needlessReason(let file, let key):
            "\(file): \"reasons\" explains '\(key)', but this profile does not differ from paper.json there; remove that reason."
        case .missingDataset(let path):
            "dataset folder '\(path)' not found: pass --data PATH (the folder holding basophil/, eosinophil/, ...) or set $BLOODSTUDY_DATA."
        case .unknownStep(let id):
            "no step named '\(id)'; --force takes one of the step ids listed on the run card."
        case .stepOrder(let step, let dependency):
            "step '\(step)' depends on '\(dependency)', which is not listed before it."
        case .duplicateStep(let id):
            "two steps are named '\(id)'."
        case .stepFailed(let step, let title, let underlying):
            "step '\(step)' (\(title)) failed: \(underlying). The previous site, if any, is unchanged; finished steps are cached, so fixing the cause and running again resumes here."
        case .artifactMissing(let step, let name):
            "step '\(step)' has no artifact named '\(name)'."
        case .artifactCorrupt(let step, let name, let detail):
            "artifact '\(name)' of step '\(step)' is unreadable: \(detail)"
        case .cacheBusy(let cache, let holder):
            "another bloodstudy run (\(holder ?? "process unknown")) is using \(cache); run again without --no-wait to wait for it, or pass --cache PATH to use another cache folder."
        }
    }
}
