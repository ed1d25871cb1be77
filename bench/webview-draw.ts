// Drawing 100,000 epochs with uPlot in headless Chromium: every point vs the points kept by the
// loss panel's per-pixel-column decimation (webview/loss/decimate.ts). Times setData plus the
// synchronous canvas draw that follows it, the work a live epoch costs the panel.
// Run: npx tsx bench/webview-draw.ts (needs Debian's chromium, see test/helpers/chromium.ts; nothing is downloaded).
import * as esbuild from 'esbuild';
import { loadavg } from 'node:os';
import path from 'node:path';
import { CHROMIUM, hasChromium, launchChromium } from '../test/helpers/chromium';

const N = 100_000;
const WIDTH = 800;

const page = `
import uPlot from 'uplot';
import { decimateIndices, gather } from './webview/loss/decimate';

function curve(n: number, scale: number, seed: number): Float64Array {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Float64Array.from({ length: n }, (_, i) => scale * Math.exp(-i / 15000) * (1 + 0.4 * (random() - 0.5)));
}

(window as any).runBench = async (n: number, width: number) => {
  const series = [curve(n, 1, 1), curve(n, 1.2, 2), curve(n, 0.9, 3), curve(n, 1.1, 4)];
  const host = document.createElement('div');
  document.body.append(host);
  const opts = { width, height: 360, legend: { show: false }, scales: { x: { time: false } }, series: [{}, ...series.map(() => ({ stroke: '#3794ff', width: 1.5, points: { show: false } }))] };
  const plot = new uPlot(opts as any, [[], ...series.map(() => [])] as any, host);
  const full = (): any => {
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    return [Array.from(all, (i) => i + 1), ...series.map((s) => gather(s, all))];
  };
  const decimated = (): any => {
    const kept = decimateIndices(series, 0, n, plot.bbox.width);
    return [Array.from(kept, (i) => i + 1), ...series.map((s) => gather(s, kept))];
  };
  const measure = async (build: () => any) => {
    const times: number[] = [];
    let points = 0;
    for (let r = 0; r < 15; r++) {
      const t0 = performance.now();
      const data = build();
      points = data[0].length;
      plot.setData(data);
      // uPlot commits the redraw in a microtask after setData.
      await Promise.resolve();
      await Promise.resolve();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[7], points };
  };
  await measure(decimated); // warm up
  return { full: await measure(full), decimated: await measure(decimated) };
};
`;


(async () => {
  if (!hasChromium()) {
    console.log(`skipped: no Chromium at ${CHROMIUM} (bash scripts/apt-ensure.sh chromium)`);
    return;
  }
  const root = path.resolve(__dirname, '..');
  const bundle = await esbuild.build({
    stdin: { contents: page, loader: 'ts', resolveDir: root, sourcefile: 'bench-page.ts' },
    bundle: true,
    format: 'iife',
    target: 'chrome124',
    write: false,
  });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage({ viewport: { width: WIDTH + 40, height: 500 }, deviceScaleFactor: 1 });
    await tab.setContent('<!DOCTYPE html><body></body>');
    await tab.addScriptTag({ content: bundle.outputFiles[0].text });
    const result = await tab.evaluate(([n, width]) => (window as any).runBench(n, width), [N, WIDTH]);
    console.log(`uPlot, ${N.toLocaleString('en-US')} epochs × 4 series, ${WIDTH} px wide (median of 15, setData + draw):`);
    console.log(`  every point:        ${result.full.medianMs.toFixed(1)} ms  (${result.full.points.toLocaleString('en-US')} x values)`);
    console.log(`  decimated per column: ${result.decimated.medianMs.toFixed(1)} ms  (${result.decimated.points.toLocaleString('en-US')} x values)`);
    console.log(`  speed-up: ${(result.full.medianMs / result.decimated.medianMs).toFixed(1)}×`);
    // Other work on the machine colours these figures; say how busy it was.
    console.log(`  load average: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);
  } finally {
    await browser.close();
  }
})();
