// Training progress on stderr: a redrawn bar on a terminal, a line every tenth of the run
// otherwise (CI logs, pipes), so that long runs show they are alive without flooding logs.
import { formatValue } from '../language';

const BAR = 24;

export class ProgressLine {
  private readonly tty: boolean;
  private lastDraw = 0;
  private nextMilestone = 0.1;

  constructor(
    private readonly model: string,
    private readonly epochs: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = !!stream.isTTY;
  }

  start(backend: string, train: number, validation: number, classes?: string[]): void {
    const val = validation ? `, ${validation} for validation` : '';
    this.stream.write(`${this.model}: training on ${train} samples${val}, ${this.epochs} epochs, ${backend} backend\n`);
    if (classes) this.stream.write(`${this.model}: classes ${classes.map((c, i) => `${i} ${c}`).join(', ')}\n`);
  }

  epoch(epoch: number, loss: number, valLoss: number | null, metrics: Record<string, number>): void {
    const fraction = epoch / this.epochs;
    const extra = Object.entries(metrics)
      .map(([k, v]) => ` ${k} ${formatValue(v)}`)
      .join('');
    const text = `epoch ${epoch}/${this.epochs} loss ${formatValue(loss)}${valLoss === null ? '' : ` val_loss ${formatValue(valLoss)}`}${extra}`;
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < 50 && epoch < this.epochs) return;
      this.lastDraw = now;
      const filled = Math.round(fraction * BAR);
      this.stream.write(`\r\x1b[K${this.model} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${text}`);
    } else if (fraction >= this.nextMilestone || epoch === this.epochs) {
      while (this.nextMilestone <= fraction) this.nextMilestone += 0.1;
      this.stream.write(`${this.model}: ${text}\n`);
    }
  }

  end(): void {
    if (this.tty && this.lastDraw) this.stream.write('\n');
  }
}
