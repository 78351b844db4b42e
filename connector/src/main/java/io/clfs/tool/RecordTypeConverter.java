package io.clfs.tool;

import io.clfs.log.RecordFilter;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code data}, {@code restart} or {@code all}, the words the tool prints for record types. */
final class RecordTypeConverter implements ITypeConverter<RecordFilter> {
    @Override
    public RecordFilter convert(String text) {
        return switch (text) {
            case "data" -> RecordFilter.DATA;
            case "restart" -> RecordFilter.RESTART;
            case "all" -> RecordFilter.ALL;
            default -> throw new TypeConversionException("not a record type: '" + text
                    + "' (expected data, restart or all)");
        };
    }
}
