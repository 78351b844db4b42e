package io.clfs.tool;

import io.clfs.log.LogVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;

/** {@code clfs verify}: a read-only check of every metadata copy, container header, block and record. */
@Command(name = "verify",
        description = {"Checks the log without changing it: both metadata copies, every container header, every"
                + " block and record in use.",
                "Clean: prints 'clean LOG blocks B records R' and exits 0. Otherwise prints one line per fault,"
                        + " FILE:OFFSET: REASON, and exits 1 with one line on standard error."})
final class VerifyCommand extends Verb {
    @Mixin
    LogDir log;

    @Override
    int run() {
        LogVerifier.VerifyReport report = LogVerifier.verify(log.dir);
        PrintWriter out = out();
        if (report.clean()) {
            out.println("clean " + log.dir + " blocks " + report.blocks() + " records " + report.records());
            return ClfsTool.OK;
        }
        for (LogVerifier.Fault f : report.faults()) {
            out.println(f.file() + ":" + f.offset() + ": " + oneLine(f.reason()));
        }
        out.flush();
        err().println(spec.qualifiedName() + ": log " + log.dir + " has " + report.faults().size() + " fault"
                + (report.faults().size() == 1 ? "" : "s"));
        return ClfsTool.FAILED;
    }
}
