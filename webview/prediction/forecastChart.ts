// The forecast chart: the input window, the true continuation and the model's, for one sample.
import uPlot from 'uplot';
import type { ForecastSample } from '../protocol';
import type { ChartTheme } from '../shared/theme';
import { themedAxis } from '../shared/theme';
import { forecastColumns } from './forecastSeries';

export class ForecastChart {
  private plot: uPlot | undefined;

  constructor(private readonly host: HTMLElement) {}

  show(sample: ForecastSample, targetFeature: number, theme: ChartTheme): void {
    this.plot?.destroy();
    const columns = forecastColumns(sample, targetFeature);
    const axis = themedAxis(theme);
    const [inputColor, predictedColor, actualColor] = [theme.palette[0], theme.palette[1], theme.palette[2]];
    const width = theme.highContrast ? 3 : 2;
    const rect = this.host.getBoundingClientRect();
    this.plot = new uPlot(
      {
        width: Math.max(240, Math.floor(rect.width)),
        height: Math.max(200, Math.floor(rect.height)),
        series: [
          { label: 'step' },
          { label: 'input', stroke: inputColor, width, points: { show: true, size: 6, fill: inputColor } },
          { label: 'actual', stroke: actualColor, width, dash: [6, 4], points: { show: true, size: 6, fill: actualColor } },
          { label: 'predicted', stroke: predictedColor, width, points: { show: true, size: 7, fill: predictedColor } },
        ],
        axes: [{ ...axis, label: 'time step', incrs: [1, 2, 5, 10, 20, 50, 100] }, { ...axis, size: 60 }],
        scales: { x: { time: false } },
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
      },
      [columns.steps, columns.input, columns.actual, columns.predicted],
      this.host,
    );
    this.host.dataset.points = String(columns.steps.length);
  }

  resize(): void {
    if (!this.plot) return;
    const rect = this.host.getBoundingClientRect();
    this.plot.setSize({ width: Math.max(240, Math.floor(rect.width)), height: Math.max(200, Math.floor(rect.height)) });
  }

  get canvas(): HTMLCanvasElement | undefined {
    return this.plot?.ctx.canvas;
  }

  clear(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}
