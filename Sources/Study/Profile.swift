/// How much of the study a run does.
///
/// - `smoke`: a few hundred images and tiny models, for CI (minutes).
/// - `cpu`: the whole study on a 2-core machine within an hour, reduced where it must be.
/// - `paper`: the documented study's exact settings.
///
/// The values of each profile live in `assets/profiles/<name>.json`; every difference from
/// `paper` is listed in the report's deviations table.
public enum Profile: String, CaseIterable, Sendable, Codable {
    case smoke, cpu, paper
}
