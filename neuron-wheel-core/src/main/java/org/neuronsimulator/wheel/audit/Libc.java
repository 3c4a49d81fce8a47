package org.neuronsimulator.wheel.audit;

/** The C library a wheel's binaries were linked against, which selects the policy family. */
public enum Libc {
    GLIBC("manylinux"),
    MUSL("musllinux");

    private final String family;

    Libc(String family) {
        this.family = family;
    }

    /** The platform tag prefix of this libc's policies. */
    public String family() {
        return family;
    }
}
