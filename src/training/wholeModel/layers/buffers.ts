// A Float32Array reused from batch to batch: a layer's outputs and gradients are read by its
// neighbour before the next batch overwrites them, so no batch needs fresh arrays. It grows
// when a batch needs more; a smaller batch (an epoch's last) gets a view of its first values.
export class Reusable {
  private array = new Float32Array(0);

  /** `length` values; their contents are whatever the last use left. */
  take(length: number): Float32Array {
    if (this.array.length < length) this.array = new Float32Array(length);
    return this.array.length === length ? this.array : this.array.subarray(0, length);
  }

  /** As take, all zeros. */
  zeros(length: number): Float32Array {
    const array = this.take(length);
    array.fill(0);
    return array;
  }
}
