package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

    @Test
    void expandsCompressedSetsInOrder() {
        Set<Tag> tags = Tag.parse("py2.py3-none-any");
        assertEquals(List.of(new Tag("py2", "none", "any"), new Tag("py3", "none", "any")), List.copyOf(tags));
        Set<Tag> product = Tag.parse("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64");
        assertEquals(List.of("cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64"),
                product.stream().map(Tag::toString).toList());
        assertEquals(12, Tag.parse("py2.py3-none.abi3-any.linux_x86_64.win32").size());
    }

    @Test
    void lowerCasesComponents() {
        Tag tag = Tag.parseSingle("CP311-Abi3-MacOSX_11_0_ARM64");
        assertEquals("cp311", tag.interpreter());
        assertEquals("abi3", tag.abi());
        assertEquals("macosx_11_0_arm64", tag.platform());
        assertEquals(new Tag("cp311", "abi3", "macosx_11_0_arm64"), tag);
        assertEquals("cp311-abi3-macosx_11_0_arm64", tag.toString());
    }

    @Test
    void duplicatesCollapse() {
        assertEquals(1, Tag.parse("py3.py3-none-any").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"py3-none", "py3-none-any-x", "py3..py2-none-any", "py3-none-", "-none-any", "3py-none-any",
        "py3-none-any.", ""})
    void rejectsMalformedTags(String tag) {
        InvalidTagException e = assertThrows(InvalidTagException.class, () -> Tag.parse(tag));
        assertTrue(e.getMessage().contains("'" + tag + "'"), e.getMessage());
    }

    @Test
    void singleTagMustNotBeCompressed() {
        assertThrows(InvalidTagException.class, () -> Tag.parseSingle("py2.py3-none-any"));
    }
}
