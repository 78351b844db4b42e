package io.clfs.tool;

import io.clfs.log.Lsn;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Pattern;

/** Reads an LSN in its canonical text form only, so that a typo is a usage error rather than another LSN. */
final class LsnConverter implements ITypeConverter<Long> {
    // Stricter than Lsn.parse, which lets Long.parseLong take a sign ("-0000001:00000000").
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}:[0-9a-fA-F]{8}");

    @Override
    public Long convert(String text) {
        if (!CANONICAL.matcher(text).matches()) {
            throw new TypeConversionException("not an LSN: '" + text
                    + "' (expected cccccccc:oooooooo, 8 hex digits each)");
        }
        return Lsn.parse(text);
    }
}
