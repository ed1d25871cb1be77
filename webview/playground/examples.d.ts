// Filled in at build time by scripts/build-playground.mjs: every examples/*.seqmodel, file name → text.
declare module 'seqmodel:examples' {
  const examples: Record<string, string>;
  export default examples;
}
