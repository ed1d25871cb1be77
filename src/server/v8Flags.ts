/**
 * A Node-process setting, so it lives with the processes that use it, not in the engine.
 * V8 flags for the processes that run the engine on every keystroke (the language server) or
 * on whole files (the CLI). An analysis keeps most of what it allocates (tokens, tree, shapes)
 * alive until it ends, and V8's default 16 MB young generation then copies those survivors
 * again at every scavenge: on a 10,000-line file that doubled the analysis time (bench/engine.ts
 * measures both). A larger young generation is only committed as a process needs it.
 */
export const ENGINE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
