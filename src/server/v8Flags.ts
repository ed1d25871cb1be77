/**
 * A Node-process setting, so it lives with the processes that use it, not in the engine.
 * V8 flags for the processes that run the engine on every keystroke (the language server) or
 * on whole files (the CLI).
 *
 * An analysis keeps most of what it allocates (tree, shapes) alive until it ends, and V8's
 * default young generation (16 MB semi-spaces) then copies those survivors again at every
 * scavenge: 32 MB semi-spaces take most of that cost away (bench/engine.ts measures both).
 * 64 MB took a little more, but its young generation alone could hold ~190 MB resident.
 *
 * `--heap-growing-percent=50`: after a full collection V8 lets the old generation grow up to
 * four times what survived before collecting again. Each keystroke on a megabyte-long file
 * leaves the previous version's analysis (~100 MB for 100,000 layers) as garbage, so the
 * server's resident memory reached 500-600 MB; collecting once the heap grew by half keeps it
 * near 300 MB, for some more collection work (docs/benchmarks.md, "Pathological documents").
 */
export const ENGINE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=50'];
