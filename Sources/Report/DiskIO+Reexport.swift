// The site writer's callers (the study's step cache, the command line) write through the same
// `FileOps` as the site, so importing Report gives them DiskIO too.
@_exported import DiskIO
