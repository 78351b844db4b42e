package io.clfs.streams.app;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The clfs Streams application: {@code clfs-streams CONFIG.properties} runs the topology the file
 * names ({@code clfs.topology=journal|restore}) until SIGTERM. Exit codes: 0 stopped cleanly,
 * 1 Streams stopped in error, 2 bad configuration.
 */
@Command(name = "clfs-streams", mixinStandardHelpOptions = true, version = "clfs-streams 0.1.0",
        description = "Journals topics into a local CLFS log (clfs.topology=journal), or restores replayed records"
                + " to their origin topics (clfs.topology=restore). Stops cleanly on SIGTERM.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:Kafka Streams stopped in error", "2:bad configuration or usage"})
public final class ClfsStreamsApp implements Callable<Integer> {
    static final int FAILED = 1;
    static final int BAD_CONFIG = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ClfsStreamsApp.class);

    @Parameters(index = "0", paramLabel = "CONFIG", arity = "0..1",
            description = "Properties file: clfs.* settings and Kafka Streams settings (see config/streams-*.properties)")
    Path configFile;

    @Option(names = "--describe", description = "Validate the configuration, print the topology, and exit")
    boolean describe;

    @Option(names = "--help-config", description = "Print the clfs.* settings and exit")
    boolean helpConfig;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new ClfsStreamsApp())
                .setExitCodeExceptionMapper(e -> e instanceof ConfigException ? BAD_CONFIG : FAILED)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ConfigException) {
                        cmd.getErr().println("clfs-streams: bad configuration: " + e.getMessage());
                        return BAD_CONFIG;
                    }
                    throw e;
                });
    }

    @Override
    public Integer call() throws InterruptedException {
        if (helpConfig) {
            System.out.println(AppConfig.describe());
            return 0;
        }
        if (configFile == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "Missing required parameter: 'CONFIG'");
        }
        AppConfig config = AppConfig.load(configFile);
        Topology topology = topology(config);
        if (describe) {
            System.out.println(topology.describe());
            return 0;
        }
        KafkaStreams streams = create(config, topology);
        boolean clean = new StreamsRunner(streams, Duration.ofMillis(config.shutdownTimeoutMs())).run();
        return clean ? 0 : FAILED;
    }

    /** The topology the configuration names. */
    public static Topology topology(AppConfig config) {
        return switch (config.kind()) {
            case JOURNAL -> JournalTopology.build(config);
            case RESTORE -> RestoreTopology.build(config);
        };
    }

    /** A configured, not yet started application: topology, thread failure policy, checked directories. */
    public static KafkaStreams create(AppConfig config, Topology topology) {
        if (config.kind() == AppConfig.Kind.JOURNAL) {
            createDirectory(config.journalDir());
        } else if (!StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())) {
            LOG.warn("restore runs with processing.guarantee={}: a crash may restore some records twice;"
                    + " set processing.guarantee=exactly_once_v2 for exactly once", config.processingGuarantee());
        }
        KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setUncaughtExceptionHandler(new ThreadFailurePolicy(config.threadReplacementsMax(),
                config.threadReplacementsWindowMs(), System::currentTimeMillis));
        return streams;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException(AppConfig.JOURNAL_DIR, dir.toString(), "cannot create the directory: " + e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException(AppConfig.JOURNAL_DIR, dir.toString(), "the directory is not writable");
        }
    }
}
