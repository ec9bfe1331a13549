/*
 * allocbench: the allocator workloads of mm4j-bench (org.mm4j.bench.*Benchmark) in C, calling malloc and
 * free directly, so that the cost of reaching a native allocator through FFM is visible. The set-up step
 * (mm4j-bench/setup.sh) builds one binary per allocator: allocbench-glibc uses the C library's malloc,
 * allocbench-jemalloc, -mimalloc and -tcmalloc are linked against the library, which then provides
 * malloc and free for the whole process. Every workload, table and constant matches the Java side.
 *
 *   allocbench [--warmup-ms N] [--time-ms N] [--workloads pair,batch,...] [--pair-sizes 16,256,...]
 *              [--batch-sizes 16,...] [--threads 1,2]
 *
 * Output, one line per fact, key=value separated by spaces (what `./mm4j bench alloc` parses):
 *   info allocator=c-jemalloc malloc_from=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
 *   result workload=pair allocator=c-jemalloc threads=1 size=16 ns_per_op=9.81
 *   result workload=churn ... live_bytes=N committed_bytes=N rss_bytes=N rss_baseline_bytes=N
 *
 * The benchmark is compiled with -fno-builtin-malloc -fno-builtin-free: otherwise the compiler may drop
 * a malloc/free pair whose block is not used. Writes are volatile for the same reason.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef ALLOCATOR
#define ALLOCATOR "glibc"
#endif

#define MAX_THREADS 2

/* ---- the random tables (Sequences.java) ---- */

#define LENGTH 65536
#define MASK (LENGTH - 1)

static int pareto_sizes[LENGTH], picks_1024[LENGTH], larson_sizes[LENGTH], churn_sizes[LENGTH], picks_4096[LENGTH];

typedef struct { uint64_t state; } splitmix;

static uint64_t next(splitmix *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int below(splitmix *r, int bound) { return (int) ((next(r) >> 33) % (uint64_t) bound); }

static double unit(splitmix *r) { return (double) ((next(r) >> 11) + 1) * 0x1.0p-53; }

static void uniform(int *table, uint64_t seed, int from, int to) {
    splitmix r = {seed};
    for (int i = 0; i < LENGTH; i++) table[i] = from + below(&r, to - from);
}

static void make_tables(void) {
    splitmix r = {1};
    for (int i = 0; i < LENGTH; i++) {
        double size = 16.0 * pow(unit(&r), -1.0 / 1.1);
        pareto_sizes[i] = (int) (size < 1024.0 ? size : 1024.0);
    }
    uniform(picks_1024, 2, 0, 1024);
    uniform(larson_sizes, 3, 8, 1025);
    r.state = 4;
    for (int i = 0; i < LENGTH; i++) {
        int kind = below(&r, 1000);
        churn_sizes[i] = kind < 800 ? 16 + below(&r, 496)
                : kind < 980 ? 512 + below(&r, 16384 - 512)
                : 16384 + below(&r, (512 << 10) - 16384);
    }
    uniform(picks_4096, 5, 0, 4096);
}

/* ---- blocks ---- */

static inline void *take(size_t size) {
    void *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "allocbench: malloc(%zu) returned NULL\n", size);
        abort();
    }
    return p;
}

static inline void put(void *p, long value) { *(volatile long *) p = value; }

/* A zeroed, cache-line aligned context (its rings must not share lines with other data). */
static void *zeroed(size_t size) {
    size_t rounded = (size + 63) / 64 * 64;
    void *p = aligned_alloc(64, rounded);
    if (p == NULL) abort();
    memset(p, 0, rounded);
    return p;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ULL + (uint64_t) ts.tv_nsec;
}

/* ---- a team of threads running rounds (Team.java): member 0 is the caller ---- */

typedef struct team {
    int size;
    pthread_t threads[MAX_THREADS];
    pthread_barrier_t start, end;
    void (*task)(void *ctx, int member);
    void *ctx;
    int closed;
} team;

typedef struct { team *team; int member; } member_arg;

