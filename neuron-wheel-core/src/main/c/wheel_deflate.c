/*
 * JNI binding of org.neuronsimulator.wheel.archive.Libdeflate: block compression for the wheel
 * writer and prefix decompression for the audit, with the system's libdeflate. The binding links
 * libdeflate.so.0 by its file name, so building it needs only that library, not libdeflate's
 * headers, and loading it where libdeflate is missing fails cleanly (the writer and the audit then
 * use java.util.zip). It uses no libc symbol newer than the oldest glibc releases.
 *
 * libdeflate compresses a whole buffer into a complete deflate stream whose last block is marked
 * final. Blocks of one file are compressed on different threads and joined into one stream, so for
 * every block but the file's last this binding walks the stream (RFC 1951) to find the final block's
 * header and the exact end bit, clears the final bit and appends an empty stored block, which
 * byte-aligns the stream the way zlib's sync flush does.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS under -std=c99, and mremap */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* libdeflate's public API (libdeflate.h), declared here so that its headers are not needed */
struct libdeflate_compressor;
struct libdeflate_compressor *libdeflate_alloc_compressor(int compression_level);
size_t libdeflate_deflate_compress(struct libdeflate_compressor *compressor, const void *in, size_t in_nbytes,
                                   void *out, size_t out_nbytes_avail);
size_t libdeflate_deflate_compress_bound(struct libdeflate_compressor *compressor, size_t in_nbytes);
void libdeflate_free_compressor(struct libdeflate_compressor *compressor);
struct libdeflate_decompressor;
struct libdeflate_decompressor *libdeflate_alloc_decompressor(void);
int libdeflate_deflate_decompress_ex(struct libdeflate_decompressor *decompressor, const void *in, size_t in_nbytes,
                                     void *out, size_t out_nbytes_avail, size_t *actual_in_nbytes_ret,
                                     size_t *actual_out_nbytes_ret);
void libdeflate_free_decompressor(struct libdeflate_decompressor *decompressor);
enum { LIBDEFLATE_SUCCESS = 0, LIBDEFLATE_BAD_DATA = 1, LIBDEFLATE_INSUFFICIENT_SPACE = 3 };

/* Bytes appended after a non-final block: up to one byte finishing the empty stored block's header, then LEN/NLEN. */
#define SYNC_MARKER_MAX 5

#define MAX_BITS 15
#define TABLE_SIZE (1u << MAX_BITS)
/* Zero bytes kept after a stream so the walker may load 8 bytes at a time near its end. */
#define WALK_SLACK 16

/* Walker table entry: bits to consume (code plus extra bits) | kind << 8 | code-length symbol << 10; kind 0: no such code. */
enum { INVALID = 0, LITERAL = 1, LENGTH = 2, END_OF_BLOCK = 3 };
enum table_type { CODE_LENGTHS, LITERALS_LENGTHS, DISTANCES };

typedef struct {
    struct libdeflate_compressor *compressor;
    uint8_t *in;
    size_t in_capacity;
    uint8_t *out;
    size_t out_capacity;
    uint16_t litlen[TABLE_SIZE];
    uint16_t dist[TABLE_SIZE];
    uint16_t codelen[1u << 7];
} compressor_t;

