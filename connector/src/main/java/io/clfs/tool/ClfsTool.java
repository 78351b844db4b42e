package io.clfs.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code clfs} command: one subcommand per verb. Scripts read its output, so the output forms
 * of every verb are part of its interface.
 *
 * <p>Build it with {@link #commandLine}, which also makes usage errors one line; {@code main} does.
 */
@Command(name = "clfs", scope = CommandLine.ScopeType.INHERIT, mixinStandardHelpOptions = true, version = "clfs 0.1.0",
        description = "Creates, writes, inspects and archives a CLFS-style log (a directory), and moves consumer groups"
                + " onto a restore.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ClfsTool.OK + ":success",
                ClfsTool.FAILED + ":the log refused or failed the operation (log full, LSN below the tails, not a"
                        + " record, corrupt, locked by another writer, no log there, I/O error), the cluster did"
                        + " (Kafka verbs), or verify found faults; one line on standard error says why (--verbose adds the stack trace)",
                ClfsTool.USAGE + ":usage error: unknown option, missing or malformed argument (an LSN is written"
                        + " cccccccc:oooooooo)"},
        footer = {"%nLSNs are written cccccccc:oooooooo (logical container id and offset, 8 hex digits each);"
                + " 'none' (null in JSON) stands for no record."})
public final class ClfsTool implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    /** Every verb, in the order {@code clfs --help} lists them. */
    private static final List<Class<?>> VERBS = List.of(CreateCommand.class, AppendCommand.class,
            WriteRestartCommand.class, AdvanceBaseCommand.class, SetArchiveTailCommand.class, InfoCommand.class,
            DumpCommand.class, VerifyCommand.class, ArchiveCommand.class, RestoreCheckCommand.class,
            OffsetsCommand.class, CommandLine.HelpCommand.class);

    private final InputStream in;

    @Spec
    CommandSpec spec;

    public ClfsTool() {
        this(System.in);
    }

    /** @param in what {@code append} reads records from */
    public ClfsTool(InputStream in) {
        this.in = in;
    }

    InputStream in() {
        return in;
    }

    /** The command line as {@code main} runs it, on the given streams. */
    public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        return commandLine(in, out, err, VERBS);
    }

    /**
     * The command line for {@code args}: with only the verb they name when they name one (other than
     * {@code help}, which describes the others), else with every verb. picocli builds the model of
     * each verb it is given, 10-100 ms apiece at start, and a run uses one.
     */
    static CommandLine commandLineFor(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        for (Class<?> verb : VERBS) {
            if (args.length > 0 && verb != CommandLine.HelpCommand.class
                    && verb.getAnnotation(Command.class).name().equals(args[0])) {
                return commandLine(in, out, err, List.of(verb));
            }
        }
        return commandLine(in, out, err);
    }

    private static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err, List<Class<?>> verbs) {
        CommandLine cl = new CommandLine(new ClfsTool(in));
        for (Class<?> verb : verbs) {
            cl.addSubcommand(verb); // before setOut and the handler, which reach only the verbs already added
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(ClfsTool::usageError);
        return cl;
    }

    /** Scripts get one line on standard error, as for every other failure, instead of the whole usage. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + Verb.oneLine(e.getMessage())
                + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        cl.getErr().flush();
        return USAGE;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing verb");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = commandLineFor(args, System.in, out, err).execute(args);
        out.flush();
        System.exit(code);
    }
}
