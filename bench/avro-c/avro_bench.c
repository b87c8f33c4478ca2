/*
 * avro-c side of the Streams `avro` benchmark (bench/AvroBenchmark.cs builds and runs this).
 *
 * Usage: avro_bench SCHEMA.json RECORDS DISTINCT DIR RUNS [PHASE]
 *
 * Builds DISTINCT event records with libavro's generic value API from the same formulas as
 * AvroBenchmark.Event (the two must stay in step: the C# side compares encoded byte counts), then
 * times RECORDS records (cycling the distinct ones) through: encode to memory, decode from memory,
 * container file write and read with the null and deflate codecs. Each phase runs once to warm up
 * and RUNS more times; the best time is kept. With PHASE (encode, decode, file_write_null,
 * file_read_null, file_write_deflate, file_read_deflate) only that phase runs, so the caller can
 * interleave phases with its own and both sides see the same machine load; a file_read phase reads
 * the file its file_write phase left in DIR. Prints one JSON object on stdout.
 */
#include <avro.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BLOCK_SIZE (64 * 1024)
#define ENCODE_BUFFER (1 << 20)

static const char *USER_AGENTS[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
};
static const char *COUNTRIES[] = {"US", "DE", "FR", "GB", "BR", "IN", "JP", "CA"};
static const char *CITIES[] = {"New York", "Berlin", "Paris", "London", "Sao Paulo", "Mumbai", "Tokyo"};
static const char *DEVICES[] = {"desktop", "mobile", "tablet"};
static const int32_t WIDTHS[] = {1920, 390, 820};
static const int32_t HEIGHTS[] = {1080, 844, 1180};
static const char *TAGS[] = {"promo", "new", "returning", "vip", "beta"};

static void die(const char *what)
{
    fprintf(stderr, "avro_bench: %s: %s\n", what, avro_strerror());
    exit(1);
}

#define CHECK(call, what) do { if ((call) != 0) die(what); } while (0)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_string(avro_value_t *record, size_t index, const char *value)
{
    avro_value_t field;
    CHECK(avro_value_get_by_index(record, index, &field, NULL), "field");
    CHECK(avro_value_set_string(&field, value), "set string");
}

static void set_long(avro_value_t *record, size_t index, int64_t value)
{
    avro_value_t field;
    CHECK(avro_value_get_by_index(record, index, &field, NULL), "field");
    CHECK(avro_value_set_long(&field, value), "set long");
}

static void set_int(avro_value_t *record, size_t index, int32_t value)
{
    avro_value_t field;
    CHECK(avro_value_get_by_index(record, index, &field, NULL), "field");
    CHECK(avro_value_set_int(&field, value), "set int");
}

static void set_double(avro_value_t *record, size_t index, double value)
{
    avro_value_t field;
    CHECK(avro_value_get_by_index(record, index, &field, NULL), "field");
    CHECK(avro_value_set_double(&field, value), "set double");
}

