import ArgumentParser

extension BloodStudy {
    /// The subcommands, in the order `--help` lists them.
    static let commands: [ParsableCommand.Type] = [ReportCommand.self, AuditCommand.self, GalleryCommand.self,
                                                   FetchDataCommand.self, FetchWeightsCommand.self,
                                                   ImportWeightsCommand.self, MakeShapesCommand.self, DiffCommand.self]
    /// What `bloodstudy` with no subcommand runs.
    static let defaultCommand: ParsableCommand.Type? = ReportCommand.self
}
