package io.clfs.connect;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryMarkerTest {
    @TempDir
    Path tmp;

    private static Map<String, String> taskConfig(DirectoryMarker m) {
        Map<String, String> c = new HashMap<>(Map.of("name", "sink"));
        m.addTo(c);
        return c;
    }

    @Test
    void aTaskThatSeesTheConnectorsDirectoryPasses() {
        Path dir = tmp.resolve("logs");
        DirectoryMarker m = DirectoryMarker.leave(dir, "sink"); // creates the directory
        assertThat(DirectoryMarker.fileOf(dir, "sink")).exists();
        assertThatCode(() -> DirectoryMarker.check(dir, "sink", taskConfig(m))).doesNotThrowAnyException();
        assertThat(DirectoryMarker.leave(dir, "sink")).isEqualTo(m); // a restarted connector keeps the token
    }

    @Test
    void aTaskOnAnotherDirectoryIsRefusedNamingTheDirectoryAndWhatToDo() {
        DirectoryMarker m = DirectoryMarker.leave(tmp.resolve("host-a"), "sink");
        Path other = tmp.resolve("host-b");
        assertThatThrownBy(() -> DirectoryMarker.check(other, "sink", taskConfig(m)))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("clfs.log.dir " + other.toAbsolutePath() + " on this worker (host ")
                .hasMessageContaining("is not the directory of the worker that runs connector sink (" + m.markedBy())
                .hasMessageContaining("is not there")
                .hasMessageContaining("shared file system that honours file locks")
                .hasMessageContaining("single worker");

        DirectoryMarker.leave(other, "sink"); // host B's connector instance once marked its own directory
        assertThatThrownBy(() -> DirectoryMarker.check(other, "sink", taskConfig(m)))
                .hasMessageContaining("left by another connector instance");
    }

    @Test
    void twoConnectorsShareADirectoryWithAMarkerEach() {
        DirectoryMarker sink = DirectoryMarker.leave(tmp, "sink");
        DirectoryMarker source = DirectoryMarker.leave(tmp, "source");
        assertThat(sink.token()).isNotEqualTo(source.token());
        Map<String, String> sourceTask = new HashMap<>(Map.of("name", "source"));
        source.addTo(sourceTask);
        assertThatCode(() -> DirectoryMarker.check(tmp, "source", sourceTask)).doesNotThrowAnyException();
    }

    @Test
    void aTaskConfigurationWithoutATokenIsNotChecked() {
        assertThatCode(() -> DirectoryMarker.check(tmp.resolve("none"), "sink", Map.of("name", "sink")))
                .doesNotThrowAnyException();
    }

    @Test
    void theConnectorNameIsEscapedIntoOneFileName() {
        assertThat(DirectoryMarker.fileOf(tmp, "a/b c.d").getFileName().toString())
                .isEqualTo(".clfs-connector-a%2Fb%20c%2Ed");
    }

    @Test
    void aMarkerWithoutATokenIsAnErrorNamingIt() throws Exception {
        Files.writeString(DirectoryMarker.fileOf(tmp, "sink"), "marked.by=x\n");
        assertThatThrownBy(() -> DirectoryMarker.leave(tmp, "sink")).isInstanceOf(ConnectException.class)
                .hasMessageContaining("no token in " + DirectoryMarker.fileOf(tmp, "sink"));
    }
}