/* Field order and formulas: AvroBenchmark.EventSchema and AvroBenchmark.Event. */
static void fill_event(avro_value_t *record, int64_t i)
{
    char text[256];
    avro_value_t field, branch, element;
    int64_t occurred = INT64_C(1704067200000000) + i * 1234567;

    set_long(record, 0, INT64_C(1000000000) + i);
    set_long(record, 1, INT64_C(500000) + i / 7);
    set_long(record, 2, (i * 7919) % 1000003);
    set_long(record, 3, occurred);
    set_long(record, 4, occurred + (i % 1000) * 1000);

    CHECK(avro_value_get_by_index(record, 5, &field, NULL), "field");
    CHECK(avro_value_set_enum(&field, (int)(i % 5)), "set enum");

    set_string(record, 6, USER_AGENTS[i % 4]);
    snprintf(text, sizeof text, "https://shop.example.com/products/%" PRId64 "?ref=campaign-%" PRId64, i % 5000, i % 37);
    set_string(record, 7, text);

    CHECK(avro_value_get_by_index(record, 8, &field, NULL), "field");
    if (i % 3 == 0) {
        CHECK(avro_value_set_branch(&field, 0, &branch), "branch");
        CHECK(avro_value_set_null(&branch), "set null");
    } else {
        CHECK(avro_value_set_branch(&field, 1, &branch), "branch");
        snprintf(text, sizeof text, "https://www.google.com/search?q=item+%" PRId64, i % 1000);
        CHECK(avro_value_set_string(&branch, text), "set string");
    }

    set_string(record, 9, COUNTRIES[i % 8]);
    set_string(record, 10, CITIES[i % 7]);
    set_string(record, 11, DEVICES[i % 3]);
    set_int(record, 12, WIDTHS[i % 3]);
    set_int(record, 13, HEIGHTS[i % 3]);
    set_int(record, 14, (int32_t)((i * 37) % 60000));
    set_double(record, 15, (double)(i % 10000) * 0.01 + 0.99);
    set_double(record, 16, -90.0 + (double)(i % 18000) * 0.01);

    CHECK(avro_value_get_by_index(record, 17, &field, NULL), "field");
    CHECK(avro_value_set_boolean(&field, i % 3 == 1), "set boolean");

    CHECK(avro_value_get_by_index(record, 18, &field, NULL), "field");
    for (int64_t k = 0; k < i % 3 + 1; k++) {
        CHECK(avro_value_append(&field, &element, NULL), "append");
        CHECK(avro_value_set_string(&element, TAGS[(i + k) % 5]), "set string");
    }

    CHECK(avro_value_get_by_index(record, 19, &field, NULL), "field");
    CHECK(avro_value_add(&field, "clicks", &element, NULL, NULL), "map add");
    CHECK(avro_value_set_long(&element, i % 50), "set long");
    CHECK(avro_value_add(&field, "scroll_px", &element, NULL, NULL), "map add");
    CHECK(avro_value_set_long(&element, (i * 13) % 20000), "set long");
    if (i % 2 == 0) {
        CHECK(avro_value_add(&field, "errors", &element, NULL, NULL), "map add");
        CHECK(avro_value_set_long(&element, i % 3), "set long");
    }
}

struct context {
    avro_schema_t schema;
    avro_value_iface_t *iface;
    avro_value_t *events;
    int64_t distinct;
    int64_t records;
    char *encoded;      /* the distinct events, encoded back to back */
    int64_t encoded_length;
    const char *dir;
    const char *codec;  /* for the file phases */
};

static int64_t encode(struct context *c)
{
    static char buffer[ENCODE_BUFFER];
    avro_writer_t writer = avro_writer_memory(buffer, sizeof buffer);
    int64_t bytes = 0;
    for (int64_t i = 0; i < c->records; i++) {
        if (avro_writer_tell(writer) > ENCODE_BUFFER - 4096) {
            bytes += avro_writer_tell(writer);
            avro_writer_reset(writer);
        }
        CHECK(avro_value_write(writer, &c->events[i % c->distinct]), "encode");
    }
    bytes += avro_writer_tell(writer);
    avro_writer_free(writer);
    return bytes;
}

static int64_t decode(struct context *c)
{
    avro_reader_t reader = avro_reader_memory(c->encoded, c->encoded_length);
    avro_value_t value;
    CHECK(avro_generic_value_new(c->iface, &value), "value");
    int64_t done = 0;
    while (done < c->records) {
        avro_reader_reset(reader);
        for (int64_t i = 0; i < c->distinct && done < c->records; i++, done++) {
            CHECK(avro_value_read(reader, &value), "decode");
        }
    }
    avro_value_decref(&value);
    avro_reader_free(reader);
    /* Records times the mean encoded size, the same figure the C# side reports. */
    return c->encoded_length * c->records / c->distinct;
}

static void file_path(struct context *c, char *path, size_t size)
{
    snprintf(path, size, "%s/avro-c-%s.avro", c->dir, c->codec);
}

static int64_t file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        exit(1);
    }
    return (int64_t)st.st_size;
}

static int64_t file_write(struct context *c)
{
    char path[4096];
    file_path(c, path, sizeof path);
    remove(path);
    avro_file_writer_t writer;
    CHECK(avro_file_writer_create_with_codec(path, c->schema, &writer, c->codec, BLOCK_SIZE), "file create");
    for (int64_t i = 0; i < c->records; i++) {
        CHECK(avro_file_writer_append_value(writer, &c->events[i % c->distinct]), "file append");
    }
    CHECK(avro_file_writer_close(writer), "file close");
    return file_size(path);
}

