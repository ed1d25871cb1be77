/**
 * How the processes that run the engine on every keystroke (the language server) or on whole
 * files (the CLI) are started: Node-process settings, so they live with those processes, not in
 * the engine. First the V8 flags.
 *
 * `--max-semi-space-size=16`: the young generation's two semi-spaces stay committed once grown,
 * so they hold twice this size of the server's resident memory for good. An analysis keeps most
 * of what it allocates (tree, shapes) alive until it ends, and bigger semi-spaces copy those
 * survivors fewer times: 32 MB made a whole file's analysis 10-15 % faster (bench/engine.ts,
 * 10,000 lines) but cost 30-45 MB more at every peak (224 → 268 MB at worst on the 28 shapes of
 * bench/pathological.ts, the same request times and opens within noise) and 60-190 MB more
 * while whole megabytes are replaced (docs/benchmarks.md, "16 MB semi-spaces"); 64 MB held
 * ~190 MB in its young generation alone.
 *
 * `--heap-growing-percent=50`: after a full collection V8 lets the old generation grow up to
 * four times what survived before collecting again. Each keystroke on a megabyte-long file
 * leaves the previous version's analysis (~100 MB for 100,000 layers) as garbage, so the
 * server's resident memory reached 500-600 MB; collecting once the heap grew by half keeps it
 * near 300 MB, for some more collection work (docs/benchmarks.md, "Pathological documents").
 *
 * `--initial-old-space-size=160`: V8 starts the old generation with a small limit and raises it
 * at each full collection, by half with the flag above. Opening a megabyte-long file builds an
 * analysis of 40-90 MB, so several full collections ran during the open and the last limit was
 * reached just as it ended: the concurrent marking of the new analysis then ran through the
 * first requests (semantic tokens, formatting, the first keystroke), taking the second core
 * and up to 100 ms of their answers. With room for one such analysis from the start, the open
 * needs no full collection and the first requests none either; past 160 MB the limit grows by
 * half as before (docs/benchmarks.md, "The first requests after a big open").
 *
 * `--expose-gc`: the server collects once in the quiet after a burst of big analyses, which V8
 * left uncollected (idleCollection.ts).
 */
export const ENGINE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--heap-growing-percent=50', '--initial-old-space-size=160', '--expose-gc'];

/**
 * The C library's allocator, told through the environment, as it reads it when the process
 * starts (mallopt(3); glibc's, which Linux's Node uses; other platforms ignore it): a block of
 * 128 KB or more is mapped on its own and given back to the system as soon as it is freed.
 * The engine's typed arrays (the line starts, the parse's problem lists, a long model's walk
 * columns) live outside V8's heap in such blocks, and an analysis after each keystroke frees the
 * last one's. By default glibc raises that threshold to the size of each block freed, so blocks
 * of a few hundred kilobytes went to its own heap instead, where it kept what they left behind:
 * the server's resident memory stood 80-110 MB above V8's heap and its live array buffers while
 * someone typed in a megabyte, and a megabyte replaced by another again and again peaked at
 * 270-340 MB instead of 258-269 (docs/benchmarks.md, "memory the allocator kept").
 * A value the user set stays.
 */
export function engineEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? String(128 * 1024) };
}
