package io.clfs.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code clfs offsets}: the consumer-group offset verbs, each a sub-verb. */
@Command(name = "offsets", description = "Consumer-group offsets after a restore (see 'clfs offsets translate --help').",
        subcommands = {TranslateOffsetsCommand.class})
final class OffsetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing verb (translate)");
    }
}