static int64_t file_read(struct context *c)
{
    char path[4096];
    file_path(c, path, sizeof path);
    avro_file_reader_t reader;
    CHECK(avro_file_reader(path, &reader), "file open");
    avro_value_t value;
    CHECK(avro_generic_value_new(c->iface, &value), "value");
    int64_t n = 0;
    int rval;
    while ((rval = avro_file_reader_read_value(reader, &value)) == 0) {
        n++;
    }
    if (rval != EOF) {
        die("file read");
    }
    if (n != c->records) {
        fprintf(stderr, "avro_bench: read %" PRId64 " records from %s, expected %" PRId64 "\n", n, path, c->records);
        exit(1);
    }
    avro_value_decref(&value);
    avro_file_reader_close(reader);
    return file_size(path);
}

/* Runs a phase once to warm up and `runs` more times; prints the best as a JSON member. */
static void measure(struct context *c, const char *only, const char *name, const char *codec,
                    int64_t (*phase)(struct context *), int runs)
{
    if (only && strcmp(only, name) != 0) {
        return;
    }
    c->codec = codec;
    int64_t bytes = phase(c);
    double best = 1e300;
    for (int r = 0; r < runs; r++) {
        double start = now();
        bytes = phase(c);
        double elapsed = now() - start;
        if (elapsed < best) {
            best = elapsed;
        }
    }
    printf(",\n  \"%s\": {\"seconds\": %.6f, \"bytes\": %" PRId64 "}", name, best, bytes);
    fflush(stdout);
    fprintf(stderr, "avro-c %-20s %8.0f ms\n", name, best * 1000);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, f) != (size_t)size) {
        perror(path);
        exit(1);
    }
    text[size] = '\0';
    fclose(f);
    return text;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: avro_bench SCHEMA.json RECORDS DISTINCT DIR RUNS [PHASE]\n");
        return 2;
    }
    struct context c = {0};
    char *json = read_all(argv[1]);
    avro_schema_error_t error;
    CHECK(avro_schema_from_json(json, (int32_t)strlen(json), &c.schema, &error), "schema");
    free(json);
    c.records = strtoll(argv[2], NULL, 10);
    c.distinct = strtoll(argv[3], NULL, 10);
    c.dir = argv[4];
    int runs = atoi(argv[5]);
    if (c.records <= 0 || c.distinct <= 0 || runs <= 0) {
        fprintf(stderr, "avro_bench: RECORDS, DISTINCT and RUNS must be positive\n");
        return 2;
    }

    c.iface = avro_generic_class_from_schema(c.schema);
    if (!c.iface) {
        die("generic class");
    }
    c.events = calloc((size_t)c.distinct, sizeof *c.events);
    for (int64_t i = 0; i < c.distinct; i++) {
        CHECK(avro_generic_value_new(c.iface, &c.events[i]), "value");
        fill_event(&c.events[i], i);
    }

    /* The distinct events encoded back to back, the input of the decode phase. */
    size_t capacity = 1 << 20;
    c.encoded = malloc(capacity);
    for (;;) {
        avro_writer_t writer = avro_writer_memory(c.encoded, (int64_t)capacity);
        int failed = 0;
        for (int64_t i = 0; i < c.distinct && !failed; i++) {
            failed = avro_value_write(writer, &c.events[i]) != 0;
        }
        c.encoded_length = avro_writer_tell(writer);
        avro_writer_free(writer);
        if (!failed) {
            break;
        }
        capacity *= 2;
        c.encoded = realloc(c.encoded, capacity);
    }

    const char *only = argc == 7 ? argv[6] : NULL;
    static const char *PHASES[] = {"encode", "decode", "file_write_null", "file_read_null", "file_write_deflate", "file_read_deflate"};
    int known = only == NULL;
    for (size_t p = 0; p < sizeof PHASES / sizeof *PHASES; p++) {
        known |= only != NULL && strcmp(only, PHASES[p]) == 0;
    }
    if (!known) {
        fprintf(stderr, "avro_bench: unknown phase '%s'\n", only);
        return 2;
    }
    printf("{\n  \"distinct_bytes\": %" PRId64, c.encoded_length);
    measure(&c, only, "encode", NULL, encode, runs);
    measure(&c, only, "decode", NULL, decode, runs);
    measure(&c, only, "file_write_null", "null", file_write, runs);
    measure(&c, only, "file_read_null", "null", file_read, runs);
    measure(&c, only, "file_write_deflate", "deflate", file_write, runs);
    measure(&c, only, "file_read_deflate", "deflate", file_read, runs);
    printf("\n}\n");

    for (int64_t i = 0; i < c.distinct; i++) {
        avro_value_decref(&c.events[i]);
    }
    free(c.events);
    free(c.encoded);
    avro_value_iface_decref(c.iface);
    avro_schema_decref(c.schema);
    return 0;
}
