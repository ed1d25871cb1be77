// Filled in at build time by scripts/build-playground.mjs: every examples/*.seqmodel (file name →
// text), and the paths under examples/ of the data files served beside the page.
declare module 'seqmodel:examples' {
  const examples: Record<string, string>;
  export default examples;
  export const exampleData: string[];
}