static member_arg member_args[MAX_THREADS];

static void *serve(void *arg) {
    member_arg *m = arg;
    team *t = m->team;
    for (;;) {
        pthread_barrier_wait(&t->start);
        if (t->closed) return NULL;
        t->task(t->ctx, m->member);
        pthread_barrier_wait(&t->end);
    }
}

static void team_open(team *t, int size) {
    memset(t, 0, sizeof *t);
    t->size = size;
    pthread_barrier_init(&t->start, NULL, (unsigned) size);
    pthread_barrier_init(&t->end, NULL, (unsigned) size);
    for (int i = 1; i < size; i++) {
        member_args[i].team = t;
        member_args[i].member = i;
        pthread_create(&t->threads[i], NULL, serve, &member_args[i]);
    }
}

static void team_run(team *t, void (*task)(void *, int), void *ctx) {
    t->task = task;
    t->ctx = ctx;
    if (t->size > 1) pthread_barrier_wait(&t->start);
    task(ctx, 0);
    if (t->size > 1) pthread_barrier_wait(&t->end);
}

static void team_close(team *t) {
    t->closed = 1;
    if (t->size > 1) pthread_barrier_wait(&t->start);
    for (int i = 1; i < t->size; i++) pthread_join(t->threads[i], NULL);
    pthread_barrier_destroy(&t->start);
    pthread_barrier_destroy(&t->end);
}

/* ---- a single-producer single-consumer ring of block pointers (Ring.java) ---- */

typedef struct ring {
    void **slots;
    long mask;
    _Alignas(64) _Atomic long head;
    _Alignas(64) _Atomic long tail;
    _Alignas(64) long producer_head;
    _Alignas(64) long consumer_tail;
} ring;

static void ring_init(ring *r, void **slots, long capacity) {
    r->slots = slots;
    r->mask = capacity - 1;
    atomic_store(&r->head, 0);
    atomic_store(&r->tail, 0);
    r->producer_head = 0;
    r->consumer_tail = 0;
}

static long ring_claim(ring *r) {
    long t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    if (t - r->producer_head > r->mask) {
        r->producer_head = atomic_load_explicit(&r->head, memory_order_acquire);
        if (t - r->producer_head > r->mask) return -1;
    }
    return t;
}

static void ring_publish(ring *r, long position) {
    atomic_store_explicit(&r->tail, position + 1, memory_order_release);
}

static long ring_available(ring *r) {
    long h = atomic_load_explicit(&r->head, memory_order_relaxed);
    if (h == r->consumer_tail) r->consumer_tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    return r->consumer_tail;
}

static long ring_next(ring *r) { return atomic_load_explicit(&r->head, memory_order_relaxed); }

static void ring_consume(ring *r, long position) {
    atomic_store_explicit(&r->head, position, memory_order_release);
}

