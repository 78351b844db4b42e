package io.clfs.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LsnTest {
    @Test
    void textIsEightLowerCaseHexDigitsOfContainerAndOffsetAndParsesBack() {
        long[] lsns = {Lsn.NULL, Lsn.INVALID, Lsn.of(3, 0x10240), Lsn.of(0xABCDEF01L, 0x9A), Lsn.of(0x7FFF_FFFFL, 0x8000_0000L)};
        for (long lsn : lsns) {
            assertThat(Lsn.toString(lsn)).isEqualTo(String.format("%08x:%08x", Lsn.container(lsn), Lsn.offset(lsn)));
            assertThat(Lsn.parse(Lsn.toString(lsn))).isEqualTo(lsn);
        }
        assertThat(Lsn.toString(Lsn.of(3, 0x10240))).isEqualTo("00000003:00010240");
    }
}
