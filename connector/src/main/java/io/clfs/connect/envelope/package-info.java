/**
 * The versioned binary envelope the sink journals for each Kafka record, and the restart area it
 * writes. This package has no Kafka dependency on purpose: the {@code clfs} tool and the source
 * connector decode it from the log alone. The byte layout is in {@code docs/format.md}.
 */
package io.clfs.connect.envelope;