static const uint8_t LENGTH_EXTRA[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint8_t DISTANCE_EXTRA[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                           6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint8_t CODE_LENGTH_ORDER[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/*
 * Reads the stream least significant bit first through a 64-bit buffer. Invariant: the buffer's
 * low `count` bits are the stream bits from bit (p - data) * 8 - count on.
 */
typedef struct {
    const uint8_t *data;
    const uint8_t *p;
    const uint8_t *limit;
    uint64_t bits;
    unsigned count;
} bit_reader;

static inline uint64_t load_le64(const uint8_t *p) {
    uint64_t word;
    memcpy(&word, p, sizeof word);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    return word;
}

/* Tops the buffer up to at least 56 bits; -1 when the walk ran past the stream's slack. */
static inline int refill(bit_reader *r) {
    if (r->p > r->limit) {
        return -1;
    }
    r->bits |= load_le64(r->p) << r->count;
    r->p += (63 - r->count) >> 3;
    r->count |= 56;
    return 0;
}

static inline int take(bit_reader *r, unsigned n, uint32_t *value) {
    if (r->count < n && refill(r) != 0) {
        return -1;
    }
    *value = (uint32_t)(r->bits & ((1u << n) - 1));
    r->bits >>= n;
    r->count -= n;
    return 0;
}

static inline size_t bit_position(const bit_reader *r) {
    return (size_t)(r->p - r->data) * 8 - r->count;
}

static unsigned reverse_bits(unsigned code, unsigned length) {
    unsigned reversed = 0;
    for (unsigned i = 0; i < length; i++) {
        reversed = (reversed << 1) | ((code >> i) & 1);
    }
    return reversed;
}

static uint16_t table_entry(enum table_type type, unsigned symbol, unsigned length) {
    switch (type) {
    case CODE_LENGTHS:
        return (uint16_t)(length | LITERAL << 8 | symbol << 10);
    case LITERALS_LENGTHS:
        if (symbol < 256) {
            return (uint16_t)(length | LITERAL << 8);
        }
        if (symbol == 256) {
            return (uint16_t)(length | END_OF_BLOCK << 8);
        }
        return symbol <= 285 ? (uint16_t)((length + LENGTH_EXTRA[symbol - 257]) | LENGTH << 8) : 0;
    default:
        return symbol < 30 ? (uint16_t)((length + DISTANCE_EXTRA[symbol]) | LITERAL << 8) : 0;
    }
}

/* Fills a table indexed by the next `bits` stream bits; returns bits, or -1 for an over-full code. */
static int build_table(uint16_t *table, enum table_type type, const uint8_t *lengths, unsigned count) {
    unsigned per_length[MAX_BITS + 1] = {0};
    unsigned next_code[MAX_BITS + 1];
    unsigned longest = 0;
    for (unsigned i = 0; i < count; i++) {
        per_length[lengths[i]]++;
        if (lengths[i] > longest) {
            longest = lengths[i];
        }
    }
    if (longest == 0) {
        table[0] = table[1] = 0;
        return 1;
    }
    per_length[0] = 0;
    int left = 1;
    for (unsigned length = 1; length <= MAX_BITS; length++) {
        left = (left << 1) - (int)per_length[length];
        if (left < 0) {
            return -1;
        }
    }
    unsigned code = 0;
    for (unsigned length = 1; length <= MAX_BITS; length++) {
        code = (code + per_length[length - 1]) << 1;
        next_code[length] = code;
    }
    unsigned size = 1u << longest;
    memset(table, 0, size * sizeof(uint16_t));
    for (unsigned symbol = 0; symbol < count; symbol++) {
        unsigned length = lengths[symbol];
        if (length == 0) {
            continue;
        }
        uint16_t entry = table_entry(type, symbol, length);
        for (unsigned index = reverse_bits(next_code[length]++, length); index < size; index += 1u << length) {
            table[index] = entry;
        }
    }
    return (int)longest;
}

/* Reads the code lengths of a dynamic block and builds its tables; 0 on success. */
static int read_dynamic_tables(compressor_t *c, bit_reader *r, int *litlen_bits, int *dist_bits) {
    uint32_t litlen_count, dist_count, codelen_count, value;
    if (take(r, 5, &litlen_count) || take(r, 5, &dist_count) || take(r, 4, &codelen_count)) {
        return -1;
    }
    litlen_count += 257;
    dist_count += 1;
    codelen_count += 4;
    if (litlen_count > 286 || dist_count > 30) {
        return -1;
    }
    uint8_t codelen_lengths[19] = {0};
    for (unsigned i = 0; i < codelen_count; i++) {
        if (take(r, 3, &value)) {
            return -1;
        }
        codelen_lengths[CODE_LENGTH_ORDER[i]] = (uint8_t)value;
    }
    int codelen_bits = build_table(c->codelen, CODE_LENGTHS, codelen_lengths, 19);
    if (codelen_bits < 0) {
        return -1;
    }
    uint8_t lengths[286 + 30];
    unsigned total = litlen_count + dist_count;
    unsigned i = 0;
    while (i < total) {
        if (r->count < 16 && refill(r)) {
            return -1;
        }
        uint32_t entry = c->codelen[r->bits & ((1u << codelen_bits) - 1)];
        if ((entry & 0xFF) == 0) {
            return -1;
        }
        r->bits >>= entry & 0xFF;
        r->count -= entry & 0xFF;
        unsigned symbol = entry >> 10;
        uint32_t repeat;
        uint8_t fill = 0;
        if (symbol < 16) {
            lengths[i++] = (uint8_t)symbol;
            continue;
        } else if (symbol == 16) {
            if (i == 0 || take(r, 2, &repeat)) {
                return -1;
            }
            fill = lengths[i - 1];
            repeat += 3;
        } else if (symbol == 17) {
            if (take(r, 3, &repeat)) {
                return -1;
            }
            repeat += 3;
        } else {
            if (take(r, 7, &repeat)) {
                return -1;
            }
            repeat += 11;
        }
        if (i + repeat > total) {
            return -1;
        }
        memset(lengths + i, fill, repeat);
        i += repeat;
    }
    if (lengths[256] == 0) {
        return -1;
    }
    *litlen_bits = build_table(c->litlen, LITERALS_LENGTHS, lengths, litlen_count);
    *dist_bits = build_table(c->dist, DISTANCES, lengths + litlen_count, dist_count);
    return *litlen_bits < 0 || *dist_bits < 0 ? -1 : 0;
}

static void build_fixed_tables(compressor_t *c, int *litlen_bits, int *dist_bits) {
    uint8_t lengths[288 + 32];
    memset(lengths, 8, 144);
    memset(lengths + 144, 9, 112);
    memset(lengths + 256, 7, 24);
    memset(lengths + 280, 8, 8);
    memset(lengths + 288, 5, 32);
    *litlen_bits = build_table(c->litlen, LITERALS_LENGTHS, lengths, 288);
    *dist_bits = build_table(c->dist, DISTANCES, lengths + 288, 32);
}

/*
 * Walks a complete deflate stream of nbytes bytes, followed by WALK_SLACK zero bytes. On success
 * returns 0 and sets the bit offset of the final block's header and the bit offset just past the
 * final block's end-of-block code. Only code boundaries are followed; nothing is inflated.
 */
static int walk_stream(compressor_t *c, const uint8_t *data, size_t nbytes, size_t *final_header, size_t *end) {
    bit_reader r = {data, data, data + nbytes + WALK_SLACK - 8, 0, 0};
    for (;;) {
        size_t header = bit_position(&r);
        uint32_t final, type;
        if (take(&r, 1, &final) || take(&r, 2, &type)) {
            return -1;
        }
        if (type == 0) {
            uint32_t length, inverse;
            r.bits >>= r.count & 7;
            r.count -= r.count & 7;
            if (take(&r, 16, &length) || take(&r, 16, &inverse) || (length ^ 0xFFFF) != inverse) {
                return -1;
            }
            size_t next = bit_position(&r) / 8 + length;
            if (next > nbytes) {
                return -1;
            }
            r.p = data + next;
            r.bits = 0;
            r.count = 0;
        } else {
            int litlen_bits, dist_bits;
            if (type == 1) {
                build_fixed_tables(c, &litlen_bits, &dist_bits);
            } else if (type != 2 || read_dynamic_tables(c, &r, &litlen_bits, &dist_bits) != 0) {
                return -1;
            }
            const uint64_t litlen_mask = (1u << litlen_bits) - 1;
            const uint64_t dist_mask = (1u << dist_bits) - 1;
            for (;;) {
                /* 48 bits cover a length code with its extra bits (20) and a distance code with its (28) */
                if (r.count < 48 && refill(&r)) {
                    return -1;
                }
                uint32_t entry = c->litlen[r.bits & litlen_mask];
                r.bits >>= entry & 0xFF;
                r.count -= entry & 0xFF;
                unsigned kind = (entry >> 8) & 3;
                if (kind == LITERAL) {
                    continue;
                }
                if (kind != LENGTH) {
                    if (kind == END_OF_BLOCK) {
                        break;
                    }
                    return -1;
                }
                entry = c->dist[r.bits & dist_mask];
                if (entry == 0) {
                    return -1;
                }
                r.bits >>= entry & 0xFF;
                r.count -= entry & 0xFF;
            }
        }
        if (bit_position(&r) > nbytes * 8) {
            return -1;
        }
        if (final) {
            *final_header = header;
            *end = bit_position(&r);
            return 0;
        }
    }
}

JNIEXPORT jlong JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_allocate(JNIEnv *env, jclass cls,
                                                                                  jint level) {
    (void)env;
    (void)cls;
    compressor_t *c = calloc(1, sizeof(compressor_t));
    if (c == NULL) {
        return 0;
    }
    c->compressor = libdeflate_alloc_compressor(level);
    if (c->compressor == NULL) {
        free(c);
        return 0;
    }
    return (jlong)(intptr_t)c;
}

JNIEXPORT void JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_release(JNIEnv *env, jclass cls,
                                                                                jlong handle) {
    (void)env;
    (void)cls;
    compressor_t *c = (compressor_t *)(intptr_t)handle;
    if (c != NULL) {
        libdeflate_free_compressor(c->compressor);
        free(c->in);
        free(c->out);
        free(c);
    }
}

JNIEXPORT jint JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_bound(JNIEnv *env, jclass cls,
                                                                              jlong handle, jint length) {
    (void)env;
    (void)cls;
    compressor_t *c = (compressor_t *)(intptr_t)handle;
    size_t bound = libdeflate_deflate_compress_bound(c->compressor, length < 0 ? 0 : (size_t)length) + SYNC_MARKER_MAX;
    return bound > INT32_MAX ? INT32_MAX : (jint)bound;
}

static int ensure(uint8_t **buffer, size_t *capacity, size_t needed) {
    if (*capacity >= needed) {
        return 0;
    }
    uint8_t *grown = realloc(*buffer, needed);
    if (grown == NULL) {
        return -1;
    }
    *buffer = grown;
    *capacity = needed;
    return 0;
}

/*
 * Compresses in[0, length) into out. A block that is not its file's last ends byte-aligned and
 * non-final, ready for the next block's stream to follow. Returns the output length, -1 when out is
 * too small, -2 when memory ran out, -3 when the stream could not be walked, -4 for a bad length.
 */
JNIEXPORT jint JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_compress(
    JNIEnv *env, jclass cls, jlong handle, jbyteArray in, jint length, jbyteArray out, jboolean last) {
    (void)cls;
    compressor_t *c = (compressor_t *)(intptr_t)handle;
    if (length < 0 || length > (*env)->GetArrayLength(env, in)) {
        return -4;
    }
    size_t capacity = (size_t)(*env)->GetArrayLength(env, out);
    size_t bound = libdeflate_deflate_compress_bound(c->compressor, (size_t)length) + SYNC_MARKER_MAX;
    if (ensure(&c->in, &c->in_capacity, (size_t)length) != 0
        || ensure(&c->out, &c->out_capacity, bound + WALK_SLACK) != 0) {
        return -2;
    }
    (*env)->GetByteArrayRegion(env, in, 0, length, (jbyte *)c->in);
    if ((*env)->ExceptionCheck(env)) {
        return -4;
    }
    size_t written = libdeflate_deflate_compress(c->compressor, c->in, (size_t)length, c->out, bound);
    if (written == 0) {
        return -3;
    }
    if (!last) {
        size_t final_header, end;
        memset(c->out + written, 0, WALK_SLACK);
        if (walk_stream(c, c->out, written, &final_header, &end) != 0 || (end + 7) / 8 != written) {
            return -3;
        }
        c->out[final_header >> 3] &= (uint8_t) ~(1u << (final_header & 7));
        if (end & 7) {
            c->out[end >> 3] &= (uint8_t)((1u << (end & 7)) - 1);
        }
        /* empty stored block: three zero header bits at end, padding to the byte, LEN 0, NLEN 0xFFFF */
        size_t aligned = (end + 3 + 7) / 8;
        for (size_t i = written; i < aligned; i++) {
            c->out[i] = 0;
        }
        c->out[aligned] = 0;
        c->out[aligned + 1] = 0;
        c->out[aligned + 2] = 0xFF;
        c->out[aligned + 3] = 0xFF;
        written = aligned + 4;
    }
    if (written > capacity) {
        return -1;
    }
    (*env)->SetByteArrayRegion(env, out, 0, (jsize)written, (const jbyte *)c->out);
    return (jint)written;
}

/*
 * Prefix decompression for reading the head of a zip entry (an ELF object's headers and dynamic
 * tables) without a stream: libdeflate decodes into an output buffer of the caller's size and, when
 * the data goes on, stops before the first literal, match (up to 258 bytes) or stored block (up to
 * 65535 bytes) that would not fit. Everything but the buffer's last 65535 + 258 bytes is then final.
 *
 * Buffers are anonymous mappings kept from one entry to the next and only grown, with transparent
 * huge pages asked for: on virtual machines a page's first touch can cost more than decoding it
 * (20 us per 4 KiB page on the machine this was measured on), and huge pages take a cold audit of
 * the vtk 9.7.1 wheel's libraries from about 1.5 s to 1.2 s there.
 */
typedef struct {
    struct libdeflate_decompressor *decompressor;
    uint8_t *in;
    size_t in_capacity;
    uint8_t *out;
    size_t out_capacity;
} prefix_decoder_t;

static int ensure_mapping(uint8_t **buffer, size_t *capacity, size_t wanted) {
    if (*capacity >= wanted) {
        return 0;
    }
    size_t huge = (size_t)2 << 20;
    size_t doubled = *capacity * 2;
    size_t rounded = ((wanted > doubled ? wanted : doubled) + huge - 1) / huge * huge;
    void *mapped;
#ifdef MREMAP_MAYMOVE
    /* Moved, not replaced: the pages touched so far stay, and only new ones cost a first touch. */
    if (*buffer != NULL) {
        mapped = mremap(*buffer, *capacity, rounded, MREMAP_MAYMOVE);
        if (mapped == MAP_FAILED) {
            return -1;
        }
    } else
#endif
    {
        if (*buffer != NULL) {
            munmap(*buffer, *capacity);
            *buffer = NULL;
            *capacity = 0;
        }
        mapped = mmap(NULL, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped == MAP_FAILED) {
            return -1;
        }
    }
#ifdef MADV_HUGEPAGE
    madvise(mapped, rounded, MADV_HUGEPAGE); /* a hint: where refused, small pages serve */
#endif
    *buffer = mapped;
    *capacity = rounded;
    return 0;
}

JNIEXPORT jlong JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_allocateDecoder(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    prefix_decoder_t *d = calloc(1, sizeof(prefix_decoder_t));
    if (d == NULL) {
        return 0;
    }
    d->decompressor = libdeflate_alloc_decompressor();
    if (d->decompressor == NULL) {
        free(d);
        return 0;
    }
    return (jlong)(intptr_t)d;
}

JNIEXPORT void JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_releaseDecoder(JNIEnv *env, jclass cls,
                                                                                       jlong handle) {
    (void)env;
    (void)cls;
    prefix_decoder_t *d = (prefix_decoder_t *)(intptr_t)handle;
    if (d == NULL) {
        return;
    }
    if (d->in != NULL) {
        munmap(d->in, d->in_capacity);
    }
    if (d->out != NULL) {
        munmap(d->out, d->out_capacity);
    }
    libdeflate_free_decompressor(d->decompressor);
    free(d);
}

/* A direct buffer over the first `length` bytes of the input mapping, grown to hold them; null when out of memory. */
JNIEXPORT jobject JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_decoderInput(JNIEnv *env, jclass cls,
                                                                                        jlong handle, jlong length) {
    (void)cls;
    prefix_decoder_t *d = (prefix_decoder_t *)(intptr_t)handle;
    if (length < 0 || ensure_mapping(&d->in, &d->in_capacity, (size_t)length + 1) != 0) {
        return NULL;
    }
    return (*env)->NewDirectByteBuffer(env, d->in, length);
}

/*
 * Decodes the first `in_length` input bytes into an output buffer of `out_length` bytes. Returns the
 * output size when the deflate data ended within it, -3 when it goes on past it, -1 for bad data
 * and -4 when the buffer could not be mapped.
 */
JNIEXPORT jlong JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_decode(JNIEnv *env, jclass cls, jlong handle,
                                                                                jlong in_length, jlong out_length) {
    (void)env;
    (void)cls;
    prefix_decoder_t *d = (prefix_decoder_t *)(intptr_t)handle;
    if (in_length < 0 || (size_t)in_length > d->in_capacity || out_length < 0
        || ensure_mapping(&d->out, &d->out_capacity, (size_t)out_length + 1) != 0) {
        return -4;
    }
    size_t produced = 0;
    int result = libdeflate_deflate_decompress_ex(d->decompressor, d->in, (size_t)in_length, d->out,
                                                  (size_t)out_length, NULL, &produced);
    if (result == LIBDEFLATE_SUCCESS) {
        return (jlong)produced;
    }
    return result == LIBDEFLATE_INSUFFICIENT_SPACE ? -3 : -1;
}

/* A direct buffer over the first `length` bytes of the output mapping. */
JNIEXPORT jobject JNICALL Java_org_neuronsimulator_wheel_archive_Libdeflate_decoderOutput(JNIEnv *env, jclass cls,
                                                                                         jlong handle, jlong length) {
    (void)cls;
    prefix_decoder_t *d = (prefix_decoder_t *)(intptr_t)handle;
    if (length < 0 || (size_t)length > d->out_capacity) {
        return NULL;
    }
    return (*env)->NewDirectByteBuffer(env, d->out, length);
}
