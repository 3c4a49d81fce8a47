package org.neuronsimulator.wheel.builder.container;

/** Small helpers for image references like {@code quay.io/pypa/manylinux2014_x86_64:2024.01.01-1}. */
final class ImageReference {

    private ImageReference() {
    }

    /** The reference with {@code :latest} added when it names neither a tag nor a digest (a bare pull fetches every tag). */
    static String withDefaultTag(String image) {
        if (image.contains("@")) {
            return image;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image : image + ":latest";
    }
}
