package io.clfs.connect.envelope;

/** One Kafka header: a name (repeated names are kept, in order) and a nullable value. */
public record EnvelopeHeader(String key, Payload value) {
    public EnvelopeHeader {
        if (key == null) {
            throw new IllegalArgumentException("header key is required");
        }
        if (value == null) {
            value = Payload.NULL;
        }
    }
}
