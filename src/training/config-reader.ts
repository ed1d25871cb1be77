// Typed reads of a layer's Keras config (LayerInfo.config: snake_case names, Keras defaults
// filled in by the engine). Every key read is recorded, so the builder can tell which
// arguments it did not translate.
import type { ConfigValue, LayerConfig } from '../language';
import { UnsupportedError } from './keras-names';

export class ConfigReader {
  private readonly used = new Set<string>();

  constructor(
    readonly layerType: string,
    private readonly config: Record<string, ConfigValue>,
  ) {}

  /** The raw value, or `fallback` when the key is absent (undefined). */
  raw(key: string, fallback: ConfigValue = null): ConfigValue {
    this.used.add(key);
    const value = this.config[key];
    return value === undefined ? fallback : value;
  }

  /** Marks keys as deliberately not passed to tfjs. */
  skip(...keys: string[]): void {
    for (const key of keys) this.used.add(key);
  }

  number(key: string, fallback: number): number {
    return this.toNumber(key, unwrapSingle(this.raw(key, fallback)));
  }

  optionalNumber(key: string): number | null {
    const value = unwrapSingle(this.raw(key, null));
    return value === null ? null : this.toNumber(key, value);
  }

  /** An integer; Keras also accepts a one-element tuple or list (kernel_size=(3,)). */
  int(key: string, fallback: number): number {
    const n = this.number(key, fallback);
    if (!Number.isInteger(n)) this.fail(key, `must be an integer, got ${n}`);
    return n;
  }

  optionalInt(key: string): number | null {
    const n = this.optionalNumber(key);
    if (n !== null && !Number.isInteger(n)) this.fail(key, `must be an integer, got ${n}`);
    return n;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.raw(key, fallback);
    if (typeof value !== 'boolean') this.fail(key, `must be True or False, got ${show(value)}`);
    return value;
  }

  string(key: string, fallback: string): string {
    const value = this.raw(key, fallback);
    if (typeof value !== 'string') this.fail(key, `must be a string, got ${show(value)}`);
    return value;
  }

  optionalString(key: string): string | null {
    const value = this.raw(key, null);
    if (value !== null && typeof value !== 'string') this.fail(key, `must be a string or None, got ${show(value)}`);
    return value;
  }

  /** A shape tuple such as target_shape; None becomes null (and -1 stays -1). */
  shape(key: string): (number | null)[] {
    const value = this.raw(key, null);
    const list = Array.isArray(value) ? value : typeof value === 'number' ? [value] : null;
    if (list === null) this.fail(key, `must be a tuple of integers, got ${show(value)}`);
    return list.map((d) => {
      if (d === null) return null;
      if (typeof d !== 'number' || !Number.isInteger(d)) this.fail(key, `must hold integers, got ${show(d)}`);
      return d;
    });
  }

  /** A wrapped layer (Bidirectional, TimeDistributed). */
  layer(key: string): LayerConfig {
    const value = this.raw(key, null);
    if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value.type !== 'string') {
      this.fail(key, `must be a layer, got ${show(value)}`);
    }
    return value;
  }

  /** Keys present but never read nor skipped, with a value other than None/False. */
  unread(): string[] {
    return Object.keys(this.config).filter((key) => {
      if (this.used.has(key)) return false;
      const value = this.config[key];
      return value !== null && value !== false;
    });
  }

  fail(key: string, message: string): never {
    // '=True is not ...' reads as 'keepdims=True is not ...'.
    const sep = message.startsWith('=') ? '' : ' ';
    throw new UnsupportedError(`${this.layerType}: ${key}${sep}${message}`);
  }

  private toNumber(key: string, value: ConfigValue): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(key, `must be a number, got ${show(value)}`);
    return value;
  }
}

/** Keras takes `(3,)` or `[3]` where one number is meant (kernel_size, strides, pool_size). */
function unwrapSingle(value: ConfigValue): ConfigValue {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

function show(value: ConfigValue | undefined): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