/* Ring.idle: a spin hint, and every 64th attempt a yield (on a busy machine, give the core away). */
static inline void idle(int attempt) {
    if ((attempt & 63) == 63) {
        sched_yield();
        return;
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/* ---- memory figures ---- */

static long resident_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = -1;
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
        fclose(f);
    }
    return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

/* The allocator's committed bytes by its own account (as the Java peers report them), or -1. */
static long committed_bytes(void) {
    if (strcmp(ALLOCATOR, "jemalloc") == 0) {
        int (*mallctl)(const char *, void *, size_t *, void *, size_t) = dlsym(RTLD_DEFAULT, "mallctl");
        uint64_t epoch = 1;
        size_t value = 0, length = sizeof value;
        if (mallctl == NULL || mallctl("epoch", NULL, NULL, &epoch, sizeof epoch) != 0
                || mallctl("stats.resident", &value, &length, NULL, 0) != 0) return -1;
        return (long) value;
    }
    if (strcmp(ALLOCATOR, "mimalloc") == 0) {
        void (*info)(size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *) =
                dlsym(RTLD_DEFAULT, "mi_process_info");
        size_t v[8] = {0};
        if (info == NULL) return -1;
        info(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
        return (long) v[5];
    }
    if (strcmp(ALLOCATOR, "tcmalloc") == 0) {
        int (*property)(const char *, size_t *) = dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");
        size_t heap = 0, unmapped = 0;
        if (property == NULL || !property("generic.heap_size", &heap)
                || !property("tcmalloc.pageheap_unmapped_bytes", &unmapped)) return -1;
        return (long) (heap - unmapped);
    }
    struct mallinfo2 m = mallinfo2();
    return (long) (m.arena + m.hblkhd);
}

/* ---- measurement: rounds for the warm-up time, then rounds for the measured time ---- */

static int warmup_ms = 300, time_ms = 1000;

static double measure(void (*round)(void *), void *ctx, long ops_per_round) {
    uint64_t start = now_ns();
    while (now_ns() - start < (uint64_t) warmup_ms * 1000000ULL) round(ctx);
    long rounds = 0;
    start = now_ns();
    uint64_t elapsed;
    do {
        round(ctx);
        rounds++;
        elapsed = now_ns() - start;
    } while (elapsed < (uint64_t) time_ms * 1000000ULL);
    return (double) elapsed / ((double) rounds * (double) ops_per_round);
}

static void report(const char *workload, int threads, long size, double ns_per_op) {
    printf("result workload=%s allocator=c-%s threads=%d size=", workload, ALLOCATOR, threads);
    if (size < 0) printf("-"); else printf("%ld", size);
    printf(" ns_per_op=%.4f\n", ns_per_op);
    fflush(stdout);
}

/* ---- pair ---- */

#define PAIRS 1024

typedef struct { long size; } pair_ctx;

static void pair_round(void *arg) {
    pair_ctx *c = arg;
    for (int i = 0; i < PAIRS; i++) {
        void *p = take((size_t) c->size);
        put(p, c->size);
        free(p);
    }
}

static void run_pair(long size) {
    pair_ctx c = {size};
    report("pair", 1, size, measure(pair_round, &c, PAIRS));
}

/* ---- batch ---- */

#define BATCH 1000

typedef struct { long size; void *slots[BATCH]; } batch_ctx;

static void batch_round(void *arg) {
    batch_ctx *c = arg;
    for (int i = 0; i < BATCH; i++) {
        c->slots[i] = take((size_t) c->size);
        put(c->slots[i], i);
    }
    for (int i = 0; i < BATCH / 2; i++) free(c->slots[i]);
    for (int i = BATCH - 1; i >= BATCH / 2; i--) free(c->slots[i]);
}

static void run_batch(long size) {
    batch_ctx *c = calloc(1, sizeof *c);
    c->size = size;
    report("batch", 1, size, measure(batch_round, c, BATCH));
    free(c);
}

/* ---- pareto ---- */

#define PARETO_LIVE 1024
#define PARETO_OPS 1024

typedef struct { void *slots[PARETO_LIVE]; int cursor; } pareto_ctx;

static void pareto_round(void *arg) {
    pareto_ctx *c = arg;
    int k = c->cursor;
    for (int i = 0; i < PARETO_OPS; i++, k++) {
        int index = k & MASK;
        int j = picks_1024[index];
        free(c->slots[j]);
        c->slots[j] = take((size_t) pareto_sizes[index]);
        put(c->slots[j], k);
    }
    c->cursor = k;
}

static void run_pareto(void) {
    pareto_ctx *c = calloc(1, sizeof *c);
    for (int j = 0; j < PARETO_LIVE; j++) c->slots[j] = take((size_t) pareto_sizes[MASK - j]);
    report("pareto", 1, -1, measure(pareto_round, c, PARETO_OPS));
    for (int j = 0; j < PARETO_LIVE; j++) free(c->slots[j]);
    free(c);
}

/* ---- larson ---- */

#define LARSON_LIVE 1024
#define LARSON_RING 1024
#define LARSON_OPS 16384
#define LARSON_DRAIN_EVERY 16
#define THREAD_OFFSET 7919

typedef struct {
    int threads;
    team team;
    void *live[MAX_THREADS][LARSON_LIVE];
    void *boxes[MAX_THREADS][LARSON_RING];
    ring inboxes[MAX_THREADS];
    _Alignas(64) int cursors[MAX_THREADS][16];
    _Alignas(64) _Atomic int finished;
} larson_ctx;

static int larson_drain(ring *inbox) {
    long end = ring_available(inbox);
    long position = ring_next(inbox);
    if (position == end) return 0;
    for (; position < end; position++) free(inbox->slots[position & inbox->mask]);
    ring_consume(inbox, end);
    return 1;
}

static void larson_member(void *arg, int t) {
    larson_ctx *c = arg;
    void **live = c->live[t];
    ring *inbox = &c->inboxes[t];
    ring *outbox = &c->inboxes[(t + 1) % c->threads];
    int k = c->cursors[t][0];
    for (int i = LARSON_OPS / c->threads; i > 0; i--, k++) {
        if ((k & (LARSON_DRAIN_EVERY - 1)) == 0) larson_drain(inbox);
        int index = k & MASK;
        int j = picks_1024[index];
        if ((k & 3) == 3) {
            long position;
            for (int attempt = 0; (position = ring_claim(outbox)) < 0; attempt++) {
                larson_drain(inbox);
                idle(attempt);
            }
            outbox->slots[position & outbox->mask] = live[j];
            ring_publish(outbox, position);
        } else {
            free(live[j]);
        }
        live[j] = take((size_t) larson_sizes[index]);
        put(live[j], k);
    }
    c->cursors[t][0] = k;
    atomic_fetch_add(&c->finished, 1);
    for (int attempt = 0; atomic_load(&c->finished) < c->threads; attempt++) {
        if (!larson_drain(inbox)) idle(attempt);
    }
    larson_drain(inbox);
}

static void larson_fill(void *arg, int t) {
    larson_ctx *c = arg;
    for (int j = 0; j < LARSON_LIVE; j++)
        c->live[t][j] = take((size_t) larson_sizes[(t * THREAD_OFFSET + LENGTH / 2 + j) & MASK]);
}

static void larson_empty(void *arg, int t) {
    larson_ctx *c = arg;
    for (int j = 0; j < LARSON_LIVE; j++) free(c->live[t][j]);
}

static void larson_round(void *arg) {
    larson_ctx *c = arg;
    atomic_store(&c->finished, 0);
    team_run(&c->team, larson_member, c);
}

static void run_larson(int threads) {
    larson_ctx *c = zeroed(sizeof *c);
    c->threads = threads;
    for (int t = 0; t < threads; t++) {
        ring_init(&c->inboxes[t], c->boxes[t], LARSON_RING);
        c->cursors[t][0] = t * THREAD_OFFSET;
    }
    team_open(&c->team, threads);
    team_run(&c->team, larson_fill, c);
    report("larson", threads, -1, measure(larson_round, c, LARSON_OPS));
    team_run(&c->team, larson_empty, c);
    team_close(&c->team);
    free(c);
}

/* ---- xmalloc ---- */

#define XMALLOC_SIZE 64
#define XMALLOC_RING 1024
#define XMALLOC_BLOCKS 32768
#define XMALLOC_BURST 256

typedef struct {
    int threads;
    team team;
    void *boxes[XMALLOC_RING];
    ring ring;
} xmalloc_ctx;

static void xmalloc_produce(xmalloc_ctx *c, int blocks) {
    for (int i = 0; i < blocks; i++) {
        long position;
        for (int attempt = 0; (position = ring_claim(&c->ring)) < 0; attempt++) idle(attempt);
        void *p = take(XMALLOC_SIZE);
        put(p, i);
        c->ring.slots[position & c->ring.mask] = p;
        ring_publish(&c->ring, position);
    }
}

static void xmalloc_consume(xmalloc_ctx *c, int blocks) {
    int freed = 0, attempt = 0;
    while (freed < blocks) {
        long end = ring_available(&c->ring);
        long position = ring_next(&c->ring);
        if (position == end) {
            idle(attempt++);
            continue;
        }
        for (; position < end; position++, freed++) free(c->ring.slots[position & c->ring.mask]);
        ring_consume(&c->ring, end);
    }
}

static void xmalloc_member(void *arg, int t) {
    xmalloc_ctx *c = arg;
    if (c->threads == 1) {
        for (int made = 0; made < XMALLOC_BLOCKS; made += XMALLOC_BURST) {
            xmalloc_produce(c, XMALLOC_BURST);
            xmalloc_consume(c, XMALLOC_BURST);
        }
    } else if (t == 0) {
        xmalloc_produce(c, XMALLOC_BLOCKS);
    } else {
        xmalloc_consume(c, XMALLOC_BLOCKS);
    }
}

static void xmalloc_round(void *arg) {
    xmalloc_ctx *c = arg;
    team_run(&c->team, xmalloc_member, c);
}

static void run_xmalloc(int threads) {
    xmalloc_ctx *c = zeroed(sizeof *c);
    c->threads = threads;
    ring_init(&c->ring, c->boxes, XMALLOC_RING);
    team_open(&c->team, threads);
    report("xmalloc", threads, XMALLOC_SIZE, measure(xmalloc_round, c, XMALLOC_BLOCKS));
    team_close(&c->team);
    free(c);
}

/* ---- cache-scratch ---- */

#define SCRATCH_SIZE 8
#define SCRATCH_ITERATIONS 256
#define SCRATCH_WRITES 1000

typedef struct {
    int threads;
    team team;
    void *handed[MAX_THREADS];
} scratch_ctx;

static void scratch_member(void *arg, int t) {
    scratch_ctx *c = arg;
    free(c->handed[t]);
    for (int i = SCRATCH_ITERATIONS / c->threads; i > 0; i--) {
        void *p = take(SCRATCH_SIZE);
        for (int w = 0; w < SCRATCH_WRITES; w++) put(p, w);
        free(p);
    }
}

static void scratch_round(void *arg) {
    scratch_ctx *c = arg;
    for (int t = 0; t < c->threads; t++) c->handed[t] = take(SCRATCH_SIZE);
    team_run(&c->team, scratch_member, c);
}

static void run_cache_scratch(int threads) {
    scratch_ctx *c = zeroed(sizeof *c);
    c->threads = threads;
    team_open(&c->team, threads);
    report("cache-scratch", threads, SCRATCH_SIZE, measure(scratch_round, c, SCRATCH_ITERATIONS));
    team_close(&c->team);
    free(c);
}

/* ---- churn ---- */

#define CHURN_LONG 4096
#define CHURN_SHORT 64
#define CHURN_STEADY (2 * CHURN_LONG)
#define CHURN_OPS (2 * (CHURN_LONG - CHURN_LONG / 4) + CHURN_STEADY)

typedef struct {
    void *slots[CHURN_LONG + CHURN_SHORT];
    int sizes[CHURN_LONG + CHURN_SHORT];
    long live_bytes;
    int cursor, short_cursor, pick_cursor;
} churn_ctx;

static void churn_release(churn_ctx *c, int slot) {
    if (c->slots[slot] != NULL) {
        free(c->slots[slot]);
        c->slots[slot] = NULL;
        c->live_bytes -= c->sizes[slot];
    }
}

static void churn_replace(churn_ctx *c, int slot) {
    churn_release(c, slot);
    int size = churn_sizes[c->cursor++ & MASK];
    c->slots[slot] = take((size_t) size);
    put(c->slots[slot], size);
    c->sizes[slot] = size;
    c->live_bytes += size;
}

static void churn_round(void *arg) {
    churn_ctx *c = arg;
    c->cursor = c->pick_cursor = c->short_cursor = 0; /* every cycle the same (ChurnBenchmark) */
    for (int j = 0; j < CHURN_LONG; j++) {
        if (c->slots[j] == NULL) {
            churn_replace(c, j);
            churn_replace(c, CHURN_LONG + (c->short_cursor++ & (CHURN_SHORT - 1)));
        }
    }
    for (int i = 0; i < CHURN_STEADY; i++) churn_replace(c, picks_4096[c->pick_cursor++ & MASK]);
    for (int j = 0; j < CHURN_LONG; j++) {
        if ((j & 3) != 0) churn_release(c, j);
    }
}

static void run_churn(void) {
    churn_ctx *c = calloc(1, sizeof *c);
    long resident_at_start = resident_bytes();
    long committed_at_start = strcmp(ALLOCATOR, "glibc") == 0 ? committed_bytes() : 0;
    churn_round(c);
    double ns = measure(churn_round, c, CHURN_OPS);
    long committed = committed_bytes();
    printf("result workload=churn allocator=c-%s threads=1 size=- ns_per_op=%.4f live_bytes=%ld committed_bytes=%ld"
            " rss_bytes=%ld rss_baseline_bytes=%ld\n", ALLOCATOR, ns, c->live_bytes,
            committed < 0 ? -1 : committed - committed_at_start, resident_bytes(), resident_at_start);
    fflush(stdout);
    for (int j = 0; j < CHURN_LONG + CHURN_SHORT; j++) churn_release(c, j);
    free(c);
}

/* ---- command line ---- */

static int parse_list(const char *text, long *values, int max) {
    int n = 0;
    char *copy = strdup(text), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item != NULL && n < max; item = strtok_r(NULL, ",", &save))
        values[n++] = atol(item);
    free(copy);
    return n;
}

static int listed(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n) {
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *workloads = "pair,batch,pareto,larson,xmalloc,cache-scratch,churn";
    long pair_sizes[16] = {16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576}, batch_sizes[16] = {16, 256, 4096};
    long threads[MAX_THREADS] = {1, 2};
    int pair_count = 9, batch_count = 3, thread_count = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--warmup-ms") == 0) warmup_ms = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--time-ms") == 0) time_ms = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--workloads") == 0) workloads = argv[i + 1];
        else if (strcmp(argv[i], "--pair-sizes") == 0) pair_count = parse_list(argv[i + 1], pair_sizes, 16);
        else if (strcmp(argv[i], "--batch-sizes") == 0) batch_count = parse_list(argv[i + 1], batch_sizes, 16);
        else if (strcmp(argv[i], "--threads") == 0) thread_count = parse_list(argv[i + 1], threads, MAX_THREADS);
        else {
            fprintf(stderr, "allocbench: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    for (int i = 0; i < thread_count; i++) {
        if (threads[i] < 1 || threads[i] > MAX_THREADS) {
            fprintf(stderr, "allocbench: threads must be 1 or 2\n");
            return 2;
        }
    }
    make_tables();
    Dl_info where;
    void *malloc_address = dlsym(RTLD_DEFAULT, "malloc");
    printf("info allocator=c-%s malloc_from=%s\n", ALLOCATOR,
            malloc_address != NULL && dladdr(malloc_address, &where) && where.dli_fname != NULL ? where.dli_fname : "?");
    fflush(stdout);
    if (listed(workloads, "pair")) for (int i = 0; i < pair_count; i++) run_pair(pair_sizes[i]);
    if (listed(workloads, "batch")) for (int i = 0; i < batch_count; i++) run_batch(batch_sizes[i]);
    if (listed(workloads, "pareto")) run_pareto();
    if (listed(workloads, "larson")) for (int i = 0; i < thread_count; i++) run_larson((int) threads[i]);
    if (listed(workloads, "xmalloc")) for (int i = 0; i < thread_count; i++) run_xmalloc((int) threads[i]);
    if (listed(workloads, "cache-scratch")) for (int i = 0; i < thread_count; i++) run_cache_scratch((int) threads[i]);
    if (listed(workloads, "churn")) run_churn();
    return 0;
}
