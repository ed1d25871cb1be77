// A Float32Array that grows by doubling: rows of a streamed file are appended without
// knowing the row count, and without holding them as JavaScript numbers in arrays (8 bytes
// each plus array overhead) on the way.

export class GrowableFloat32 {
  private buffer: Float32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Float32Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float32Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  /** The values pushed so far, trimmed to size (a copy, so the spare capacity is freed). */
  toArray(): Float32Array {
    return this.buffer.slice(0, this.length);
  }
}
