import ArgumentParser
import Study

/// `bloodstudy`: reproduces the blood-cell study and writes it as a static site and a notebook.
@main
struct BloodStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bloodstudy",
        abstract: "Reproduce the blood-cell image study and publish it as a static report site.",
        discussion: """
            Every analysis of the study is recomputed from the raw images of the PBC dataset \
            (Acevedo et al. 2020, CC BY 4.0). Run 'bloodstudy report' to build the site.
            """,
        version: "0.1.0",
        subcommands: BloodStudy.commands,
        defaultSubcommand: BloodStudy.defaultCommand
    )
}
