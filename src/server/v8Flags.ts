/**
 * A Node-process setting, so it lives with the processes that use it, not in the engine.
 * V8 flags for the processes that run the engine on every keystroke (the language server) or
 * on whole files (the CLI).
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
