package io.clfs.tool;

import io.clfs.connect.source.TimestampText;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Epoch milliseconds or ISO-8601 with a zone offset, as the source connector's timestamp keys take them. */
final class TimestampConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
        try {
            return TimestampText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("not a timestamp: " + e.getMessage());
        }
    }
}
