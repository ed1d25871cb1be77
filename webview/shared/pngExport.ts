// PNG export of a canvas chart: the chart canvas is transparent where nothing is drawn, and its
// legend is HTML, so the image is composed on a fresh canvas: the theme background, the chart,
// then a legend strip drawn with the same colours and dashes.
import type { ChartTheme } from './theme';

export interface LegendEntry {
  label: string;
  color: string;
  dash: number[];
}

export function composePng(chart: HTMLCanvasElement, legend: LegendEntry[], theme: ChartTheme, title: string): string {
  const ratio = chart.width / Math.max(1, chart.clientWidth || chart.width);
  const line = Math.round(18 * ratio);
  const pad = Math.round(8 * ratio);
  const perRow = Math.max(1, Math.floor(chart.width / (220 * ratio)));
  const legendHeight = Math.ceil(legend.length / perRow) * line + pad * 2;
  const titleHeight = line + pad;
  const canvas = document.createElement('canvas');
  canvas.width = chart.width;
  canvas.height = titleHeight + chart.height + legendHeight;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('PNG export: no 2D canvas context');
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const font = theme.font.replace(/^[\d.]+px/, (px) => `${parseFloat(px) * ratio}px`);
  ctx.font = `bold ${font}`;
  ctx.fillStyle = theme.foreground;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, pad + line / 2);
  ctx.drawImage(chart, 0, titleHeight);
  ctx.font = font;
  legend.forEach((entry, i) => {
    const x = pad + (i % perRow) * 220 * ratio;
    const y = titleHeight + chart.height + pad + Math.floor(i / perRow) * line + line / 2;
    ctx.strokeStyle = entry.color;
    ctx.lineWidth = 2 * ratio;
    ctx.setLineDash(entry.dash.map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 24 * ratio, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = theme.foreground;
    ctx.fillText(entry.label, x + 30 * ratio, y);
  });
  return canvas.toDataURL('image/png');
}
