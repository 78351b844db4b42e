package io.clfs.tool;

import org.junit.jupiter.api.Test;

import static io.clfs.tool.ToolRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code clfs offsets translate} as a command line; its Kafka work is tested by OffsetsTranslateIT. */
class ClfsToolOffsetsUsageTest {

    @Test
    void helpDescribesTheVerb() {
        ToolRun r = run("", "offsets", "translate", "--help");
        assertThat(r.exit()).isEqualTo(ClfsTool.OK);
        assertThat(r.out()).contains("--bootstrap", "--group", "--from-topic", "--to-topic", "--apply", "--json",
                "--mapping", "clfs.origin.offset");
    }

    @Test
    void aMissingOptionIsAOneLineUsageError() {
        ToolRun r = run("", "offsets", "translate", "--bootstrap", "localhost:1", "--from-topic", "t", "--to-topic", "r");
        assertThat(r.exit()).isEqualTo(ClfsTool.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("clfs offsets translate: ").contains("--group");
    }

    @Test
    void offsetsAloneAsksForItsVerb() {
        ToolRun r = run("", "offsets");
        assertThat(r.exit()).isEqualTo(ClfsTool.USAGE);
        assertThat(r.err()).contains("missing verb (translate)");
    }

    @Test
    void anUnknownMappingIsRefused() {
        ToolRun r = run("", "offsets", "translate", "--bootstrap", "localhost:1", "--group", "g", "--from-topic", "t",
                "--to-topic", "r", "--mapping", "sideways");
        assertThat(r.exit()).isEqualTo(ClfsTool.USAGE);
        assertThat(r.err()).contains("--mapping is none, hash or modulo, not sideways");
    }
}
