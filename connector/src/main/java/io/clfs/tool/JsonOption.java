package io.clfs.tool;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output instead of text lines. */
final class JsonOption {
    @Option(names = "--json", description = "Print JSON (LSNs as cccccccc:oooooooo strings, null for none).")
    boolean json;
}
