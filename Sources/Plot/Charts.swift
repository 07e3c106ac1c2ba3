/// Ready-made figures for the study's charts. Each takes plain arrays and returns a `Figure` the
/// caller can still adjust before `render()`.
public enum Charts {}
